"""``cleantext meta`` and ``cleantext.metadata``: front matter as JSON Lines (issue 8)."""

from __future__ import annotations

import json
import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import cleantext
from cleantext.body_stats import detect_script
from cleantext.cli import cli
from cleantext.errors import CleantextError
from cleantext.front_matter import load_yaml
from cleantext.meta import metadata, record

FIXTURES = Path(__file__).parent / "fixtures" / "meta"


def invoke(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def lines_of(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines()]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the two seeds: full expected JSON ---------------------------------------------------


@pytest.mark.parametrize("name", ["zaobao", "sina"])
def test_seed_record_is_exactly_the_expected_line(name: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(FIXTURES)  # so that _path is the bare file name of the expected line
    result = invoke("meta", f"{name}.md")
    assert result.exit_code == 0, result.output
    assert result.output == (FIXTURES / f"{name}.jsonl").read_text(encoding="utf-8")


def test_keys_keep_the_front_matter_order_then_the_added_fields():
    rec = metadata("---\nzeta: 1\nalpha: 2\nmid: 3\n---\nbody\n")
    assert list(rec) == ["zeta", "alpha", "mid", "_path", "_format", "_url", "_date_from",
                         "_chars", "_paragraphs", "_script"]


def test_library_metadata_is_exported_and_takes_a_document():
    doc = cleantext.Document.parse("---\ntitle: x\n---\nHi\n", "a.md")
    assert cleantext.metadata(doc)["_path"] == "a.md"
    assert record(doc)["title"] == "x"


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("line", "expected"), [
    ("date: 2021-04-17T12:54:21.629Z", "2021-04-17T12:54:21.629+00:00"),  # YAML timestamp
    ("date: 2021-04-17 12:54:21 +08:00", "2021-04-17T12:54:21+08:00"),
    ("date: 2021-04-17 12:54:21", "2021-04-17T12:54:21"),  # no zone: none invented
    ("date: 2021-04-17", "2021-04-17"),  # a YAML date stays a date
    ("date: Fri, 22 Apr 2022 13:29:05 GMT", "2022-04-22T13:29:05+00:00"),  # RFC 2822
    ("updated: Fri, 22 Apr 2022 13:29:05 +0800", "2022-04-22T13:29:05+08:00"),
    ("lastmod: 'Fri, 22 Apr 2022 13:29:05 GMT'", "2022-04-22T13:29:05+00:00"),
    ("published: Fri, 22 Apr 2022 13:29:05 GMT", "2022-04-22T13:29:05+00:00"),
    ("date: 1618713840", "2021-04-18T02:44:00+00:00"),  # Unix seconds
    ("date: 1618713840000", "2021-04-18T02:44:00+00:00"),  # Unix milliseconds (JS)
    ("date: '1618713840'", "2021-04-18T02:44:00+00:00"),  # as a string
    ("date: 2021年4月17日", "2021-04-17"),  # Chinese
    ("date: 2021年04月17日 12:54", "2021-04-17T12:54:00"),
    ("date: 2021年4月17日 下午3时5分", "2021-04-17T15:05:00"),
    ("date: 2021/4/17", "2021-04-17"),
    ("date: '2021-04-17T12:54:21Z'", "2021-04-17T12:54:21+00:00"),  # quoted ISO string
    ("date: next Tuesday", "next Tuesday"),  # not understood: kept as is
    ("date: 2021-02-30", "2021-02-30"),  # impossible YAML date: kept, not an error
    ("date: 99999999999999999", 99999999999999999),  # out-of-range number: kept
    ("date: 20210417", "2021-04-17"),  # a compact date, not 1970-08-22 in Unix seconds
    ("date: '20210417'", "2021-04-17"),
    ("date: 20210230", 20210230),  # not a date: kept
    ("date: 2021", 2021),  # a year alone: kept, not 1970-01-01T00:33:41
    ("date: 2021年4月17日 上午12:30", "2021-04-17T00:30:00"),  # 12:30 a.m.
    ("date: 2021年4月17日 下午12:30", "2021-04-17T12:30:00"),  # 12:30 p.m.
])
def test_dates_become_iso_8601(line: str, expected: str):
    assert next(iter(metadata(f"---\n{line}\n---\nx\n").values())) == expected


def test_dates_nested_anywhere_become_iso_8601():
    rec = metadata("---\nhistory:\n  - at: 2021-04-17\n---\nx\n")
    assert rec["history"] == [{"at": "2021-04-17"}]


def test_strings_in_keys_that_are_not_date_like_are_left_alone():
    rec = metadata("---\nnote: Fri, 22 Apr 2022 13:29:05 GMT\ncount: 1618713840\n---\nx\n")
    assert rec["note"] == "Fri, 22 Apr 2022 13:29:05 GMT"
    assert rec["count"] == 1618713840


def test_raw_keeps_values_as_parsed_but_json_safe():
    text = ("---\ndate: Fri, 22 Apr 2022 13:29:05 GMT\nupdated: 1618713840\n"
            "created: 2021-04-17T12:54:21Z\n---\nx\n")
    rec = metadata(text, raw=True)
    assert rec["date"] == "Fri, 22 Apr 2022 13:29:05 GMT"
    assert rec["updated"] == 1618713840
    assert rec["created"] == "2021-04-17T12:54:21+00:00"  # a datetime must still become text


def test_raw_through_the_cli(tmp_path: Path):
    post = write(tmp_path, "p.md", "---\ndate: Fri, 22 Apr 2022 13:29:05 GMT\n---\nx\n")
    assert lines_of(invoke("meta", "--raw", str(post)).output)[0]["date"].startswith("Fri")
    assert lines_of(invoke("meta", str(post)).output)[0]["date"] == "2022-04-22T13:29:05+00:00"


def test_date_from_a_jekyll_file_name_when_front_matter_has_none(tmp_path: Path):
    post = write(tmp_path, "2021-04-17-p2p-cleared.md", "---\ntitle: x\n---\nbody\n")
    rec = lines_of(invoke("meta", str(post)).output)[0]
    assert (rec["date"], rec["_date_from"]) == ("2021-04-17", "filename")


def test_front_matter_date_wins_over_the_file_name(tmp_path: Path):
    post = write(tmp_path, "2021-04-17-x.md", "---\ndate: 2022-01-02\n---\nbody\n")
    rec = lines_of(invoke("meta", str(post)).output)[0]
    assert (rec["date"], rec["_date_from"]) == ("2022-01-02", "front-matter")


def test_a_capitalised_date_key_is_the_posts_date_too(tmp_path: Path):
    # Date keys are read whatever their case, as Hugo reads them; "Date:" is the record's
    # "date" and leaves no room for a second, different date from the file name.
    post = write(tmp_path, "2021-04-17-x.md", "---\nDate: 2022-01-02\n---\nbody\n")
    rec = lines_of(invoke("meta", str(post)).output)[0]
    assert (rec["date"], rec["_date_from"]) == ("2022-01-02", "front-matter")
    assert "Date" not in rec


def test_hugo_keys_are_read_whatever_their_case(tmp_path: Path):
    post = write(tmp_path, "p.md", "---\nTitle: Front title\nDate: 2019-03-04T10:00:00Z\n"
                                   "LastMod: 1618713840000\nSource: https://h.example/p\n"
                                   "Tags: [a]\n---\n# Body heading\n\ntext\n")
    rec = lines_of(invoke("meta", str(post)).output)[0]
    assert list(rec)[:5] == ["title", "date", "lastmod", "source", "Tags"]  # in place
    assert rec["title"] == "Front title"  # not the body's heading
    assert (rec["date"], rec["lastmod"]) == ("2019-03-04T10:00:00+00:00",
                                             "2021-04-18T02:44:00+00:00")
    assert rec["_url"] == "https://h.example/p"
    fields = lines_of(invoke("meta", "--fields", "title,date", str(post)).output)[0]
    assert fields == {"title": "Front title", "date": "2019-03-04T10:00:00+00:00"}


def test_a_lower_case_key_beside_its_capitalised_twin_keeps_both():
    rec = metadata("---\ntitle: lower\nTitle: upper\n---\nbody\n")
    assert (rec["title"], rec["Title"]) == ("lower", "upper")


@pytest.mark.parametrize(("path", "date"), [
    ("2014/12/12/some-slug", "2014-12-12"),
    ("/blog/2014/1/2/some-slug/", "2014-01-02"),
])
def test_zola_path_gives_the_date(tmp_path: Path, path: str, date: str):
    post = write(tmp_path, "post.md", f'+++\ntitle = "z"\npath = "{path}"\n+++\nbody\n')
    rec = lines_of(invoke("meta", str(post)).output)[0]
    assert (rec["date"], rec["_date_from"]) == (date, "front-matter-path")
    assert rec["path"] == path


def test_zola_path_without_a_real_date_leaves_the_file_name(tmp_path: Path):
    post = write(tmp_path, "2021-04-17-x.md", '+++\npath = "2014/13/45/x"\n+++\nbody\n')
    rec = lines_of(invoke("meta", str(post)).output)[0]
    assert (rec["date"], rec["_date_from"]) == ("2021-04-17", "filename")


def test_a_date_key_wins_over_zola_path():
    rec = metadata('+++\ndate = 2020-05-06\npath = "2014/12/12/x"\n+++\nbody\n')
    assert (rec["date"], rec["_date_from"]) == ("2020-05-06", "front-matter")


def test_no_date_anywhere_says_none(tmp_path: Path):
    post = write(tmp_path, "post.md", "---\ntitle: x\n---\nbody\n")
    rec = lines_of(invoke("meta", str(post)).output)[0]
    assert "date" not in rec and rec["_date_from"] == "none"


# --- added fields ----------------------------------------------------------------------------


@pytest.mark.parametrize(("front", "url"), [
    ("from: https://a.example/1\nurl: https://b.example/2", "https://a.example/1"),
    ("url: https://b.example/2", "https://b.example/2"),
    ("link: https://c.example/3", "https://c.example/3"),
    ("source: https://d.example/4", "https://d.example/4"),
    ("title: no address", None),
    ("url: /posts/x/", "/posts/x/"),
    ("url: /posts/x/\nsource: https://d.example/4", "https://d.example/4"),
    ("from: posts/x\nlink: //cdn.example/5", "//cdn.example/5"),
    ("url: /posts/x/\nsource: ''", "/posts/x/"),
])
def test_source_url_comes_from_from_url_link_source(front: str, url: str | None):
    # The first absolute address, else the first relative one.
    assert metadata(f"---\n{front}\n---\nx\n")["_url"] == url


def test_path_is_dash_for_stdin():
    rec = lines_of(invoke("meta", input="---\ntitle: x\n---\nbody\n").output)[0]
    assert rec["_path"] == "-"


def test_body_statistics_count_visible_text_only():
    body = ("<p>第一段。</p>\n<script>var hidden = '不可见';</script><style>p{}</style>"
            "<!-- a comment --><div>Second <b>para</b>graph</div>\n<p>   </p>")
    rec = metadata(body)
    assert (rec["_chars"], rec["_paragraphs"]) == (len("第一段。") + len("Second paragraph"), 2)


def test_markdown_paragraphs_and_links_are_counted_as_text():
    rec = metadata("One [link](https://x.example) here.\n\n![img](a.png)\n\n---\n\nTwo.\n")
    assert (rec["_chars"], rec["_paragraphs"]) == (len("One link here.") + len("Two."), 2)


@pytest.mark.parametrize(("fmt", "text"), [
    ("toml", '+++\ntitle = "标题"\ndate = 2021-04-17T12:54:21Z\ntags = ["a", "b"]\n+++\nx\n'),
    ("json", ('{\n  "title": "标题",\n  "date": "Fri, 22 Apr 2022 13:29:05 GMT",\n'
              '  "tags": ["a", "b"]\n}\nx\n')),
    ("yaml", "---\ntitle: 标题\ndate: 2021-04-17\ntags: [a, b]\n---\nx\n"),
])
def test_toml_json_and_yaml_front_matter(fmt: str, text: str):
    rec = metadata(text)
    assert rec["_format"] == fmt
    assert rec["title"] == "标题" and rec["tags"] == ["a", "b"]
    assert rec["date"] in ("2021-04-17T12:54:21+00:00", "2022-04-22T13:29:05+00:00",
                           "2021-04-17")


def test_toml_local_date_and_time_become_iso():
    rec = metadata("+++\ndate = 2021-04-17\nat = 07:32:00\n+++\nx\n")
    assert (rec["date"], rec["at"]) == ("2021-04-17", "07:32:00")


# --- no front matter -------------------------------------------------------------------------


@pytest.mark.parametrize(("body", "title"), [
    ("<html><head><title>页面标题</title></head><body><h1>H</h1><p>x</p></body></html>",
     "页面标题"),
    ("<h1>  Main <em>heading</em> </h1><p>text</p>", "Main heading"),
    ("Intro line\n\n## 第一个标题 ##\n\ntext\n", "第一个标题"),
    ("[链接标题](https://x.example)\n------\n\n<p>text</p>\n", "链接标题"),
])
def test_without_front_matter_the_title_comes_from_the_body(body: str, title: str):
    rec = metadata(body)
    assert rec["_format"] == "none"
    assert rec["title"] == title


def test_without_front_matter_or_heading_there_is_still_a_record():
    rec = lines_of(invoke("meta", input="just some text\n").output)[0]
    assert rec["_format"] == "none" and "title" not in rec and rec["_chars"] == 14


# --- errors and hostile input ----------------------------------------------------------------


def test_broken_yaml_among_good_files(tmp_path: Path):
    good1 = write(tmp_path, "a.md", "---\ntitle: A\n---\nx\n")
    bad = write(tmp_path, "b.md", "\n---\ntitle: B\ntags: [one, two\nauthor: x\n---\nx\n")
    good2 = write(tmp_path, "c.md", "---\ntitle: C\n---\nx\n")
    result = CliRunner().invoke(cli, ["meta", str(good1), str(bad), str(good2)])
    assert result.exit_code == 1
    assert [r["title"] for r in lines_of(result.stdout)] == ["A", "C"]
    errors = result.stderr.splitlines()
    assert len(errors) == 1
    assert errors[0].startswith(f"cleantext: {bad}: line 5: bad YAML front matter")


def test_broken_toml_names_the_file_line():
    with pytest.raises(CleantextError, match=r"^line 3: bad TOML front matter: "):
        metadata('+++\ntitle = "x"\ndate = = 3\n+++\nbody\n')


def test_front_matter_that_is_not_a_mapping_is_an_error():
    with pytest.raises(CleantextError, match="not a mapping"):
        metadata("---\n- a\n- b\n---\nbody\n")


def billion_laughs(levels: int = 9) -> str:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for prev, name in zip("abcdefghijk", "bcdefghijkl"[: levels - 1]):
        text += f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]\n"
    return text


def test_alias_bomb_is_refused(tmp_path: Path):
    # Refused before it is built: expanded, it would hold 9**9 strings (a hang, then the
    # test run's time limit, if it were not).
    post = write(tmp_path, "bomb.md", f"---\n{billion_laughs()}---\nbody\n")
    result = CliRunner().invoke(cli, ["meta", str(post)])
    assert result.exit_code == 1
    assert "billion laughs" in result.stderr and result.stdout == ""


def test_merge_key_bomb_is_refused():
    # Merge keys are copied while the mapping is built: 2**40 pairs if nothing stopped it.
    text = "l0: &l0 {x: 1, y: 2}\n" + "".join(
        f"l{i}: &l{i} {{<<: [*l{i - 1}, *l{i - 1}], k{i}: 1}}\n" for i in range(1, 40))
    with pytest.raises(CleantextError, match="expand to more than"):
        load_yaml(text)


def test_a_plain_front_matter_past_the_value_limit_is_not_called_a_bomb():
    text = "".join(f"k{i}: v\n" for i in range(100_010))  # no alias
    with pytest.raises(CleantextError, match="front matter has more than 100,000 values") as e:
        metadata(f"---\n{text}---\nx\n")
    assert "billion" not in str(e.value)


def test_small_aliases_still_work():
    assert load_yaml("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n") == {
        "base": {"x": 1}, "other": {"x": 1, "y": 2}}


@pytest.mark.parametrize("nested", [
    "a: " + "[" * 200_000 + "]" * 200_000,  # would crash libyaml's recursive composer
    "a:\n" + "".join(" " * (i + 1) + "-\n" for i in range(100)),
], ids=["flow-200000-deep", "block-100-deep"])
def test_deep_nesting_is_refused(nested: str, tmp_path: Path):
    # Refused by cleantext's own guard ("YAML nested more than 64 levels deep") or, first,
    # by a libyaml that has a limit of its own (PyYAML 6.0.4: "exceeded maximum nesting
    # depth"): either way one line that names the file, exit 1, and no crash.
    with pytest.raises(CleantextError, match=r"\bnest(ed|ing)\b") as refused:
        metadata(f"---\n{nested}\n---\nbody\n")
    assert "\n" not in str(refused.value)
    post = write(tmp_path, "deep.md", f"---\n{nested}\n---\nbody\n")
    result = CliRunner().invoke(cli, ["meta", str(post)])
    assert result.exit_code == 1 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert re.match(rf"cleantext: {re.escape(str(post))}: line \d+: .*\bnest", line), line


def test_duplicate_keys_last_one_wins_in_the_first_ones_place():
    rec = metadata("---\ntitle: first\nauthor: a\ntitle: second\n---\nx\n")
    assert rec["title"] == "second"
    assert list(rec)[:2] == ["title", "author"]


def test_values_json_rejects_are_made_safe():
    text = ("---\n1: one\n2021-04-17: day\nnan: .nan\ninf: -.inf\n"
            "bin: !!binary aGVsbG8=\nset: !!set {b, a}\n---\nx\n")
    rec = metadata(text)
    assert (rec["1"], rec["2021-04-17"]) == ("one", "day")
    assert (rec["nan"], rec["inf"]) == ("NaN", "-Infinity")
    assert (rec["bin"], rec["set"]) == ("aGVsbG8=", ["a", "b"])
    json.dumps(rec, allow_nan=False)


# --- output options --------------------------------------------------------------------------


def test_fields_prints_only_those_keys_in_that_order(tmp_path: Path):
    post = write(tmp_path, "p.md", "---\ntitle: T\nauthor: A\ndate: 2021-04-17\n"
                                   "from: https://x.example/1\n---\nx\n")
    result = invoke("meta", "--fields", "title,date,url", str(post))
    assert result.output == ('{"title": "T", "date": "2021-04-17", '
                             '"url": "https://x.example/1"}\n')


def test_fields_missing_are_null_and_repeatable(tmp_path: Path):
    post = write(tmp_path, "p.md", "---\ntitle: T\n---\nx\n")
    rec = lines_of(invoke("meta", "--fields", "title", "--fields", "nope,script",
                          str(post)).output)[0]
    assert rec == {"title": "T", "nope": None, "script": "none"}


def test_fields_needs_a_name():
    result = CliRunner().invoke(cli, ["meta", "--fields", ",", "-"], input="x")
    assert result.exit_code == 2


def test_non_ascii_is_written_as_is_and_ascii_escapes_it(tmp_path: Path):
    post = write(tmp_path, "p.md", "---\ntitle: 中文标题\n---\n正文\n")
    plain = invoke("meta", str(post)).output
    escaped = invoke("meta", "--ascii", str(post)).output
    assert '"title": "中文标题"' in plain
    assert escaped.isascii() and '"title": "\\u4e2d\\u6587\\u6807\\u9898"' in escaped
    assert json.loads(escaped) == json.loads(plain)


def test_pretty_indents(tmp_path: Path):
    post = write(tmp_path, "p.md", "---\ntitle: T\ntags: [a]\n---\nx\n")
    output = invoke("meta", "--pretty", str(post)).output
    assert output.startswith('{\n  "title": "T",\n  "tags": [\n    "a"\n  ],\n')
    assert json.loads(output)["title"] == "T"


def test_every_line_parses_as_json_like_jq_reads_it(tmp_path: Path):
    names = []
    for i, text in enumerate(["---\ntitle: 一\n---\n<p>x</p>\n", "+++\ntitle = '二'\n+++\ny\n",
                              '{"title": "三"}\nz\n', "<h1>四</h1>\n", ""]):
        names.append(str(write(tmp_path, f"{i}.md", text)))
    result = invoke("meta", *names)
    assert result.exit_code == 0
    records = lines_of(result.output)
    assert [r.get("title") for r in records] == ["一", "二", "三", "四", None]
    assert [r["_path"] for r in records] == names


def test_output_file_gets_every_line(tmp_path: Path):
    a = write(tmp_path, "a.md", "---\ntitle: A\n---\nx\n")
    b = write(tmp_path, "b.md", "---\ntitle: B\n---\nx\n")
    out = tmp_path / "index.jsonl"
    result = invoke("meta", "-o", str(out), str(a), str(b))
    assert result.exit_code == 0 and result.output == ""
    assert [r["title"] for r in lines_of(out.read_text(encoding="utf-8"))] == ["A", "B"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", "b.md", "index.jsonl"]


def test_output_file_may_have_a_name_near_the_file_systems_limit(tmp_path: Path):
    a = write(tmp_path, "a.md", "---\ntitle: A\n---\nx\n")
    out = tmp_path / ("长" * 80 + ".jsonl")  # 246 bytes: its temporary file's is cut to fit
    result = invoke("meta", "-o", str(out), str(a))
    assert result.exit_code == 0, result.output
    assert [r["title"] for r in lines_of(out.read_text(encoding="utf-8"))] == ["A"]


def test_output_file_gets_the_mode_a_new_file_gets_and_keeps_an_existing_files(tmp_path: Path):
    a = write(tmp_path, "a.md", "---\ntitle: A\n---\nx\n")
    out = tmp_path / "index.jsonl"
    umask = os.umask(0o022)
    try:
        assert invoke("meta", "-o", str(out), str(a)).exit_code == 0
        assert out.stat().st_mode & 0o777 == 0o644  # not 0600: others may read an index
        out.chmod(0o640)
        assert invoke("meta", "-o", str(out), str(a)).exit_code == 0
        assert out.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(umask)


def test_output_file_that_is_a_folder_is_a_one_line_error(tmp_path: Path):
    a = write(tmp_path, "a.md", "---\ntitle: A\n---\nx\n")
    folder = tmp_path / "out"
    folder.mkdir()
    result = CliRunner().invoke(cli, ["meta", "-o", str(folder), str(a)])
    assert result.exit_code == 1
    assert result.stderr == f"cleantext: {folder}: cannot write: Is a directory\n"
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("command", [["meta"], ["clean", "--to", "jsonl"]])
@pytest.mark.parametrize("escape", ["\\ud800", "\\udc80"])
def test_a_lone_surrogate_from_json_front_matter_stays_an_escape(tmp_path: Path,
                                                                  command: list[str],
                                                                  escape: str):
    # JSON allows "\ud800" alone; written raw it is not UTF-8 (or could not be written).
    post = write(tmp_path, "s.md", '{"title": "a ' + escape + ' b"}\n<p>x</p>\n')
    result = CliRunner().invoke(cli, [*command, str(post)])
    assert result.exit_code == 0, result.stderr
    line = result.stdout_bytes.decode("utf-8")  # valid UTF-8
    assert escape in line and json.loads(line)["title"] == "a " + json.loads(f'"{escape}"') + " b"


def test_output_file_may_not_be_an_input(tmp_path: Path):
    a = write(tmp_path, "a.md", "---\ntitle: A\n---\nx\n")
    result = CliRunner().invoke(cli, ["meta", "-o", str(a), str(a)])
    assert result.exit_code == 2
    assert a.read_text(encoding="utf-8").startswith("---")


def test_meta_refuses_the_rewrite_options():
    result = CliRunner().invoke(cli, ["meta", "-i", "x.md"])
    assert result.exit_code == 2


# --- script detection ------------------------------------------------------------------------

SIMPLIFIED = "这是一篇关于经济发展的报道，记者从银行获悉，贷款规模继续扩大。"
TRADITIONAL = "這是一篇關於經濟發展的報導，記者從銀行獲悉，貸款規模繼續擴大。"


@pytest.mark.parametrize(("text", "script"), [
    (SIMPLIFIED, "simplified"),
    (TRADITIONAL, "traditional"),
    (SIMPLIFIED + "\n" + TRADITIONAL, "mixed"),
    ("Only English here, 2021.", "none"),
    ("中文", "none"),  # only characters both scripts share
    ("台灣的臺北市吃飯，群眾才來。" * 3, "traditional"),  # Taiwan forms are not simplified
    (TRADITIONAL * 10 + "这里", "traditional"),  # a short quotation is not a mix
])
def test_script_detection(text: str, script: str):
    assert detect_script(text) == script


def test_script_is_reported_from_the_body_through_the_cli():
    text = f"---\ntitle: 标题\n---\n<p>{TRADITIONAL}</p>"
    result = invoke("meta", "--fields", "script", input=text)
    assert lines_of(result.output) == [{"script": "traditional"}]


def test_help_works_without_importing_heavy_modules():
    code = ("import sys; from cleantext.cli import cli\n"
            "try:\n    cli(['meta', '--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('yaml', 'lxml', 'opencc') if m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=env)
    assert out.stdout.strip().endswith("[]")


def test_fields_without_body_fields_skip_the_body(monkeypatch: pytest.MonkeyPatch):
    import cleantext.meta

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the body was parsed")

    monkeypatch.setattr(cleantext.meta, "body_stats", refuse)
    text = "---\ntitle: T\ndate: 2021-04-17\n---\n<p>x</p>"
    assert metadata(text, fields=("title", "date", "url")) == {
        "title": "T", "date": "2021-04-17", "url": None}


def test_document_metadata_errors_name_the_file_line():
    doc = cleantext.Document.parse("\n---\ntitle: x\ntags: [a\n---\nbody\n")
    with pytest.raises(CleantextError, match=r"^line 5: bad YAML"):
        _ = doc.metadata


def test_script_tables_are_the_installed_opencc_s():
    # meta ships its script tables as data so that it loads no OpenCC dictionary at start-up;
    # they must stay what OpenCC's dictionaries say (tools/build_script_tables.py rebuilds them).
    from cleantext import script_tables

    build = runpy.run_path(str(Path(__file__).parents[1] / "tools" / "build_script_tables.py"))
    version, simplified, traditional = build["build"]()
    if version == script_tables.OPENCC_VERSION:
        assert simplified == script_tables.SIMPLIFIED_ONLY
        assert traditional == script_tables.TRADITIONAL_ONLY
    else:  # a newer OpenCC may have edited a few entries: rebuild the tables when it has
        for new, shipped in ((simplified, script_tables.SIMPLIFIED_ONLY),
                             (traditional, script_tables.TRADITIONAL_ONLY)):
            assert len(set(new) ^ set(shipped)) < 0.01 * len(shipped)
    assert "们" in simplified and "們" in traditional and "台" not in simplified


def test_yaml_is_imported_without_compiling_its_unused_patterns():
    # Start-up: PyYAML's import compiles a regex for its pure-Python reader (10 of its 25 ms
    # here) that the libyaml loader never runs; its patterns are compiled on first use.
    script = (
        "import re, sys\n"
        "from cleantext.front_matter import load_yaml\n"
        "value = load_yaml('date: 2021-04-17\\nok: yes\\nn: 1.5\\nx: ~')\n"
        "import yaml\n"
        "print(type(yaml.reader.Reader.NON_PRINTABLE).__name__, "
        "re.compile.__module__, re.compile('a') is not None, sorted(value.items()))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == (
        "LazyPattern re True "
        "[('date', datetime.date(2021, 4, 17)), ('n', 1.5), ('ok', True), ('x', None)]")


def test_a_lone_surrogate_from_the_api_does_not_hide_the_rest_of_the_body():
    # libxml2, given a str holding a lone surrogate, silently dropped everything after it.
    rec = metadata("---\ntitle: x\n---\n<p>前文\udc80後文</p><p>第二段的文字</p>\n")
    assert rec["_paragraphs"] == 2 and rec["_chars"] == 11  # 前文?後文, 第二段的文字


_PLAIN = st.lists(
    st.characters(blacklist_characters="<&", blacklist_categories=("Cs",))
    | st.sampled_from(["\r\n", "\r", "\n\n", "  ", "\t", "\ufeff", "# ", "===", "---",
                       "[a](b)", "![i](x)", "　", "標題", "\u2028", "\udc80"]),
    max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(_PLAIN)
def test_plain_text_bodies_skip_lxml_with_the_same_blocks_and_title(body: str):
    # Bodies without tags or entities are read without lxml (start-up); the blocks and title
    # must be what lxml's parse gives.
    import cleantext.body_stats as meta_module

    fast = meta_module.visible_blocks(body, want_title=True)
    original = meta_module._has_markup
    meta_module._has_markup = lambda text: True
    try:
        slow = meta_module.visible_blocks(body, want_title=True)
    finally:
        meta_module._has_markup = original
    assert fast == slow


def test_meta_of_a_plain_text_body_imports_no_lxml_opencc_or_yaml(tmp_path: Path):
    # Start-up: at the end of a pipeline meta sees text, not HTML; lxml is a fifth of its cost.
    # The script is told from shipped tables, not from OpenCC's dictionaries; a flat front
    # matter is read without PyYAML.
    doc = tmp_path / "post.md"
    doc.write_text("---\ntitle: 标题\n---\n这是第一段。\r\n\r\n第二段。\n", encoding="utf-8")
    script = ("import sys\nfrom cleantext.cli import main\nsys.argv = ['cleantext', 'meta', "
              "sys.argv[1]]\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
              "sys.stderr.write(repr(sorted(m for m in sys.modules\n"
              "                            if m.startswith(('lxml', 'opencc', 'yaml')))))\n")
    proc = subprocess.run([sys.executable, "-c", script, str(doc)], capture_output=True,
                          text=True)
    assert proc.stderr == "[]"
    record_ = json.loads(proc.stdout)
    assert (record_["_paragraphs"], record_["_chars"], record_["_script"]) == (2, 10,
                                                                               "simplified")


# --- flat front matter without PyYAML: the same values as PyYAML's ---------------------------

_YAML_KEYS = ["title", "date", "tags", "yes", "on", "null", "n", "y", "a-b", "_x", "Off"]
_YAML_ATOMS = ["a", "中文", " ", "  ", ":", ": ", "#", " #", "-", "- ", ",", "[", "]", "{", "'",
               "''", '"', "\\", "~", ".", "0", "1", "07", "2021", "-04", "-4", "-17", "T", "t",
               "12", ":54", ":21", ".629", "Z", "z", "+08:00", "-05", "+24", "yes", "true",
               "NULL", "on", "&x", "*x", "!t", "|", ">", "%", "@", "?", "http://x.cn/a?b=1#c",
               "\t", "\u3000", "\xa0", "\r", "\ufeff", "\u2028", "e3", "=", "<<", "1_000",
               ".inf", "1.5", "😀"]
_scalar = st.lists(st.sampled_from(_YAML_ATOMS), max_size=6).map("".join)
_timestamp = st.builds(
    "{}-{}-{}{}".format, st.sampled_from(["2021", "0000", "202"]),
    st.sampled_from(["04", "4", "13", "02"]), st.sampled_from(["17", "7", "30", "00"]),
    st.sampled_from(["", "T12:54:21", "T12:54:21.629Z", " 1:02:03 +08:00", "T12:54:21.",
                     "t12:54:21.1234567-05", "T12:54:21 Z", "T25:00:00", "T12:54:21+24",
                     "T12:54", "T12:54:21+5:30"]))
_value = st.one_of(
    _scalar, _timestamp, _scalar.map(lambda s: f'"{s}"'), _scalar.map(lambda s: f"'{s}'"),
    st.lists(st.one_of(_scalar, _scalar.map(lambda s: f"'{s}'")), max_size=4)
    .map(lambda items: "[" + ", ".join(items) + "]"))
_yaml_line = st.one_of(
    st.builds("{}{}{}".format, st.sampled_from(_YAML_KEYS),
              st.sampled_from([": ", ":  ", ":", " : "]), _value),
    st.builds("{}- {}".format, st.sampled_from(["", "  ", "    "]), _value),
    st.sampled_from(["", "# note", "---", "...", "  x: 1", "-", "? a"]))


def _pyyaml(text: str) -> str:
    from cleantext.front_matter import _yaml, _yaml_loader

    try:
        return repr(_yaml().load(text, Loader=_yaml_loader()))
    except Exception as exc:  # noqa: BLE001 - any failure is a difference
        return f"error {type(exc).__name__}"


@settings(max_examples=400, deadline=None)
@given(st.lists(_yaml_line, min_size=1, max_size=8).map("\n".join))
def test_flat_front_matter_reads_as_pyyaml_does(text: str) -> None:
    from cleantext.front_matter import _simple_yaml

    fast = _simple_yaml(text)
    if fast is not None:  # None: not in the subset, PyYAML reads it
        assert repr(fast) == _pyyaml(text)


@pytest.mark.parametrize("text", [
    "title: 标题\ndate: 2021-04-17T12:54:21.629Z\nauthor: 联合早报\ntags: [ 联合早报 ]",
    "title: \"a: b # c\"\nviews: 1024\nday: 2019-06-05\nbad: 2021-02-30\ntz: 2021-04-17 1:02:03 -05",
    "categories:\n- 新闻\n- 'it''s'\nkeywords:\n  - a\n  - b c\nempty:\nurl: http://x.cn/a#b",
])
def test_common_front_matter_is_read_without_pyyaml(text: str) -> None:
    from cleantext.front_matter import _simple_yaml

    fast = _simple_yaml(text)
    assert fast is not None
    assert repr(fast) == _pyyaml(text)


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x", "a: \"tab\\there\"", "a:\n  b: 1", "a: yes", "a: 1.5", "a: 0777",
    "a: ~", "a: |\n  x", "a: x\n  continued", "a:\tx", "a: \u3000x", "a: x # note",
    "a: [x, [y]]", "? a\n: b", "- a", "yes: 1", "a: 2021-04-17 12:54", "a:\n- x\n  - y",
])
def test_front_matter_outside_the_flat_subset_goes_to_pyyaml(text: str) -> None:
    from cleantext.front_matter import _simple_yaml, load_yaml

    assert _simple_yaml(text) is None
    assert repr(load_yaml(text)) == _pyyaml(text)


def test_a_huge_flat_front_matter_is_refused_as_on_pyyaml_s_path() -> None:
    from cleantext.front_matter import MAX_YAML_NODES, FrontMatterError, load_yaml

    text = "\n".join(f"k{i}: v" for i in range(MAX_YAML_NODES + 10))
    with pytest.raises(FrontMatterError, match="more than 100,000 values"):
        load_yaml(text)
