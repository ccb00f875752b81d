"""Worker processes end when their parent does: `kill -9` of `parley serve --workers N`
must not leave workers serving, holding the port, with no one to stop them."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

#: Set by `parley serve` to its own process id before the workers start.
PARENT_ENV = "PARLEY_SERVE_PARENT"
#: How often a worker looks whether its parent is still there, in seconds.
WATCH_EVERY = 1.0
_PR_SET_PDEATHSIG = 1


def _end() -> None:
    # SIGTERM: uvicorn's own shutdown (finish the requests in flight, then exit).
    os.kill(os.getpid(), signal.SIGTERM)


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_EVERY)
    _end()


def die_with_parent() -> None:
    """In a worker of `parley serve` (not in the serving process itself, nor in tests): ask
    Linux to send SIGTERM when the parent dies, and watch for it besides (other systems, and
    the parent's thread that started us ending before the parent does)."""
    expected = os.environ.get(PARENT_ENV, "")
    if not expected.isdigit() or int(expected) == os.getpid():
        return
    parent = int(expected)
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # it died before we could ask
        _end()
        return
    threading.Thread(target=_watch, args=(parent,), name="parent-watch", daemon=True).start()
