"""The ``cleantext`` command: a click group with one subcommand per registered step, plus
``clean`` (several steps in one process) and ``meta`` (metadata as JSON Lines).

The CLI only parses options and calls the library; ``main`` maps every outcome to an exit
status -- 0 ok, 1 some input failed (or would change, with --check/--diff), 2 usage error,
130 interrupted -- and never lets a traceback through.
"""

from __future__ import annotations

import os
import sys

import click

from cleantext import __version__
from cleantext.errors import OutputClosed
from cleantext.registry import STEP_MODULES

CONTEXT = {"help_option_names": ["-h", "--help"]}
# Commands besides the steps: name -> (module, attribute, the one line --help shows).
OTHER_COMMANDS = {
    "clean": ("cleantext.cli.clean", "clean_command",
              "Run several steps in one process over files, directories or stdin."),
    "meta": ("cleantext.cli.meta", "meta_command",
             "Print each document's metadata as one JSON line."),
}


class _Commands(click.Group):
    """The subcommands, each built when it is asked for: ``cleantext normalize`` imports
    the normalize step and nothing of the other steps (start-up time)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*STEP_MODULES, *OTHER_COMMANDS]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            if cmd_name in STEP_MODULES:
                from cleantext.cli.steps import step_command
                from cleantext.registry import get

                self.add_command(step_command(get(cmd_name)))
            elif cmd_name in OTHER_COMMANDS:
                from importlib import import_module

                module, attribute, _ = OTHER_COMMANDS[cmd_name]
                self.add_command(getattr(import_module(module), attribute))
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of --help, from the registry's summaries: no step is imported."""
        from cleantext.registry import STEP_SUMMARIES

        rows = list(STEP_SUMMARIES.items())
        rows += [(name, summary) for name, (_, _, summary) in OTHER_COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def version_text() -> str:
    """``cleantext 0.1.0 (OpenCC 1.4.2)``: OpenCC's dictionaries change what ``convert``
    gives between versions. Read from the installed metadata, without importing opencc."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        opencc = f"OpenCC {version('opencc')}"
    except PackageNotFoundError:
        opencc = "OpenCC not installed"
    return f"cleantext {__version__} ({opencc})"


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(version_text())
        ctx.exit()


@click.group(cls=_Commands, context_settings=CONTEXT)
@click.option("-V", "--version", is_flag=True, expose_value=False, is_eager=True,
              callback=_print_version, help="Print the version (and OpenCC's) and exit.")
def cli() -> None:
    """Clean scraped posts (front matter + HTML body) in Unix pipelines.

    Each subcommand does one step, reads FILEs or stdin and writes stdout, and keeps the
    front matter byte for byte unless asked to change it.

    \b
    Example:
      cleantext strip-ads post.md | cleantext strip-html | cleantext normalize
      cleantext clean -r posts/ --output-dir clean/
    """



def main() -> None:
    """Run the CLI and exit with the status of its outcome (``SystemExit``)."""
    sys.exit(run())


def entry() -> None:
    """The installed command and ``python -m cleantext``: ``main`` without the interpreter's
    teardown. Once the status is known and stdout and stderr are flushed, the process has
    nothing left to do, and freeing every module and object (OpenCC's dictionaries, lxml's
    state, ...) cost 26-39 M instructions, 15-20 ms, of each run here. Every output file is
    written and closed (renamed into place) and every worker process joined before ``run``
    returns, so skipping the teardown loses nothing.
    """
    try:
        status = run()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a closed or vanished stream: nothing more to say
                pass
    except KeyboardInterrupt:  # Ctrl-C after the work was done
        status = 130
    os._exit(status)


def run() -> int:
    """Run the CLI on ``sys.argv`` and turn every outcome into an exit status."""
    try:
        status = cli.main(prog_name="cleantext", standalone_mode=False)
    except click.exceptions.Exit as exc:
        status = exc.exit_code
    except click.ClickException as exc:
        exc.show()
        status = exc.exit_code
    except (click.Abort, KeyboardInterrupt):
        sys.stderr.write("cleantext: interrupted\n")
        status = 130
    except (BrokenPipeError, OutputClosed):
        status = _quiet_broken_pipe()
    except Exception as exc:  # a bug: say so in one line, not a traceback
        if os.environ.get("CLEANTEXT_DEBUG"):
            raise
        sys.stderr.write(f"cleantext: internal error: {type(exc).__name__}: {exc}\n")
        status = 1
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        status = _quiet_broken_pipe()
    return status if isinstance(status, int) else 0


def _quiet_broken_pipe() -> int:
    # The reader went away (``| head``): stop quietly, as a C filter killed by SIGPIPE would.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 141
