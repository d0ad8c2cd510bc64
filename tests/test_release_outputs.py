"""Output fixes of issue 24: ``clean --to jsonl`` records, ``convert -c NAME.json``,
``-j 0``, ``--version`` naming OpenCC. Fixtures are invented posts."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleantext.cli import cli

POSTS = {
    # Traditional script in the front matter and body, an ad slot, U+3000 indents.
    "loans.md": (
        '---\ntitle: "借貸平台退場"\nauthor: 示例早報\nsource: https://news.example.com/a/1\n'
        "url: /posts/loans/\n---\n<div>\n<p>　　監管部門星期五說，最後一批平台已停止新業務。</p>"
        '<div id="dfp-ad-imu1"><p>廣告：立即下載應用程式領取獎勵</p></div>'
        "<p>下一步是加快資產處置。</p>\n</div>\n"
    ),
    # TOML front matter, no title (taken from the body's heading), a share widget.
    "market.md": (
        '+++\ndate = 2019-03-05T08:10:00+08:00\n+++\n<h1>夜市的掃碼支付</h1>\n'
        "<p>晚上七點，夜市的人潮漸漸湧入。</p>\n"
        '<div class="sharedaddy"><h3>分享此文：</h3><ul><li><a href="https://x.example/'
        '?share=twitter">Twitter</a></li></ul></div>\n'
    ),
    # No front matter at all.
    "bare.md": "<p>　　沒有前置資料的文件，ＡＢＣ。</p>\n",
}


def write_posts(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in POSTS.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def invoke(*args: str, input: bytes | str | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


# --- clean --to jsonl --------------------------------------------------------------------


@pytest.mark.parametrize("steps", [[], ["-s", "strip-ads", "-s", "t2s"], ["-s", "normalize"]])
def test_jsonl_record_is_clean_piped_to_meta_plus_text(tmp_path: Path, steps: list[str]):
    paths = write_posts(tmp_path)
    result = invoke("clean", "--to", "jsonl", *steps, *map(str, paths))
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == len(paths)
    for path, row in zip(paths, rows):
        cleaned = invoke("clean", *steps, str(path))
        assert cleaned.exit_code == 0, cleaned.output
        piped = invoke("meta", input=cleaned.stdout_bytes)  # cleantext clean F | cleantext meta
        assert piped.exit_code == 0, piped.output
        expected = json.loads(piped.stdout)
        # The same record, but named after the file rather than "-" (stdin).
        assert expected.pop("_path") == "-"
        expected["_path"] = str(path)
        body = re.sub(r"\A(---|\+\+\+)\n.*?\n\1\n", "", cleaned.stdout, flags=re.DOTALL)
        assert row == {**expected, "text": body}


def test_jsonl_describes_the_cleaned_document_not_the_one_read(tmp_path: Path):
    (loans, market, _) = write_posts(tmp_path)
    rows = [json.loads(line) for line in invoke("clean", "--to", "jsonl", str(loans),
                                                str(market)).stdout.splitlines()]
    raw = [json.loads(line) for line in invoke("meta", str(loans), str(market)).stdout
           .splitlines()]
    assert raw[0]["title"] == "借貸平台退場" and rows[0]["title"] == "借贷平台退场"
    assert rows[0]["_chars"] < raw[0]["_chars"]  # the ad's text is gone
    assert rows[0]["_chars"] == len(rows[0]["text"].replace("\n", ""))
    assert "广告" not in rows[0]["text"] and "廣告" not in rows[0]["text"]
    assert rows[1]["_chars"] < raw[1]["_chars"]  # the share widget is gone
    assert rows[0]["_url"] == "https://news.example.com/a/1"


# --- options people type -------------------------------------------------------------------


@pytest.mark.parametrize("command", [["convert"], ["clean", "-s", "convert"]])
def test_opencc_config_file_name_is_the_config(command: list[str]):
    post = "---\ntitle: 軟體\n---\n<p>記憶體不足</p>\n"
    plain = invoke(*command, "-c", "tw2sp", input=post)
    spelt = invoke(*command, "-c", "tw2sp.json", input=post)
    assert plain.exit_code == spelt.exit_code == 0, spelt.output
    assert spelt.stdout == plain.stdout != invoke(*command, "-c", "tw2s", input=post).stdout


def test_a_json_name_that_is_no_config_is_still_a_usage_error():
    result = invoke("convert", "-c", "nope.json", input="x")
    assert result.exit_code == 2 and "nope.json" in result.output


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def test_jobs_zero_means_one_worker_per_core(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from cleantext import runner

    paths = write_posts(tmp_path)
    expected = invoke("clean", "-j", "1", *map(str, paths))
    assert expected.exit_code == 0, expected.output
    result = invoke("clean", "-j", "0", *map(str, paths))
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == expected.stdout_bytes
    seen: list[int] = []
    real_run = runner.run

    def spy(*args, **kwargs):
        seen.append(kwargs["jobs"])
        return real_run(*args, **{**kwargs, "jobs": 1})

    monkeypatch.setattr(runner, "run", spy)
    assert invoke("clean", "-j", "0", *map(str, paths)).exit_code == 0
    assert seen == [_cores()]


def test_jobs_below_zero_is_a_usage_error():
    assert invoke("clean", "-j", "-1", input="x").exit_code == 2


def test_version_names_opencc_without_importing_it():
    code = ("import sys\nsys.argv = ['cleantext', '--version']\n"
            "from cleantext.cli import run\nstatus = run()\n"
            "sys.stderr.write(repr(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('opencc', 'lxml', 'yaml'))) + ' ' + str(status))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False)
    from cleantext import __version__

    assert proc.stdout == f"cleantext {__version__} (OpenCC {version('opencc')})\n"
    assert proc.stderr == "[] 0"
