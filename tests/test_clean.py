"""``cleantext clean``: steps, pipe equivalence, the I/O contract, --to, --jobs, progress, and
the examples/ Makefile and pipeline script.

Everything is generic over the registry: the tests take the steps that are registered (in
registry order), so a step added later is covered with no change here. Fixtures are invented
posts in the corpus's shape (YAML front matter, HTML body with ad slots and share widgets,
U+3000 indents, traditional and simplified Chinese).
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleantext import runner
from cleantext.cli import cli
from cleantext.io import iter_sources
from cleantext.registry import DEFAULT_PIPELINE, STEPS, all_params, default_steps

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CLEANTEXT = shutil.which("cleantext")

POSTS = {
    "2021-04-17-loans.md": (
        '---\nlayout: post\ntitle: "借貸平台退場"\ndate: 2021-04-17T12:54:21.629Z\n'
        "author: 示例早報\nfrom: https://news.example.com/a/1\ntags: [ 示例 ]\n"
        "categories: [ 示例 ]\n---\n<!--1618713840000-->\n"
        "[借貸平台退場](https://news.example.com/a/1)\n------\n\n<div>\n"
        "<p>監管部門星期五說，最後一批平台已停止新業務。</p>"
        '<section id="imu"><div id="dfp-ad-imu1">        </div></section>'
        "<p>下一步是加快資產處置，提高出借人的清償比例。</p>"
        '      <div id="dfp-ad-midarticlespecial">        </div>\n</div>\n'
    ),
    "2022-04-22-pay.md": (
        "---\ntitle: '数字支付用户突破三千万'\ncategories: \n - 金融\n - 示例财经\n"
        "author: 示例财经\ndate: Fri, 22 Apr 2022 13:29:05 GMT\n---\n\n<div>   \n"
        '<p cms-style="font-L">　　<font cms-style="font-L strong-Bold">示例财经 记者 </font>'
        "电子支付账户数在第一季突破三千万户，ＡＢＣ１２３。</p>\n"
        '<div id="adslot_pcBox_EndAd2" class="ad-slot"></div>\n'
        '<p cms-style="font-L">　　业者希望放宽跨境支付额度。  </p>\r\n</div>\r\n'
    ),
    "2019-03-05-market.md": (
        '---\nlayout: post\ntitle: "夜市的掃碼支付"\ndate: 2019-03-05T08:10:00+08:00\n'
        "author: 示例部落格\ntags: [ 生活 ]\n---\n\n<div class=\"entry-content\">\n"
        "<p>　　晚上七點，夜市的人潮漸漸湧入。</p>\n<h2>手續費</h2>\n<ul><li>不必找零</li>"
        "<li>手續費較高</li></ul>\n"
        '<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">分享此文：</h3>'
        '<ul><li class="share-twitter"><a class="share-twitter sd-button" '
        'href="https://blog.example.org/?share=twitter">Twitter</a></li>'
        '<li class="share-end"></li></ul></div>\n</div>\n'
    ),
}
NO_FRONT_MATTER = "<p>　　沒有前置資料的文件。</p>\n"


def _write_posts(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in POSTS.items():
        path = folder / name
        path.write_bytes(text.encode("utf-8"))
        paths.append(path)
    return paths


def invoke(*args: str, input: bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def step_output(steps: tuple[str, ...] | list[str], data: bytes) -> bytes:
    """``cleantext a | cleantext b | ...`` on ``data``, each command through CliRunner."""
    for name in steps:
        result = invoke(name, input=data)
        assert result.exit_code == 0, result.output
        data = result.stdout_bytes
    return data


def shell_pipe(steps: tuple[str, ...] | list[str], path: Path) -> bytes:
    """The same as a real shell pipe of the installed command, one process per step."""
    assert CLEANTEXT is not None
    data = path.read_bytes()
    procs = []
    stdin: int | None = None
    for name in steps:
        proc = subprocess.Popen([CLEANTEXT, name], stdin=subprocess.PIPE if not procs else stdin,
                                stdout=subprocess.PIPE)
        if procs:
            procs[-1].stdout.close()  # only the next process holds the read end
        else:
            first = proc
        stdin = proc.stdout
        procs.append(proc)
    first.stdin.write(data)
    first.stdin.close()
    out = procs[-1].stdout.read()
    for proc in procs:
        assert proc.wait(timeout=60) == 0
    return out


PAIRS = list(itertools.combinations(STEPS, 2))  # every pair, in registry order


# --- steps ----------------------------------------------------------------------------------


def test_default_steps_are_the_documented_pipeline():
    assert DEFAULT_PIPELINE == ("strip-ads", "extract", "strip-html", "normalize", "convert")
    result = invoke("clean", "--help")
    assert "Default steps: " + ", ".join(default_steps()) in " ".join(result.output.split())


def test_default_steps_run_in_order(tmp_path: Path):
    for path in _write_posts(tmp_path):
        result = invoke("clean", str(path))
        assert result.exit_code == 0, result.output
        assert result.stdout_bytes == step_output(default_steps(), path.read_bytes())
        explicit = invoke("clean", *itertools.chain(*(("-s", s) for s in default_steps())),
                          str(path))
        assert explicit.stdout_bytes == result.stdout_bytes


@pytest.mark.skipif(len(STEPS) < 2, reason="needs two registered steps")
@pytest.mark.parametrize("a,b", PAIRS + [(b, a) for a, b in PAIRS])
def test_explicit_steps_equal_piped_subcommands(tmp_path: Path, a: str, b: str):
    # Both orders: -s is applied in the order given, not in registry order.
    for data in [*(t.encode() for t in POSTS.values()), NO_FRONT_MATTER.encode()]:
        result = invoke("clean", "-s", a, "-s", b, input=data)
        assert result.exit_code == 0, result.output
        assert result.stdout_bytes == step_output([a, b], data)


def test_one_step_equals_its_subcommand(tmp_path: Path):
    for name in STEPS:
        for path in _write_posts(tmp_path):
            assert invoke("clean", "-s", name, str(path)).stdout_bytes == \
                invoke(name, str(path)).stdout_bytes


def test_unknown_step_is_a_usage_error_listing_the_valid_ones():
    result = invoke("clean", "-s", "no-such-step", input=b"x\n")
    assert result.exit_code == 2
    for name in STEPS:
        assert name in result.output


def test_every_step_option_is_an_option_of_clean():
    from cleantext.cli.clean import clean_command

    names = {opt for param in clean_command.params for opt in param.opts}
    for param in all_params(STEPS):
        assert f"--{param.name.replace('_', '-')}" in names


@pytest.mark.skipif("normalize" not in STEPS, reason="needs the normalize step")
def test_step_options_reach_the_steps():
    data = "---\nt: 1\n---\nＡＢＣ１２３\n".encode()
    assert invoke("clean", "-s", "normalize", input=data).stdout_bytes.endswith(b"ABC123\n")
    kept = invoke("clean", "-s", "normalize", "--width", "none", input=data).stdout_bytes
    assert kept.endswith("ＡＢＣ１２３\n".encode())


# --- pipe equivalence through real processes ------------------------------------------------


@pytest.mark.skipif(CLEANTEXT is None, reason="the cleantext command is not installed")
@pytest.mark.parametrize("steps", [*PAIRS, default_steps()],
                         ids=[*("|".join(p) for p in PAIRS), "default"])
def test_clean_is_byte_identical_to_a_shell_pipe(tmp_path: Path, steps: tuple[str, ...]):
    paths = _write_posts(tmp_path)
    args = [CLEANTEXT, "clean", "-j", "1", *itertools.chain(*(("-s", s) for s in steps))]
    for path in paths[:2]:  # processes are slow to start; CliRunner covers the rest
        clean = subprocess.run([*args, str(path)], capture_output=True, check=True).stdout
        assert clean == shell_pipe(steps, path)


# --- the I/O contract -------------------------------------------------------------------------


def test_stdin_to_stdout():
    data = next(iter(POSTS.values())).encode()
    result = invoke("clean", input=data)
    assert result.exit_code == 0
    assert result.stdout_bytes == step_output(default_steps(), data)


def test_files_are_written_one_after_the_other_in_order(tmp_path: Path):
    paths = _write_posts(tmp_path)
    result = invoke("clean", "-j", "2", *map(str, reversed(paths)))
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == b"".join(step_output(default_steps(), p.read_bytes())
                                           for p in reversed(paths))


def test_directory_needs_r(tmp_path: Path):
    _write_posts(tmp_path / "posts")
    result = invoke("clean", str(tmp_path / "posts"))
    assert result.exit_code == 1
    assert "use -r" in result.stderr


def test_recursive_output_dir_mirrors_the_tree(tmp_path: Path):
    src = tmp_path / "posts"
    top = _write_posts(src)
    nested = _write_posts(src / "2022" / "04")
    (src / "cover.jpg").write_bytes(b"\xff\xd8 not a document")
    out = tmp_path / "clean"
    result = invoke("clean", "-r", str(src), "--output-dir", str(out), "-j", "2")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == b""
    written = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert written == sorted(p.relative_to(src) for p in top + nested)
    for path in top + nested:
        assert (out / path.relative_to(src)).read_bytes() == \
            step_output(default_steps(), path.read_bytes())


def test_output_dir_inside_the_input_is_refused(tmp_path: Path):
    _write_posts(tmp_path / "posts")
    result = invoke("clean", "-r", str(tmp_path / "posts"), "--output-dir",
                    str(tmp_path / "posts" / "out"))
    assert result.exit_code == 2


def test_in_place_rewrites_atomically_with_backup(tmp_path: Path):
    paths = _write_posts(tmp_path)
    originals = {p: p.read_bytes() for p in paths}
    result = invoke("clean", "-i", "--backup", ".orig", "-j", "2", *map(str, paths))
    assert result.exit_code == 0, result.output
    for path, before in originals.items():
        assert path.read_bytes() == step_output(default_steps(), before)
        assert Path(f"{path}.orig").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_check_lists_files_that_would_change(tmp_path: Path):
    paths = _write_posts(tmp_path)
    result = invoke("clean", "--check", *map(str, paths))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [str(p) for p in paths]
    invoke("clean", "-i", *map(str, paths))
    again = invoke("clean", "--check", *map(str, paths))
    assert (again.exit_code, again.stdout) == (0, "")


def test_files0_from(tmp_path: Path):
    paths = _write_posts(tmp_path)
    listing = tmp_path / "list"
    listing.write_bytes(b"\0".join(str(p).encode() for p in paths[1:]) + b"\0")
    result = invoke("clean", "--files0-from", str(listing))
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == b"".join(step_output(default_steps(), p.read_bytes())
                                           for p in paths[1:])
    from_stdin = invoke("clean", "--files0-from", "-", input=listing.read_bytes())
    assert from_stdin.stdout_bytes == result.stdout_bytes


# --- --to -----------------------------------------------------------------------------------


def _jsonl_expected(path: Path, steps: tuple[str, ...]) -> dict:
    from cleantext.document import Document
    from cleantext.meta import record

    # The meta record of the cleaned document (as `cleantext meta` reads it), plus its body.
    cleaned = step_output(steps, path.read_bytes()).decode()
    row = record(Document.parse(cleaned, str(path)))
    row["text"] = Document.parse(cleaned).body
    return row


def test_jsonl_is_the_meta_record_plus_the_cleaned_body(tmp_path: Path):
    paths = _write_posts(tmp_path)
    result = invoke("clean", "--to", "jsonl", "-j", "2", *map(str, paths))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(paths)
    rows = [json.loads(line) for line in lines]
    for path, row in zip(paths, rows, strict=True):
        assert row == _jsonl_expected(path, default_steps())
        assert not row["text"].startswith("---")
    assert rows[0]["title"] == "借贷平台退场"  # the cleaned front matter: converted


@pytest.mark.parametrize("flags", [[], ["--to", "markdown"]])
def test_a_first_paragraph_like_key_value_above_a_rule_stays_in_the_text(flags: list[str]):
    # Between two steps the text is parsed again: "Source: Reuters", a blank line and a
    # "---" rule must not be taken for a Hexo header, lost from jsonl's text and left
    # out of the later steps (t2s here: 來自 must become 来自).
    html = "<p>Source: 來自路透</p>\n<p>---</p>\n<hr>\n<p>文章正文。</p>\n"
    result = CliRunner().invoke(cli, ["clean", *flags], input=html)
    assert result.exit_code == 0
    assert result.stdout.startswith("Source: 来自路透\n\n")
    result = CliRunner().invoke(cli, ["clean", "--to", "jsonl"], input=html)
    assert json.loads(result.stdout)["text"].startswith("Source: 来自路透\n\n---\n")


def test_jsonl_to_one_file_with_explicit_steps(tmp_path: Path):
    paths = _write_posts(tmp_path / "posts")
    target = tmp_path / "corpus.jsonl"
    steps = tuple(STEPS)[-1:]
    result = invoke("clean", "--to", "jsonl", "-s", steps[0], "-r", str(tmp_path / "posts"),
                    "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == b""
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert rows == [_jsonl_expected(p, steps) for p in sorted(paths)]


@pytest.mark.parametrize("flag", [["-i"], ["--output-dir", "out"], ["--check"], ["--diff"]])
def test_jsonl_refuses_per_file_outputs(tmp_path: Path, flag: list[str]):
    paths = _write_posts(tmp_path)
    result = invoke("clean", "--to", "jsonl", *flag, *map(str, paths))
    assert result.exit_code == 2
    assert "--to jsonl" in result.output


def test_jsonl_will_not_overwrite_an_input(tmp_path: Path):
    paths = _write_posts(tmp_path)
    before = paths[0].read_bytes()
    result = invoke("clean", "--to", "jsonl", "-o", str(paths[0]), *map(str, paths))
    assert result.exit_code == 2
    assert paths[0].read_bytes() == before


def test_jsonl_reports_a_bad_front_matter_and_goes_on(tmp_path: Path):
    paths = _write_posts(tmp_path)
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: [unclosed\n---\n<p>x</p>\n", encoding="utf-8")
    result = invoke("clean", "--to", "jsonl", "-j", "2", str(paths[0]), str(bad), str(paths[1]))
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 2
    assert f"cleantext: {bad}: " in result.stderr
    assert "cleantext: 2 cleaned, 1 failed" in result.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_output_that_cannot_be_written_counts_as_failed_not_cleaned(tmp_path: Path, jobs):
    paths = _write_posts(tmp_path)[:2]
    out = tmp_path / "out"
    (out / paths[1].name).mkdir(parents=True)  # a folder where the output file should go
    result = invoke("clean", "--output-dir", str(out), "-j", jobs, *map(str, paths))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "cleantext: 1 cleaned, 1 failed"
    assert (out / paths[0].name).is_file()


def test_a_cause_with_line_breaks_is_reported_on_one_line(capsys):
    runner.error("post.md", "bad front matter:\n  line 2\n    ^")
    assert capsys.readouterr().err == "cleantext: post.md: bad front matter: line 2 ^\n"


@pytest.mark.skipif(not any(p.name == "markdown" for p in all_params(STEPS)),
                    reason="no step writes Markdown yet")
def test_to_markdown_passes_markdown_to_the_steps(tmp_path: Path):
    data = "---\nt: 1\n---\n<h2>小標題</h2><p>正文。</p><ul><li>甲</li></ul>\n".encode()
    text = invoke("clean", "--to", "text", input=data).stdout_bytes
    markdown = invoke("clean", "--to", "markdown", input=data)
    assert markdown.exit_code == 0, markdown.output
    assert markdown.stdout_bytes == invoke("clean", "--markdown", input=data).stdout_bytes
    assert markdown.stdout_bytes != text
    assert b"\n## " in markdown.stdout_bytes and b"\n## " not in text


def test_to_markdown_without_a_markdown_step_is_a_usage_error():
    result = invoke("clean", "--to", "markdown", "-s", "normalize", input=b"x\n")
    assert result.exit_code == 2
    assert "Markdown" in result.output


# --- --jobs: order, failures, summary -----------------------------------------------------------


def test_jobs_keep_input_order_when_the_first_document_is_slow(tmp_path: Path):
    # The first document takes far longer than the rest: with results taken as they finish,
    # the small ones would come out first.
    big = tmp_path / "000-big.md"
    big.write_text("---\ntitle: big\n---\n" + "<p>　　正文，ＡＢＣ。  </p>\n" * 40000,
                   encoding="utf-8")
    small = []
    for i in range(12):
        path = tmp_path / f"{i + 1:03d}-small.md"
        path.write_text(f"---\ntitle: {i}\n---\n<p>　　第{i}段。</p>\n", encoding="utf-8")
        small.append(path)
    paths = [big, *small]
    one = invoke("clean", "-j", "1", *map(str, paths))
    two = invoke("clean", "-j", "2", *map(str, paths))
    assert one.exit_code == two.exit_code == 0
    assert two.stdout_bytes == one.stdout_bytes
    assert two.stdout_bytes.endswith(step_output(default_steps(), small[-1].read_bytes()))


def test_a_bad_file_among_good_ones_with_two_jobs(tmp_path: Path):
    paths = _write_posts(tmp_path)
    binary = tmp_path / "binary.md"
    binary.write_bytes(b"---\ntitle: x\n---\n\x00\x01\x02")
    missing = tmp_path / "missing.md"
    args = [str(paths[0]), str(binary), str(paths[1]), str(missing), str(paths[2])]
    result = invoke("clean", "-j", "2", *args)
    assert result.exit_code == 1
    assert result.stdout_bytes == b"".join(step_output(default_steps(), p.read_bytes())
                                           for p in paths)
    errors = result.stderr.splitlines()
    assert errors[-1] == "cleantext: 3 cleaned, 2 failed"
    assert any(line.startswith(f"cleantext: {binary}: ") for line in errors)
    assert any(line.startswith(f"cleantext: {missing}: ") for line in errors)
    assert len(errors) == 3  # one line per failure, then the summary; no traceback


class _PathMarkingJob:
    """Says in its output which path the runner took: the whole text, or the stream."""

    def __call__(self, text: str, name: str) -> str:
        return "whole\n"

    def stream(self, head, body, name):
        for _ in body:  # read it all, as a real step would
            pass
        return "", iter(["streamed\n"])


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                    reason="the workers must inherit the lowered threshold")
@pytest.mark.parametrize("jobs", [1, 2])
def test_big_files_stream_in_the_workers_too(tmp_path: Path, monkeypatch, jobs: int):
    # Bounded memory for a huge post in a folder: with -j 2 the worker that writes a big
    # file's output streams it, as one process does, instead of reading it whole.
    monkeypatch.setattr(runner, "STREAM_THRESHOLD", 1000)
    monkeypatch.setattr(runner, "PIECE_SIZE", 100)
    small, big = tmp_path / "small.md", tmp_path / "big.md"
    small.write_text("<p>short</p>\n")
    big.write_text("<p>long</p>\n" * 200)
    out = tmp_path / "out"
    job = _PathMarkingJob()
    stats = runner.run(iter_sources([str(small), str(big)]), job, runner.Output("dir", out),
                       jobs=jobs, stream_job=job.stream)
    assert stats.failed == 0
    assert (out / "small.md").read_text() == "whole\n"
    assert (out / "big.md").read_text() == "streamed\n"


def test_summary_uses_thousands_separators(tmp_path: Path):
    for i in range(1000):
        (tmp_path / f"{i:04d}.md").write_text(f"---\ntitle: {i}\n---\n正文{i}\n")
    (tmp_path / "zz-bad.md").write_bytes(b"\x00binary")
    result = invoke("clean", "-s", "normalize", "-j", "1", "-r", str(tmp_path),
                    "--output-dir", str(tmp_path.parent / "summary-out"))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "cleantext: 1,000 cleaned, 1 failed"


def test_no_summary_when_nothing_failed(tmp_path: Path):
    result = invoke("clean", "-j", "2", *map(str, _write_posts(tmp_path)))
    assert (result.exit_code, result.stderr) == (0, "")


# --- progress --------------------------------------------------------------------------------


def test_progress_forced_on_and_off(tmp_path: Path):
    paths = list(map(str, _write_posts(tmp_path)))
    on = invoke("clean", "--progress", "-j", "1", *paths)
    off = invoke("clean", "--no-progress", "-j", "1", *paths)
    default = invoke("clean", "-j", "1", *paths)  # CliRunner's stderr is not a terminal
    assert on.exit_code == off.exit_code == default.exit_code == 0
    assert on.stderr.strip() != ""
    assert off.stderr == default.stderr == ""
    assert on.stdout_bytes == off.stdout_bytes


@pytest.mark.skipif(CLEANTEXT is None or not hasattr(os, "openpty"), reason="needs a pty")
def test_progress_is_on_by_default_when_stderr_is_a_terminal(tmp_path: Path):
    paths = list(map(str, _write_posts(tmp_path)))

    def stderr_on_a_terminal(*flags: str) -> str:
        leader, follower = os.openpty()
        proc = subprocess.run([CLEANTEXT, "clean", *flags, "-j", "1", *paths],
                              stdout=subprocess.DEVNULL, stderr=follower, timeout=60,
                              check=False)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the terminal's other end is closed
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        assert proc.returncode == 0
        return b"".join(chunks).decode("utf-8", "replace")

    shown = stderr_on_a_terminal()
    assert f"{len(paths)}/{len(paths)}" in shown  # documents done
    assert "docs/s" in shown  # rate
    assert stderr_on_a_terminal("--no-progress") == ""


# --- examples/ ------------------------------------------------------------------------------


def _examples_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "examples"
    shutil.copytree(EXAMPLES / "posts", folder / "posts")
    shutil.copy(EXAMPLES / "Makefile", folder)
    shutil.copy(EXAMPLES / "pipeline.sh", folder)
    return folder


def test_examples_have_the_readme_post_and_both_scripts_of_chinese():
    posts = sorted((EXAMPLES / "posts").glob("*.md"))
    assert EXAMPLES / "posts" / "2021-04-17-p2p.md" in posts
    assert 4 <= len(posts) <= 6
    text = "".join(p.read_text(encoding="utf-8") for p in posts)
    for needle in ("title:", "date:", "author:", "from:", "tags:", "categories:", "　　",
                   "dfp-ad", "sharedaddy", "這", "这"):
        assert needle in text


@pytest.mark.skipif(shutil.which("make") is None or CLEANTEXT is None,
                    reason="needs make and the cleantext command")
def test_makefile_cleans_incrementally(tmp_path: Path):
    folder = _examples_copy(tmp_path)
    posts = sorted((folder / "posts").glob("*.md"))

    def make(*targets: str) -> str:
        proc = subprocess.run(["make", "-C", str(folder), *targets], capture_output=True,
                              text=True, timeout=120, check=False)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    first = make()
    assert first.count("cleantext clean") == len(posts)
    for post in posts:
        assert (folder / "out" / post.name).read_bytes() == \
            step_output(default_steps(), post.read_bytes())
    assert "cleantext clean" not in make()  # nothing changed: nothing rebuilt

    edited = posts[1]
    edited.write_text(edited.read_text(encoding="utf-8").replace("夜市", "市場"),
                      encoding="utf-8")
    # Make its output older than the edit whatever the clock's resolution (no future times:
    # they would make every later build look out of date).
    earlier = edited.stat().st_mtime - 10
    os.utime(folder / "out" / edited.name, (earlier, earlier))
    rebuilt = make()
    assert rebuilt.count("cleantext clean") == 1 and edited.name in rebuilt
    assert (folder / "out" / edited.name).read_bytes() == \
        step_output(default_steps(), edited.read_bytes())

    make("corpus")
    rows = (folder / "out" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(rows) == len(posts)
    assert "cleantext clean" not in make("corpus")


@pytest.mark.skipif(shutil.which("bash") is None or CLEANTEXT is None,
                    reason="needs bash and the cleantext command")
def test_pipeline_script_pipes_the_subcommands(tmp_path: Path):
    folder = _examples_copy(tmp_path)
    env = {**os.environ, "STEPS": " ".join(default_steps())}
    proc = subprocess.run(["bash", str(folder / "pipeline.sh"), str(folder / "posts"),
                           str(tmp_path / "piped")], capture_output=True, text=True, env=env,
                          timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    posts = sorted((folder / "posts").glob("*.md"))
    assert len(proc.stdout.splitlines()) == len(posts)
    for post in posts:
        assert (tmp_path / "piped" / post.name).read_bytes() == \
            step_output(default_steps(), post.read_bytes())


def test_pipeline_script_default_steps_are_the_clean_defaults():
    script = (EXAMPLES / "pipeline.sh").read_text(encoding="utf-8")
    assert "STEPS:-" + " ".join(DEFAULT_PIPELINE) + "}" in script


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_output_that_cannot_be_written_is_reported_by_its_target(tmp_path: Path, jobs: str):
    # With -j 2 the worker processes write the outputs; the message is the same either way.
    paths = _write_posts(tmp_path / "in")
    out = tmp_path / "out"
    (out / paths[0].name).mkdir(parents=True)  # a folder where the output file should go
    result = invoke("clean", "-s", "normalize", "-j", jobs, "--output-dir", str(out),
                    *map(str, paths))
    assert result.exit_code == 1
    blocked = out / paths[0].name
    assert f"cleantext: {blocked}: cannot write: " in result.stderr
    assert all((out / p.name).is_file() for p in paths[1:])
    assert "1 failed" in result.stderr
