"""Inputs and outputs: which files to read and how to write results safely (how bytes become
text: ``cleantext.decoding``).

- Sources: paths (``-`` = stdin), directories with ``recursive``, NUL-separated path lists.
- Writing: ``atomic_write`` puts a temporary file beside the target, copies the target's
  mode, owner and group and renames it over the target, so a killed process leaves the old
  file or the new one; ``durable`` (in-place edits, whose old content is the user's input)
  also fsyncs the data before the rename, so that a power cut cannot leave an empty file in
  place of it. Every temporary file is registered before it exists, and ``remove_temps``
  (run by the SIGINT and SIGTERM handlers) removes them: only a SIGKILL leaves one.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from cleantext.errors import InputError

# Files taken from directories with -r (anything else there, images say, is skipped).
DOCUMENT_SUFFIXES = frozenset(
    {".md", ".markdown", ".mdown", ".mkd", ".html", ".htm", ".xhtml", ".txt", ".text"}
)
STDIN = "-"


class Source(NamedTuple):
    """One input: ``name`` as shown in messages, ``path`` (None for stdin) and ``rel``, the
    relative path its output takes under ``--output-dir``."""

    name: str
    path: Path | None
    rel: Path


class SourceError(NamedTuple):
    """An input that cannot even be listed (missing file, directory without -r)."""

    name: str
    message: str


def _walk(folder: Path) -> Iterator[Path | SourceError]:
    """Document files under ``folder``, sorted, a folder's files before its subfolders.

    As ``grep -r`` does: hidden files and folders are skipped, and so are FIFOs, sockets and
    devices (reading a FIFO waits for a writer forever) and symbolic links to folders (a link
    to a parent would loop). A symbolic link to a file is followed; a dangling one is listed,
    so that reading it reports it. A folder that cannot be listed is a ``SourceError``.
    """
    try:
        with os.scandir(folder) as listing:
            entries = sorted((e for e in listing if not e.name.startswith(".")),
                             key=lambda e: e.name)
    except OSError as exc:
        yield SourceError(str(folder), f"cannot read directory: {exc.strerror or exc}")
        return
    subfolders = []
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            subfolders.append(entry)
        elif Path(entry.name).suffix.lower() in DOCUMENT_SUFFIXES and _is_document(entry):
            yield Path(entry.path)
    for entry in subfolders:
        yield from _walk(Path(entry.path))


def _is_document(entry: os.DirEntry[str]) -> bool:
    """A regular file, a link to one, or a dangling link (its read says so)."""
    try:
        return entry.is_file() or (entry.is_symlink() and not os.path.exists(entry.path))
    except OSError:  # cannot even be examined: its read says why
        return True


def read_files0(spec: str) -> list[str]:
    """Paths from a NUL-separated list file (``-`` = stdin), as written by ``find -print0``."""
    try:
        if spec == STDIN:
            data = sys.stdin.buffer.read()
        else:
            data = Path(spec).read_bytes()
    except OSError as exc:
        raise InputError(f"{spec}: {exc.strerror or exc}") from None
    return [os.fsdecode(p) for p in data.split(b"\0") if p.strip(b"\n")]


def iter_sources(names: Iterable[str], recursive: bool = False) -> Iterator[Source | SourceError]:
    """Expand command-line names into sources, in order; problems become SourceError items."""
    for name in names:
        if name == STDIN:
            yield Source(STDIN, None, Path("stdin"))
            continue
        path = Path(name)
        try:
            info = os.stat(path)
        except OSError as exc:
            yield SourceError(name, _unreadable(path, exc))
            continue
        if stat.S_ISDIR(info.st_mode):
            if not recursive:
                yield SourceError(name, "is a directory (use -r to process the files in it)")
                continue
            for file in _walk(path):
                if isinstance(file, SourceError):
                    yield file
                else:
                    yield Source(str(file), file, file.relative_to(path))
        else:
            yield Source(name, path, Path(path.name))


def _unreadable(path: Path, exc: OSError) -> str:
    """Why a named input cannot even be looked at, in one line."""
    if exc.errno == errno.ELOOP:
        return "symbolic link loop (too many levels of symbolic links)"
    if exc.errno == errno.ENOENT:
        if os.path.islink(path):
            return "dangling symbolic link (the file it names does not exist)"
        return "no such file or directory"
    return exc.strerror or str(exc)


def read_bytes(source: Source) -> bytes:
    if source.path is None:
        return sys.stdin.buffer.read()
    try:
        return _read_file(source.path)
    except IsADirectoryError:
        raise InputError("is a directory (use -r to process the files in it)") from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc)) from None


def _read_file(path: Path) -> bytes:
    # Path.read_bytes costs 9 system calls (a buffered file object: fstat twice, ioctl,
    # lseek twice); this costs 5, one open, fstat and close for every document read.
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        parts = []
        chunk = os.read(fd, os.fstat(fd).st_size + 1)  # one byte more than the file holds
        while chunk:  # until a read at the end: the file may have grown, or says size 0
            parts.append(chunk)
            chunk = os.read(fd, 1 << 20)
        return b"".join(parts)  # one part: that object itself, no copy
    finally:
        os.close(fd)


def same_file(a: Path, b: Path) -> bool:
    """True when both paths name the same existing file (by device and inode)."""
    try:
        # ``b`` first: it is an output path, usually not there yet (one stat, not two).
        second = os.stat(b)
        first = os.stat(a)
    except OSError:
        return False
    return first.st_ino == second.st_ino and first.st_dev == second.st_dev


def atomic_write(target: Path, chunks: Iterable[bytes], mode_from: Path | None = None,
                 durable: bool = False, make_folder: bool = False) -> None:
    """Write ``chunks`` to ``target`` atomically: temp file in the same folder, rename.

    The new file gets ``mode_from``'s permission bits (or the target's, if it exists; else
    what ``open()`` gives a new file). A SIGKILL can leave a ``.NAME.*.tmp`` file beside the
    target, never a truncated target. ``make_folder`` makes a missing folder. ``durable``
    fsyncs before the rename: for files that replace an input (``-i``), not for outputs that
    can be made again (an fsync per file made ``clean --output-dir`` 1.6 times slower on the
    corpus).

    Plain ``os`` calls, no file object and no ``tempfile``: a new output costs 5 system
    calls (stat, open, write, close, rename) where they cost 17, and ``clean`` makes one per
    document.
    """
    target = Path(target)
    folder = target.parent
    mode = owner = None
    for candidate in (mode_from, target):
        if candidate is not None:
            try:
                # A link in the target's place is replaced, not taken after.
                info = os.stat(candidate, follow_symlinks=candidate is mode_from)
            except OSError:
                continue
            if stat.S_ISLNK(info.st_mode):
                continue
            mode = stat.S_IMODE(info.st_mode)
            owner = info.st_uid, info.st_gid
            break
    try:
        fd, tmp = _writing(_open_temp, folder, target.name, mode)
    except WriteError as exc:
        if exc.errno != errno.ENOENT or not make_folder:
            raise
        _writing(folder.mkdir, parents=True, exist_ok=True)  # tried after: a syscall saved
        fd, tmp = _writing(_open_temp, folder, target.name, mode)
    try:
        try:
            if owner is not None:
                _keep_owner(fd, *owner)
            if mode is not None:  # after the owner: chown clears set-user-ID bits
                _writing(os.fchmod, fd, mode)
            _write_chunks(fd, chunks)
            if durable:
                _writing(os.fsync, fd)
        finally:
            _writing(os.close, fd)
        _writing(os.replace, tmp, target)
    except BaseException:
        _remove_temp(tmp)
        raise
    _LIVE_TEMPS.discard(tmp)  # renamed: nothing left to remove (a signal before this line
    # makes ``remove_temps`` try a name that is gone, which does no harm)


def _keep_owner(fd: int, uid: int, gid: int) -> None:
    """Give the new file the old one's owner and group, as far as this process may (as GNU
    ``sed -i`` does): root keeps both, a member of the group keeps the group."""
    if (uid, gid) == (os.geteuid(), os.getegid()):
        return  # the new file has them already: no system call
    for ids in ((uid, gid), (-1, gid)):
        try:
            os.fchown(fd, *ids)
            return
        except OSError:
            continue


def make_backup(path: Path, suffix: str) -> Path:
    """Keep ``path`` as ``path+suffix`` (replaced atomically if it exists), in bounded
    memory: a hard link to the file (no data copied; owner, mode and times its own) when it
    has no other name, else a copy streamed through ``atomic_write``. Its ``-i`` rewrite
    then renames a new file over ``path``, which leaves the linked one as it was."""
    backup = Path(f"{path}{suffix}")
    try:
        alone = os.stat(path).st_nlink == 1
    except OSError as exc:
        raise WriteError(exc.errno, exc.strerror or str(exc)) from None
    if alone and _link_over(path, backup):
        return backup
    atomic_write(backup, _file_chunks(path), mode_from=path, durable=True)
    return backup


def _link_over(source: Path, target: Path) -> bool:
    """Hard-link ``source`` as ``target``, replacing it; False where links cannot be made
    (the caller copies instead)."""
    global _temp_count
    while True:
        _temp_count += 1
        tmp = os.path.join(target.parent,
                           f".{temp_stem(target.name)}.{os.getpid()}-{_temp_count}.tmp")
        _LIVE_TEMPS.add(tmp)
        try:
            os.link(source, tmp, follow_symlinks=False)
            break
        except FileExistsError:  # left by a killed process with the same pid: next number
            _LIVE_TEMPS.discard(tmp)
        except OSError:  # no hard links here (EPERM, EXDEV, EMLINK, ENOTSUP...)
            _LIVE_TEMPS.discard(tmp)
            return False
        except BaseException:
            _remove_temp(tmp)
            raise
    try:
        _writing(os.replace, tmp, target)
    except BaseException:
        _remove_temp(tmp)
        raise
    _LIVE_TEMPS.discard(tmp)
    return True


def _file_chunks(path: Path, size: int = 1 << 20) -> Iterator[bytes]:
    """The bytes of ``path``, a megabyte at a time."""
    with open(path, "rb") as fh:
        while chunk := fh.read(size):
            yield chunk


def write_output(target: Path, chunks: Iterable[bytes], make_folder: bool = False) -> None:
    """Write a new output (``-o``, ``--output-dir``) as ``> target`` would, but atomically.

    A regular file, or a name that does not exist yet, is replaced by ``atomic_write``; a
    symbolic link is written through (the file it names is replaced, the link stays); a FIFO
    or a device (``/dev/null``, ``/dev/stdout``) cannot be replaced by a rename, so it is
    opened and written to, as the shell does.
    """
    target = Path(target)
    try:
        mode = os.lstat(target).st_mode
    except OSError:  # nothing there yet (or it cannot be seen): made new, or the error said
        mode = None
    if mode is not None and stat.S_ISLNK(mode):
        try:
            mode = os.stat(target).st_mode
        except OSError:  # a dangling link: its file is made, as `>` makes it
            mode = None
        if mode is None or stat.S_ISREG(mode):
            target = Path(os.path.realpath(target))
    if mode is not None and (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                             or stat.S_ISSOCK(mode)):
        fd = _writing(os.open, target, os.O_WRONLY | os.O_CLOEXEC)
        try:
            _write_chunks(fd, chunks)
        finally:
            _writing(os.close, fd)
        return
    atomic_write(target, chunks, make_folder=make_folder)


class WriteError(OSError):
    """Writing an output failed, as opposed to reading an input or cleaning it: for a
    streamed document, whose input is still being read while its output is written."""


def _write_chunks(fd: int, chunks: Iterable[bytes]) -> None:
    """Write every chunk whole; what making the chunks raises passes as it is (a streamed
    input still being read), what writing raises is a WriteError."""
    for chunk in chunks:
        view = memoryview(chunk)
        while view:
            view = view[_writing(os.write, fd, view):]


def _writing(call: Any, *args: Any, **kwargs: Any) -> Any:
    """``call(*args)``, an OS call that writes the output: its OSError becomes a WriteError."""
    try:
        return call(*args, **kwargs)
    except OSError as exc:
        raise WriteError(exc.errno, exc.strerror or str(exc)) from None


_temp_count = 0


# Bytes of the target's name kept in a temporary file's name: with the dot, the process id
# and the counter added, the name stays within the 255 bytes most file systems allow, even
# for a target name at that limit (85 Chinese characters in UTF-8).
TEMP_STEM_BYTES = 200


def temp_stem(name: str) -> str:
    """``name``, cut by whole characters to at most ``TEMP_STEM_BYTES`` bytes on disk."""
    stem = name
    while len(os.fsencode(stem)) > TEMP_STEM_BYTES:
        stem = stem[:-1]
    return stem


# Temporary files this process may have made and not yet renamed or removed. A name is added
# before the file is created, so that a signal at any moment (between the ``open`` and the
# code that would remove the file on failure) still finds it: ``remove_temps`` runs in the
# handlers of SIGINT and SIGTERM (``cleantext.runner``) and removes every one.
_LIVE_TEMPS: set[str] = set()


def _remove_temp(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass
    _LIVE_TEMPS.discard(tmp)


def remove_temps() -> None:
    """Remove every temporary file this process has made and not renamed: before a stop."""
    for tmp in list(_LIVE_TEMPS):
        _remove_temp(tmp)


def _open_temp(folder: Path, name: str, mode: int | None) -> tuple[int, str]:
    """Create ``folder/.NAME.PID-N.tmp`` (a name no other process or call uses): its fd and
    path. A new file's mode is what ``open()`` gives (the umask applies); one that will get
    ``mode`` is private until then. The name is in ``_LIVE_TEMPS`` before the file exists."""
    global _temp_count
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW
    while True:
        _temp_count += 1
        tmp = os.path.join(folder, f".{temp_stem(name)}.{os.getpid()}-{_temp_count}.tmp")
        _LIVE_TEMPS.add(tmp)
        try:
            return os.open(tmp, flags, 0o666 if mode is None else 0o600), tmp
        except FileExistsError:  # left by a killed process with the same pid: next number
            _LIVE_TEMPS.discard(tmp)
            continue
        except BaseException:  # not made, or made and then a signal came: remove
            _remove_temp(tmp)
            raise
