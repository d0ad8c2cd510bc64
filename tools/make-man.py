"""Write the man page docs/cleantext.1 from the click help of ``cleantext`` and its commands.

    python tools/make-man.py            write docs/cleantext.1
    python tools/make-man.py -o -       print it instead
    python tools/make-man.py --check    exit 1 if docs/cleantext.1 is not what it would write

Everything comes from the command tree through click's own API (``list_commands``,
``get_command``, ``get_help_record``), so the page says what ``--help`` says: the group's
help, then one section per command with its usage, help and options. The page carries the
version, not a date, so regenerating it without a change gives the same bytes. The
choices of ``convert -c`` are the installed OpenCC's.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "cleantext.1"
sys.path.insert(0, str(ROOT))  # the cleantext of this tree, whatever is installed


def escape(text: str) -> str:
    """Text as roff: backslashes and hyphens escaped, other characters than ASCII as
    ``\\[uXXXX]`` (which groff and mandoc read), no line taken for a request."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    text = "".join(c if ord(c) < 128 else f"\\[u{ord(c):04X}]" for c in text)
    return "\n".join("\\&" + line if line.startswith((".", "'")) else line
                     for line in text.splitlines())


def paragraphs(help_text: str) -> list[str]:
    """click help as roff paragraphs; a ``\\b`` paragraph keeps its lines (no refill)."""
    import inspect

    out = []
    for block in inspect.cleandoc(help_text).split("\n\n"):
        lines = block.splitlines()
        if not lines:
            continue
        if lines[0].strip() == "\b":
            out.append(".nf\n" + escape("\n".join(lines[1:])) + "\n.fi")
        else:
            out.append(escape(" ".join(line.strip() for line in lines)))
    return out


def options(command: object, ctx: object) -> list[str]:
    import click

    assert isinstance(command, click.Command) and isinstance(ctx, click.Context)
    out = []
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None:  # arguments
            continue
        names, help_text = record
        out += [".TP", f"\\fB{escape(names)}\\fR", escape(help_text or "")]
    return out


def page() -> str:
    import click

    from cleantext import __version__
    from cleantext.cli import cli

    root = click.Context(cli, info_name="cleantext", **cli.context_settings)
    lines = [
        f'.TH CLEANTEXT 1 "" "cleantext {__version__}" "User Commands"',
        ".SH NAME",
        "cleantext \\- " + escape("clean scraped posts (front matter + HTML body) in Unix "
                                  "pipelines"),
        ".SH SYNOPSIS",
        "\\fBcleantext\\fR [\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]...",
        ".SH DESCRIPTION",
    ]
    for paragraph in paragraphs(cli.help or ""):
        lines += [".PP", paragraph]
    lines += [".SH OPTIONS", *options(cli, root), ".SH COMMANDS"]
    for name in cli.list_commands(root):
        command = cli.get_command(root, name)
        assert command is not None, name
        ctx = click.Context(command, info_name=name, parent=root, **command.context_settings)
        usage = " ".join(command.collect_usage_pieces(ctx))
        lines += [f".SS {escape(name)}",
                  f"\\fBcleantext {escape(name)}\\fR {escape(usage)}"]
        for paragraph in paragraphs(command.help or command.short_help or ""):
            lines += [".PP", paragraph]
        lines += [".PP", "Options:", ".RS", *options(command, ctx), ".RE"]
    lines += [
        ".SH EXIT STATUS",
        "0 done; 1 some input failed (or, with \\-\\-check or \\-\\-diff, would change); "
        "2 usage error; 130 interrupted.",
        ".SH SEE ALSO",
        "\\fBcleantext COMMAND \\-\\-help\\fR; README.md and docs/ in the source.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", default=str(PAGE),
                        help="where to write the page (- for stdout)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if the page is not up to date")
    args = parser.parse_args(argv)
    text = page()
    target = Path(args.output)
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print(f"{target}: not up to date; run python tools/make-man.py", file=sys.stderr)
            return 1
        return 0
    if args.output == "-":
        sys.stdout.write(text)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
