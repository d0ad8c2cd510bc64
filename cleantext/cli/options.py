"""The I/O contract's options, defined once and shared by every command.

``input_options`` and ``output_options`` are decorator bundles; ``sources_from`` and
``output_from`` turn their values into what ``cleantext.runner`` takes, raising
``click.UsageError`` (exit 2) for combinations that make no sense.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import click

from cleantext.errors import CleantextError
from cleantext.io import STDIN, Source, SourceError, iter_sources, read_files0, same_file
from cleantext.registry import Param
from cleantext.runner import Output, Stats

INPUT_KEYS = ("files", "recursive", "files0_from", "encoding")
OUTPUT_KEYS = ("output", "in_place", "backup", "output_dir", "check", "diff")


def _apply(decorators: list[Callable], f: Callable) -> Callable:
    for decorator in reversed(decorators):
        f = decorator(f)
    return f


def _known_encoding(ctx: click.Context, param: click.Parameter, name: str | None) -> str | None:
    """--encoding checked once, before any input is read: not one error per document."""
    import codecs

    if name is not None:
        try:
            known = codecs.lookup(name)._is_text_encoding  # not rot13, base64...
        except LookupError:
            known = False
        if not known:
            raise click.BadParameter(f"unknown text encoding {name!r}")
    return name


def input_options(f: Callable) -> Callable:
    return _apply([
        click.argument("files", nargs=-1, metavar="[FILE]..."),
        click.option("-r", "--recursive", is_flag=True,
                     help="Process the documents (.md, .html, .txt...) in directories given."),
        click.option("--files0-from", metavar="F",
                     help="Read NUL-separated input paths from F (- for stdin), as from "
                          "find -print0."),
        click.option("--encoding", metavar="NAME", callback=_known_encoding,
                     help="Decode inputs with this encoding instead of UTF-8/detection."),
        *_FAULT_OPTIONS,
    ], f)


# --- issue 22 (faults): invalid bytes and per-document time limit ----------------------------
# Not passed to the commands: the callbacks set what cleantext.decoding and cleantext.runner use.


def _set_encoding_errors(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from cleantext import decoding

    decoding.ENCODING_ERRORS = value
    return value


def _set_timeout(ctx: click.Context, param: click.Parameter, value: float) -> float:
    from cleantext import runner

    runner.TIMEOUT = value or None
    return value


def _backup_suffix(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value == "":  # a backup named as the file itself would be no backup at all
        raise click.BadParameter("an empty suffix names the file itself; give one (.bak)")
    return value


_FAULT_OPTIONS = [
    click.option("--encoding-errors", type=click.Choice(["keep", "replace", "strict"]),
                 default="keep", show_default=True, expose_value=False,
                 callback=_set_encoding_errors,
                 help="Bytes not valid in the input's encoding: keep them unchanged (and "
                      "warn), replace each by U+FFFD (and warn), or fail the document."),
    click.option("--timeout", type=click.FloatRange(min=0), default=60, show_default=True,
                 metavar="SECONDS", expose_value=False, callback=_set_timeout,
                 help="A document taking longer fails (one line) and the others go on; "
                      "0: no limit. Files over 8 MB streamed by normalize/convert have none."),
]
# --- end of issue 22 ------------------------------------------------------------------------


def output_options(f: Callable) -> Callable:
    return _apply([
        click.option("-o", "--output", metavar="PATH",
                     help="Write the result to PATH (one input only)."),
        click.option("-i", "--in-place", is_flag=True,
                     help="Rewrite each file atomically with its result (owner, group and "
                          "mode kept; a symbolic link kept, the file it names rewritten; a "
                          "file with other hard links gets a new file under this name "
                          "only)."),
        click.option("--backup", metavar="SUFFIX", callback=_backup_suffix,
                     help="With -i, keep the original as FILE+SUFFIX."),
        click.option("--output-dir", metavar="DIR",
                     help="Write results under DIR, mirroring the inputs' relative paths."),
        click.option("--check", is_flag=True,
                     help="Write nothing; list the files that would change, exit 1 if any."),
        click.option("--diff", is_flag=True,
                     help="Write nothing; print a unified diff of the changes, exit 1 if any."),
    ], f)


def pop(kwargs: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: kwargs.pop(key) for key in keys if key in kwargs}


def sources_from(files: tuple[str, ...], recursive: bool, files0_from: str | None,
                 **_: Any) -> list[Source | SourceError]:
    names = list(files)
    if files0_from is not None:
        if files0_from == STDIN and STDIN in names:
            raise click.UsageError("stdin cannot be both --files0-from - and an input")
        try:
            names += read_files0(files0_from)
        except CleantextError as exc:
            raise click.UsageError(f"--files0-from: {exc}") from None
    elif not names:
        names = [STDIN]
    if STDIN in names and sys.stdin is not None and sys.stdin.isatty():
        click.echo("cleantext: reading a document from standard input (end it with Ctrl-D)",
                   err=True)
    return list(iter_sources(names, recursive))


def output_from(sources: list[Source | SourceError], output: str | None, in_place: bool,
                backup: str | None, output_dir: str | None, check: bool, diff: bool,
                recursive: bool = False, files: tuple[str, ...] = (), **_: Any) -> Output:
    chosen = [name for name, on in (("-o", output), ("-i", in_place), ("--output-dir", output_dir),
                                    ("--check", check), ("--diff", diff)) if on]
    if len(chosen) > 1:
        raise click.UsageError(f"{' and '.join(chosen)} cannot be used together")
    if backup and not in_place:
        raise click.UsageError("--backup only goes with -i/--in-place")
    if output == STDIN:  # -o -: standard output, as for pandoc
        output = None
    readable = [s for s in sources if isinstance(s, Source)]
    if output:
        if len(sources) != 1:
            raise click.UsageError("-o/--output takes exactly one input")
        for source in readable:
            if source.path is not None and same_file(source.path, Path(output)):
                raise click.UsageError(f"-o {output}: that is the input file; use -i to "
                                       "rewrite it in place")
        return Output("file", Path(output))
    if in_place:
        if any(s.path is None for s in readable):
            raise click.UsageError("-i/--in-place needs files, not standard input")
        return Output("in-place", backup=backup)
    if output_dir:
        out = Path(output_dir).resolve()
        for name in files:
            folder = Path(name).resolve()
            if recursive and Path(name).is_dir() and (out == folder or folder in out.parents):
                raise click.UsageError(f"--output-dir {output_dir} is inside the input "
                                       f"directory {name}; choose a folder outside it")
        return Output("dir", Path(output_dir))
    if check:
        return Output("check")
    if diff:
        return Output("diff")
    return Output("stdout")


@contextlib.contextmanager
def stdout_to(target: str | None) -> Iterator[None]:
    """Send what the runner writes to stdout into ``target`` (None or ``-``: stdout itself),
    written at the end as ``io.write_output`` writes (atomically for a file).

    The runner writes each result to ``sys.stdout.buffer`` in input order; for one output
    file (``meta -o``, ``clean --to jsonl -o``) the results are gathered in a temporary
    file first, so an interrupted run leaves the old file (or none).
    """
    if target is None or target == STDIN:
        yield
        return
    import io
    import tempfile

    from cleantext.io import write_output

    with tempfile.TemporaryFile() as spool:
        wrapper = io.TextIOWrapper(spool, encoding="utf-8", write_through=True)
        with contextlib.redirect_stdout(wrapper):
            yield
        wrapper.flush()
        wrapper.detach()
        spool.seek(0)
        write_output(Path(target), iter(lambda: spool.read(1 << 20), b""))


def check_params(params: Iterable[Param], given: dict[str, Any]) -> None:
    """Run each param's ``check`` on the value given for it, before any document is read:
    a value that cannot work is one usage error, not one error per document."""
    for param in params:
        value = given.get(param.name)
        if param.check is None or value is None or value == param.default:
            continue
        try:
            param.check(value)
        except CleantextError as exc:
            option = "--" + param.name.replace("_", "-")
            raise click.UsageError(f"{option}: {exc}") from None


def exit_status(stats: Stats, output: Output) -> int:
    if stats.failed:
        return 1
    if output.mode in ("check", "diff") and stats.changed:
        return 1
    return 0


def finish(stats: Stats, output: Output) -> None:
    """End the command with the exit status the counts call for."""
    click.get_current_context().exit(exit_status(stats, output))


class _Choice(click.Choice):
    """One of a fixed set of names, where ``NAME.json`` is NAME: OpenCC's configurations are
    files so named, and its own tools take ``-c t2s.json`` (here the same as ``-c t2s``)."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        if isinstance(value, str) and value.endswith(".json") and value[:-5] in self.choices:
            value = value[:-5]
        return super().convert(value, param, ctx)


def click_option(param: Param) -> click.Option:
    """A click option from a step's library-level Param."""
    decls = [f"--{param.name.replace('_', '-')}"]
    if param.short:
        decls.append(param.short)
    if param.flag:
        return click.Option(decls, is_flag=True, default=bool(param.default), help=param.help)
    if param.choices:
        kind: Any = _Choice(param.choices)
    elif param.is_path:
        kind = click.Path()
    elif isinstance(param.default, int) and not isinstance(param.default, bool):
        kind = int
    else:
        kind = str
    return click.Option(decls, type=kind, default=param.default, multiple=param.multiple,
                        metavar=param.metavar, help=param.help,
                        show_default=param.default not in (None, ()))


def help_text(summary: str, example: str, description: str = "") -> str:
    lines = "\n".join(f"  {line}" for line in example.splitlines())
    parts = [summary]
    if description:
        parts.append(description)
    parts.append(f"Example:\n\n\b\n{lines}")
    return "\n\n".join(parts)
