"""``cleantext meta``: each document's metadata as one JSON line (JSON Lines), for jq."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from cleantext.cli import OTHER_COMMANDS
from cleantext.cli.options import (
    INPUT_KEYS,
    finish,
    help_text,
    input_options,
    pop,
    sources_from,
    stdout_to,
)
from cleantext.io import STDIN, same_file


def _split_fields(ctx: click.Context, param: click.Parameter,
                  value: tuple[str, ...]) -> tuple[str, ...] | None:
    if not value:
        return None
    names = tuple(name.strip() for spec in value for name in spec.split(",") if name.strip())
    if not names:
        raise click.BadParameter("give at least one field name, e.g. --fields title,date")
    return names


@click.command(
    "meta",
    short_help=OTHER_COMMANDS["meta"][2],
    help=help_text(
        "Print each document's metadata as one JSON line (JSON Lines).",
        "cleantext meta posts/*.md | jq -r .title\n"
        "cleantext meta --fields title,date,url -r posts/ > index.jsonl",
        "Every front-matter key (YAML, TOML or JSON) with dates as ISO 8601, then added "
        "fields: _path, _format, _url, _date_from, _chars, _paragraphs, _script "
        "(simplified, traditional, mixed or none). A document whose front matter cannot be "
        "parsed is reported on stderr with its line, and the others still printed.",
    ),
    context_settings={"help_option_names": ["-h", "--help"]},
)
@input_options
@click.option("-o", "--output", metavar="PATH",
              help="Write the JSON lines to PATH (atomically) instead of stdout.")
@click.option("--fields", multiple=True, callback=_split_fields, metavar="A,B,...",
              help="Print only these keys, in this order (missing ones as null); an added "
                   "field may be named without its underscore (url for _url).")
@click.option("--raw", is_flag=True,
              help="Keep values as parsed: no date conversion beyond making them JSON-safe.")
@click.option("--pretty", is_flag=True, help="Indent the JSON (one object per several lines).")
@click.option("--ascii", "ascii_", is_flag=True, help="Escape non-ASCII characters (\\uXXXX).")
def meta_command(output: str | None, fields: tuple[str, ...] | None, raw: bool, pretty: bool,
                 ascii_: bool, **kwargs: Any) -> None:
    from cleantext import runner
    from cleantext.meta import MetaJob

    inputs = pop(kwargs, INPUT_KEYS)
    sources = sources_from(**inputs)
    job = MetaJob(raw=raw, fields=fields, ascii=ascii_, pretty=pretty)
    target = None if output in (None, STDIN) else Path(output)
    if target is not None:
        for source in sources:
            if getattr(source, "path", None) is not None and same_file(source.path, target):
                raise click.UsageError(f"-o {output}: that is an input file")
    try:
        with stdout_to(output):
            stats = runner.run(sources, job, encoding=inputs["encoding"])
    except OSError as exc:
        if target is None:
            raise
        runner.error(str(target), f"cannot write: {exc.strerror or exc}")
        click.get_current_context().exit(1)
    finish(stats, runner.Output())
