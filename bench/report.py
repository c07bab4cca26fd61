"""Time to build the demo pole's PDF report, and LibreOffice converting the same
assessment's workbook to PDF, side by side in one run.

    .venv/bin/python bench/report.py [--runs 9] [--lo-runs 3]

Prints figures; asserts nothing (see the team rules). Target: report median ≤ 1 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def _cpu(fn) -> float:
    """Processor time of this process: less disturbed than wall time on a shared, busy machine."""
    t = time.process_time()
    fn()
    return time.process_time() - t


def _fmt(seconds: float) -> str:
    from ptce_toolkit import fmt

    return f"{fmt.number(seconds * 1000, 0)} ms"


def bench_report(db, uuid: str, folder: Path, runs: int) -> float:
    from exports.pdf_report import write_report

    target = folder / "rapport.pdf"
    first = _timed(lambda: write_report(db, uuid, target))  # imports, TTF parsing, first layout
    times = [_timed(lambda: write_report(db, uuid, target)) for _ in range(runs)]
    cpu = [_cpu(lambda: write_report(db, uuid, target)) for _ in range(runs)]
    anonymous = [_timed(lambda: write_report(db, uuid, folder / "anonyme.pdf", anonymous=True)) for _ in range(3)]
    pages = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True).stdout
    n_pages = next((line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")), "?")
    print(f"Rapport PDF de la démo ({n_pages} pages, {target.stat().st_size // 1024} Kio)")
    print(f"  premier rapport du processus : {_fmt(first)}")
    print(f"  médiane sur {runs} : {_fmt(statistics.median(times))} (min {_fmt(min(times))}, max {_fmt(max(times))})")
    print(f"  temps processeur, médiane sur {runs} : {_fmt(statistics.median(cpu))}")
    print(f"  version anonyme, médiane sur 3 : {_fmt(statistics.median(anonymous))}")
    return statistics.median(times)


def bench_libreoffice(db, uuid: str, folder: Path, runs: int) -> float | None:
    try:
        from exports.xlsx_export import export_workbook
    except ImportError as exc:
        print(f"LibreOffice : partie ignorée, l’export du classeur n’est pas disponible ({exc}).")
        return None
    soffice = shutil.which("soffice")
    if not soffice:
        print("LibreOffice : partie ignorée, « soffice » est introuvable.")
        return None
    workbook = folder / "classeur.xlsx"
    export_workbook(db, uuid, workbook)
    profile = Path(tempfile.gettempdir()) / "lo_bench"
    cmd = [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
           "--convert-to", "pdf", "--outdir", str(folder / "lo"), str(workbook)]
    subprocess.run(cmd, capture_output=True, timeout=300)  # first start creates the profile: not timed
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, timeout=300)
        times.append(time.perf_counter() - t)
        if done.returncode != 0:
            print(f"LibreOffice a échoué : {done.stderr.decode(errors='replace')[:300]}")
            return None
    print(f"LibreOffice, classeur → PDF (profil déjà créé), temps écoulé : médiane sur {runs} : "
          f"{_fmt(statistics.median(times))} (min {_fmt(min(times))})")
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--lo-runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ptce_bench_report_"))
    os.environ["PTCE_TOOLKIT_DATA"] = str(folder / "donnees")
    from ptce_toolkit import demo
    from ptce_toolkit.db import open_database

    db = open_database(folder / "demo.sqlite3")
    uuid = demo.create_demo(db)
    ours = bench_report(db, uuid, folder, args.runs)
    theirs = bench_libreoffice(db, uuid, folder, args.lo_runs)
    if theirs is not None:
        from ptce_toolkit import fmt

        print(f"Rapport : {fmt.number(theirs / ours, 1)} fois plus rapide que la conversion LibreOffice "
              "(qui, elle, ne produit qu’une impression du classeur).")
    db.close()
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
