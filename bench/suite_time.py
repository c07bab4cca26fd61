"""How long ``make test`` takes, beside other checkouts measured in the same period. Prints
figures; asserts nothing.

The machine's speed moves from one run to the next (the same tree gave 62 s and 79 s a
minute apart), so a figure alone says little: this runs each checkout in turn, several
rounds, and prints each run's wall-clock and processor time (the test processes and what
they start) and the median per checkout.

Each checkout runs what ``make test`` runs (import contracts, then pytest on two workers with
coverage, its temporary files where its Makefile puts them), with this checkout's virtual
environment and the checkout first on the path.

Usage: ``python bench/suite_time.py [--rounds 3] DIR [DIR ...]``; for the tree before a
change: ``git worktree add /tmp/avant COMMIT`` and give both folders. A folder written
``DIR=VENV`` runs with that virtual environment instead (two interpreters on one tree:
``. .=/tmp/venv-autre``: the tree given twice).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"


def make_variable(checkout: Path, name: str) -> str:
    """The value the checkout's Makefile gives ``name`` (empty if it has none)."""
    done = subprocess.run(["make", "-s", "-C", str(checkout), "--eval", f"print-var: ; @echo $({name})", "print-var"],
                          capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else ""


def run_suite(checkout: Path, venv: Path = VENV) -> tuple[float, float, int]:
    """(wall seconds, processor seconds of the child processes, pytest's exit code)."""
    env = dict(os.environ, PYTHONPATH=str(checkout))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as the Makefile does: keep compiled modules
    tmpdir = make_variable(checkout, "TEST_TMPDIR")  # the RAM disk, where the checkout's make test uses it
    if tmpdir:
        env["TMPDIR"] = tmpdir
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([str(venv / "bin" / "lint-imports")], cwd=checkout, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    done = subprocess.run([str(venv / "bin" / "python"), "-m", "pytest", "-n", "2", "--cov",
                           "--cov-report=term-missing:skip-covered", "-p", "no:cacheprovider"],
                          cwd=checkout, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkouts", nargs="+", help="DIR, or DIR=VENV to run it with another venv")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    walls: dict[str, list[float]] = {c: [] for c in args.checkouts}
    print(f"{'round':>5}  {'wall s':>7}  {'cpu s':>7}  rc  checkout")
    for n in range(1, args.rounds + 1):
        for spec in args.checkouts:
            checkout, _, venv = spec.partition("=")
            wall, cpu, rc = run_suite(Path(checkout).resolve(), Path(venv).resolve() if venv else VENV)
            walls[spec].append(wall)
            print(f"{n:>5}  {wall:7.1f}  {cpu:7.1f}  {rc:>2}  {spec}", flush=True)
    print("median wall-clock:")
    for spec, values in walls.items():
        print(f"  {statistics.median(values):6.1f} s  {spec}")


if __name__ == "__main__":
    sys.exit(main())
