"""Stopping a run in order: SIGINT and SIGTERM in the main process remove every temporary
file and unwind (exit 130 or 143), and a document past ``--timeout`` fails alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cleantext.errors import InputError

# A runner's job: (text, name) -> text.
Job = Callable[[str, str], str]



class Terminated(KeyboardInterrupt):
    """SIGTERM in the main process: the same orderly stop as Ctrl-C, exit status 143."""


_stopping = False


def _on_stop_signal(signum: int, frame: Any) -> None:
    """SIGINT or SIGTERM: remove the temporary files now (the signal may have come between
    the creation of one and the code that would remove it), then unwind as for Ctrl-C. A
    second signal while stopping is ignored, so that the clean-up is not cut short."""
    import signal

    global _stopping
    if _stopping:
        return
    _stopping = True
    from cleantext.io import remove_temps

    remove_temps()
    if signum == signal.SIGTERM:
        raise Terminated()
    raise KeyboardInterrupt()


def _install_stop_handlers() -> dict[int, Any]:
    """Handle SIGINT and SIGTERM with ``_on_stop_signal``; the handlers replaced, to put
    back when the run ends (``_restore_handlers``: a program that runs ``run`` keeps its own
    handling outside it)."""
    import signal
    import threading

    global _stopping
    _stopping = False
    replaced: dict[int, Any] = {}
    if threading.current_thread() is not threading.main_thread():
        return replaced
    # Only where the default is in force: a signal ignored by whoever started us (nohup,
    # a background job's SIGINT) stays ignored.
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        replaced[signal.SIGINT] = signal.signal(signal.SIGINT, _on_stop_signal)
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        replaced[signal.SIGTERM] = signal.signal(signal.SIGTERM, _on_stop_signal)
    return replaced


def _restore_handlers(replaced: dict[int, Any]) -> None:
    if not replaced:
        return  # nothing to import ``signal`` for (start-up time)
    import signal

    for signum, handler in replaced.items():
        signal.signal(signum, handler)


class TimedOut(InputError):
    """A document took longer than ``--timeout``."""


class _Limited:
    """A job that fails with ``TimedOut`` after ``seconds`` (SIGALRM: pure-Python work, and
    the ``re`` engine, are stopped; C code that never returns is stopped by the parent of a
    worker process, which kills it)."""

    def __init__(self, job: Job, seconds: float) -> None:
        self.job = job
        self.seconds = seconds

    def __call__(self, text: str, name: str) -> str:
        # ``_signal``, the built-in module under ``signal``: already loaded, where importing
        # ``signal`` (its enums) cost 0.5-2 ms of each command's start-up.
        import _signal
        import threading

        if threading.current_thread() is not threading.main_thread():
            return self.job(text, name)

        def expired(signum: int, frame: Any) -> None:
            raise TimedOut(f"timed out after {self.seconds:g} s (--timeout); not processed")

        previous = _signal.signal(_signal.SIGALRM, expired)
        _signal.setitimer(_signal.ITIMER_REAL, self.seconds)
        try:
            return self.job(text, name)
        finally:
            _signal.setitimer(_signal.ITIMER_REAL, 0)
            _signal.signal(_signal.SIGALRM, previous)


# --- in a worker process --------------------------------------------------------------------


def _worker_init(encoding_errors: str | None = None) -> None:
    import signal  # here, not at the top: 1-2 ms of every command's start-up (its enums)

    from cleantext import decoding, io

    if encoding_errors is not None:  # the parent's --encoding-errors (spawned workers)
        decoding.ENCODING_ERRORS = encoding_errors
    io._LIVE_TEMPS.clear()  # the parent's, if any: not this process's to remove
    # Ctrl-C is the parent's to handle; workers stop when it terminates them (SIGTERM), or
    # when it dies (the kernel's SIGTERM, see ``cleantext.workers``), by an exception, so that
    # a file being written is removed (``atomic_write``, ``remove_temps``), not left.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop)


def _stop(signum: int, frame: Any) -> None:
    from cleantext.io import remove_temps

    remove_temps()
    raise SystemExit(128 + signum)
