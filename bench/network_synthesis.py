"""Benchmark of the network synthesis: generate varied poles' workbooks, then time what a
network runs — the synthesis workbook (consolidation), the PDF synthesis report and the
« repères du réseau » pack — with the peak memory of this process and of its workers.

    .venv/bin/python bench/network_synthesis.py [--count 1000] [--workers N] [--keep DOSSIER]
                                                [--pages DOSSIER_PNG] [--anonyme]

``--pages``: also render the report's pages with ``pdftoppm -r 60 -png`` into that folder
(docs/synthese/ holds those of 30 poles). Figures only; nothing is asserted. Issue 15 aims
at ≤ 15 s and ≤ 500 MB for 1,000 poles.

Measured on 2026-12-02 (2 cores shared with other jobs, 2 workers, 1,000 workbooks already
generated): synthesis workbook 11.2 s, PDF report (36 pages) 2.0 s, pack 0.22 s — 13.4 s in
all, peak memory 140 MB (load average 2.8 at the start). With the machine busier (load 4.3 to
7.7) the same run took 54 to 92 s, the consolidation's reading of the workbooks taking nearly
all of it; the report took 8 s before its heat map was laid out as plain text.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.consolidate import make_snapshot  # noqa: E402
from exports.xlsx_export import build_workbook, save_workbook  # noqa: E402
from ptce_toolkit import referential  # noqa: E402

REGIONS = ["Occitanie"] * 6 + ["Bretagne"] * 5 + ["Auvergne-Rhône-Alpes"] * 5 + ["Hauts-de-France"] * 4 + \
          ["Nouvelle-Aquitaine"] * 3 + ["Grand Est", "Corse", ""]
KINDS = ["rural"] * 4 + ["periurbain"] * 3 + ["quartier_prioritaire"] * 2 + ["desindustrialise", "mixte", None]


def varied_snapshot(ref, i: int):
    """bench.consolidate's pole, made varied: region, territory type, each domain a level of its
    own (some domains strong across the network, others weak), some domains left blank, SWOT
    items and priority actions linked to criteria."""
    rng = random.Random(1000 + i)
    snap = make_snapshot(ref, i)
    snap.pole.region = rng.choice(REGIONS)
    kind = rng.choice(KINDS)
    if kind:
        snap.assessment.profile["type_territoire"] = {"value": kind}
    strength = {d.id: 0.6 + 0.35 * k for k, d in enumerate(ref.domains)}  # network-wide trend by domain
    skip = {d.id for d in ref.domains if rng.random() < 0.08}
    for d in ref.domains:
        base = min(4.0, strength[d.id] * rng.uniform(0.5, 1.4))
        for c in d.criteria:
            a = snap.answers.get(c.id)
            if a is None:
                continue
            if d.id in skip:
                del snap.answers[c.id]
            elif a.status == "answered":
                a.level = max(0, min(4, round(rng.gauss(base, 0.8))))
    crits = [c.id for c in ref.criteria()]
    weights = [1 + 3 * (k % 7 == 0) for k in range(len(crits))]
    for item in snap.swot:
        item.criteria = rng.choices(crits, weights, k=rng.randint(0, 2))
    for action in snap.actions:
        action.criteria = rng.choices(crits, weights, k=2)
    return snap


def _generate(args):
    start, stop, folder = args
    ref = referential.default()
    for i in range(start, stop):
        save_workbook(build_workbook(varied_snapshot(ref, i), ref), Path(folder) / f"pole_{i:04d}.xlsx")
    return stop - start


def _peak_mb(who) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--count", type=int, default=1000)
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    p.add_argument("--keep", help="dossier où garder les classeurs générés")
    p.add_argument("--pages", help="dossier où écrire les pages du rapport en PNG (pdftoppm -r 60)")
    p.add_argument("--anonyme", action="store_true")
    args = p.parse_args()
    root = Path(args.keep or tempfile.mkdtemp(prefix="ptce_synthese_"))
    folder = root / f"classeurs_{args.count}"
    folder.mkdir(parents=True, exist_ok=True)
    if len(list(folder.glob("*.xlsx"))) < args.count:
        t = time.perf_counter()
        step = max(args.count // (args.workers * 4), 1)
        with ProcessPoolExecutor(args.workers) as pool:
            list(pool.map(_generate, [(i, min(i + step, args.count), str(folder))
                                      for i in range(0, args.count, step)]))
        print(f"génération : {args.count} classeurs en {time.perf_counter() - t:.1f} s")
    from exports.consolidate import consolidate_folder
    from exports.network_pack import pack_from_entries
    from exports.network_report import write_network_report
    from ptce_toolkit import benchmark

    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    result = consolidate_folder(folder, root / "synthese.xlsx", workers=args.workers)
    t1 = time.perf_counter()
    pdf = write_network_report(result, root / "synthese.pdf", name="Réseau d’essai", anonymous=args.anonyme)
    t2 = time.perf_counter()
    benchmark.write_pack(pack_from_entries(result.entries, name="Réseau d’essai"), root / "reperes.json")
    t3 = time.perf_counter()
    info = ""
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = next((ln.split()[-1] for ln in info.splitlines() if ln.startswith("Pages:")), "?")
    print(f"{result.accepted} pôles, {args.workers} processus, charge moyenne au départ {load:.1f}")
    print(f"classeur de synthèse : {t1 - t0:.1f} s ; rapport PDF ({pages} pages) : {t2 - t1:.1f} s ; "
          f"repères : {t3 - t2:.2f} s ; total {t3 - t0:.1f} s")
    print(f"mémoire de pointe : ce processus {_peak_mb(resource.RUSAGE_SELF):.0f} Mo, "
          f"le plus gros processus de lecture {_peak_mb(resource.RUSAGE_CHILDREN):.0f} Mo")
    print(f"fichiers dans {root}")
    if args.pages:
        out = Path(args.pages)
        out.mkdir(parents=True, exist_ok=True)
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(out / "page")], check=True)
        print(f"pages rendues dans {out}")


if __name__ == "__main__":
    main()
