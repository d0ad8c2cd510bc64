"""README.md stays a newcomer's page and docs/ keeps up with the commands.

The README is short (at most 15,000 bytes); the full reference is docs/commands.md, with one
``## `name` `` section for every command the CLI has; the README's links into docs/ lead to
files that exist; and neither page reads as a work diary.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from cleantext.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
COMMANDS = DOCS / "commands.md"
PERFORMANCE = DOCS / "performance.md"

# Pages other people are writing: a link to them may come before the page does.
PAGES_IN_PROGRESS = {"docs/design.md", "docs/extract.md"}

# [text](target) or [text]: target (reference definitions); images too.
_INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _links(markdown: str) -> list[str]:
    prose = _FENCE.sub("", markdown)  # code blocks hold no links
    return _INLINE_LINK.findall(prose) + _REFERENCE.findall(prose)


def _docs_links(markdown: str) -> list[str]:
    """The README's relative links into docs/, as repository paths (no #anchor)."""
    paths = []
    for target in _links(markdown):
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or not parts.path:
            continue  # absolute URL, mail address or a bare #anchor
        path = Path(unquote(parts.path))
        resolved = (ROOT / path).resolve()
        try:
            relative = resolved.relative_to(ROOT).as_posix()
        except ValueError:
            continue  # leaves the repository
        if relative.startswith("docs/"):
            paths.append(relative)
    return paths


def test_readme_is_at_most_15000_bytes():
    size = README.stat().st_size
    assert size <= 15_000, f"README.md is {size:,} bytes; move reference text to docs/"


@pytest.mark.parametrize("name", cli.list_commands(None))
def test_every_command_has_a_section_in_docs_commands(name: str) -> None:
    heading = re.compile(rf"^## `{re.escape(name)}`\s*$", re.MULTILINE)
    assert heading.search(_text(COMMANDS)), f"docs/commands.md has no '## `{name}`' section"


def test_readme_links_to_docs():
    assert _docs_links(_text(README)), "README.md links to nothing in docs/"


def test_every_readme_link_into_docs_exists():
    missing = [path for path in _docs_links(_text(README))
               if not (ROOT / path).is_file() and path not in PAGES_IN_PROGRESS]
    assert not missing, f"README.md links to missing files: {missing}"


def test_the_link_checker_finds_links():
    sample = ("See [the reference](docs/commands.md#clean), [site](https://example.com),\n"
              "[here](#set-up) and ![a](docs/x.png).\n\n[ref]: ./docs/performance.md\n"
              "```\n[not a link](docs/inside-code.md)\n```\n")
    assert sorted(_docs_links(sample)) == ["docs/commands.md", "docs/performance.md",
                                           "docs/x.png"]


@pytest.mark.parametrize("path", [README, COMMANDS, PERFORMANCE], ids=lambda p: p.name)
def test_no_work_diary(path: Path) -> None:
    text = _text(path).lower()
    for words in ("this session", "previous session"):
        assert words not in text, f"{path.name} says {words!r}: describe what is, not history"
