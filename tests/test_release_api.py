"""The Python API of issue 24: precise types (mypy --strict) and python-frontmatter Posts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import cleantext

ROOT = Path(__file__).resolve().parent.parent

POST = ('---\ntitle: "軟體更新"\ntags: [記憶體]\ndate: 2021-04-17\n---\n'
        '<p>　　記憶體不足，ＡＢＣ。</p>\n<div id="dfp-ad-imu1">廣告</div>\n')


# --- types --------------------------------------------------------------------------------

# Each line marked "# error" must fail mypy --strict; every other line must pass.
SNIPPET = """\
from typing import Any

import cleantext
from cleantext import Document

a: int = cleantext.clean("x")  # error
b: str = cleantext.clean("x", steps=["normalize"], keep="indent")
c: Document = cleantext.clean(Document.parse("x"))
d: str = cleantext.clean(Document.parse("x"))  # error
e: str = cleantext.normalize("x")
f: int = cleantext.strip_html("x")  # error
g: Document = cleantext.t2s(Document.parse("x"))
h: str = cleantext.convert(Document.parse("x"))  # error
m: dict[str, Any] = cleantext.metadata("x", fields="title")
n: str = cleantext.metadata("x")  # error
s: str = cleantext.step_function("normalize")("x")
cleantext.clean(b"x")  # error
"""

FRONTMATTER_SNIPPET = """\
import frontmatter

import cleantext

p: frontmatter.Post = cleantext.clean(frontmatter.loads("x"))
q: frontmatter.Post = cleantext.normalize(frontmatter.loads("x"))
r: str = cleantext.clean(frontmatter.loads("x"))  # error
"""


def _mypy_errors(tmp_path: Path, code: str) -> list[int]:
    snippet = tmp_path / "snippet.py"
    snippet.write_text(code, encoding="utf-8")
    # cleantext from this tree (an editable install is invisible to mypy); its own modules
    # are followed for their types, their errors not reported (--follow-imports=silent).
    env = {**os.environ, "MYPYPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent",
         "--no-incremental", "--cache-dir", str(tmp_path / "cache"), "--no-error-summary",
         str(snippet)],
        capture_output=True, text=True, timeout=300, check=False, env=env, cwd=tmp_path)
    lines = []
    for line in proc.stdout.splitlines():
        where, _, message = line.partition(": error: ")
        if message:
            lines.append(int(where.rsplit(":", 1)[1]))
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    return lines


def _marked(code: str) -> list[int]:
    return [i for i, line in enumerate(code.splitlines(), 1) if line.endswith("# error")]


def test_public_api_types_are_precise_under_mypy_strict(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    assert _mypy_errors(tmp_path, SNIPPET) == _marked(SNIPPET)


def test_frontmatter_post_types_under_mypy_strict(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    frontmatter = pytest.importorskip("frontmatter")
    if not (Path(frontmatter.__file__).parent / "py.typed").exists():
        pytest.skip("this python-frontmatter ships no types (no py.typed)")
    assert _mypy_errors(tmp_path, FRONTMATTER_SNIPPET) == _marked(FRONTMATTER_SNIPPET)


# --- python-frontmatter Posts ---------------------------------------------------------------


def test_clean_takes_and_gives_a_post() -> None:
    frontmatter = pytest.importorskip("frontmatter")
    post = frontmatter.loads(POST)
    result = cleantext.clean(post)
    assert isinstance(result, frontmatter.Post) and result is not post
    expected = frontmatter.loads(cleantext.clean(POST))  # the same as through text
    assert (result.metadata, result.content) == (expected.metadata, expected.content)
    assert result["title"] == "软体更新" and result["tags"] == ["记忆体"]
    assert result.content == "记忆体不足，ABC。"
    assert post["title"] == "軟體更新" and "dfp-ad" in post.content  # left as it was


@pytest.mark.parametrize("name", ["normalize", "strip_html", "t2s", "strip_ads"])
def test_each_step_function_takes_and_gives_a_post(name: str) -> None:
    frontmatter = pytest.importorskip("frontmatter")
    post = frontmatter.loads(POST)
    function = getattr(cleantext, name)
    result = function(post)
    assert isinstance(result, frontmatter.Post)
    through_text = frontmatter.loads(function(frontmatter.dumps(post, sort_keys=False) + "\n"))
    assert (result.metadata, result.content) == (through_text.metadata, through_text.content)


def test_a_post_without_front_matter_stays_one() -> None:
    frontmatter = pytest.importorskip("frontmatter")
    result = cleantext.t2s(frontmatter.Post("<p>記憶體</p>"))
    assert isinstance(result, frontmatter.Post)
    assert (result.metadata, result.content) == ({}, "<p>记忆体</p>")


def test_a_post_keeps_its_key_order() -> None:
    frontmatter = pytest.importorskip("frontmatter")
    post = frontmatter.loads("---\nzeta: 1\nalpha: 2\n---\nx\n")
    assert list(cleantext.normalize(post).metadata) == ["zeta", "alpha"]


def test_metadata_of_a_post() -> None:
    frontmatter = pytest.importorskip("frontmatter")
    rec = cleantext.metadata(frontmatter.loads(POST), fields=("title", "date"))
    assert rec == {"title": "軟體更新", "date": "2021-04-17"}


def test_frontmatter_is_never_imported_by_cleantext() -> None:
    code = ("import sys, cleantext\n"
            "cleantext.clean('---\\ntitle: x\\n---\\n<p>y</p>\\n')\n"
            "cleantext.metadata('---\\ntitle: x\\n---\\ny\\n')\n"
            "sys.stdout.write(str('frontmatter' in sys.modules))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False, cwd=ROOT)
    assert (proc.stdout, proc.returncode) == ("False", 0), proc.stderr


def test_frontmatter_is_an_extra_not_a_dependency() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    dependencies = text.split("dependencies = [", 1)[1].split("]", 1)[0]
    assert "frontmatter" not in dependencies and "beautifulsoup4" not in dependencies
    assert 'frontmatter = ["python-frontmatter' in text
