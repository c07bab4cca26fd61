"""A private X server (Xvfb) with a French keyboard, and real key presses through xdotool.

Used by every test that needs real X input (tests/ui/test_azerty_real_keys.py,
tests/integration/test_typing_crash.py) or a real X display (tests/ui/test_redo_keys.py):

    from tests.helpers.xserver import xserver            # fixture (module-level import)
    def test_x(xserver): xserver.env  # DISPLAY=… for a subprocess; xserver.key("n")

or the functions ``start_xvfb`` / ``stop`` / ``set_layout`` without pytest (several servers
may be started at once: Xvfb picks its own free display). Tests skip (with the reason) when
Xvfb, xdotool or setxkbmap is missing. ``-noreset`` keeps the server (and the layout set
with setxkbmap) alive when the last client leaves.

Key sequences are xdotool command chains (``key_args``, ``altgr_args``) run by one xdotool
process: every key still goes through XTEST, the X server and the client's xcb input, in order.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import time
from dataclasses import dataclass, field

import pytest

TOOLS = ("Xvfb", "xdotool", "setxkbmap")


def missing_tools() -> list[str]:
    return [t for t in TOOLS if shutil.which(t) is None]


def key_args(*keys: str, delay_ms: int = 12) -> list[str]:
    """xdotool arguments pressing keys (keysyms: « n », « shift+n », « Tab »…) one after the other."""
    return ["key", "--delay", str(delay_ms), *keys]


def altgr_args(key: str, shift: bool = False, hold_s: float = 0.0, delay_ms: int = 12) -> list[str]:
    """xdotool arguments for AltGr (+ Shift) + key, the modifiers held down around the key as a
    hand does (’ is AltGr+Shift+N on AZERTY); ``hold_s`` waits after each modifier goes down."""
    wait = ["sleep", str(hold_s)] if hold_s else []
    d = ["--delay", str(delay_ms)]
    down = ["keydown", *d, "ISO_Level3_Shift", *wait] + (["keydown", *d, "shift", *wait] if shift else [])
    up = (["keyup", *d, "shift"] if shift else []) + ["keyup", *d, "ISO_Level3_Shift"]
    return [*down, *key_args(key, delay_ms=delay_ms), *up]


@dataclass
class XServer:
    display: str
    process: subprocess.Popen
    env: dict = field(default_factory=dict)

    def run(self, *args: str, check: bool = True, timeout: float = 60) -> str:
        done = subprocess.run(list(args), env=self.env, capture_output=True, text=True, timeout=timeout)
        if check and done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} : {done.stderr.strip()}")
        return done.stdout

    def xdotool(self, *args: str, timeout: float = 60) -> str:
        return self.run("xdotool", *args, timeout=timeout)

    def key(self, *keys: str) -> None:
        """xdotool key names (keysyms): « n », « shift+n », « Tab »…"""
        self.xdotool(*key_args(*keys, delay_ms=30))

    def click(self, x: int, y: int) -> None:
        self.xdotool("mousemove", "--sync", str(x), str(y), "click", "1")

    def layout(self) -> str:
        for line in self.run("setxkbmap", "-display", self.display, "-query").splitlines():
            if line.startswith("layout:"):
                return line.split(":", 1)[1].strip()
        return ""


def start_xvfb(size: str = "1280x800x24", timeout: float = 20.0) -> XServer:
    """Start ``Xvfb -noreset`` on a free display (Xvfb picks it and says it through
    ``-displayfd`` once it accepts connections)."""
    read, write = os.pipe()
    try:
        proc = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-noreset", "-nolisten", "tcp",
                                 "-screen", "0", size],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(write,))
        os.close(write)
        write = -1
        number = b""
        end = time.monotonic() + timeout
        while not number.endswith(b"\n") and time.monotonic() < end:
            if select.select([read], [], [], 0.1)[0]:
                chunk = os.read(read, 16)
                if not chunk:
                    break  # Xvfb exited
                number += chunk
    finally:
        os.close(read)
        if write >= 0:
            os.close(write)
    env = {**os.environ, "DISPLAY": f":{number.decode().strip()}"}
    env.pop("WAYLAND_DISPLAY", None)
    server = XServer(env["DISPLAY"], proc, env)
    if not number.strip().isdigit():
        stop(server)
        raise RuntimeError("Xvfb n’a pas démarré")
    return server


def set_layout(server: XServer, layout: str = "fr") -> None:
    """``setxkbmap fr`` — only once the server answers, or it silently stays « us »."""
    server.run("setxkbmap", "-display", server.display, layout)
    if server.layout() != layout:
        raise RuntimeError(f"disposition du clavier : {server.layout()!r} au lieu de {layout!r}")


def stop(server: XServer) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(5)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(5)


def require_tools() -> None:
    missing = missing_tools()
    if missing:
        pytest.skip("X réel indisponible, outils absents : " + ", ".join(missing))


def french_xvfb() -> XServer:
    """A started Xvfb with the French (AZERTY) layout (stopped by the caller)."""
    server = start_xvfb()
    try:
        set_layout(server, "fr")
    except BaseException:
        stop(server)
        raise
    return server


@pytest.fixture
def xserver():
    """A fresh Xvfb with the French (AZERTY) layout; stopped after the test."""
    require_tools()
    server = french_xvfb()
    try:
        yield server
    finally:
        stop(server)
