"""Crash harness: kill the app (SIGKILL) at random moments while answers are being saved,
then check that the base is intact and that every acknowledged answer is there.

Each round forks a child process that opens the base the way the app does (instance
lock, integrity check, start-up backup) and calls ``services.set_answer`` in a loop,
writing an acknowledgement line (``os.write``, unbuffered) after each call returns,
i.e. after the commit. The parent kills it at a random moment — after a random number
of acknowledged edits, or while it is still opening the base and making its start-up
backup — and then:

* reopens the base through the app's path (the dead child's lock must be taken over),
* runs ``PRAGMA integrity_check`` and ``PRAGMA foreign_key_check``,
* replays the same pseudo-random edits to know the exact expected state: the answers
  must equal the state after the k acknowledged edits, or after k + 1 (the edit in
  flight at the kill may have committed before its acknowledgement was written).
  Anything else is a loss.

The child is forked from a process that has already imported the app, so a round
costs milliseconds, not an interpreter start. POSIX only (fork).

    python bench/crash_soak.py --kills 200 [--couts]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ptce_toolkit import backup, instance_lock, integrity, save_errors  # noqa: E402,F401 - imported before any fork
from ptce_toolkit import referential as ref_mod  # noqa: E402
from ptce_toolkit import services as sv  # noqa: E402
from ptce_toolkit.db import open_database  # noqa: E402

FIELDS = ("status", "level", "comment", "evidence", "priority")
WORDS = ("coopération", "territoire", "mutualisation", "œuvre", "l’emploi", "« tiers-lieu »", "été", "Ça",
         "économie", "sociale", "solidaire", "€", "—", "✅", "\n")


def edit_sequence(seed: int, criteria: list[str]):
    """The same endless list of edits for the child and for the checker."""
    rng = random.Random(seed)
    n = 0
    while True:
        edit = {"criterion": rng.choice(criteria)}
        roll = rng.random()
        if roll < 0.7:
            edit["status"], edit["level"] = "answered", rng.randint(0, 4)
        elif roll < 0.8:
            edit["status"], edit["level"] = "not_applicable", None
        elif roll < 0.9:
            edit["status"], edit["level"] = "unknown", None
        if rng.random() < 0.6:  # long comments spill over several pages
            size = rng.choice((3, 40, 400))
            edit["comment"] = f"[{seed}-{n}] " + " ".join(rng.choice(WORDS) for _ in range(size))
        if rng.random() < 0.3:
            edit["evidence"] = f"preuve {seed}-{n}"
        if rng.random() < 0.3:
            edit["priority"] = rng.random() < 0.5
        if len(edit) == 1:
            edit["priority"] = True
        yield edit
        n += 1


def apply(state: dict[str, tuple], edit: dict) -> None:
    """What ``set_answer`` does to one answer: only the given fields change."""
    crit = edit["criterion"]
    current = dict(zip(FIELDS, state.get(crit, ("unanswered", None, "", "", False))))
    current.update({k: v for k, v in edit.items() if k != "criterion"})
    state[crit] = tuple(current[f] for f in FIELDS)


def read_state(db, assessment: str) -> dict[str, tuple]:
    return {c: (a.status, a.level, a.comment, a.evidence, bool(a.priority))
            for c, a in sv.get_answers(db, assessment).items() if a.status != "unanswered" or a.comment
            or a.evidence or a.priority}


def _normalised(state: dict[str, tuple]) -> dict[str, tuple]:
    return {c: v for c, v in state.items() if v != ("unanswered", None, "", "", False)}


def _child(db_path: Path, assessment: str, seed: int, ack_path: Path) -> None:
    """Runs in the forked child; never returns."""
    fd = os.open(ack_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        db = open_database(db_path, lock=True, startup_backup=True)
        os.write(fd, b"PRET\n")
        criteria = [c.id for c in sv.referential_of(db, assessment).criteria()]
        for n, edit in enumerate(edit_sequence(seed, criteria)):
            sv.set_answer(db, assessment, edit["criterion"], **{k: v for k, v in edit.items() if k != "criterion"})
            os.write(fd, b"%d\n" % n)  # acknowledged: the call returned, the edit is committed
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which fails the round
        os.write(fd, f"ERREUR {type(exc).__name__}: {exc}\n".encode())
        os._exit(3)
    os._exit(0)


@dataclass
class Round:
    seed: int
    phase: str  # "ouverture" (killed while opening) or "saisie"
    acknowledged: int = 0
    in_flight_committed: bool = False
    lock_recovered: bool = False
    problems: list[str] = field(default_factory=list)


@dataclass
class Report:
    rounds: list[Round] = field(default_factory=list)
    answers_checked: int = 0
    seconds: float = 0.0

    @property
    def kills(self) -> int:
        return len(self.rounds)

    @property
    def acknowledged(self) -> int:
        return sum(r.acknowledged for r in self.rounds)

    @property
    def losses(self) -> list[str]:
        return [f"tour {i} (graine {r.seed})\u00a0: {p}" for i, r in enumerate(self.rounds) for p in r.problems]

    def summary(self) -> str:
        from ptce_toolkit import fmt

        during_open = sum(r.phase == "ouverture" for r in self.rounds)
        rows = [
            ("Arrêts brutaux (SIGKILL)", f"{self.kills} (dont {during_open} pendant l’ouverture de la base)"),
            ("Réponses acquittées", f"{self.acknowledged}"),
            ("Réponses vérifiées", f"{self.answers_checked}"),
            ("Modifications en vol conservées", f"{sum(r.in_flight_committed for r in self.rounds)} "
                                                "(validées juste avant l’arrêt, sans accusé)"),
            ("Verrous récupérés après arrêt", f"{sum(r.lock_recovered for r in self.rounds)}"),
            ("Pertes ou anomalies", f"{len(self.losses)}"),
            ("Durée", f"{fmt.number(self.seconds, 1)}\u00a0s"),
        ]
        return "\n".join(f"{label:<32}\u00a0: {value}" for label, value in rows)


def verify(db_path: Path, assessment: str, before: dict, edits: list[dict], acknowledged: int, rnd: Round) -> int:
    """Check one killed round; problems go to ``rnd.problems``. Returns answers checked."""
    db = open_database(db_path, lock=True)  # the app's own path: lock takeover + quick_check
    try:
        rnd.lock_recovered = db.lock.recovered is not None
        rnd.problems += integrity.full_check(db_path)
        actual = _normalised(read_state(db, assessment))
    finally:
        db.close()
    expected = dict(before)
    for edit in edits[:acknowledged]:
        apply(expected, edit)
    with_in_flight = dict(expected)
    if acknowledged < len(edits):
        apply(with_in_flight, edits[acknowledged])
    if actual == _normalised(expected):
        return len(actual)
    if actual == _normalised(with_in_flight):
        rnd.in_flight_committed = True
        return len(actual)
    lost = sorted(c for c in set(expected) | set(actual) if _normalised(expected).get(c) != actual.get(c))
    rnd.problems.append(f"{len(lost)} réponse(s) différente(s) de l’attendu\u00a0: {', '.join(lost[:8])}")
    return len(actual)


def _acknowledged(ack_path: Path) -> int:
    try:
        return ack_path.read_bytes().count(b"\n") - 1  # minus the PRET line
    except FileNotFoundError:
        return -1


def run_round(db_path: Path, assessment: str, criteria: list[str], rng: random.Random, work: Path) -> tuple[Round, int]:
    seed = rng.randrange(1 << 30)
    rnd = Round(seed, "ouverture" if rng.random() < 0.2 else "saisie")
    db = open_database(db_path)
    before = _normalised(read_state(db, assessment))
    db.close()
    ack_path = work / f"accuses-{seed}.txt"
    pid = os.fork()
    if pid == 0:
        _child(db_path, assessment, seed, ack_path)
    try:
        if rnd.phase == "ouverture":
            time.sleep(rng.uniform(0, 0.03))
        else:  # wait for a random number of acknowledged edits, however loaded the machine is
            target = rng.randint(1, 80)
            deadline = time.monotonic() + 60
            while _acknowledged(ack_path) < target and time.monotonic() < deadline:
                time.sleep(0.001)
            time.sleep(rng.uniform(0, 0.01))
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    lines = ack_path.read_text().splitlines() if ack_path.exists() else []
    errors = [ln for ln in lines if ln.startswith("ERREUR")]
    rnd.problems += errors
    rnd.acknowledged = sum(ln.isdigit() for ln in lines)
    gen = edit_sequence(seed, criteria)
    edits = [next(gen) for _ in range(rnd.acknowledged + 1)]
    checked = verify(db_path, assessment, before, edits, rnd.acknowledged, rnd)
    ack_path.unlink(missing_ok=True)
    return rnd, checked + rnd.acknowledged


def prepare(folder: Path) -> tuple[Path, str, list[str]]:
    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / "crash.sqlite3"
    db = open_database(db_path)
    try:
        pole = sv.create_pole(db, "Pôle d’essai des arrêts brutaux").created
        assessment = sv.create_assessment(db, pole, "Diagnostic sous coupures").created
        criteria = [c.id for c in ref_mod.default().criteria()]
    finally:
        db.close()
    return db_path, assessment, criteria


def soak(kills: int, folder: Path, seed: int = 1) -> Report:
    rng = random.Random(seed)
    db_path, assessment, criteria = prepare(folder)
    report = Report()
    start = time.perf_counter()
    for _ in range(kills):
        rnd, checked = run_round(db_path, assessment, criteria, rng, folder)
        report.rounds.append(rnd)
        report.answers_checked += checked
    report.seconds = time.perf_counter() - start
    leftovers = [p.name for p in backup.paths.backups_dir(db_path).glob("*.part")]
    if leftovers:
        report.rounds[-1].problems.append(f"fichiers temporaires laissés\u00a0: {leftovers}")
    return report


def _ms(fn, repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - start) / repeat * 1000


def costs(folder: Path) -> str:
    """What the safety measures cost: a commit that reaches the disk, the checks at start-up."""
    from sqlalchemy import event

    from ptce_toolkit import demo, fmt

    db_path = folder / "demo.sqlite3"
    db = open_database(db_path)
    uuid = demo.create_demo(db)
    lines = []
    for mode in ("FULL", "NORMAL"):
        def pragma(dbapi_conn, _rec, mode=mode):
            dbapi_conn.execute(f"PRAGMA synchronous={mode}")

        event.listen(db.engine, "connect", pragma)
        db.engine.dispose()
        levels = iter(range(10**9))
        ms = _ms(lambda: sv.set_answer(db, uuid, "FIN.1", level=next(levels) % 5), 300)
        lines.append(f"set_answer, synchronous={mode:<6}\u00a0: {fmt.number(ms, 2)}\u00a0ms par réponse (moyenne de 300)")
        event.remove(db.engine, "connect", pragma)
    db.close()
    size = db_path.stat().st_size // 1024
    timings = [
        (f"Ouverture de la base démo ({size}\u00a0Kio) sans contrôle", lambda: open_database(db_path, check=False)),
        ("Ouverture avec quick_check (défaut)", lambda: open_database(db_path)),
        ("Ouverture + verrou + sauvegarde (rien de changé)",
         lambda: open_database(db_path, lock=True, startup_backup=True)),
    ]
    backup.make_backup(db_path)
    for label, opener in timings:
        lines.append(f"{label:<50}\u00a0: {fmt.number(_ms(lambda: opener().close(), 20), 1)}\u00a0ms")
    lines.append(f"{'Sauvegarde complète (API de sauvegarde SQLite)':<50}\u00a0: "
                 f"{fmt.number(_ms(lambda: backup.make_backup(db_path), 20), 1)}\u00a0ms")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--kills", type=int, default=200)
    p.add_argument("--seed", type=int, default=int(time.time()))
    p.add_argument("--folder", type=Path, default=None)
    p.add_argument("--couts", action="store_true", help="mesurer aussi le coût des précautions")
    args = p.parse_args(argv)
    import tempfile

    folder = args.folder or Path(tempfile.mkdtemp(prefix="ptce-crash-"))
    os.environ.setdefault("PTCE_TOOLKIT_DATA", str(folder / "donnees"))
    if args.couts:
        print(costs(folder))
    report = soak(args.kills, folder, args.seed)
    print(f"Graine {args.seed}, base {folder / 'crash.sqlite3'}")
    print(report.summary())
    for loss in report.losses:
        print("  " + loss)
    return 1 if report.losses else 0


if __name__ == "__main__":
    sys.exit(main())
