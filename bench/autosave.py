"""Autosave latency and CLI start-up (issue 2). Prints figures; asserts nothing.

    .venv/bin/python bench/autosave.py [--answers 2000] [--starts 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(values, p):
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


def bench_autosave(folder: Path, n: int) -> None:
    from ptce_toolkit import services as sv
    from ptce_toolkit.db import open_database
    from ptce_toolkit.referential import default

    db = open_database(folder / "bench.sqlite3")
    pole = sv.create_pole(db, "Pôle de mesure").created
    a = sv.create_assessment(db, pole, "Mesure").created
    ids = [c.id for c in default().criteria()]
    sv.set_answer(db, a, ids[0], level=1)  # warm caches (referential, statements)
    timings = []
    for i in range(n):
        t0 = time.perf_counter()
        sv.set_answer(db, a, ids[i % len(ids)], level=i % 5)
        timings.append((time.perf_counter() - t0) * 1000)
    comments = []
    for i in range(n // 4):
        t0 = time.perf_counter()
        sv.set_answer(db, a, ids[i % len(ids)], comment=f"Commentaire n° {i} — mis à jour")
        comments.append((time.perf_counter() - t0) * 1000)
    db.close()
    print(f"Enregistrement d’un niveau ({n} réponses, une transaction chacune) : "
          f"médiane {statistics.median(timings):.2f} ms, p99 {percentile(timings, 99):.2f} ms, "
          f"max {max(timings):.2f} ms (objectif p99 ≤ 5 ms)")
    print(f"Enregistrement d’un commentaire ({len(comments)}) : médiane {statistics.median(comments):.2f} ms, "
          f"p99 {percentile(comments, 99):.2f} ms")


def bench_cli_start(folder: Path, runs: int) -> None:
    env = dict(os.environ, PTCE_TOOLKIT_DATA=str(folder / "donnees"))
    dbp = folder / "cli.sqlite3"
    ptce = [sys.executable, "-m", "cli", "--db", str(dbp)]
    uuid = subprocess.run(ptce + ["demo"], env=env, capture_output=True, text=True, check=True,
                          cwd=ROOT).stdout.strip()
    subprocess.run(ptce + ["score", uuid], env=env, capture_output=True, check=True, cwd=ROOT)  # fills the cache
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(ptce + ["score", uuid, "--json"], env=env, capture_output=True, check=True, cwd=ROOT)
        times.append(time.perf_counter() - t0)
    print(f"« ptce score » de bout en bout ({runs} lancements) : médiane {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms (objectif ≤ 500 ms)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=2000)
    parser.add_argument("--starts", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PTCE_TOOLKIT_DATA"] = str(Path(tmp) / "donnees")
        bench_autosave(Path(tmp), args.answers)
        bench_cli_start(Path(tmp), args.starts)


if __name__ == "__main__":
    main()
