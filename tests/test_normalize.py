"""Tests for the normalize step: every rule, every option, idempotence and streaming."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleantext import runner
from cleantext.cli import cli
from cleantext.document import Document
from cleantext.steps import normalize as nm
from cleantext.steps.normalize import RULES, normalize, normalize_pieces, normalize_text

# --- each rule, through the function --------------------------------------------------------


@pytest.mark.parametrize("space", ["\u3000", "\u00a0", "\u2000", "\u2005", "\u200a", "\u202f",
                                   "\u205f"])
def test_unicode_spaces_become_ascii_space(space: str) -> None:
    assert normalize_text(f"a{space}b") == "a b\n"


def test_indent_and_trailing_spaces_removed() -> None:
    text = "\u3000\u3000第一段。  \n\t第二段。\t \n  third line  "
    assert normalize_text(text) == "第一段。\n第二段。\nthird line\n"


def test_space_runs_collapse_inside_line() -> None:
    assert normalize_text("a   b \u3000 c\td") == "a b c\td\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # No tab anywhere: the path that collapses space runs first, then trims line edges.
        ("  a  \n \u3000 b \u00a0\n   c \n", "a\nb\nc\n"),
        # A tab in the text: the general path, tabs and spaces mixed at the edges.
        ("x\ty\n \t a \t \n\t  b\t\n", "x\ty\na\nb\n"),
    ],
)
def test_line_edges_trimmed_with_and_without_tabs(text: str, expected: str) -> None:
    assert normalize_text(text) == expected
    assert "".join(normalize_pieces(list(text))) == expected  # one character per piece


@pytest.mark.parametrize("tail", ["", " 中"])  # Latin-1 only (bytes.translate), or not (regex)
def test_odd_characters_below_u0100_either_way(tail: str) -> None:
    text = "caf\u00e9\u00a0au\u00adlait\x85\x07\x7f ok" + tail
    assert normalize_text(text) == "caf\u00e9 aulait ok" + tail + "\n"
    assert normalize_text(text, keep=["unicode-spaces"]) == "caf\u00e9\u00a0aulait ok" + tail + "\n"
    kept = "caf\u00e9 au\u00adlait\x85\x07\x7f ok" + tail + "\n"
    assert normalize_text(text, keep=["controls", "invisible"]) == kept


def test_tabs_inside_a_line_are_kept() -> None:
    assert normalize_text("a\t\tb") == "a\t\tb\n"


@pytest.mark.parametrize("char", ["\u200b", "\u2060", "\u00ad", "\ufeff"])
def test_invisible_characters_removed(char: str) -> None:
    assert normalize_text(f"in{char}visible") == "invisible\n"


def test_leading_feff_of_body_is_removed() -> None:
    # In the body it is not a BOM (a document's BOM belongs to its head).
    assert normalize_text("\ufeffbody") == "body\n"


@pytest.mark.parametrize("joiner", ["\u200d", "\u200c"])
def test_zero_width_joiners_kept(joiner: str) -> None:
    family = f"\U0001f468{joiner}\U0001f469"
    assert normalize_text(family) == family + "\n"


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\x85",
                                  "\x9f"])
def test_control_characters_removed(char: str) -> None:
    assert normalize_text(f"a{char}b") == "ab\n"


def test_tab_and_newline_are_not_controls() -> None:
    assert normalize_text("a\tb\nc") == "a\tb\nc\n"


@pytest.mark.parametrize("eol", ["\r\n", "\r", "\u2028", "\u2029", "\n"])
def test_line_endings_become_lf(eol: str) -> None:
    assert normalize_text(f"one{eol}two{eol}") == "one\ntwo\n"


def test_blank_line_runs_collapse_to_one() -> None:
    assert normalize_text("a\n\n\n\n\nb\n\nc") == "a\n\nb\n\nc\n"


def test_lines_of_spaces_count_as_blank() -> None:
    assert normalize_text("a\n  \n\u3000\n\t\nb") == "a\n\nb\n"


def test_no_blank_lines_at_start_and_one_newline_at_end() -> None:
    assert normalize_text("\n\n \n\r\ntext\n\n\n\n") == "text\n"


@pytest.mark.parametrize("text", ["", "\n", "\n\n\n", "  \u3000 \r\n\t", "\u200b"])
def test_body_with_nothing_in_it_becomes_empty(text: str) -> None:
    assert normalize_text(text) == ""


def test_cjk_punctuation_untouched_by_default() -> None:
    text = "中文，标点。！？：；（）「」『』《》、…—"
    assert normalize_text(text) == text + "\n"


# --- width and NFKC ---------------------------------------------------------------------------


def test_width_alnum_is_default_and_keeps_punctuation() -> None:
    assert normalize_text("ＡＢＣ１２３ｘｙｚ，！（）") == "ABC123xyz，！（）\n"


def test_width_all_folds_every_fullwidth_ascii_form() -> None:
    assert normalize_text("ＡＢ１，！（）［］＠", width="all") == "AB1,!()[]@\n"


def test_width_all_leaves_cjk_only_punctuation() -> None:
    # 。「」、 are CJK symbols, not full-width ASCII forms.
    assert normalize_text("好。「是」、", width="all") == "好。「是」、\n"


def test_width_none_folds_nothing() -> None:
    assert normalize_text("ＡＢＣ１２３", width="none") == "ＡＢＣ１２３\n"


def test_nfkc_only_when_asked() -> None:
    text = "中文，ﬁ①㎡"
    assert normalize_text(text) == text + "\n"
    assert normalize_text(text, nfkc=True) == "中文,fi1m2\n"


def test_nfkc_composes_after_removing_invisible_characters() -> None:
    assert normalize_text("e\u200b\u0301", nfkc=True) == "\u00e9\n"


# --- --keep: each rule can be left out --------------------------------------------------------

KEEP_CASES = {
    "unicode-spaces": ("a\u3000b", "a\u3000b\n"),
    "invisible": ("a\u200bb", "a\u200bb\n"),
    "controls": ("a\x07b", "a\x07b\n"),
    "line-endings": ("a\r\nb\rc", "a\r\nb\rc\n"),
    "indent": ("  a  \n\tb", " a \n\tb\n"),  # space-runs still apply
    "space-runs": ("a   b", "a   b\n"),
    "blank-lines": ("\n\na\n\n\n\nb", "\n\na\n\n\n\nb"),
}


def test_keep_cases_cover_every_rule() -> None:
    assert set(KEEP_CASES) == set(RULES)


@pytest.mark.parametrize("rule", sorted(KEEP_CASES))
def test_keep_leaves_a_rule_out(rule: str) -> None:
    text, kept = KEEP_CASES[rule]
    assert normalize_text(text, keep=[rule]) == kept
    assert normalize_text(text) != kept  # the rule does something by default


def test_keep_line_endings_still_trims_around_crlf() -> None:
    assert normalize_text("  a  \r\n  b", keep=["line-endings"]) == "a\r\nb\n"
    # The final LF makes a last lone CR a CRLF, so the space before it goes too.
    assert normalize_text("1 \r", keep=["line-endings"]) == "1\r\n"


def test_unknown_rule_and_width_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown rule"):
        normalize_text("x", keep=["nope"])
    with pytest.raises(ValueError, match="unknown width"):
        normalize_text("x", width="half")


def test_document_head_keeps_keys_and_values_and_only_unifies_line_ends() -> None:
    doc = Document.parse("---\ntitle:  x\u3000\r\n---\n\n\n\u3000\u3000正文\r\n")
    out = normalize(doc)
    assert out.head == "---\ntitle:  x\u3000\n---\n"  # only the CRLF changed
    assert out.body == "正文\n"
    assert normalize(doc, keep=["line-endings"]).head == doc.head


def test_crlf_post_comes_out_with_one_kind_of_line_end_and_no_bom() -> None:
    text = "\ufeff---\r\ntitle: A\r\ntags: [x, y]\r\n---\r\nBody line.\r\n"
    out = normalize(Document.parse(text)).text
    assert out == "---\ntitle: A\ntags: [x, y]\n---\nBody line.\n"
    kept = normalize(Document.parse(text), keep=["invisible"]).text
    assert kept.startswith("\ufeff---\n")


# --- the CLI ----------------------------------------------------------------------------------


def _cli(args: list[str], data: bytes | None = None, tmp_path: Path | None = None) -> bytes:
    if data is not None:
        assert tmp_path is not None
        path = tmp_path / "post.md"
        path.write_bytes(data)
        args = [*args, str(path)]
    result = CliRunner().invoke(cli, ["normalize", *args])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


POST = ("---\ntitle: \"标题\u3000 \"\ndate: 2021-04-17\n---\n\n\n"
        "<p>\u3000\u3000第一段，ＡＢＣ１２３！\u00a0 end  </p>\r\n\r\n\r\n"
        "<p>\u200b第二段\u2060（２）</p>\r\n").encode()


def test_cli_default(tmp_path: Path) -> None:
    out = _cli([], POST, tmp_path)
    assert out.decode() == ("---\ntitle: \"标题\u3000 \"\ndate: 2021-04-17\n---\n"
                            "<p> 第一段，ABC123！ end </p>\n\n<p>第二段（2）</p>\n")


@pytest.mark.parametrize("rule", sorted(KEEP_CASES))
def test_cli_keep(rule: str, tmp_path: Path) -> None:
    text, kept = KEEP_CASES[rule]
    assert _cli(["--keep", rule], text.encode(), tmp_path) == kept.encode()


def test_cli_keep_is_repeatable(tmp_path: Path) -> None:
    out = _cli(["--keep", "indent", "--keep", "space-runs"], b"  a   b", tmp_path)
    assert out == b"  a   b\n"


@pytest.mark.parametrize(("width", "expected"), [
    ("alnum", "AB1，！\n"), ("all", "AB1,!\n"), ("none", "ＡＢ１，！\n"),
])
def test_cli_width(width: str, expected: str, tmp_path: Path) -> None:
    assert _cli(["--width", width], "ＡＢ１，！".encode(), tmp_path) == expected.encode()


def test_cli_nfkc(tmp_path: Path) -> None:
    assert _cli(["--nfkc"], "中文，ﬁ".encode(), tmp_path) == "中文,fi\n".encode()


def test_cli_bad_keep_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["normalize", "--keep", "nope", "-"], input="x")
    assert result.exit_code == 2


def test_cli_drops_the_leading_bom_and_inner_ones(tmp_path: Path) -> None:
    out = _cli([], "\ufeffhello\ufeff world\ufeff".encode(), tmp_path)
    assert out == "hello world\n".encode()


def test_cli_stdin() -> None:
    result = CliRunner().invoke(cli, ["normalize"], input="\u3000\u3000段落\r\n\r\n\r\n")
    assert result.exit_code == 0
    assert result.stdout_bytes == "段落\n".encode()


# --- idempotence and stream equivalence (hypothesis) ------------------------------------------

# Characters the rules care about, mixed with ordinary text so they meet each other.
INTERESTING = (
    " \u3000\u00a0\u2002\u202f\r\n\t\u2028\u2029\u200b\u2060\u00ad\ufeff\u200c\u200d"
    "\x00\x07\x0b\x0c\x1b\x7f\x85ＡＺａｚ０９，。！？（）「」：；\u0301\u0308\u3099"
    "\u1100\u1161\u11a8\u3131\u314f\uffa1\uffc2ｶﾞﾟabc1中文가é"
)
texts = (
    st.text(alphabet=st.sampled_from(INTERESTING), max_size=200)
    # Mostly whitespace and line breaks, so that they meet at piece boundaries often.
    | st.text(alphabet=st.sampled_from(" \t\r\n\u3000\u2028\u200bａ中\u0301"), max_size=60)
    | st.text(max_size=100)
)
OPTIONS = [
    {},
    {"keep": ["indent"]},
    {"keep": ["line-endings"]},
    {"keep": ["blank-lines", "space-runs"]},
    {"keep": ["unicode-spaces", "invisible"], "width": "all"},
    {"width": "none"},
    {"keep": ["controls"], "width": "all"},
    {"nfkc": True},
]


@pytest.mark.parametrize("options", OPTIONS, ids=repr)
@given(text=texts)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_idempotent(options: dict, text: str) -> None:
    once = normalize_text(text, **options)
    assert normalize_text(once, **options) == once


@st.composite
def split_text(draw: st.DrawFn) -> tuple[str, list[str]]:
    text = draw(texts)
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
    bounds = [0, *cuts, len(text)]
    return text, [text[a:b] for a, b in itertools.pairwise(bounds)]


@pytest.mark.parametrize("options", OPTIONS, ids=repr)
@given(case=split_text())
@settings(max_examples=300, deadline=None)
def test_pieces_give_the_same_output_as_one_piece(options: dict, case: tuple) -> None:
    text, pieces = case
    assert "".join(normalize_pieces(pieces, **options)) == normalize_text(text, **options)


# Small sizes, so that every example crosses them: lines longer than 8 characters are cut
# inside, and the rules run over about 3 characters at a time.
SMALL_SIZES = [{"_MAX_CARRY": 8}, {"_GROUP": 3}, {"_MAX_CARRY": 8, "_GROUP": 3}]


@pytest.mark.parametrize("sizes", SMALL_SIZES, ids=repr)
@pytest.mark.parametrize("options", OPTIONS, ids=repr)
@given(case=split_text())
@settings(max_examples=200, deadline=None)
def test_lines_cut_inside_and_groups_of_lines_give_the_same_output(
        sizes: dict, options: dict, case: tuple) -> None:
    text, pieces = case
    whole = normalize_text(text, **options)
    with pytest.MonkeyPatch.context() as patch:
        for name, value in sizes.items():
            patch.setattr(nm, name, value)
        assert normalize_text(text, **options) == whole
        assert "".join(normalize_pieces(pieces, **options)) == whole


def test_groups_after_a_line_cut_inside_start_at_a_line_start(monkeypatch) -> None:
    monkeypatch.setattr(nm, "_MAX_CARRY", 8)
    monkeypatch.setattr(nm, "_GROUP", 1)
    pieces = ["abcdefghijkl", "mnop\n  x\n\ty \n"]  # the first is cut inside its line
    assert "".join(normalize_pieces(pieces)) == "abcdefghijklmnop\nx\ny\n"


@pytest.mark.parametrize("eol", ["\r", "\u2028"])
def test_kept_line_endings_are_not_piece_boundaries(eol: str) -> None:
    # With --keep line-endings only LF ends a line, so the space after a lone CR stays.
    text = f"a {eol} b\n"
    expected = normalize_text(text, keep=["line-endings"])
    assert expected == f"a {eol} b\n"
    assert "".join(normalize_pieces(["a ", eol, " b\n"], keep=["line-endings"])) == expected


def test_overlong_line_without_newlines_in_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    line = ("中文ＡＢＣ１２３\u3000\u3000word  word\u200bｶﾞ가\u11a8e\u0301，。" * 400)
    expected = {nfkc: normalize_text(line, nfkc=nfkc) for nfkc in (False, True)}
    monkeypatch.setattr(nm, "_MAX_CARRY", 1000)
    for nfkc in (False, True):
        pieces = [line[i:i + 97] for i in range(0, len(line), 97)]
        chunks = list(normalize_pieces(pieces, nfkc=nfkc))
        assert len(chunks) > 5  # it was really cut, not held whole
        assert "".join(chunks) == expected[nfkc]


def test_overlong_line_in_the_middle_keeps_line_start(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "  first  \n" + "  " + "x" * 50 + "  y  \n\n\n  last"
    monkeypatch.setattr(nm, "_MAX_CARRY", 10)
    pieces = [text[i:i + 7] for i in range(0, len(text), 7)]
    assert "".join(normalize_pieces(pieces)) == "first\n" + "x" * 50 + " y\n\nlast\n"


# --- a big file streamed by the runner through the CLI ----------------------------------------


def _streamed_file() -> bytes:
    """CRLF pairs, blank-line runs and UTF-8 characters straddling 64-byte piece boundaries."""
    out = bytearray(b"---\ntitle: big\n---\n")
    filler = "\u3000\u3000中文ＡＢ  x \u00a0"
    k = 0
    while len(out) < 5000:
        text = filler[: k % len(filler) + 1]
        out += text.encode()
        # Pad so the next line end straddles a piece boundary.
        while len(out) % 64 != 63:
            out += b"y"
        out += b"\r\n" if k % 3 else b"\r\n\r\n\r\n  \r\n\r\n"
        k += 1
    return bytes(out)


def test_big_file_streams_in_pieces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _streamed_file()
    expected_doc = normalize(Document.parse(data.decode()))
    monkeypatch.setattr(runner, "STREAM_THRESHOLD", 256)
    monkeypatch.setattr(runner, "PIECE_SIZE", 64)
    seen: list[str] = []
    decoded_pieces = runner._decoded_pieces

    def spy(*args: object) -> object:
        for piece in decoded_pieces(*args):
            seen.append(piece)
            yield piece

    monkeypatch.setattr(runner, "_decoded_pieces", spy)
    out = _cli([], data, tmp_path)
    assert len(seen) > 50  # the runner really streamed it
    assert any(p.endswith("\r") for p in seen) and any(p.startswith("\n") for p in seen)
    assert out.decode() == expected_doc.text
    assert "\r" not in out.decode() and "\n\n\n" not in out.decode()
    assert out.startswith(b"---\ntitle: big\n---\n")


