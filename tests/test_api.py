"""The Python API: the documented examples run, the functions pickle, the Dask example works.

The examples are the ```python blocks of README.md's "## Python API" section.
"""

from __future__ import annotations

import json
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import cleantext
from cleantext.registry import STEPS, default_steps

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _api_section() -> tuple[Path, str]:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    m = re.search(r"^## Python API\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert m, "README.md has no '## Python API' section"
    return readme, m.group(1)


def _blocks() -> list[tuple[str, str]]:
    path, section = _api_section()
    return [(f"{path.name}:{section[:m.start()].count(chr(10)) + 1}", m.group(1))
            for m in _BLOCK.finditer(section)]


def test_api_section_has_examples():
    blocks = _blocks()
    assert len(blocks) >= 5
    code = "\n".join(code for _, code in blocks)
    for used in ("cleantext.clean(", "steps=", "cleantext.Document", "cleantext.metadata(",
                 "cleantext.normalize(", "cleantext.strip_html("):
        assert used in code, f"the Python API examples do not show {used}"


@pytest.mark.parametrize("where,code", _blocks(), ids=[w for w, _ in _blocks()])
def test_api_example_runs(where: str, code: str, capsys: pytest.CaptureFixture[str]) -> None:
    exec(compile(code, where, "exec"), {"__name__": "readme_example"})  # noqa: S102


# --- the functions themselves ----------------------------------------------------------------

POST = "---\ntitle: 示例\n---\n　　Ｈｅｌｌｏ，世界  \r\n\r\n\r\n第二段。\n"


def test_clean_and_step_functions_pickle():
    clean = pickle.loads(pickle.dumps(cleantext.clean))
    assert clean is cleantext.clean
    normalize = pickle.loads(pickle.dumps(cleantext.normalize))
    assert normalize(POST) == cleantext.normalize(POST) == "---\ntitle: 示例\n---\nHello，世界\n\n第二段。\n"
    for step in STEPS.values():  # every registered step's function, not only normalize
        function = getattr(cleantext, step.func_name)
        assert pickle.loads(pickle.dumps(function)).step.name == step.name


def test_document_pickles_with_its_text():
    doc = cleantext.Document.parse(POST, "a.md")
    again = pickle.loads(pickle.dumps(doc))
    assert again == doc and again.text == POST and again.path == "a.md"


def test_clean_default_is_the_default_steps_in_order():
    expected = POST
    for name in default_steps():
        expected = getattr(cleantext, name.replace("-", "_"))(expected)
    assert cleantext.clean(POST) == expected
    assert cleantext.clean(POST, steps=list(default_steps())) == expected


def test_clean_unknown_step_names_the_valid_ones():
    with pytest.raises(ValueError, match="valid: " + re.escape(", ".join(STEPS))):
        cleantext.clean(POST, steps=["no-such-step"])


def test_clean_takes_one_step_name_or_several_with_either_spelling():
    assert cleantext.clean(POST, steps="normalize") == cleantext.normalize(POST)
    assert cleantext.clean(POST, steps=("strip_html", "normalize")) == \
        cleantext.clean(POST, steps=["strip-html", "normalize"])


def test_clean_rejects_an_option_no_step_takes_and_passes_the_others_on():
    with pytest.raises(TypeError, match="clean\\(\\) takes no option markdwon"):
        cleantext.clean("<p>x</p>\n", steps=["strip-html"], markdwon=True)
    # As `cleantext clean` does, an option of a step not chosen is accepted and unused.
    assert cleantext.clean("<p>x</p>\n", steps=["normalize"], markdown=True) == "<p>x</p>\n"
    assert cleantext.clean("<h2>x</h2>\n", steps=["strip-html"], markdown=True) == "## x\n"


@pytest.mark.parametrize("call", [
    lambda s: cleantext.normalize(s, keep="indent"),
    lambda s: cleantext.clean(s, steps=["normalize"], keep="indent"),
])
def test_a_single_string_for_a_repeatable_option_is_one_item(call):
    text = "\u3000\u3000缩进的段落\n"
    assert call(text) == cleantext.normalize(text, keep=["indent"])
    assert call(text) != cleantext.normalize(text)  # the option did something


def test_metadata_takes_one_field_name_and_a_path_object():
    text = "---\ntitle: 标题\n---\nx\n"
    assert cleantext.metadata(text, fields="title") == {"title": "标题"}
    assert cleantext.metadata(text, path=Path("2021-04-17-a.md"), fields=["date"]) == \
        {"date": "2021-04-17"}


@pytest.mark.parametrize("call", [cleantext.clean, cleantext.normalize, cleantext.metadata])
@pytest.mark.parametrize("value", [b"<p>x</p>", None, 42])
def test_a_document_that_is_neither_text_nor_a_document_is_a_type_error(call, value):
    with pytest.raises(TypeError, match="takes a document's text \\(str\\) or a Document"):
        call(value)


def test_clean_of_a_document_gives_a_document():
    doc = cleantext.Document.parse(POST)
    result = cleantext.clean(doc, steps=["normalize"])
    assert isinstance(result, cleantext.Document) and result.text == cleantext.normalize(POST)


def test_step_function_rejects_unknown_option():
    with pytest.raises(TypeError, match="no option"):
        cleantext.normalize(POST, no_such_option=True)


def test_dir_lists_every_step_function():
    names = dir(cleantext)
    for step in STEPS.values():
        assert step.func_name in names


# --- examples/dask_clean.py ------------------------------------------------------------------

BAD = b"---\ntitle: x\n---\n\x00\x01 binary\n"


def _posts(folder: Path) -> list[Path]:
    folder.mkdir()
    paths = []
    for i in range(6):
        path = folder / f"2021-04-1{i}-post{i}.md"
        path.write_text(f"---\ntitle: 第{i}篇\nauthor: 示例\ntags: [甲, 乙]\n---\n"
                        f"<p>　　第{i}篇的正文，Ｈｅｌｌｏ。</p>\n<div id=\"dfp-ad-imu1\"></div>\n",
                        encoding="utf-8")
        paths.append(path)
    return paths


def _jsonl(folder: Path, pattern: str) -> list[dict]:
    rows = []
    for part in sorted(folder.glob(pattern)):
        rows += [json.loads(line) for line in part.read_text(encoding="utf-8").splitlines()]
    return rows


def _by_title(rows: list[dict]) -> dict[str, dict]:
    return {row["title"]: {k: v for k, v in row.items() if k != "_path"} for row in rows}


@pytest.mark.parametrize("scheduler", ["sync", "processes"])
def test_dask_example_writes_jsonl_partitions(tmp_path: Path, scheduler: str) -> None:
    pytest.importorskip("dask.bag")
    posts = _posts(tmp_path / "posts")
    (tmp_path / "posts" / "broken.md").write_bytes(BAD)
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / "dask_clean.py"), str(tmp_path / "posts" / "*.md"),
         str(out), "--scheduler", scheduler, "--partition-size", "2"],
        capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert len(list(out.glob("part-*.jsonl"))) == 4  # 7 files, 2 per partition
    rows = _jsonl(out, "part-*.jsonl")
    assert len(rows) == len(posts)
    # The same records as `cleantext clean --to jsonl` on the same files.
    from click.testing import CliRunner

    from cleantext.cli import cli

    result = CliRunner().invoke(cli, ["clean", "--to", "jsonl", *map(str, posts)])
    assert result.exit_code == 0, result.output
    expected = [json.loads(line) for line in result.stdout.splitlines()]
    assert _by_title(rows) == _by_title(expected)
    errors = _jsonl(out, "errors-*.jsonl")
    assert [row["path"].endswith("broken.md") for row in errors] == [True]
    assert "binary" in errors[0]["error"]


def test_dask_example_main_in_process(tmp_path: Path) -> None:
    pytest.importorskip("dask.bag")
    sys.path.insert(0, str(EXAMPLES))
    try:
        import dask_clean
    finally:
        sys.path.remove(str(EXAMPLES))
    _posts(tmp_path / "posts")
    assert dask_clean.main([str(tmp_path / "posts" / "*.md"), str(tmp_path / "out"),
                            "--scheduler", "sync", "-s", "normalize"]) == 0
    rows = _jsonl(tmp_path / "out", "part-*.jsonl")
    # normalize only: the markup stays, U+3000 becomes a space, full-width letters fold.
    assert min(row["text"] for row in rows) == (
        '<p> 第0篇的正文，Hello。</p>\n<div id="dfp-ad-imu1"></div>\n')


def test_dask_is_in_the_test_and_dask_extras():
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extras = pyproject["project"]["optional-dependencies"]
    for extra in ("test", "dask"):
        assert any(r.startswith("dask[bag]") for r in extras[extra]), extra


@pytest.mark.skipif(shutil.which("cleantext") is None, reason="cleantext is not installed")
def test_readme_setup_command_runs():
    # The README's set-up runs `cleantext clean examples/posts/2021-04-17-p2p.md`.
    proc = subprocess.run(["cleantext", "clean", "examples/posts/2021-04-17-p2p.md"], cwd=ROOT,
                          capture_output=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(b"---\nlayout: post\n")
