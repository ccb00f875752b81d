"""Telling a database that refuses writes (read-only, or out of space) from one that is only
busy: which errors mean that, a log line about it at most once a minute, and the memory of
the last one, so that /healthz says so too."""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy.exc import DBAPIError

log = logging.getLogger("parley.storage")

#: A refused write is remembered (and logged again at most) this long, in seconds.
REMEMBER_SECONDS = 60.0

# SQLSTATEs: 25006 read-only transaction, 53100 disk full (also "could not extend file"),
# 53000 insufficient resources, 58030 I/O error.
_PG_STATES = {"25006": "read-only", "53100": "full", "53000": "full", "58030": "failing"}
# SQLite says it in words.
_SQLITE_WORDS = (
    ("readonly database", "read-only"),
    ("read-only", "read-only"),
    ("disk is full", "full"),
    ("disk i/o error", "failing"),
    ("unable to open database file", "failing"),
)

#: Each kind in words, for the answer and /healthz.
STORAGE_WORDS = {
    "read-only": "it is read-only",
    "full": "its disk is full",
    "failing": "its storage is failing",
}


def refusal_kind(exc: BaseException) -> str | None:
    """'read-only', 'full' or 'failing' when the database refused to store anything; None
    for everything else (a lock wait, a lost connection)."""
    if not isinstance(exc, DBAPIError):
        return None
    state = getattr(exc.orig, "sqlstate", None)
    if isinstance(state, str) and state in _PG_STATES:
        return _PG_STATES[state]
    text = str(exc.orig).lower()
    if "could not extend file" in text or "no space left" in text:
        return "full"
    if state is None:
        for words, kind in _SQLITE_WORDS:
            if words in text:
                return kind
    return None


class StorageState:
    """The last refused write of this process: when, and why."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last_at = -REMEMBER_SECONDS
        self._last_logged = -REMEMBER_SECONDS
        self.kind: str | None = None

    def refused(self, kind: str, exc: BaseException) -> None:
        """Remember it, and log it unless it was logged less than a minute ago (a full disk
        would otherwise write a line per request, onto the disk that is full)."""
        now = time.monotonic()
        with self._lock:
            self._last_at, self.kind = now, kind
            if now - self._last_logged < REMEMBER_SECONDS:
                return
            self._last_logged = now
        log.error("the database refused a write (%s): %s", kind, getattr(exc, "orig", exc))

    def stored(self) -> None:
        """A write was committed: the database takes writes again, whatever it refused."""
        with self._lock:
            self.kind = None
            self._last_at = -REMEMBER_SECONDS

    def recent(self) -> str | None:
        """Why writes failed within the last minute, or None."""
        with self._lock:
            if time.monotonic() - self._last_at < REMEMBER_SECONDS:
                return self.kind
            return None
