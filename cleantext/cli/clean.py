"""``cleantext clean``: several steps over many documents in one process."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from cleantext.cli.options import (INPUT_KEYS, OUTPUT_KEYS, click_option, exit_status,
                                   help_text, input_options, output_from, output_options, pop,
                                   sources_from)
from cleantext.registry import STEPS, all_params, default_steps


@click.command(
    "clean",
    short_help="Run several steps in one process over files, directories or stdin.",
    help=help_text(
        "Run several steps in one process over files, directories or stdin.",
        "cleantext clean -r posts/ --output-dir clean/ -j 2\n"
        "cleantext clean -s strip-html -s normalize post.md",
        "Default steps: " + ", ".join(default_steps()) + ". The output of "
        "`clean -s a -s b` is the same as `cleantext a | cleantext b`.",
    ),
    context_settings={"help_option_names": ["-h", "--help"]},
)
@input_options
@output_options
@click.option("-s", "--step", "steps", multiple=True, type=click.Choice(list(STEPS)),
              metavar="STEP", help="A step to run (repeatable, in order). Default: "
              + ", ".join(default_steps()) + ". Valid: " + ", ".join(STEPS) + ".")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes [default: number of cores].")
@click.option("--progress/--no-progress", default=None,
              help="Show progress on stderr [default: when stderr is a terminal].")
def clean_command(steps: tuple[str, ...], jobs: int | None, progress: bool | None,
                  **kwargs: Any) -> int:
    from cleantext import runner
    from cleantext.pipeline import StepsJob

    inputs = pop(kwargs, INPUT_KEYS)
    outputs = pop(kwargs, OUTPUT_KEYS)
    sources = sources_from(**inputs)
    output = output_from(sources, **outputs, **inputs)
    job = StepsJob(steps or default_steps(), kwargs)
    if progress is None:
        progress = sys.stderr.isatty()
    stats = runner.run(sources, job, output, encoding=inputs["encoding"],
                       jobs=jobs or os.cpu_count() or 1, progress=progress,
                       stream_job=job.stream if job.streams else None, label="cleaning")
    if stats.failed:
        click.echo(f"cleantext: {stats.done:,} cleaned, {stats.failed:,} failed", err=True)
    return exit_status(stats, output)


clean_command.params.extend(click_option(p) for p in all_params(STEPS))
