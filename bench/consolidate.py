"""Benchmark of ``ptce consolidate``: generate realistic workbooks, consolidate them, and
compare with the time pandas takes only to read the same files.

    .venv/bin/python bench/consolidate.py [--count 1000] [--workers N] [--keep DOSSIER]

Prints workbooks per second, peak memory (this process and the workers), and the ratio
with ``pandas.read_excel(sheet_name=None)``. Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from exports.consolidate import consolidate_folder  # noqa: E402
from exports.xlsx_export import build_workbook, save_workbook  # noqa: E402
from ptce_toolkit import referential  # noqa: E402
from ptce_toolkit.models import new_uuid  # noqa: E402
from ptce_toolkit.snapshot import AnswerData, AssessmentData, PoleData, Snapshot, SwotData  # noqa: E402

WORDS = ("coopération territoire emploi insertion réemploi conserverie lieu partagé gouvernance bénévoles "
         "collectivité financement convention évaluation habitants circuits courts «\u00a0fabrique\u00a0» "
         "=1+1 l’épargne citoyenne").split()


def _text(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def make_snapshot(ref, i: int) -> Snapshot:
    rng = random.Random(i)
    pole = PoleData(new_uuid(), f"Pôle n°\u00a0{i:04d} – {_text(rng, 2)}", territory=_text(rng, 3), region="Occitanie")
    a = AssessmentData(new_uuid(), f"Diagnostic {2024 + i % 3}", ref.id, ref.version,
                       started_on=f"{2024 + i % 3}-0{1 + i % 9}-15", status="completed")
    a.profile = {"membres_structures": {"value": rng.randint(5, 80), "year": 2025, "perimeter": "ensemble_membres"},
                 "budget_cellule": {"value": rng.randint(20, 400) * 1000, "qualifier": "environ", "year": 2025},
                 "etp_cellule": {"value": rng.randint(1, 12) / 2, "year": 2025}}
    answers = {}
    for c in ref.criteria():
        roll = rng.random()
        if roll < 0.05:
            continue
        status = "not_applicable" if roll < 0.1 else "unknown" if roll < 0.15 else "answered"
        answers[c.id] = AnswerData(c.id, status, rng.randint(0, 4) if status == "answered" else None,
                                   _text(rng, rng.randint(0, 25)), _text(rng, rng.randint(0, 6)), rng.random() < 0.1,
                                   "2025-11-20T10:00:00Z")
    swot = [SwotData(new_uuid(), q, _text(rng, 12), rng.randint(1, 3), k, [])
            for q in "SWOT" for k in range(rng.randint(2, 5))]
    return Snapshot(pole, a, answers, swot)


def _generate(args):
    start, stop, folder = args
    ref = referential.default()
    for i in range(start, stop):
        save_workbook(build_workbook(make_snapshot(ref, i), ref), Path(folder) / f"pole_{i:04d}.xlsx")
    return stop - start


def _pandas_read(files):
    import pandas as pd

    for f in files:
        pd.read_excel(f, sheet_name=None, engine="openpyxl")
    return len(files)


def _openpyxl_read(files):
    import openpyxl

    for f in files:
        wb = openpyxl.load_workbook(f, read_only=True, data_only=False)
        for name in ("Profil", "Réponses", "AFOM", "Options", "Plan d’action", "_meta"):
            for _ in wb[name].iter_rows(values_only=True):
                pass
        wb.close()
    return len(files)


def _parallel(fn, files, workers):
    chunks = [files[i::workers] for i in range(workers)]
    with ProcessPoolExecutor(workers) as pool:
        return sum(pool.map(fn, chunks))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--count", type=int, default=1000)
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    p.add_argument("--keep", help="dossier où garder les classeurs générés")
    args = p.parse_args()
    root = Path(args.keep or tempfile.mkdtemp(prefix="ptce_bench_"))
    folder = root / "classeurs"
    folder.mkdir(parents=True, exist_ok=True)
    existing = sorted(folder.glob("*.xlsx"))
    t = time.perf_counter()
    if len(existing) < args.count:
        step = max(args.count // (args.workers * 4), 1)
        with ProcessPoolExecutor(args.workers) as pool:
            list(pool.map(_generate, [(i, min(i + step, args.count), str(folder))
                                      for i in range(0, args.count, step)]))
        print(f"génération : {args.count} classeurs en {time.perf_counter() - t:.1f} s")
    files = sorted(folder.glob("*.xlsx"))[: args.count]
    size = sum(f.stat().st_size for f in files) / len(files) / 1024
    print(f"{len(files)} classeurs, {size:.0f} Kio en moyenne, {args.workers} processus")

    t = time.perf_counter()
    result = consolidate_folder(folder, root / "synthese.xlsx", workers=args.workers)
    ours = time.perf_counter() - t
    print(f"consolidation : {ours:.1f} s, {len(files) / ours:.0f} classeurs/s "
          f"({result.accepted} retenus, {result.rejected} rejetés)")
    main_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"mémoire maximale : {main_peak:.0f} Mo (processus principal), {child_peak:.0f} Mo (plus gros processus fils)")

    t = time.perf_counter()
    _parallel(_openpyxl_read, files, args.workers)
    op = time.perf_counter() - t
    print(f"openpyxl read_only (lecture seule des 6 feuilles utiles) : {op:.1f} s, {len(files) / op:.0f} classeurs/s")
    t = time.perf_counter()
    _parallel(_pandas_read, files, args.workers)
    pdt = time.perf_counter() - t
    print(f"pandas.read_excel(sheet_name=None), lecture seule : {pdt:.1f} s, {len(files) / pdt:.0f} classeurs/s")
    print(f"rapport pandas / consolidation complète : {pdt / ours:.1f}")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
