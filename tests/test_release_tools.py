"""Release files of issue 24: pre-commit hooks, the man page generator, the floors script,
the LICENSE and the declared dependencies."""

from __future__ import annotations

import ast
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleantext.cli import cli

ROOT = Path(__file__).resolve().parent.parent
NEEDS_CHANGE = "---\ntitle: 示例\n---\n　　Ｈｅｌｌｏ，世界  \n\n\n第二段。\n"
TRADITIONAL = "---\ntitle: 示例\n---\n記憶體與軟體\n"
CLEAN = "---\ntitle: 示例\n---\n第二段。\n"


def _pyproject() -> dict:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


# --- .pre-commit-hooks.yaml ------------------------------------------------------------------


def _hooks() -> dict[str, dict]:
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return {hook["id"]: hook for hook in hooks}


def _run_hook(hook: dict, *files: Path):
    """The hook as pre-commit runs it: its entry, then the staged file names."""
    argv = shlex.split(hook["entry"])
    assert argv[0] == "cleantext"
    return CliRunner().invoke(cli, [*argv[1:], *map(str, files)])


def test_every_hook_is_complete_and_matches_posts():
    hooks = _hooks()
    assert "cleantext-normalize" in hooks
    for hook in hooks.values():
        assert {"id", "name", "entry", "language"} <= set(hook), hook
        assert hook["language"] == "python"  # pre-commit pip-installs this repository
        assert re.search(hook["files"], "posts/2021-04-17-p2p.md"), hook["id"]
        assert not re.search(hook["files"], "tool.py"), hook["id"]


def test_normalize_hook_fails_naming_the_files_to_change_and_writes_nothing(tmp_path: Path):
    dirty, clean = tmp_path / "dirty.md", tmp_path / "clean.md"
    dirty.write_text(NEEDS_CHANGE, encoding="utf-8")
    clean.write_text(CLEAN, encoding="utf-8")
    result = _run_hook(_hooks()["cleantext-normalize"], dirty, clean)
    assert result.exit_code == 1
    assert result.stdout.split() == [str(dirty)]
    assert dirty.read_text(encoding="utf-8") == NEEDS_CHANGE  # untouched
    assert _run_hook(_hooks()["cleantext-normalize"], clean).exit_code == 0


def test_normalize_fix_hook_rewrites(tmp_path: Path):
    dirty = tmp_path / "dirty.md"
    dirty.write_text(NEEDS_CHANGE, encoding="utf-8")
    assert _run_hook(_hooks()["cleantext-normalize-fix"], dirty).exit_code == 0
    assert _run_hook(_hooks()["cleantext-normalize"], dirty).exit_code == 0


def test_t2s_hook_finds_traditional_script(tmp_path: Path):
    post, clean = tmp_path / "t.md", tmp_path / "s.md"
    post.write_text(TRADITIONAL, encoding="utf-8")
    clean.write_text(CLEAN, encoding="utf-8")
    result = _run_hook(_hooks()["cleantext-t2s"], post, clean)
    assert (result.exit_code, result.stdout.split()) == (1, [str(post)])


def test_front_matter_hook_names_the_broken_file_and_line(tmp_path: Path):
    good, bad = tmp_path / "good.md", tmp_path / "bad.md"
    good.write_text(CLEAN, encoding="utf-8")
    bad.write_text("---\ntitle: [x\n---\nbody\n", encoding="utf-8")
    assert _run_hook(_hooks()["cleantext-front-matter"], good).exit_code == 0
    result = _run_hook(_hooks()["cleantext-front-matter"], good, bad)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"cleantext: {bad}: line ")


# --- the man page --------------------------------------------------------------------------


def _make_man(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "tools" / "make-man.py"), *args],
                          capture_output=True, text=True, timeout=120, check=False, cwd=ROOT)


def test_man_page_names_every_command_and_option():
    import click

    proc = _make_man("-o", "-")
    assert proc.returncode == 0, proc.stderr
    page = proc.stdout
    assert page.startswith(".TH CLEANTEXT 1 ")
    root = click.Context(cli, info_name="cleantext")
    for name in cli.list_commands(root):
        assert f"\n.SS {name.replace('-', chr(92) + '-')}\n" in page, name
        command = cli.get_command(root, name)
        assert command is not None
        for param in command.params:
            for opt in getattr(param, "opts", []) if isinstance(param, click.Option) else []:
                assert opt.replace("-", "\\-") in page, (name, opt)


def test_man_page_renders(tmp_path: Path):
    import shutil

    if shutil.which("groff") is None:
        pytest.skip("no groff here")
    page = tmp_path / "cleantext.1"
    assert _make_man("-o", str(page)).returncode == 0
    proc = subprocess.run(["groff", "-man", "-Tutf8", "-ww", str(page)], capture_output=True,
                          text=True, timeout=60, check=False)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    text = re.sub(".\b", "", proc.stdout)  # bold and underline are overstruck
    assert "cleantext normalize [OPTIONS] [FILE]..." in text
    assert "软件的内存" in text  # non-ASCII help text survives


def test_man_page_check_tells_a_stale_page(tmp_path: Path):
    page = tmp_path / "cleantext.1"
    assert _make_man("-o", str(page)).returncode == 0
    assert _make_man("--check", "-o", str(page)).returncode == 0
    page.write_text(page.read_text(encoding="utf-8") + ".\\\" stale\n", encoding="utf-8")
    stale = _make_man("--check", "-o", str(page))
    assert stale.returncode == 1 and "not up to date" in stale.stderr


def test_shipped_man_page_has_a_section_per_command():
    page = (ROOT / "docs" / "cleantext.1").read_text(encoding="utf-8")
    assert page.startswith(".TH CLEANTEXT 1 ")
    for name in ("strip-ads", "strip-html", "normalize", "convert", "t2s", "clean", "meta"):
        assert f"\n.SS {name.replace('-', chr(92) + '-')}\n" in page, name


# --- packaging -----------------------------------------------------------------------------


def test_license_is_mit_and_packaged():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "cleantext authors" in text
    project = _pyproject()["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    # SPDX `license` and `license-files` need setuptools 77.
    assert "setuptools>=77" in _pyproject()["build-system"]["requires"]


def _imported_top_modules() -> set[str]:
    found = set()
    for path in (ROOT / "cleantext").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"cleantext", "tomllib"}


# Import name -> distribution, for the dependencies whose names differ.
DISTRIBUTION = {"yaml": "pyyaml", "opencc": "opencc", "markdown_it": "markdown-it-py",
                "charset_normalizer": "charset-normalizer"}


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", requirement).group()).lower()


def test_dependencies_are_what_the_code_imports():
    declared = {_name(r) for r in _pyproject()["project"]["dependencies"]}
    imported = {DISTRIBUTION.get(name, name) for name in _imported_top_modules()}
    # frontmatter is never imported (a Post is recognised by its class): an extra.
    assert imported == declared, (imported, declared)


def test_lowest_requirements_pin_every_floor():
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "lowest-requirements.py")],
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    pins = proc.stdout.splitlines()
    project = _pyproject()["project"]
    everything = [*project["dependencies"],
                  *(r for group in project["optional-dependencies"].values() for r in group)]
    assert {_name(p) for p in pins} == {_name(r) for r in everything}
    for requirement in everything:
        floor = re.search(r">=\s*([^,;\s]+)", requirement)
        assert floor, requirement
        assert any(p.startswith(f"{_name(requirement)}") and f"=={floor.group(1)}" in p
                   for p in pins), requirement
    assert all("==" in p and ">=" not in p for p in pins)


# --- tools/test-pythons.sh (its real runs take minutes: run by hand before a release) ------


def test_test_pythons_script_parses_its_arguments():
    import shutil

    if shutil.which("bash") is None:
        pytest.skip("no bash here")
    script = str(ROOT / "tools" / "test-pythons.sh")
    usage = subprocess.run(["bash", script, "--help"], capture_output=True, text=True,
                           timeout=60, check=False)
    assert usage.returncode == 0 and "--lowest" in usage.stdout
    assert "set -uo" not in usage.stdout  # the comment block only
    bad = subprocess.run(["bash", script, "--fast"], capture_output=True, text=True,
                         timeout=60, check=False)
    assert bad.returncode == 2 and "unknown argument '--fast'" in bad.stderr
