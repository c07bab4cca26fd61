"""Figures of the built bundle, beside the development venv. Prints; asserts nothing.

- size of dist/ptce-toolkit (apparent bytes), biggest parts, size once compressed (tar.gz);
- lowest glibc the bundle asks for (highest GLIBC_x.y symbol version of its ELF files);
- start-up of the desktop app: process start → main window exposed, and → demo loaded,
  median of several cold starts, bundled executable vs ``python packaging/launch_gui.py``
  in the venv (same code, same smoke-test hook, see launch_gui.py);
- start-up of the CLI: ``ptce --version`` and ``ptce score`` (bundle vs venv).

Usage (after ``make bundle``): ``.venv/bin/python packaging/bench_bundle.py [--runs 7]``;
under ``xvfb-run -a`` it measures on a real X server, else on Qt's offscreen platform.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "ptce-toolkit"
VENV_PY = ROOT / ".venv" / "bin" / "python"


def size_report() -> None:
    files = [p for p in BUNDLE.rglob("*") if p.is_file() and not p.is_symlink()]
    total = sum(p.stat().st_size for p in files)
    print(f"Taille du bundle : {total / 1e6:.1f} Mo ({total / 2**20:.1f} Mio), {len(files)} fichiers — cible ≤ 150 Mo")
    parts: dict[str, int] = {}
    for p in files:
        rel = p.relative_to(BUNDLE).parts
        key = "/".join(rel[:3]) if rel[:2] == ("_internal", "PySide6") else "/".join(rel[:2])
        parts[key] = parts.get(key, 0) + p.stat().st_size
    for key, n in sorted(parts.items(), key=lambda kv: -kv[1])[:8]:
        print(f"  {n / 1e6:6.1f} Mo  {key}")
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "bundle.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(BUNDLE, arcname="ptce-toolkit")
        print(f"  compressé (tar.gz) : {archive.stat().st_size / 1e6:.1f} Mo")


def glibc_floor() -> None:
    if not sys.platform.startswith("linux"):
        return
    highest, where = (0, 0), ""
    for p in BUNDLE.rglob("*"):
        if not p.is_file() or p.is_symlink() or p.read_bytes()[:4] != b"\x7fELF":
            continue
        out = subprocess.run(["objdump", "-T", str(p)], capture_output=True, text=True).stdout
        for major, minor in re.findall(r"GLIBC_(\d+)\.(\d+)", out):
            if (int(major), int(minor)) > highest:
                highest, where = (int(major), int(minor)), p.relative_to(BUNDLE).as_posix()
    print(f"glibc demandée au minimum : {highest[0]}.{highest[1]} (par {where})")


def env_for(folder: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PTCE_")}
    env.setdefault("QT_QPA_PLATFORM", "xcb" if env.get("DISPLAY") else "offscreen")
    env.update(PTCE_TOOLKIT_DATA=str(folder / "donnees"), XDG_CONFIG_HOME=str(folder / "config"))
    return env


def time_gui(cmd: list[str], env: dict, runs: int) -> tuple[list[float], list[float]]:
    shown, loaded = [], []
    for _ in range(runs):
        t0 = time.time()
        out = subprocess.run(cmd, env=dict(env, PTCE_TOOLKIT_SMOKE_TEST="1"), capture_output=True, text=True,
                             timeout=120, check=True, cwd=ROOT).stdout
        times = json.loads(out.strip().splitlines()[-1])
        shown.append(times["shown"] - t0)
        loaded.append(times["loaded"] - t0)
    return shown, loaded


def time_cli(cmd: list[str], env: dict, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, check=True, cwd=ROOT)
        samples.append(time.perf_counter() - t0)
    return samples


def median(samples: list[float]) -> str:
    return f"médiane {statistics.median(samples):.3f} s (min {min(samples):.3f}, max {max(samples):.3f})"


def startup_report(runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="ptce-bench-bundle-") as tmp:
        folder = Path(tmp)
        env = env_for(folder)
        db = folder / "demo.sqlite3"
        uuid = subprocess.run([str(BUNDLE / "ptce"), "--db", str(db), "demo"], env=env, capture_output=True,
                              text=True, check=True).stdout.split()[0]
        gui_args = ["--db", str(db), "--assessment", uuid]
        variants = {"bundle": [str(BUNDLE / "ptce-toolkit")],
                    "venv  ": [str(VENV_PY), str(ROOT / "packaging" / "launch_gui.py")]}
        print(f"Démarrage de l’application (plateforme Qt {env['QT_QPA_PLATFORM']}, {runs} démarrages à froid) :")
        for name, cmd in variants.items():
            time_gui(cmd + gui_args, env, 1)  # warm the disk cache once, as a user's second start
            shown, loaded = time_gui(cmd + gui_args, env, runs)
            print(f"  {name} → fenêtre affichée : {median(shown)} ; évaluation chargée : {median(loaded)}")
        cli = {"bundle": [str(BUNDLE / "ptce")], "venv  ": [str(ROOT / ".venv" / "bin" / "ptce")]}
        for label, args in (("ptce --version", ["--version"]), ("ptce score", ["--db", str(db), "score", uuid])):
            print(f"Ligne de commande « {label} » :")
            for name, cmd in cli.items():
                print(f"  {name} : {median(time_cli(cmd + args, env, runs))}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not (BUNDLE / "ptce").exists():
        raise SystemExit("pas de bundle : lancez d’abord « make bundle »")
    size_report()
    glibc_floor()
    startup_report(args.runs)


if __name__ == "__main__":
    main()
