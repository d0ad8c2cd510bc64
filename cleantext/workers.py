"""Compute ``func(0) ... func(count - 1)`` in worker processes and yield the results in order.

Why not ``multiprocessing.Pool``: its workers share one task queue and one result queue, each
guarded by a lock between processes, and a worker stopped while it holds one (by a signal, the
OOM killer, a crash in a C library) leaves the pool waiting forever; ``Pool.terminate()`` itself
can hang the same way (CPython issues 73945, 78178, 96995). One test run of ``clean -j 2`` hung
like that until CI gave up. Here each worker has its own pipe, so nothing is shared:

- the parent sends a worker the *index* of its next item (a few bytes) and receives the result;
  a worker holds at most ``DEPTH`` items, so it never waits for work while the parent is busy;
- a worker that dies is noticed at once (its pipe ends): the item it was working on is given as
  ``Failed(index, cause)``, the items it held but had not started go to other workers, and a new
  worker takes its place when there is work for it;
- stopping early (an exception, Ctrl-C, the consumer closing the generator) terminates the
  workers with SIGTERM, then SIGKILL after a grace period: no lock to wait for;
- workers die with the parent, even a ``kill -9``'d one: a forked worker closes the parent's
  ends of every pipe it inherited (its own and its older siblings'), so the parent's death is
  end-of-file on its pipe; on Linux the kernel also sends it SIGTERM then
  (``PR_SET_PDEATHSIG``), which stops it in the middle of an item too;
- ``timeout``: an item being worked on for longer than that many seconds is given as
  ``Failed(index, "timed out ...")`` and its worker is killed and replaced.

``func`` and ``initializer`` reach the workers through ``multiprocessing.Process``: inherited
with ``fork`` (Linux), pickled once per worker with ``spawn`` (macOS, Windows).
"""

from __future__ import annotations

import signal
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

# Items held by one worker at a time: one being computed, the others queued in its pipe.
DEPTH = 3
# How far ahead of the next result to be yielded items are handed out. Results that arrive
# early wait in memory, so this bounds that memory when one item is very slow.
AHEAD_PER_WORKER = 64
# Seconds a worker has to exit after SIGTERM before it is killed.
GRACE = 5.0
# Seconds past its ``timeout`` an item may run before its worker is killed.
TIMEOUT_SLACK = 1.0


class Failed(NamedTuple):
    """In place of a result: the worker computing item ``index`` died (``cause`` says how)."""

    index: int
    cause: str


# On the pipes: an index is 8 bytes, a result is pickled with plain ``pickle`` (results are
# plain data). ``Connection.send`` would build a ``ForkingPickler`` for every message, which
# cost the parent about 25 us an item, as much on each worker's side.
_STOP = b""

# The parent's ends of the workers' pipes, closed in each forked worker (which inherits them):
# a worker holding the parent's end of its own pipe never sees end-of-file when the parent dies.
_PARENT_ENDS: list[Any] = []


def _die_with_parent(parent: int) -> None:
    """In a new worker: drop the inherited parent ends, ask the kernel for SIGTERM when the
    parent dies (Linux), exit now if it already has; then take signals, as a worker does.

    SIGINT and SIGTERM arrive blocked (``_Worker``): the parent's handlers, inherited by a
    fork, must not run here (they would unwind the worker with the parent's exception). A
    worker ignores SIGINT (a terminal's Ctrl-C is the parent's to handle: it stops the
    workers) and dies of SIGTERM unless its initializer says otherwise.
    """
    import os

    for conn in _PARENT_ENDS:
        try:
            conn.close()
        except OSError:
            pass
    _PARENT_ENDS.clear()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, int(signal.SIGTERM), 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: end-of-file on the pipe tells it
        pass
    if os.getppid() != parent:  # died before the request was made
        os._exit(0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _serve(conn: Any, func: Callable[[int], Any], initializer: Callable[[], None] | None,
           parent: int = 0) -> None:
    """A worker's loop: receive an index, send back ``func(index)``; stop on _STOP or EOF."""
    import pickle

    _die_with_parent(parent)
    if initializer is not None:
        initializer()
    while True:
        try:
            message = conn.recv_bytes()
        except (EOFError, OSError):  # the parent is gone
            return
        if message == _STOP:
            return
        index = int.from_bytes(message, "little")
        try:
            result = func(index)
        except Exception as exc:  # noqa: BLE001 - reported to the parent, like a death
            result = Failed(index, f"{type(exc).__name__}: {exc}")
        try:
            data = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001 - a result that cannot cross the pipe
            data = pickle.dumps(Failed(index, f"result cannot be sent back: {exc}"))
        try:
            conn.send_bytes(data)
        except (EOFError, OSError):
            return


class _Worker:
    def __init__(self, ctx: Any, func: Callable[[int], Any],
                 initializer: Callable[[], None] | None) -> None:
        import os

        self.conn, child = ctx.Pipe()
        _PARENT_ENDS.append(self.conn)
        self.process = ctx.Process(target=_serve, args=(child, func, initializer, os.getpid()),
                                   daemon=True)
        # Blocked across the fork, unblocked in the child once its handlers are its own.
        masked = hasattr(signal, "pthread_sigmask")
        if masked:
            before = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        try:
            self.process.start()
        finally:
            if masked:
                signal.pthread_sigmask(signal.SIG_SETMASK, before)
        child.close()  # the worker holds the only other end: its exit is EOF here
        self.held: deque[int] = deque()
        # When the item first in ``held`` began (monotonic seconds): when it was sent, or
        # when the result before it came back.
        self.since = 0.0

    def close(self) -> None:
        try:
            _PARENT_ENDS.remove(self.conn)
        except ValueError:
            pass
        self.conn.close()

    def death_cause(self) -> str:
        self.process.join(GRACE)
        code = self.process.exitcode
        if code is None:
            self.process.kill()
            self.process.join()
            return "worker process stopped answering"
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            hint = " (out of memory?)" if -code == signal.SIGKILL else ""
            return f"worker process killed by {name}{hint}"
        return f"worker process exited unexpectedly with status {code}"


def ordered_map(func: Callable[[int], Any], count: int, processes: int,
                initializer: Callable[[], None] | None = None,
                timeout: float | None = None) -> Iterator[Any]:
    """Yield ``func(i)`` for ``i`` in ``range(count)``, in order, from ``processes`` workers.

    A result is a ``Failed`` when the worker died computing it (or ``func`` raised), or when
    ``timeout`` is given and the item was worked on longer than that (plus ``TIMEOUT_SLACK``,
    so that a ``func`` with its own limit at ``timeout`` says so first): its worker is killed.
    """
    import multiprocessing
    import pickle
    import select
    import time

    ctx = multiprocessing.get_context()
    # One poll object for the whole run, each worker's pipe registered once: building a
    # selector per wait (``multiprocessing.connection.wait``) cost the parent ~50 us a result.
    poller = select.poll()
    by_fd: dict[int, _Worker] = {}

    def start_worker() -> _Worker:
        worker = _Worker(ctx, func, initializer)
        by_fd[worker.conn.fileno()] = worker
        poller.register(worker.conn.fileno(), select.POLLIN)
        return worker

    todo: deque[int] = deque(range(count))
    early: dict[int, Any] = {}
    next_out = 0
    ahead = AHEAD_PER_WORKER * max(processes, 1)
    # A slot is None after its worker died: a new worker fills it when there is an item to
    # hand out, not at once (a worker whose start-up always failed would otherwise be
    # started again and again while the others finish their items).
    workers: list[_Worker | None] = []

    def retire(worker: _Worker, cause: str) -> None:
        """``worker`` is dead: its first item fails with ``cause``, the others go back."""
        if worker.held:
            first = worker.held.popleft()
            early[first] = Failed(first, cause)
            todo.extendleft(reversed(worker.held))
        fd = worker.conn.fileno()
        poller.unregister(fd)
        del by_fd[fd]
        worker.close()
        workers[workers.index(worker)] = None

    limit = None if timeout is None else timeout + TIMEOUT_SLACK
    finished = False
    try:
        workers = [start_worker() for _ in range(min(processes, count))]
        while next_out < count:
            for slot, worker in enumerate(workers):
                if worker is None:
                    if not (todo and todo[0] < next_out + ahead):
                        continue
                    worker = workers[slot] = start_worker()
                while len(worker.held) < DEPTH and todo and todo[0] < next_out + ahead:
                    index = todo.popleft()
                    if not worker.held:
                        worker.since = time.monotonic()
                    worker.held.append(index)
                    try:
                        worker.conn.send_bytes(index.to_bytes(8, "little"))
                    except OSError:  # died while idle: its items are read back below
                        break
            wait = None
            if limit is not None:
                busy = [w.since + limit for w in workers if w is not None and w.held]
                if busy:
                    wait = max(0, int((min(busy) - time.monotonic()) * 1000) + 1)
            # Every worker's pipe is watched, busy or not: one that dies while idle is
            # noticed too (its pipe ends, and an ended pipe would wake every poll).
            for fd, _ in poller.poll(wait):
                worker = by_fd[fd]
                try:
                    result = pickle.loads(worker.conn.recv_bytes())
                except (EOFError, OSError):
                    retire(worker, worker.death_cause())  # reaps it
                    continue
                early[worker.held.popleft()] = result
                worker.since = time.monotonic()
            if limit is not None:
                now = time.monotonic()
                for worker in workers:
                    if worker is not None and worker.held and now - worker.since > limit:
                        _end(worker)
                        retire(worker, f"timed out after {timeout:g} s")
            while next_out in early:
                yield early.pop(next_out)
                next_out += 1
        finished = True
    finally:
        if finished:
            _stop_gracefully(workers)
        else:
            _terminate(workers)


def _end(worker: _Worker) -> None:
    """Stop one worker now: SIGTERM (so it removes a file it was writing), then SIGKILL."""
    worker.process.terminate()
    worker.process.join(TIMEOUT_SLACK)
    if worker.process.exitcode is None:
        worker.process.kill()
        worker.process.join()


def _stop_gracefully(slots: list[_Worker | None]) -> None:
    workers = [worker for worker in slots if worker is not None]
    for worker in workers:
        try:
            worker.conn.send_bytes(_STOP)
        except OSError:
            pass
    for worker in workers:
        worker.process.join(GRACE)
    _terminate(workers)  # any that did not stop


def _terminate(slots: list[_Worker | None]) -> None:
    workers = [worker for worker in slots if worker is not None]
    for worker in workers:
        if worker.process.exitcode is None:
            worker.process.terminate()
    for worker in workers:
        worker.process.join(GRACE)
        if worker.process.exitcode is None:
            worker.process.kill()
            worker.process.join()
        worker.close()
