"""Benchmark of ``ptce consolidate``: generate realistic workbooks, consolidate them, and in the
same run read the Réponses sheet of the same files with a bare single-process openpyxl
read-only loop (the baseline).

    .venv/bin/python bench/consolidate.py [--count 1000] [--workers N] [--keep DOSSIER]

Prints workbooks per second, the ratio consolidation time / bare openpyxl read time (aim:
0.2 or less), peak memory (this process and the largest worker) and the load of the
machine (the figures of a shared machine move with it), and the time of the synthesis
write alone (measured again on the same entries, apart from the reading). Figures only;
nothing is asserted.
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
from ptce_toolkit.snapshot import (  # noqa: E402
    ActionData, AnswerData, AssessmentData, OptionData, PoleData, Snapshot, SwotData,
)

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
    options = [OptionData(new_uuid(), _text(rng, 10), k, [swot[k].uuid]) for k in range(rng.randint(1, 3))]
    crits = [c.id for c in ref.criteria()]
    actions = [ActionData(new_uuid(), _text(rng, 9), rng.choice(["Bureau", "Coordinatrice", ""]),
                          f"2027-0{1 + k}-15", rng.choice(["todo", "doing", "done"]), rng.randint(1, 3), k,
                          rng.sample(crits, 2), [options[0].uuid]) for k in range(rng.randint(1, 6))]
    return Snapshot(pole, a, answers, swot, options, actions)


def _generate(args):
    start, stop, folder = args
    ref = referential.default()
    for i in range(start, stop):
        save_workbook(build_workbook(make_snapshot(ref, i), ref), Path(folder) / f"pole_{i:04d}.xlsx")
    return stop - start


def _cpu() -> float:
    """CPU seconds of this process and of its finished children."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def bare_openpyxl_read(files) -> int:
    """The baseline: one process, openpyxl read-only, every row of the Réponses sheet, nothing checked."""
    import openpyxl

    for f in files:
        wb = openpyxl.load_workbook(f, read_only=True, data_only=False)
        for _ in wb["Réponses"].iter_rows(values_only=True):
            pass
        wb.close()
    return len(files)


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
        print(f"génération : {args.count} classeurs en {time.perf_counter() - t:.1f} s")
    files = sorted(folder.glob("*.xlsx"))[: args.count]
    if len(files) < len(list(folder.glob("*.xlsx"))):
        folder = root / f"classeurs_{len(files)}"
        if not folder.is_dir():
            folder.mkdir()
            for f in files:
                shutil.copy(f, folder / f.name)
        files = sorted(folder.glob("*.xlsx"))
    size = sum(f.stat().st_size for f in files) / len(files) / 1024
    load = os.getloadavg()[0]
    print(f"{len(files)} classeurs, {size:.0f} Kio en moyenne ; {args.workers} processus ; machine : "
          f"{os.cpu_count()} cœurs, charge moyenne {load:.1f} au départ")
    cpu0 = _cpu()
    t = time.perf_counter()
    result = consolidate_folder(folder, root / "synthese.xlsx", workers=args.workers)
    ours = time.perf_counter() - t
    ours_cpu = _cpu() - cpu0
    main_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    cpu0 = _cpu()
    t = time.perf_counter()
    bare_openpyxl_read(files)
    bare = time.perf_counter() - t
    bare_cpu = _cpu() - cpu0
    from exports.xlsx_synthesis import write_synthesis
    from ptce_toolkit import referential

    cpu0 = _cpu()
    t = time.perf_counter()
    write_synthesis(root / "synthese_seule.xlsx", result.entries, result.rejections, result.flags,
                    registry=referential.registry())
    synth, synth_cpu = time.perf_counter() - t, _cpu() - cpu0
    print(f"consolidation complète (validation de l’import, synthèse écrite) : {ours:.2f} s, "
          f"{len(files) / ours:.0f} classeurs/s ({result.accepted} retenus, {result.rejected} refusés)")
    print(f"lecture nue openpyxl read-only de la feuille Réponses, 1 processus : {bare:.2f} s, "
          f"{len(files) / bare:.0f} classeurs/s")
    print(f"rapport consolidation / lecture nue : {ours / bare:.2f} (objectif : 0,2 ou moins)")
    print(f"temps processeur (tous processus) : consolidation {ours_cpu * 1000 / len(files):.1f} ms par classeur, "
          f"lecture nue {bare_cpu * 1000 / len(files):.1f} ms ; rapport {ours_cpu / bare_cpu:.2f} (moins sensible "
          "à la charge de la machine que les durées)")
    print(f"dont écriture de la synthèse seule (processus principal, mesurée à part) : {synth:.2f} s, "
          f"{synth_cpu * 1000 / len(files):.1f} ms processeur par classeur")
    print(f"mémoire maximale : {main_peak:.0f} Mo (processus principal), {child_peak:.0f} Mo (plus gros processus "
          f"fils) ; charge moyenne à la fin {os.getloadavg()[0]:.1f}")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
