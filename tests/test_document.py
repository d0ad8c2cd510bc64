"""The document model: front matter detection and byte-for-byte round trips."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleantext.document import Document

YAML_POST = "---\ntitle: \"中文\"\ndate: 2021-04-17\n---\n<p>正文</p>\n"


def test_yaml_front_matter_is_split_and_parsed():
    doc = Document.parse(YAML_POST)
    assert doc.format == "yaml"
    assert doc.head == "---\ntitle: \"中文\"\ndate: 2021-04-17\n---\n"
    assert doc.body == "<p>正文</p>\n"
    assert doc.front_matter == "title: \"中文\"\ndate: 2021-04-17\n"
    assert doc.metadata["title"] == "中文"


def test_toml_front_matter():
    doc = Document.parse("+++\ntitle = \"x\"\ntags = [\"a\"]\n+++\nbody\n")
    assert doc.format == "toml"
    assert doc.body == "body\n"
    assert doc.metadata == {"title": "x", "tags": ["a"]}


def test_json_front_matter_with_nested_brace_lines():
    text = '{\n  "title": "x",\n  "extra": {\n    "a": 1\n}\n}\n<p>body</p>\n'
    doc = Document.parse(text)
    assert doc.format == "json"
    assert doc.body == "<p>body</p>\n"
    assert doc.metadata == {"title": "x", "extra": {"a": 1}}


def test_body_starting_with_brace_that_is_not_json_is_all_body():
    doc = Document.parse("{not json} and text\n")
    assert (doc.format, doc.head) == (None, "")


def test_hexo_front_matter_without_opening_delimiter():
    text = "title: 无开头\ndate: 2022-04-22 13:29:05\ntags:\n- a\n---\n<p>x</p>\n"
    doc = Document.parse(text)
    assert doc.format == "yaml"
    assert doc.body == "<p>x</p>\n"
    assert doc.metadata["title"] == "无开头"


@pytest.mark.parametrize("text", [
    "<p>a: b</p>\n---\nrest\n",  # an HTML first line
    "just a line\n---\nnext\n",  # not key: value
    "a: [unclosed\n---\nbody\n",  # looks like a key, but is not a YAML mapping
    "see: this\nand that: [\n---\nbody\n",  # second line breaks the mapping
    "Source: Reuters\n\n---\n\nThe body.\n",  # paragraphs above a rule, as strip-html writes
    "title: x\n\ndate: 2021-04-17\n---\nbody\n",  # a mapping, but with a blank line inside
])
def test_body_with_a_rule_line_is_not_taken_for_hexo_front_matter(text):
    doc = Document.parse(text)
    assert (doc.format, doc.head, doc.body) == (None, "", text)


def test_bom_and_blank_lines_before_front_matter_belong_to_the_head():
    text = "\ufeff\n\n---\na: 1\n---\nbody"
    doc = Document.parse(text)
    assert doc.format == "yaml"
    assert doc.head == "\ufeff\n\n---\na: 1\n---\n"
    assert doc.bom == "\ufeff"
    assert doc.metadata == {"a": 1}


def test_bom_without_front_matter_stays_in_the_head():
    doc = Document.parse("\ufeff<p>x</p>")
    assert doc.head == "\ufeff" and doc.body == "<p>x</p>" and doc.format is None


def test_crlf_front_matter():
    text = "---\r\ntitle: x\r\n---\r\nbody\r\n"
    doc = Document.parse(text)
    assert doc.format == "yaml" and doc.body == "body\r\n"
    assert doc.metadata == {"title": "x"}


def test_unclosed_delimiter_means_no_front_matter():
    text = "---\ntitle: x\nno closing line\n"
    doc = Document.parse(text)
    assert doc.format is None and doc.body == text


@pytest.mark.parametrize("text", ["", "---\n---\n", "---\n---", "+++\n+++\n", "---\na: 1\n---"])
def test_edge_cases_round_trip(text):
    assert Document.parse(text).text == text


def test_empty_front_matter_gives_empty_metadata():
    doc = Document.parse("---\n---\nbody")
    assert doc.format == "yaml" and doc.metadata == {} and doc.body == "body"


def test_replace_keeps_head_and_format():
    doc = Document.parse(YAML_POST, path="a.md")
    new = doc.replace(body="x")
    assert new.head == doc.head and new.format == "yaml" and new.path == "a.md"


def test_document_pickles():
    doc = Document.parse(YAML_POST, path="a.md")
    again = pickle.loads(pickle.dumps(doc))
    assert again == doc and again.path == "a.md"


def test_document_pickled_after_its_metadata_was_read_parses_it_again():
    doc = Document.parse(YAML_POST)
    assert doc.metadata["title"] == "中文"
    again = pickle.loads(pickle.dumps(doc))
    assert again.metadata == {"title": "中文", "date": doc.metadata["date"]}


def test_default_head_is_empty():
    doc = Document(body="x")
    assert doc.text == "x" and doc.format is None and doc.metadata == {}


def test_key_value_first_line_holding_html_is_body_not_hexo_front_matter():
    text = "Note: <b>x</b>\n---\nrest\n"
    assert (Document.parse(text).format, Document.parse(text).body) == (None, text)


def test_yaml_front_matter_closed_by_document_end_marker():
    doc = Document.parse("---\ntitle: x\n...\nbody\n")
    assert (doc.format, doc.head, doc.body) == ("yaml", "---\ntitle: x\n...\n", "body\n")
    assert doc.metadata == {"title": "x"}


@pytest.mark.parametrize("opener, closer", [
    ("---  ", "---"), ("---", "--- \t"), ("---\t", "---  "),
])
def test_delimiters_with_trailing_blanks(opener, closer):
    doc = Document.parse(f"{opener}\ntitle: x\n{closer}\nbody\n")
    assert (doc.format, doc.head) == ("yaml", f"{opener}\ntitle: x\n{closer}\n")
    assert doc.front_matter == "title: x\n" and doc.metadata == {"title": "x"}


def test_crlf_blank_lines_before_front_matter_belong_to_the_head():
    doc = Document.parse("\r\n\r\n---\r\ntitle: x\r\n---\r\nbody")
    assert doc.format == "yaml" and doc.body == "body"
    assert doc.head == "\r\n\r\n---\r\ntitle: x\r\n---\r\n"
    assert doc.metadata == {"title": "x"}


def test_json_nested_deeper_than_the_parser_goes_is_body_not_an_error():
    # 100,000 levels: past the parser of every Python (3.13's reads 5,000 levels deep).
    text = '{"a":' * 100_000 + "1" + "}" * 100_000 + "\n<p>x</p>\n"
    doc = Document.parse(text)
    assert doc.format is None and doc.body == text


def test_json_front_matter_without_a_final_newline():
    doc = Document.parse('{"a": 1}')
    assert (doc.format, doc.head, doc.body) == ("json", '{"a": 1}', "")
    assert doc.metadata == {"a": 1}


def test_json_object_followed_by_text_on_its_line_is_body():
    text = '{"a": 1} tail\n'
    doc = Document.parse(text)
    assert (doc.format, doc.head, doc.body) == (None, "", text)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_hexo_front_matter_whose_first_key_has_no_value(newline):
    text = newline.join(["tags:", "- a", "---", "body"])
    doc = Document.parse(text)
    assert (doc.format, doc.body) == ("yaml", "body")
    assert doc.metadata == {"tags": ["a"]}


def test_hexo_front_matter_is_looked_for_in_the_first_64_kib_only():
    cap = 64 * 1024

    def post(head_length):  # the head, up to the end of its "---", is head_length long
        return "title: " + "a" * (head_length - len("title: \n---")) + "\n---\nbody\n"

    fits = Document.parse(post(cap))
    assert (fits.format, len(fits.head), fits.body) == ("yaml", cap + 1, "body\n")
    too_long = post(cap + 1)
    assert Document.parse(too_long).format is None and Document.parse(too_long).body == too_long


_pieces = st.sampled_from([
    "---", "+++", "...", "\n", "\r\n", "\r", "{", "}", '"k": 1', "title: x", "a: [", "\ufeff",
    " ", "\t", "<p>", "中文", "---\n", "\n---\n", "key: value\n", "{\"a\": {\"b\": 1}\n}\n",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_pieces, st.text(max_size=5)), max_size=25).map("".join))
def test_parse_then_serialise_is_identity(text):
    doc = Document.parse(text)
    assert doc.text == text
    assert Document.parse(doc.text) == doc


def test_broken_json_front_matter_is_front_matter_that_meta_refuses_like_yaml():
    from click.testing import CliRunner

    from cleantext.cli import cli

    text = '{\n  "title": "x",\n  "tags": [1, 2\n}\nbody\n'
    doc = Document.parse(text)
    assert (doc.format, doc.body) == ("json", "body\n")
    result = CliRunner().invoke(cli, ["meta"], input=text)
    assert result.exit_code == 1
    assert "bad JSON front matter" in result.stderr and len(result.stderr.splitlines()) == 1
    # A body that opens with "{" but no key (a template tag, a code sample) stays a body.
    assert Document.parse('{{< figure src="x" >}}\n}\nbody\n').format is None
