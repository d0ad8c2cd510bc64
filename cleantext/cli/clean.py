"""``cleantext clean``: several steps over many documents in one process.

The steps and their options come from the registry, so a step added there appears here with
no code in this module. This module owns what only ``clean`` has: the choice of steps
(``-s``), the output form (``--to text|markdown|jsonl``), worker processes (``-j``), the
progress bar and the closing summary line.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from cleantext.cli import OTHER_COMMANDS
from cleantext.cli.options import (
    INPUT_KEYS,
    OUTPUT_KEYS,
    check_params,
    click_option,
    finish,
    help_text,
    input_options,
    output_from,
    output_options,
    pop,
    sources_from,
    stdout_to,
)
from cleantext.io import STDIN
from cleantext.registry import STEPS, all_params, default_steps

FORMATS = ("text", "markdown", "jsonl")
# The step option that makes a step write Markdown instead of plain text (strip-html's).
MARKDOWN_PARAM = "markdown"
# Output options that write one result per input; --to jsonl writes one stream instead.
_PER_FILE_OUTPUTS = (("in_place", "-i/--in-place"), ("backup", "--backup"),
                     ("output_dir", "--output-dir"), ("check", "--check"), ("diff", "--diff"))


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use (containers)
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@click.command(
    "clean",
    short_help=OTHER_COMMANDS["clean"][2],
    help=help_text(
        "Run several steps in one process over files, directories or stdin.",
        "cleantext clean -r posts/ --output-dir clean/ -j 2\n"
        "cleantext clean -s strip-html -s normalize post.md\n"
        "cleantext clean -r posts/ --to jsonl -o corpus.jsonl",
        "Default steps: " + ", ".join(default_steps()) + ". The output of "
        "`clean -s a -s b` is the same as `cleantext a | cleantext b`. With --to jsonl each "
        "document becomes one JSON object: the metadata record of the cleaned document (as "
        "`cleantext clean F | cleantext meta` gives it) plus `text`, the cleaned body.",
    ),
    context_settings={"help_option_names": ["-h", "--help"]},
)
@input_options
@output_options
@click.option("-s", "--step", "steps", multiple=True, type=click.Choice(list(STEPS)),
              metavar="STEP", help="A step to run (repeatable, in order). Default: "
              + ", ".join(default_steps()) + ". Valid: " + ", ".join(STEPS) + ".")
@click.option("--to", "to", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Output form: cleaned text, Markdown (keeps headings, lists, links), or "
                   "JSON Lines (one object per document, to stdout or -o FILE).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=None,
              help="Worker processes; 0: one per core [default: number of cores].")
@click.option("--progress/--no-progress", default=None,
              help="Show progress on stderr [default: when stderr is a terminal].")
def clean_command(steps: tuple[str, ...], to: str, jobs: int | None, progress: bool | None,
                  **kwargs: Any) -> None:
    from cleantext import runner
    from cleantext.pipeline import JsonlJob, StepsJob

    chosen = steps or default_steps()
    inputs = pop(kwargs, INPUT_KEYS)
    outputs = pop(kwargs, OUTPUT_KEYS)
    check_params(all_params(chosen), kwargs)
    if to == "markdown":
        if not any(p.name == MARKDOWN_PARAM for p in all_params(chosen)):
            raise click.UsageError(f"--to markdown: none of the steps ({', '.join(chosen)}) "
                                   "writes Markdown; add -s strip-html")
        kwargs[MARKDOWN_PARAM] = True
    if to == "jsonl":
        _check_jsonl_outputs(outputs)
        target = None if outputs["output"] == STDIN else outputs["output"]
        sources = sources_from(**inputs)
        if target is not None:
            _check_not_an_input(sources, Path(target))
        output = runner.Output("stdout")
        job: StepsJob = JsonlJob(chosen, kwargs)
    else:
        target = None
        sources = sources_from(**inputs)
        output = output_from(sources, **outputs, **inputs)
        job = StepsJob(chosen, kwargs)
    if progress is None:
        progress = sys.stderr.isatty()
    try:
        with stdout_to(target):
            stats = runner.run(sources, job, output, encoding=inputs["encoding"],
                               jobs=jobs or _cores(), progress=progress,
                               stream_job=job.stream if job.streams else None,
                               label="cleaning")
    except OSError as exc:
        if target is None:
            raise
        # The -o file of --to jsonl could not be written.
        runner.error(str(target), f"cannot write: {exc.strerror or exc}")
        click.get_current_context().exit(1)
    if stats.failed:
        click.echo(f"cleantext: {stats.done:,} cleaned, {stats.failed:,} failed", err=True)
    finish(stats, output)


clean_command.params.extend(click_option(p) for p in all_params(STEPS))


def _check_jsonl_outputs(outputs: dict[str, Any]) -> None:
    for key, flag in _PER_FILE_OUTPUTS:
        if outputs.get(key):
            raise click.UsageError(f"{flag} cannot be used with --to jsonl, which writes one "
                                   "stream: stdout, or one file with -o FILE")


def _check_not_an_input(sources: list[Any], target: Path) -> None:
    from cleantext.io import Source, same_file

    for source in sources:
        if isinstance(source, Source) and source.path is not None \
                and same_file(source.path, target):
            raise click.UsageError(f"-o {target}: that is one of the inputs")


