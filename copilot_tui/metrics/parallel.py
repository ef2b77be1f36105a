"""Folding a large users report on several cores: the users are split between this process and worker processes.

Decoding is the floor of a fold and one core decodes about 350 MB/s; an enterprise report is several GB. So the
process reading the report keeps the lines of some users for itself and sends every other line, by a hash of its
``user_id`` read from the raw bytes, to a worker. Each process then holds only its own users, no user's days are
split between two of them, and the folds merge by adding up (:meth:`UsersAggregator.merge`).

Workers cost a start (a fresh interpreter: about 0.3 s) and a copy of their lines through a pipe, so none is started
for a small report: the lines meant for workers are held back until ``parallel_bytes`` of them have been seen, and
if the report ends first this process folds them itself. Workers are started with the ``spawn`` method: the app
folds from a Textual worker thread, and forking a process that has threads is unsafe.
"""

from __future__ import annotations

import contextlib
import fcntl
import multiprocessing
import os
import queue
import struct
import sys
import threading
from array import array
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from itertools import accumulate
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

from copilot_tui.metrics.derive import Period
from copilot_tui.metrics.gcpause import gc_paused
from copilot_tui.metrics.linerule import USER_ID

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess


#: Lines meant for workers held back before any is started (below this a report is folded in one process).
PARALLEL_BYTES = 16 << 20
#: Lines sent to a worker at once: at most this many bytes, and fewer lines than one ``writev`` call takes.
BATCH_BYTES = 4 << 20
BATCH_LINES = 1000
#: Batches waiting for a worker before this process waits for it (memory held: this times ``BATCH_BYTES``).
QUEUED_BATCHES = 4
#: Users are dealt to processes by ``user_id % SLOTS``.
SLOTS = 64
#: The share of the users this process keeps when there is one worker: a little under half, as it also reads the
#: report and deals the lines while the worker only reads them from the pipe.
PARENT_SHARE = 0.45


def default_workers() -> int:
    """One worker per core beyond the first (the cores this process may run on), at most 7."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover (not Linux)
        cores = os.cpu_count() or 1
    return max(0, min(cores - 1, 7))


class Fold(Protocol):
    """What each process folds its lines into (``aggregate.UsersAggregator``): made in a worker from the period,
    exported there piece by piece and merged here."""

    problems: list[Any]

    def add_numbered(self, source: str, numbered: Iterable[tuple[int, bytes | memoryview]]) -> None: ...

    def export(self) -> Iterator[tuple[str, Any]]: ...

    def merge(self, pieces: Iterable[tuple[str, Any]]) -> None: ...


Batch = tuple[str, "array[int]", list[bytes]]
"""A part's name, the line numbers and the lines (each without its newline) for one worker."""


class LineRouter:
    """Deals a report's lines between this process (:meth:`keep_mine` yields them) and worker processes.

    A batch goes to a worker as one frame on a pipe: a header, the part's name, the line numbers, the line lengths,
    then the lines, written with one ``writev`` from the lines themselves (no joined copy) by a thread per worker
    (the write blocks while the worker is busy; this process folds meanwhile). The worker reads a frame into one
    buffer and decodes each line from a view of it, so a line is copied only by the pipe.
    """

    def __init__(
        self, period: Period, workers: int, parallel_bytes: int = PARALLEL_BYTES, *, fold: Callable[[Period], Fold]
    ) -> None:
        """``fold``: what a worker folds into (a class, handed to the worker by name)."""
        self.period = period
        self.fold = fold
        self.workers = workers
        self.parallel_bytes = parallel_bytes
        mine = max(1, round(SLOTS * PARENT_SHARE * 2 / (workers + 1)))
        self._dest = [-1 if slot < mine else (slot - mine) % workers for slot in range(SLOTS)]
        # per worker: the lines not yet sent (line numbers, lines, bytes) of the current part
        self._numbers: list[list[int]] = [[] for _ in range(workers)]
        self._lines: list[list[bytes]] = [[] for _ in range(workers)]
        self._sizes = [0] * workers
        self._held: list[list[Batch]] = [[] for _ in range(workers)]
        self._held_bytes = 0
        self._pipes: list[Connection] = []
        self._results: list[Connection] = []
        self._queues: list[queue.Queue[Batch | None]] = []
        self._senders: list[threading.Thread] = []
        self._procs: list[BaseProcess] = []
        self._part_order: dict[str, int] = {}

    @property
    def started(self) -> int:
        """Worker processes started."""
        return len(self._procs)

    def keep_mine(self, source: str, numbered: Iterable[tuple[int, bytes]]) -> Iterator[tuple[int, bytes]]:
        """The lines of one part this process folds; the others go to the workers."""
        self._part_order.setdefault(source, len(self._part_order))
        search = USER_ID.search
        dest = self._dest
        numbers, lines, sizes = self._numbers, self._lines, self._sizes
        for line_no, raw in numbered:
            m = search(raw)
            if m is None:
                yield line_no, raw
                continue
            w = dest[int(m[1]) % SLOTS]
            if w < 0:
                yield line_no, raw
                continue
            numbers[w].append(line_no)
            lines[w].append(raw)
            sizes[w] += len(raw)
            if sizes[w] >= BATCH_BYTES or len(lines[w]) >= BATCH_LINES:
                self._ship(w, source)
        for w in range(self.workers):
            if lines[w]:
                self._ship(w, source)

    def _ship(self, w: int, source: str) -> None:
        batch = (source, array("q", self._numbers[w]), self._lines[w])
        self._numbers[w] = []
        self._lines[w] = []
        size, self._sizes[w] = self._sizes[w], 0
        if self._procs:
            self._queues[w].put(batch)
            return
        self._held[w].append(batch)
        self._held_bytes += size
        if self._held_bytes >= self.parallel_bytes:
            self._start()

    def _start(self) -> None:
        with _stderr_with_a_file():
            self._start_workers()

    def _start_workers(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        for w in range(self.workers):
            lines_in, lines_out = ctx.Pipe(duplex=False)
            result_in, result_out = ctx.Pipe(duplex=False)
            proc = ctx.Process(
                target=work,
                args=(lines_in, result_out, self.fold, self.period.start, self.period.end),
                daemon=True,
                name="users-fold",
            )
            proc.start()
            lines_in.close()
            result_out.close()
            with contextlib.suppress(OSError, AttributeError):  # a larger pipe: fewer wake-ups of the sender
                fcntl.fcntl(lines_out.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)
            batches: queue.Queue[Batch | None] = queue.Queue(QUEUED_BATCHES)
            sender = threading.Thread(
                target=_feed, args=(batches, lines_out.fileno(), self._held[w]), daemon=True, name="users-fold-feed"
            )
            sender.start()
            self._pipes.append(lines_out)
            self._results.append(result_in)
            self._queues.append(batches)
            self._senders.append(sender)
            self._procs.append(proc)
        self._held = [[] for _ in range(self.workers)]

    def finish(self, agg: Fold) -> None:
        """Fold the lines held back (no worker started) or merge the workers' folds into ``agg``."""
        with gc_paused():
            if not self._procs:
                for held in self._held:
                    for source, numbers, lines in held:
                        agg.add_numbered(source, zip(numbers, lines, strict=True))
                self._held = [[] for _ in range(self.workers)]
            else:
                for batches in self._queues:
                    batches.put(None)
                for sender in self._senders:
                    sender.join()
                for result, proc in zip(self._results, self._procs, strict=True):
                    agg.merge(_pieces(result, proc))
                    proc.join()
        order = self._part_order
        agg.problems.sort(key=lambda p: (order.get(p.source, len(order)), p.line_no))

    def __enter__(self) -> LineRouter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        """Stop the workers of an abandoned fold (after :meth:`finish` they have ended already)."""
        for proc in self._procs:
            if proc.is_alive():
                proc.kill()  # its pipe breaks, so a sender blocked on it stops
            proc.join()
        for batches in self._queues:
            with contextlib.suppress(queue.Full):
                batches.put_nowait(None)  # a sender waiting for a batch stops too
        for sender in self._senders:
            sender.join(timeout=5)
        for conn in (*self._pipes, *self._results):
            conn.close()


_HEADER = struct.Struct("<III")  # lines, bytes of the part's name, bytes of the lines


def _feed(batches: queue.Queue[Batch | None], fd: int, first: list[Batch]) -> None:
    """A sender thread: write each batch as a frame; an empty frame ends the input."""
    first.reverse()
    try:
        while True:
            batch = first.pop() if first else batches.get()  # each batch let go of once written
            if batch is None:
                os.write(fd, _HEADER.pack(0, 0, 0))
                return
            source, numbers, lines = batch
            name = source.encode()
            lengths = array("I", map(len, lines))
            buffers: list[Any] = [_HEADER.pack(len(lines), len(name), sum(lengths)), name, numbers, lengths, *lines]
            total = sum(map(len, buffers[:2])) + numbers.itemsize * len(numbers) + 4 * len(lines) + sum(lengths)
            written = os.writev(fd, buffers)
            if written < total:  # interrupted: write the rest the simple way
                rest = b"".join(bytes(b) for b in buffers)[written:]
                while rest:
                    rest = rest[os.write(fd, rest) :]
    except OSError:  # the fold was abandoned: the worker is gone
        return


def _pieces(result: Connection, proc: BaseProcess) -> Iterator[tuple[str, Any]]:
    """A worker's fold as it sends it (see :meth:`UsersAggregator.export`)."""
    while True:
        try:
            kind, payload = result.recv()
        except EOFError:
            kind, payload = "error", "it ended without a result"
        if kind == "end":
            return
        if kind == "error":
            raise RuntimeError(f"a users-fold worker failed: {payload}")
        yield kind, payload


def _read_exact(fd: int, size: int) -> memoryview:
    view = memoryview(bytearray(size))
    got = 0
    while got < size:
        n = os.readv(fd, [view[got:]])
        if n == 0:
            raise EOFError("the lines' pipe closed early")
        got += n
    return view


@contextlib.contextmanager
def _stderr_with_a_file() -> Iterator[None]:
    """multiprocessing hands ``sys.stderr.fileno()`` to the resource tracker it starts with the first process; a
    Textual app replaces ``sys.stderr`` with a capture whose ``fileno()`` is -1, and the start fails with "bad
    value(s) in fds_to_keep". While processes start, ``sys.stderr`` is a file (the null device) if it is not one."""
    held = sys.stderr
    try:
        usable = held is not None and held.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable:
        yield
        return
    with open(os.devnull, "w") as null:
        sys.stderr = null
        try:
            yield
        finally:
            sys.stderr = held


def _quiet() -> None:
    """A worker writes nothing to the terminal it inherited (the app's screen): errors go back through the pipe."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.close(null)


def work(lines_in: Connection, result_out: Connection, fold: Callable[[Period], Fold], start: date, end: date) -> None:
    """A worker process: fold the frames it is sent, then send back its fold's state."""
    _quiet()
    agg = fold(Period(start, end))
    fd = lines_in.fileno()
    try:
        with gc_paused():
            while True:
                count, name_size, size = _HEADER.unpack(_read_exact(fd, _HEADER.size))
                if count == 0:
                    break
                frame = _read_exact(fd, name_size + 12 * count + size)
                source = bytes(frame[:name_size]).decode()
                at = name_size + 8 * count
                numbers = frame[name_size:at].cast("q")
                ends = list(accumulate(frame[at : at + 4 * count].cast("I"), initial=at + 4 * count))
                lines = map(frame.__getitem__, map(slice, ends, ends[1:]))
                agg.add_numbered(source, zip(numbers, lines, strict=True))
            for piece in agg.export():
                result_out.send(piece)
        result_out.send(("end", None))
    except Exception as exc:  # reported to the process that started this one
        result_out.send(("error", f"{type(exc).__name__}: {exc}"))
    result_out.close()
