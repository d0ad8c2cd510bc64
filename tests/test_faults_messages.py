"""Issue 22, point 9: odd inputs get one clear line, with no advice about Python settings."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cleantext.cli import cli


@pytest.mark.parametrize("head", ["---\nn: {}\n---\n", "+++\nn = {}\n+++\n"])
def test_a_5000_digit_number_is_one_plain_line(tmp_path, head):
    path = tmp_path / "post.md"
    path.write_text(head.format("9" * 5000) + "正文\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["meta", str(path)])
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"cleantext: {path}: bad ")
    assert line.endswith("front matter: a number of 5000 digits, longer than the 4300 digits "
                         "that can be read")
    assert "sys." not in line
