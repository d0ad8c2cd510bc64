"""Process many inputs with one job: read, decode, transform, write; report errors per file.

A *job* is a picklable callable ``job(text, name) -> str`` (``name`` is the input's name, for
messages and the ``meta`` record). ``run`` applies it to every source and writes each result
where the ``Output`` says: stdout (one after the other, like ``cat``), one file, in place,
mirrored under a folder, or nowhere (``check``, ``diff``). With ``jobs > 1`` documents are
processed in worker processes and written in input order.

A bad input is reported on stderr as ``cleantext: NAME: cause`` and the others go on; the
return value carries the counts from which the CLI derives the exit status.
"""

from __future__ import annotations

import codecs
import itertools
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from cleantext.decoding import decode_text, hide_invalid, mostly_utf8, show_invalid
from cleantext.document import Document, split_head
from cleantext.errors import InputError, OutputClosed, describe, error
from cleantext.io import (
    Source,
    SourceError,
    WriteError,
    atomic_write,
    make_backup,
    read_bytes,
    same_file,
    write_output,
)
from cleantext.stops import (Terminated, _install_stop_handlers, _Limited, _restore_handlers,
                             _worker_init)

# Inputs bigger than this go through a job's streaming path, when it has one.
STREAM_THRESHOLD = 8 * 1024 * 1024
# Size of the pieces read while streaming: small enough that a step's passes over a piece run
# in the CPU's cache (normalize: 20% faster than with 1 MB pieces).
PIECE_SIZE = 64 * 1024
# Front matter larger than this is not looked for while streaming.
HEAD_LIMIT = 32 * 1024 * 1024

Job = Callable[[str, str], str]


class Output(NamedTuple):
    """Where results go. ``mode`` is one of stdout, file, in-place, dir, check, diff."""

    mode: str = "stdout"
    path: Path | None = None
    backup: str | None = None


class Stats(NamedTuple):
    done: int
    failed: int
    changed: int


class _Result(NamedTuple):
    source: Source
    data: bytes | None  # the output (or the diff, in diff mode); None: already written
    changed: bool
    error: str | None
    where: str | None = None  # what the error is about, when not the source (a target)


def _process(job: Job, output: Output, encoding: str | None, source: Source,
             data: bytes | None = None) -> _Result:
    """Read (unless ``data`` is given), decode, transform and encode one source.

    Invalid bytes kept by the decoder (``--encoding-errors keep``) come back as the same
    bytes: private-use stand-ins while the steps run (``decoding.hide_invalid``), lone surrogates
    again after, written with ``surrogateescape``."""
    try:
        if data is None:
            data = read_bytes(source)
        text, kept = decode_text(data, encoding,
                                 warn=lambda message: error(source.name, message))
        text, hidden = hide_invalid(text) if kept else (text, False)
        new = job(text, source.name)
        if hidden:
            # JSON (meta, --to jsonl) must stay valid UTF-8: there a kept byte is U+FFFD.
            json = type(getattr(job, "job", job)).__name__ in _JSON_JOBS
            new, text = show_invalid(new, "\ufffd" if json else None), show_invalid(text)
        result = new.encode("utf-8", "surrogateescape")
        changed = result != data
        if output.mode == "diff":
            result = _diff(source.name, text, new) if changed else b""
        return _Result(source, result, changed, None)
    except Exception as exc:  # reported per file, never a traceback
        return _Result(source, None, False, describe(exc))


# Jobs whose output is JSON (``cleantext.meta.MetaJob``, ``cleantext.pipeline.JsonlJob``),
# named rather than imported: importing them costs every other command start-up time.
_JSON_JOBS = ("MetaJob", "JsonlJob")


def _diff(name: str, old: str, new: str) -> bytes:
    import difflib

    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), name, name
    )
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                   for line in lines).encode("utf-8", "surrogateescape")


# Outputs that worker processes write themselves (in parallel) instead of the parent.
_WORKERS_WRITE = ("file", "dir", "in-place")


# Seconds one document may take (``--timeout``); None or 0: no limit. Set by the CLI.
TIMEOUT: float | None = None


def _work(job: Job, output: Output, encoding: str | None, sources: list[Source],
          stdin_data: dict[Source, bytes], stream_job: Callable | None,
          index: int) -> tuple[Any, ...]:
    """A worker's part: ``sources[index]`` processed (and written, for file outputs). The
    result goes back without its source, which the parent has: unpickling its paths was a
    third of the parent's time, and the parent shares the machine's cores with the workers."""
    return tuple(_work_on(job, output, encoding, sources[index], stdin_data, stream_job)[1:])


def _work_on(job: Job, output: Output, encoding: str | None, source: Source,
             stdin_data: dict[Source, bytes], stream_job: Callable | None) -> _Result:
    if stream_job is not None and output.mode in _WORKERS_WRITE and source.path is not None:
        # A big file streams through the steps into its output, in bounded memory, as
        # with one process; a small one comes back with its data, written below.
        result = _stream_or_process(job, stream_job, output, encoding, source)
    else:
        result = _process(job, output, encoding, source, stdin_data.get(source))
    if result.error is not None or result.data is None or output.mode not in _WORKERS_WRITE:
        return result
    try:  # writing costs as much as cleaning a small post: done here, in parallel
        _write(result, output)
    except OSError as exc:
        target = _target(source, output)
        return result._replace(data=None, error=f"cannot write: {exc.strerror or exc}",
                               where=str(target or source.name))
    return result._replace(data=None)


def _results(sources: list[Source], job: Job, output: Output, encoding: str | None,
             jobs: int, stream_job: Callable | None) -> Iterator[_Result]:
    if jobs <= 1 or len(sources) <= 1:
        for source in sources:
            if stream_job is not None and output.mode not in ("check", "diff"):
                yield _stream_or_process(job, stream_job, output, encoding, source)
            else:
                yield _process(job, output, encoding, source)
        return
    from functools import partial

    from cleantext.workers import Failed, ordered_map

    stdin_data = {s: read_bytes(s) for s in sources if s.path is None}
    work = partial(_work, job, output, encoding, sources, stdin_data, stream_job)
    # A worker stuck in C code past the document's limit is killed by the parent; streamed
    # documents (linear steps, any size) have no limit.
    timeout = job.seconds if isinstance(job, _Limited) and stream_job is None else None
    from cleantext import decoding

    init = partial(_worker_init, decoding.ENCODING_ERRORS)
    for index, result in enumerate(ordered_map(work, len(sources), jobs, init,
                                               timeout=timeout)):
        if isinstance(result, Failed):
            yield _Result(sources[index], None, False, result.cause)
        else:
            yield _Result(sources[index], *result)


def run(
    items: Iterable[Source | SourceError],
    job: Job,
    output: Output = Output(),
    *,
    encoding: str | None = None,
    jobs: int = 1,
    stream_job: Callable | None = None,
    progress: bool = False,
    label: str = "",
    timeout: float | None = None,
) -> Stats:
    """Apply ``job`` to every source and write the results; return the counts.

    ``timeout`` (default: ``TIMEOUT``, which the CLI's ``--timeout`` sets) limits each
    document processed in memory. SIGTERM stops the run as Ctrl-C does (temporary files
    removed, workers stopped) and exits with status 143.
    """
    try:
        return _run(items, job, output, encoding=encoding, jobs=jobs, stream_job=stream_job,
                    progress=progress, label=label,
                    timeout=TIMEOUT if timeout is None else timeout)
    except Terminated:
        sys.stderr.write("cleantext: terminated\n")
        sys.stderr.flush()
        raise SystemExit(143) from None


# Outputs for which an input named twice (or through a link) is processed once: rewriting it
# twice in place raced with itself (-j 2: a backup holding the cleaned text).
_ONCE_MODES = ("in-place", "dir")


def _stat(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None  # its read reports it


def _inside(path: Path, folder: str | None) -> bool:
    """Whether ``path`` is somewhere under ``folder`` (an absolute path), by name."""
    return folder is not None and os.path.abspath(path).startswith(folder)


def _run(items: Iterable[Source | SourceError], job: Job, output: Output, *,
         encoding: str | None, jobs: int, stream_job: Callable | None, progress: bool,
         label: str, timeout: float | None) -> Stats:
    if timeout:
        job = _Limited(job, timeout)
    sources: list[Source] = []
    failed = 0
    first_for: dict[Path, Source] = {}  # --output-dir: the input each output path is for
    seen: set[tuple[Any, ...]] = set()
    out_dir = os.path.join(os.path.abspath(output.path), "") \
        if output.mode == "dir" and output.path is not None else None
    for item in items:
        if isinstance(item, SourceError):
            error(item.name, item.message)
            failed += 1
            continue
        if output.mode in _ONCE_MODES and item.path is not None:
            info = _stat(item.path)
            if info is not None:
                if output.mode == "in-place" and not stat.S_ISREG(info.st_mode):
                    # Reading a FIFO waits for a writer; a device cannot be replaced.
                    error(item.name, "not a regular file (a FIFO, socket or device): -i "
                                     "rewrites regular files only")
                    failed += 1
                    continue
                # --output-dir: the same file under two names gives two outputs
                key = (info.st_dev, info.st_ino, item.rel if output.mode == "dir" else None)
                if key in seen:
                    continue  # named before: processed once
                seen.add(key)
            if _inside(item.path, out_dir):
                error(item.name, f"is inside --output-dir {output.path}: an output would be "
                                 "read as an input; choose a folder outside the inputs")
                failed += 1
                continue
        if output.mode == "dir":
            # a/post.md and b/post.md both go to OUT/post.md: the second is refused, as cp
            # refuses to overwrite a file it has just created, rather than replacing it.
            first = first_for.setdefault(item.rel, item)
            if first is not item and not (first.path and item.path
                                          and same_file(first.path, item.path)):
                target = _target(item, output)
                error(item.name, f"would overwrite {target}, the output of {first.name}")
                failed += 1
                continue
        sources.append(item)

    # Only where files are written or workers run (``signal`` costs start-up time, and a
    # process killed while writing to stdout leaves nothing behind); stdout redirected to a
    # spool file (``meta -o``) writes one at the end.
    replaced: dict[int, Any] = {}
    if output.mode in _WORKERS_WRITE or (jobs > 1 and len(sources) > 1) \
            or sys.stdout is not sys.__stdout__:
        replaced = _install_stop_handlers()
    try:
        return _run_sources(sources, failed, job, output, encoding=encoding, jobs=jobs,
                            stream_job=stream_job, progress=progress, label=label)
    finally:
        _restore_handlers(replaced)


def _run_sources(sources: list[Source], failed: int, job: Job, output: Output, *,
                 encoding: str | None, jobs: int, stream_job: Callable | None, progress: bool,
                 label: str) -> Stats:
    done = changed = 0
    results = _results(sources, job, output, encoding, jobs, stream_job)
    bar = None
    if progress and sources:
        import click

        bar = click.progressbar(length=len(sources), label=label, file=sys.stderr,
                                show_pos=True, show_eta=True,
                                item_show_func=lambda _: _rate(bar))
        bar.__enter__()
    try:
        for result in results:
            if bar is not None:
                bar.update(1)
            if result.error is not None:
                error(result.where or result.source.name, result.error)
                failed += 1
                continue
            try:
                _write(result, output)
            except BrokenPipeError:
                raise OutputClosed() from None
            except OSError as exc:
                target = _target(result.source, output)
                error(str(target or result.source.name), f"cannot write: {exc.strerror or exc}")
                failed += 1
                continue
            done += 1
            changed += result.changed
    finally:
        # Stops the workers now (an interrupt included), not when the traceback is freed.
        results.close()
        if bar is not None:
            bar.__exit__(None, None, None)
    return Stats(done, failed, changed)


def _rate(bar: Any) -> str | None:
    """Documents per second so far, shown beside click's position and ETA."""
    import time

    elapsed = time.time() - bar.start
    return f"{bar.pos / elapsed:,.0f} docs/s" if bar.pos and elapsed > 0 else None


def _target(source: Source, output: Output) -> Path | None:
    if output.mode == "file":
        return output.path
    if output.mode == "in-place":
        # A symbolic link is kept and the file it names rewritten (as sed --follow-symlinks).
        assert source.path is not None
        if os.path.islink(source.path):
            return Path(os.path.realpath(source.path))
        return source.path
    if output.mode == "dir":
        assert output.path is not None
        return output.path / source.rel
    return None


def _write(result: _Result, output: Output) -> None:
    data = result.data
    if data is None:  # already written: streamed, or by a worker process
        return
    source = result.source
    if output.mode == "stdout" or (output.mode == "diff" and data):
        stdout = sys.stdout.buffer
        stdout.write(data)
        stdout.flush()
    elif output.mode == "check":
        if result.changed:
            sys.stdout.write(f"{source.name}\n")
            sys.stdout.flush()
    elif output.mode == "in-place":
        target = _target(source, output)
        assert target is not None
        if result.changed:
            _refuse_read_only(target)
            if output.backup:
                make_backup(target, output.backup)
            atomic_write(target, [data], mode_from=target, durable=True)
    elif output.mode in ("file", "dir"):
        target = _target(source, output)
        assert target is not None
        if source.path is not None and same_file(source.path, target):
            raise OSError(0, "output would overwrite its own input")
        _write_new(target, [data], output)


def _write_new(target: Path, chunks: Iterable[bytes], output: Output) -> None:
    """-o writes as ``> target`` would (through a link, into a FIFO); --output-dir makes the
    folders of the tree it mirrors and never follows a link found in that tree: a link in
    the place of an output is replaced, a link in the place of a folder refused."""
    if output.mode != "dir":
        write_output(target, chunks)
        return
    assert output.path is not None
    folder = output.path
    for part in target.relative_to(output.path).parts[:-1]:
        folder = folder / part
        if os.path.islink(folder):
            raise WriteError(0, f"{folder} is a symbolic link, not followed in --output-dir")
    atomic_write(target, chunks, make_folder=True)


def _refuse_read_only(path: Path) -> None:
    # Renaming over a file needs only a writable folder; a file marked read-only is the
    # owner saying "don't change this", so -i leaves it alone (as root does too).
    if not os.stat(path).st_mode & 0o222:
        raise PermissionError(0, "read-only file, not rewritten")


# Python's own advice in a message, meaningless to someone running a command: what it means.
# --- streaming: big inputs through a job's streaming path, in bounded memory ----------------


def _stream_or_process(job: Job, stream_job: Callable, output: Output, encoding: str | None,
                       source: Source) -> _Result:
    """Stream ``source`` through ``stream_job`` if it is big, else process it in memory."""
    try:
        if source.path is not None:
            if source.path.stat().st_size <= STREAM_THRESHOLD:
                return _process(job, output, encoding, source)
            fh: Any = open(source.path, "rb")
        else:
            fh = _PeekedStdin()
            if fh.small:
                return _process(job, output, encoding, source, fh.prefix)
        with fh:
            first = fh.read(PIECE_SIZE)
            try:
                first.decode(encoding or "utf-8")
            except UnicodeDecodeError as exc:
                # Not a character cut at the piece's end, and not mostly UTF-8 with a few
                # invalid bytes (kept, streamed): detect and decode in memory.
                if exc.start < len(first) - 4 and not encoding and not mostly_utf8(first):
                    return _process(job, output, encoding, source, first + fh.read())
            pieces = _decoded_pieces(first, fh, encoding or "utf-8",
                                     lambda message: error(source.name, message))
            head, body = _split_streamed_head(pieces)
            new_head, new_body = stream_job(head, body, source.name)
            _write_stream(source, output, new_head, new_body)
        return _Result(source, None, True, None)
    except BrokenPipeError:
        raise OutputClosed() from None
    except WriteError as exc:  # the output's fault, not the input's: say which file
        target = _target(source, output)
        return _Result(source, None, False, f"cannot write: {exc.strerror}",
                       str(target or source.name))
    except Exception as exc:
        return _Result(source, None, False, describe(exc))


class _PeekedStdin:
    """Stdin with its first ``STREAM_THRESHOLD`` bytes read, to decide whether to stream."""

    def __init__(self) -> None:
        self._raw = sys.stdin.buffer
        self.prefix = self._raw.read(STREAM_THRESHOLD + 1)
        self.small = len(self.prefix) <= STREAM_THRESHOLD
        self._pos = 0

    def read(self, size: int = -1) -> bytes:
        if self._pos < len(self.prefix):
            end = len(self.prefix) if size < 0 else self._pos + size
            chunk = self.prefix[self._pos:end]
            self._pos += len(chunk)
            if size < 0:
                chunk += self._raw.read()
            return chunk
        return self._raw.read(size)

    def __enter__(self) -> _PeekedStdin:
        return self

    def __exit__(self, *exc: Any) -> None:
        pass


def _decoded_pieces(first: bytes, fh: Any, encoding: str, warn: Callable[[str], None],
                    errors: str | None = None) -> Iterator[str]:
    """The text of ``first`` and the rest of ``fh``, piece by piece; invalid bytes as
    ``errors`` (default ``decoding.ENCODING_ERRORS``) says, reported once at the end."""
    from cleantext import decoding

    errors = errors or decoding.ENCODING_ERRORS
    label = "UTF-8" if codecs.lookup(encoding).name == "utf-8" else encoding
    handler = {"keep": "surrogateescape", "replace": "replace"}.get(errors, "strict")
    decoder = codecs.getincrementaldecoder(encoding)(handler)
    offset = 0  # bytes given to the decoder before this chunk
    emitted = 0  # bytes of the text yielded so far, when the encoding is UTF-8
    invalid = 0
    first_at = None
    chunk = first
    while True:
        final = not chunk
        try:
            text = decoder.decode(chunk, final=final)
        except UnicodeDecodeError as exc:
            raise InputError(f"not valid {label} near byte {offset + exc.start} "
                             "(--encoding-errors strict)") from None
        if "\0" in text:
            raise InputError("binary file (contains NUL bytes), not a text document")
        if handler != "strict" and text:
            bad = decoding._count_escaped(text) if handler == "surrogateescape" \
                else text.count("\ufffd")
            if bad and first_at is None:
                mark = "\ufffd" if handler == "replace" else None
                at = text.index(mark) if mark else next(
                    i for i, c in enumerate(text) if "\udc80" <= c <= "\udcff")
                first_at = emitted + len(text[:at].encode("utf-8", "surrogateescape"))
            invalid += bad
            emitted += len(text.encode("utf-8", "surrogateescape"))
        if text:
            yield text
        if final:
            if invalid:
                what = "kept as they are" if handler == "surrogateescape" \
                    else "each replaced by U+FFFD"
                noun = "byte" if invalid == 1 else "bytes"
                warn(f"warning: {invalid} {noun} not valid {label} (the first at byte "
                     f"{first_at}), {what}")
            return
        offset += len(chunk)
        chunk = fh.read(PIECE_SIZE)


def _may_open_front_matter(text: str) -> bool:
    stripped = text.lstrip("\ufeff \t\r\n")
    return stripped[:1] in ("-", "+", "{") or ":" in stripped.split("\n", 1)[0]


def _split_streamed_head(pieces: Iterator[str]) -> tuple[Document, Iterator[str]]:
    """Read pieces until the head is known; return it and the body's pieces."""
    parts: list[str] = []
    size = 0
    exhausted = False
    looked = 0  # how much text the last look for the head's end saw
    while True:
        piece = next(pieces, None)
        if piece is None:
            exhausted = True
        else:
            parts.append(piece)
            size += len(piece)
            if size < 2 * looked and size <= HEAD_LIMIT:
                continue  # looking again only when the text has doubled: linear in all
        text = "".join(parts)
        parts = [text]
        looked = size
        # Only whole lines, until the input ends: a piece that ends just after "---" would
        # otherwise end the head there, though the line goes on ("----") or its newline,
        # part of the head, is in the next piece.
        end, fmt = split_head(text if exhausted else text[:text.rfind("\n") + 1])
        if fmt is not None or exhausted or len(text) > HEAD_LIMIT:
            break
        if not _may_open_front_matter(text):
            break
    head = Document(text[:end], "", fmt)

    def body() -> Iterator[str]:
        if len(text) > end:
            yield text[end:]
        if not exhausted:
            yield from pieces

    return head, body()


def _write_stream(source: Source, output: Output, head: str, body: Iterator[str]) -> None:
    chunks = (piece.encode("utf-8", "surrogateescape")
              for piece in itertools.chain((head,), body))
    if output.mode == "stdout":
        out = sys.stdout.buffer
        for chunk in chunks:
            out.write(chunk)
        out.flush()
        return
    target = _target(source, output)
    assert target is not None and source.path is not None
    if output.mode == "in-place":
        _refuse_read_only(target)
        if output.backup:
            make_backup(target, output.backup)
    elif same_file(source.path, target):
        raise InputError("output would overwrite its own input")
    if output.mode == "in-place":
        atomic_write(target, chunks, target, durable=True)
    else:
        _write_new(target, chunks, output)
