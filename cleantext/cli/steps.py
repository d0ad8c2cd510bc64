"""One subcommand per registered step, generated from the step's description."""

from __future__ import annotations

from typing import Any

import click

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
)
from cleantext.registry import Step


def step_command(step: Step) -> click.Command:
    def callback(**kwargs: Any) -> None:
        from cleantext import runner
        from cleantext.pipeline import StepsJob

        inputs = pop(kwargs, INPUT_KEYS)
        outputs = pop(kwargs, OUTPUT_KEYS)
        check_params(step.params, kwargs)
        sources = sources_from(**inputs)
        output = output_from(sources, **outputs, **inputs)
        job = StepsJob([step.name], kwargs)
        stats = runner.run(sources, job, output, encoding=inputs["encoding"],
                           stream_job=job.stream if job.streams else None)
        finish(stats, output)

    callback = output_options(input_options(callback))
    command = click.command(
        step.name,
        help=help_text(step.summary, step.example, step.description),
        short_help=step.summary,
        context_settings={"help_option_names": ["-h", "--help"]},
    )(callback)
    command.params.extend(click_option(p) for p in step.params)
    return command
