"""The PDF report as a user meets it, beside LibreOffice converting the same pole's workbook.

    .venv/bin/python bench/report.py [--runs 7] [--batch 100] [--skip-long]

1. Whole process: ``ptce report UUID -o F.pdf`` (a new interpreter, .pyc present) and
   ``soffice --convert-to pdf`` of the demo's workbook, run in turn (interleaved), medians and
   ratio. Target (issue 17): report ≤ 0.5 s, i.e. ≤ 0.3× LibreOffice.
2. Batch: ``ptce report --tous`` on a database of ``--batch`` assessments, one process.
   Target: 100 reports ≤ 20 s.
3. In-process (what the GUI does, in its worker thread): first and following reports.
4. The longest texts (tests/helpers/long_text.py: a 1 MB alias, a 200,000-character name…).
   Target (issue 16): ≤ 5 s.

Prints figures; asserts nothing (see the team rules). The machine is shared: wall times are
noisy, which is why the two programs alternate and medians are printed.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _ms(seconds: float) -> str:
    from ptce_toolkit import fmt

    return f"{fmt.number(seconds * 1000, 0)}\u00a0ms"


def _s(seconds: float) -> str:
    from ptce_toolkit import fmt

    return f"{fmt.number(seconds, 2)}\u00a0s"


def _run(cmd: list[str], env: dict) -> tuple[float, float]:
    """(wall time, processor time of the process and the children it waited for)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, env=env, timeout=600)
    elapsed = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"Échec de {' '.join(cmd[:4])}…\u00a0: {done.stderr.decode(errors='replace')[-400:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _env() -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's install has its .pyc: the first run writes them
    return env


def whole_process(dbp: Path, uuid: str, folder: Path, runs: int) -> None:
    env = _env()
    ours = [sys.executable, "-m", "cli", "--db", str(dbp), "report", uuid[:8], "-o", str(folder / "rapport.pdf")]
    _run(ours, env)  # writes the .pyc files
    soffice = shutil.which("soffice")
    theirs = None
    if soffice:
        from exports.xlsx_export import export_workbook
        from ptce_toolkit.db import open_database

        db = open_database(dbp)
        export_workbook(db, uuid, folder / "classeur.xlsx")
        db.close()
        profile = folder / "lo_profil"
        theirs = [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                  "--convert-to", "pdf", "--outdir", str(folder / "lo"), str(folder / "classeur.xlsx")]
        _run(theirs, env)  # the first start creates the profile: not timed
    # the fixed part: the interpreter alone, then the report's imports alone (no reading, no layout)
    floor = [sys.executable, "-c", "pass"]
    imports = [sys.executable, "-c", _IMPORTS_ONLY]
    _run(imports, env)
    t_ours, t_theirs, t_floor, t_imports = [], [], [], []
    for _ in range(runs):
        t_ours.append(_run(ours, env))
        if theirs:
            t_theirs.append(_run(theirs, env))
        t_floor.append(_run(floor, env))
        t_imports.append(_run(imports, env))
    pages = subprocess.run(["pdfinfo", str(folder / "rapport.pdf")], capture_output=True, text=True).stdout
    n_pages = next((line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")), "?")
    print(f"1. Processus entier, {runs} passages alternés : temps écoulé, médiane (min–max) ; temps processeur, médiane")
    print(f"   ptce report (démo, {n_pages} pages) : {_summary(t_ours)}")
    print(f"     dont la part fixe : interpréteur seul {_summary(t_floor)}")
    print(f"     interpréteur et importations du rapport, sans lecture ni mise en page : {_summary(t_imports)}")
    if theirs:
        from ptce_toolkit import fmt

        print(f"   LibreOffice, classeur → PDF : {_summary(t_theirs)}")
        wall = statistics.median(w for w, _ in t_ours) / statistics.median(w for w, _ in t_theirs)
        cpu = statistics.median(c for _, c in t_ours) / statistics.median(c for _, c in t_theirs)
        print(f"   rapport / LibreOffice : {fmt.number(wall, 2)} en temps écoulé, {fmt.number(cpu, 2)} en temps "
              "processeur (objectif ≤ 0,3)")
    else:
        print("   LibreOffice : partie ignorée, « soffice » est introuvable.")


# what ``ptce report`` imports, and nothing else (the fixed start-up cost of every report)
_IMPORTS_ONLY = ("import cli.main; from exports import pdf_report; pdf_report.command_line_setup(); "
                 "from ptce_toolkit import dbfile, quickread, referential, scoring, trend, atomic; "
                 "from exports import pdf_domains, pdf_honest, pdf_network, pdf_positioning, pdf_radar, "
                 "pdf_sections, pdf_swot, pdf_trend, pdf_workshop; import reportlab.platypus, "
                 "reportlab.graphics.charts.spider, reportlab.graphics.renderPDF")


def _summary(runs: list[tuple[float, float]]) -> str:
    wall = [w for w, _ in runs]
    return (f"{_ms(statistics.median(wall))} ({_ms(min(wall))}–{_ms(max(wall))}) ; "
            f"processeur {_ms(statistics.median(c for _, c in runs))}")


def batch(dbp: Path, uuid: str, folder: Path, count: int) -> None:
    from dataclasses import replace

    from ptce_toolkit import fmt, snapshot
    from ptce_toolkit.db import open_database
    from ptce_toolkit.models import new_uuid

    many = folder / "plusieurs.sqlite3"
    shutil.copyfile(dbp, many)
    db = open_database(many)
    src = snapshot.load(db, uuid)
    for i in range(count - 2):  # the demo has two assessments
        copy = snapshot.with_new_uuids(src)
        copy.pole = replace(copy.pole, uuid=new_uuid(), name=f"Pôle de banc n°{i + 1:03}")
        snapshot.write(db, copy)
    db.close()
    out = folder / "rapports"
    cmd = [sys.executable, "-m", "cli", "--db", str(many), "report", "--tous", "-o", str(out)]
    elapsed, cpu = _run(cmd, _env())
    n = len(list(out.glob("*.pdf")))
    print(f"2. ptce report --tous\u00a0: {n} rapports en {_s(elapsed)} (processeur\u00a0: {_s(cpu)}), un seul processus "
          f"({_ms(elapsed / max(n, 1))} par rapport\u00a0; objectif\u00a0: 100 en ≤ 20\u00a0s\u00a0; "
          f"charge après\u00a0: {fmt.number(os.getloadavg()[0], 1)})")


def in_process(dbp: Path, uuid: str, folder: Path, runs: int) -> None:
    from exports.pdf_report import write_report
    from ptce_toolkit.db import open_database

    db = open_database(dbp)  # what the GUI holds: a Database, read through its engine
    t = time.perf_counter()
    write_report(db, uuid, folder / "gui.pdf")
    first = time.perf_counter() - t
    times, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        write_report(db, uuid, folder / "gui.pdf", progress=lambda *a: None)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    db.close()
    print(f"3. Dans le processus (comme l’application, avec progression)\u00a0: premier rapport {_ms(first)}, "
          f"puis médiane sur {runs} {_ms(statistics.median(times))} (processeur {_ms(statistics.median(cpu))})")


def long_texts(dbp: Path, uuid: str, folder: Path) -> None:
    from exports.pdf_report import write_report
    from ptce_toolkit.db import open_database
    from tests.helpers.long_text import make_long_texts

    path = folder / "long.sqlite3"
    shutil.copyfile(dbp, path)
    make_long_texts(path, uuid)
    db = open_database(path)
    t, c = time.perf_counter(), time.process_time()
    write_report(db, uuid, folder / "long.pdf")
    elapsed, cpu = time.perf_counter() - t, time.process_time() - c
    db.close()
    print(f"4. Textes les plus longs (alias de 1 Mo, nom de 200\u00a0000 caractères, commentaire de 1 Mo, "
          f"élément AFOM de 300\u00a0000 caractères)\u00a0: {_s(elapsed)} (processeur\u00a0: {_s(cpu)}\u00a0; objectif ≤ 5\u00a0s\u00a0; "
          "avant\u00a0: 465\u00a0s pour l’alias seul)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--skip-long", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ptce_bench_report_"))
    os.environ["PTCE_TOOLKIT_DATA"] = str(folder / "donnees")
    from ptce_toolkit import demo
    from ptce_toolkit.db import open_database

    dbp = folder / "demo.sqlite3"
    db = open_database(dbp)
    uuid = demo.create_demo(db)
    db.close()
    print(f"Machine\u00a0: {os.cpu_count()} cœurs, charge {os.getloadavg()[0]:.1f} (les temps écoulés en dépendent)")
    whole_process(dbp, uuid, folder, args.runs)
    batch(dbp, uuid, folder, args.batch)
    in_process(dbp, uuid, folder, args.runs)
    if not args.skip_long:
        long_texts(dbp, uuid, folder)
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
