"""Several copies of the app started at once without each importing Qt, SQLAlchemy and the
services again (≈ 0.6 s of processor each, most of a start-up): one interpreter imports
them once (``python -m tests.helpers.app_zygote``, the probe loaded), then forks a child per
request that runs ``ui.app.main(argv)`` — the real app in a process of its own, with its own
environment, killed or stopped by signals like any other. The entry point ``python -m
ui.app`` itself stays covered by the tests that start it (tests/ui/test_azerty_real_keys.py).

Protocol (one JSON line each way): ``{"start": [argv, env, log]}`` → ``{"pid": n}``;
``{"status": pid}`` → ``{"exit": code or null}`` (null: still running; a signal is -n)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path


def _preload() -> None:
    """What ``python -m ui.app`` imports until the walk-through takes keys (ui/main_window.py:
    _open_base, _back_up, _load_services) — imports only: no Qt object, no thread."""
    import importlib

    import ui.app  # noqa: F401
    import ui.document  # noqa: F401
    import ui.navigator  # noqa: F401
    from ptce_toolkit import db, services  # noqa: F401
    from ui.main_window import PAGE_CLASSES

    importlib.import_module(PAGE_CLASSES["walkthrough"][0])
    services.load_all()
    assert threading.active_count() == 1, "pas de fork avec plusieurs fils d’exécution"


def _child(argv: list[str], env: dict[str, str], log: str) -> None:
    os.environ.clear()
    os.environ.update(env)
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    sys.argv = ["ui.app", *argv]
    from ui.app import main

    sys.exit(main(argv))  # the interpreter ends as a started app's does (atexit, finalisation)


def serve() -> None:
    _preload()
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        if "start" in request:
            sys.stdout.flush()
            pid = os.fork()
            if pid == 0:
                _child(*request["start"])  # never returns
            answer = {"pid": pid}
        else:
            pid, status = os.waitpid(request["status"], os.WNOHANG)
            answer = {"exit": os.waitstatus_to_exitcode(status) if pid else None}
        print(json.dumps(answer), flush=True)


class Zygote:
    """The client: ``start(argv, env, log)`` gives a process object like subprocess.Popen's
    (pid, poll, wait, send_signal, kill, returncode). Thread-safe."""

    def __init__(self, env: dict[str, str]):
        self._lock = threading.Lock()
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.helpers.app_zygote"], env=env,
                                     cwd=Path(__file__).resolve().parents[2], text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def _ask(self, request: dict) -> dict:
        with self._lock:
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
            while line and "ready" in json.loads(line):
                line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"le lanceur d’applications s’est arrêté ({self.proc.wait()})")
        return json.loads(line)

    def start(self, argv: list[str], env: dict[str, str], log: Path) -> ForkedApp:
        return ForkedApp(self, self._ask({"start": [list(argv), env, str(log)]})["pid"])

    def close(self) -> None:
        self.proc.stdin.close()  # the zygote ends at the end of its input
        self.proc.wait(10)
        self.proc.stdout.close()


class ForkedApp:
    def __init__(self, zygote: Zygote, pid: int):
        self.zygote, self.pid, self.returncode = zygote, pid, None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self.zygote._ask({"status": self.pid})["exit"]
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if end is not None and time.monotonic() > end:
                raise subprocess.TimeoutExpired(f"ui.app (pid {self.pid})", timeout)
            time.sleep(0.01)
        return self.returncode

    def send_signal(self, sig: int) -> None:
        """At once (no question to the zygote): the pid is ours until poll() saw it end."""
        if self.returncode is None:
            os.kill(self.pid, sig)

    def kill(self) -> None:
        import signal

        self.send_signal(signal.SIGKILL)


if __name__ == "__main__":
    serve()
