"""One application per database: a lock file next to it says who holds it.

The lock file ``<base>.verrou`` holds JSON (pid, host, start time, version) so that a
second instance can tell the user who has the file open. The lock itself is an
operating-system lock on that file (``flock`` on POSIX, ``msvcrt.locking`` on Windows):
the system drops it when the process dies, even on SIGKILL or power loss, so a crash
never leaves the database "locked forever". Where the file system offers no locking
(some network shares), we fall back on exclusive creation plus a liveness check of the
recorded pid on the same host.

Several ``acquire`` calls in the same process share one lock (a test or the GUI may
open the same file twice); the lock is released when the last holder releases it.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import sys
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from ptce_toolkit.dbfile import DatabaseError

LOCK_SUFFIX = ".verrou"
# On Windows a locked byte range cannot be read by others: lock one byte far past the JSON.
_WINDOWS_LOCK_OFFSET = 1 << 30
# An unreadable lock file younger than this may be one being written right now.
_UNREADABLE_GRACE_S = 5.0


@dataclass(frozen=True)
class LockInfo:
    pid: int
    host: str
    started_at: str  # UTC, ISO 8601
    version: str = ""

    def describe(self) -> str:
        """« processus 4242 sur l’ordinateur « bureau », depuis le 23 novembre 2026 à 10:12 »."""
        from ptce_toolkit import fmt

        when = self.started_at
        try:
            local = datetime.fromisoformat(self.started_at.replace("Z", "+00:00")).astimezone()
            when = f"{fmt.long_date(local.date())} à {local:%H:%M}"
        except ValueError:
            pass
        return f"processus {self.pid} sur l’ordinateur «\u00a0{self.host}\u00a0», depuis le {when}"


class AlreadyOpen(DatabaseError):
    """Another running instance holds the database."""

    def __init__(self, db_path: Path, info: LockInfo | None):
        self.db_path = db_path
        self.info = info
        who = f" ({info.describe()})" if info else ""
        super().__init__(
            f"La base «\u00a0{db_path}\u00a0» est déjà ouverte par une autre fenêtre de PTCE Toolkit{who}. "
            "Revenez à cette fenêtre, ou fermez-la avant d’ouvrir la base ici\u00a0: deux programmes "
            "qui écrivent dans le même fichier risqueraient d’écraser les saisies l’un de l’autre."
        )


def lock_path(db_path: Path) -> Path:
    return Path(str(db_path) + LOCK_SUFFIX)


def _my_info() -> LockInfo:
    from ptce_toolkit import __version__

    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return LockInfo(os.getpid(), socket.gethostname(), now, __version__)


def _parse(data: bytes) -> LockInfo | None:
    try:
        raw = json.loads(data.decode("utf-8"))
        return LockInfo(int(raw["pid"]), str(raw["host"]), str(raw["started_at"]), str(raw.get("version", "")))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def read_lock(db_path: Path) -> LockInfo | None:
    """What the lock file says (it may be stale: use ``holder`` to know if it is live)."""
    try:
        return _parse(lock_path(Path(db_path)).read_bytes()[:4096])
    except OSError:
        return None


def pid_alive(pid: int) -> bool:
    """Is a process with this pid running on this computer?"""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x00100000, False, pid)  # SYNCHRONIZE
        if not handle:
            return ctypes.GetLastError() == 5  # access denied: it exists
        try:
            return kernel32.WaitForSingleObject(handle, 0) == 0x102  # WAIT_TIMEOUT: still running
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# ----------------------------------------------------------------- OS-level locking


def _os_lock(fd: int) -> bool:
    """Try to take the OS lock without waiting. False when someone else holds it;
    OSError when the file system cannot lock at all."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EDEADLK):
                return False
            raise
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _os_unlock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


def _read_fd(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, 4096)


def _write_fd(fd: int, info: LockInfo) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    os.ftruncate(fd, 0)
    os.write(fd, json.dumps(asdict(info), ensure_ascii=False).encode("utf-8"))
    os.fsync(fd)


# ----------------------------------------------------------------- the lock object


class InstanceLock:
    """Held lock. ``recovered`` is what a crashed previous instance had left, if anything."""

    def __init__(self, db_path: Path, fd: int, info: LockInfo, recovered: LockInfo | None, os_locked: bool):
        self.db_path = db_path
        self.path = lock_path(db_path)
        self.info = info
        self.recovered = recovered
        self._fd: int | None = fd
        self._os_locked = os_locked
        self._users = 1

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Give the lock back (idempotent per holder); the file goes away with the last holder."""
        if self._fd is None:
            return
        self._users -= 1
        if self._users > 0:
            return
        _held.pop(_key(self.db_path), None)
        fd, self._fd = self._fd, None
        # Remove the file while still holding the lock, so a waiting process that opened
        # it sees a dead inode and retries on a fresh file (see _acquire_os).
        try:
            os.unlink(self.path)
        except OSError:
            pass  # Windows cannot delete an open file; the content is cleared below instead
        try:
            os.ftruncate(fd, 0)
        except OSError:
            pass
        if self._os_locked:
            try:
                _os_unlock(fd)
            except OSError:
                pass
        os.close(fd)

    def __enter__(self) -> "InstanceLock":
        return self

    def __exit__(self, *exc) -> None:
        self.release()


_held: dict[str, InstanceLock] = {}


def _key(db_path: Path) -> str:
    return os.path.normcase(str(Path(db_path).resolve()))


def acquire(db_path: str | os.PathLike) -> InstanceLock:
    """Take the database for this process, or raise ``AlreadyOpen`` naming the holder."""
    db_path = Path(db_path)
    mine = _held.get(_key(db_path))
    if mine is not None and mine.held:
        mine._users += 1
        return mine
    db_path.parent.mkdir(parents=True, exist_ok=True)
    lock = _acquire(db_path)
    _held[_key(db_path)] = lock
    return lock


def _acquire(db_path: Path) -> InstanceLock:
    path = lock_path(db_path)
    for _attempt in range(20):
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            locked = _os_lock(fd)
        except OSError:
            os.close(fd)
            return _acquire_without_os_lock(db_path)
        if not locked:
            info = _parse(_read_fd(fd))
            os.close(fd)
            raise AlreadyOpen(db_path, info)
        try:
            same_file = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same_file = False
        if not same_file:  # the previous holder removed it between our open and our lock
            _os_unlock(fd)
            os.close(fd)
            continue
        left_over = _parse(_read_fd(fd))  # a previous instance that crashed while holding it
        info = _my_info()
        _write_fd(fd, info)
        return InstanceLock(db_path, fd, info, left_over, os_locked=True)
    raise AlreadyOpen(db_path, read_lock(db_path))


def _acquire_without_os_lock(db_path: Path) -> InstanceLock:
    """Exclusive creation; a lock left by a dead process on this host is taken over."""
    path = lock_path(db_path)
    recovered = None
    for _attempt in range(3):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            info = read_lock(db_path)
            if info is None:
                try:
                    young = time.time() - path.stat().st_mtime < _UNREADABLE_GRACE_S
                except FileNotFoundError:
                    continue
                if young:
                    raise AlreadyOpen(db_path, None) from None
            elif info.host != socket.gethostname() or pid_alive(info.pid):
                raise AlreadyOpen(db_path, info) from None
            recovered = info
            path.unlink(missing_ok=True)
            continue
        info = _my_info()
        _write_fd(fd, info)
        return InstanceLock(db_path, fd, info, recovered, os_locked=False)
    raise AlreadyOpen(db_path, read_lock(db_path))


def held_here(db_path: str | os.PathLike) -> bool:
    """Does this process hold the database (an open ``Database`` with ``lock=True``)?"""
    mine = _held.get(_key(Path(db_path)))
    return mine is not None and mine.held


def holder(db_path: str | os.PathLike) -> LockInfo | None:
    """Who holds the database right now, other than this process (None if nobody does).

    The GUI can use ``holder(path).pid`` to bring the other window forward."""
    db_path = Path(db_path)
    if held_here(db_path):
        return None
    path = lock_path(db_path)
    if not path.exists():
        return None
    try:
        probe = acquire(db_path)
    except AlreadyOpen as exc:
        return exc.info or LockInfo(0, "?", "")
    probe.release()
    return None
