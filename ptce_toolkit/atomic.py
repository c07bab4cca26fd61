"""Write files atomically: a temporary file in the same folder, fsync, then rename.

A crash or a full disk leaves either the old file or the new one, never half of one.
The temporary file is named ``.<target>.ptce-<host>-<pid>-<random>.part``; a process
killed in the middle leaves it behind, and the next write to that folder removes such
leftovers — only files of exactly this naming, written by a process of this machine
that is gone (or older than a day), never anyone else's file.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

STALE_AFTER_S = 24 * 3600  # a temporary file this old belongs to no running export, wherever it runs
LEGACY_STALE_AFTER_S = 3600  # older naming (.<target>.<random>.part), from before the pid was recorded
_OURS = re.compile(r"^\..+\.ptce-([0-9a-f]{8})-(\d+)-[A-Za-z0-9_]+\.part$")
_LEGACY = re.compile(r"^\..+\.[a-z0-9_]{8}\.part$")


class TargetError(OSError):
    """The target is not a file name (empty, or an existing folder); French message."""

    def __init__(self, message: str, target: Path):
        super().__init__(errno.EISDIR, message, str(target))
        self.message = message

    def __str__(self) -> str:
        return self.message


def _host_tag() -> str:
    return hashlib.sha1(_host_name().encode("utf-8", "replace")).hexdigest()[:8]


def _host_name() -> str:
    """socket.gethostname() (which reads uname on POSIX) without importing socket at each start."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


def _pid_alive(pid: int) -> bool:
    from ptce_toolkit import instance_lock  # one portable check (os.kill(pid, 0) kills on Windows)

    return pid == os.getpid() or instance_lock.pid_alive(pid)


def is_stale_part(path: Path, *, now: float | None = None) -> bool:
    """Is ``path`` a temporary file of ours that no running write will finish?"""
    name = path.name
    ours, legacy = _OURS.match(name), _LEGACY.match(name)
    if not (ours or legacy):
        return False
    try:
        st = path.lstat()
    except OSError:
        return False
    import stat

    if not stat.S_ISREG(st.st_mode) or (hasattr(os, "geteuid") and st.st_uid != os.geteuid()):
        return False  # a link, a folder, or another user's file: never touched
    age = (now if now is not None else time.time()) - st.st_mtime
    if legacy and not ours:
        return age > LEGACY_STALE_AFTER_S
    host, pid = ours.group(1), int(ours.group(2))
    if host == _host_tag() and not _pid_alive(pid):
        return True
    return age > STALE_AFTER_S


def clean_stale_parts(folder: str | os.PathLike) -> list[Path]:
    """Remove leftovers of killed writes in ``folder``; returns what was removed."""
    removed = []
    try:
        candidates = [p for p in Path(folder).iterdir() if p.name.endswith(".part") and p.name.startswith(".")]
    except OSError:
        return removed
    for part in candidates:
        if is_stale_part(part):
            try:
                part.unlink()
                removed.append(part)
            except OSError:
                pass  # cleaning is a courtesy: never a reason to fail the write
    return removed


def check_target(target: Path) -> None:
    """Refuse, in French, a target that is no file name."""
    if not target.name or target.name in (".", ".."):
        shown = f" («\u00a0{target}\u00a0»)" if str(target) not in ("", ".") else ""
        raise TargetError(f"Nom de fichier vide ou invalide{shown}\u00a0; indiquez un nom de fichier.", target)
    if target.is_dir():
        raise TargetError(f"«\u00a0{target}\u00a0» est un dossier\u00a0; indiquez un nom de fichier dans ce "
                          "dossier.", target)


@contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path to write to; it replaces ``target`` only on success."""
    target = Path(target)
    check_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_parts(target.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.ptce-{_host_tag()}-{os.getpid()}-", suffix=".part",
                               dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    # mkstemp creates the file readable by its owner only; a report or a workbook must
    # get the usual permissions, as if written with open().
    os.chmod(tmp_path, 0o666 & ~_umask())
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes(target: str | os.PathLike, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
