"""A private X server (Xvfb) with a French keyboard, and real key presses through xdotool.

Reusable by any test that needs real X input or a real window manager-less display:

    from tests.helpers.xserver import xserver            # fixture (module-level import)
    def test_x(xserver): xserver.env  # DISPLAY=… for a subprocess; xserver.key("n")

or the functions ``start_xvfb`` / ``stop`` / ``set_layout`` without pytest. Tests skip
(with the reason) when Xvfb, xdotool or setxkbmap is missing. ``-noreset`` keeps the
server (and the layout set with setxkbmap) alive when the last client leaves.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field

import pytest

TOOLS = ("Xvfb", "xdotool", "setxkbmap")


def missing_tools() -> list[str]:
    return [t for t in TOOLS if shutil.which(t) is None]


@dataclass
class XServer:
    display: str
    process: subprocess.Popen
    env: dict = field(default_factory=dict)

    def run(self, *args: str, check: bool = True, timeout: float = 10) -> str:
        done = subprocess.run(list(args), env=self.env, capture_output=True, text=True, timeout=timeout)
        if check and done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} : {done.stderr.strip()}")
        return done.stdout

    def xdotool(self, *args: str) -> str:
        return self.run("xdotool", *args)

    def key(self, *keys: str) -> None:
        """xdotool key names (keysyms): « n », « shift+n », « Tab »…"""
        self.xdotool("key", "--delay", "30", *keys)

    def altgr(self, key: str, shift: bool = False) -> None:
        """AltGr (+ Shift) + key, held the way a hand does it (’ is AltGr+Shift+N on AZERTY)."""
        down = ["keydown", "ISO_Level3_Shift"] + (["keydown", "shift"] if shift else [])
        up = (["keyup", "shift"] if shift else []) + ["keyup", "ISO_Level3_Shift"]
        self.xdotool(*down, "key", key, *up)
        time.sleep(0.03)

    def click(self, x: int, y: int) -> None:
        self.xdotool("mousemove", "--sync", str(x), str(y), "click", "1")

    def layout(self) -> str:
        for line in self.run("setxkbmap", "-display", self.display, "-query").splitlines():
            if line.startswith("layout:"):
                return line.split(":", 1)[1].strip()
        return ""


def start_xvfb(size: str = "1280x800x24", first: int = 97, timeout: float = 10.0) -> XServer:
    """Start ``Xvfb :N -noreset`` on the first free display from ``first`` and wait until it answers."""
    for n in range(first, first + 40):
        if os.path.exists(f"/tmp/.X11-unix/X{n}") or os.path.exists(f"/tmp/.X{n}-lock"):
            continue
        display = f":{n}"
        proc = subprocess.Popen(["Xvfb", display, "-noreset", "-nolisten", "tcp", "-screen", "0", size],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        env = {**os.environ, "DISPLAY": display}
        env.pop("WAYLAND_DISPLAY", None)
        server = XServer(display, proc, env)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if proc.poll() is not None:
                break  # display taken by someone else: try the next one
            if subprocess.run(["setxkbmap", "-display", display, "-query"], env=env,
                              capture_output=True).returncode == 0:
                return server
            time.sleep(0.05)
        stop(server)
    raise RuntimeError("Xvfb n’a pas démarré")


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
        pytest.skip("X réel indisponible, outils absents : " + ", ".join(missing))


@pytest.fixture
def xserver():
    """A fresh Xvfb with the French (AZERTY) layout; stopped after the test."""
    require_tools()
    server = start_xvfb()
    try:
        set_layout(server, "fr")
        yield server
    finally:
        stop(server)
