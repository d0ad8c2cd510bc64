"""Issue 23: web pages in a legacy encoding (Windows-1252, GBK) are read in it.

Such a page is mostly ASCII: its few accented letters are bytes that are not UTF-8, and no
valid multi-byte UTF-8 character stands beside them. It is read in the encoding it declares
(as browsers read the label: ISO-8859-1 means Windows-1252, GBK means GB18030), else in the
one detected; a UTF-8 page with a stray byte among its valid accented letters stays UTF-8."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cleantext.cli import cli
from cleantext.decoding import declared_encoding, decode, mostly_utf8

GERMAN = ("Die Straße über den Fluss wird im März für Fußgänger geöffnet. "
          "„Wir sind froh“, sagte der Bürgermeister – und dankte den Anwohnern für ihre Geduld. ")


def page(charset: str, body: str, encoding: str) -> bytes:
    head = f'<!DOCTYPE html>\n<html><head><meta charset="{charset}"><title>Nachrichten</title>'
    return (head + "</head><body><article>" + body + "</article></body></html>\n").encode(encoding)


def test_a_mostly_ascii_page_with_latin1_letters_is_not_mostly_utf8():
    data = page("iso-8859-1", "<p>" + GERMAN * 5 + "</p>", "cp1252")
    assert not mostly_utf8(data)


def test_a_page_declaring_iso_8859_1_is_read_as_windows_1252():
    # The curly quotes and the dash are Windows-1252 bytes (0x84, 0x93, 0x96), which
    # ISO-8859-1 proper would make control characters.
    data = page("ISO-8859-1", "<p>" + GERMAN * 3 + "</p>", "cp1252")
    assert declared_encoding(data) == "cp1252"
    assert GERMAN in decode(data)


def test_the_page_comes_out_of_the_html_steps_as_utf8_text(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(page("windows-1252", "<p>" + GERMAN * 3 + "</p>", "cp1252"))
    result = CliRunner().invoke(cli, ["clean", "-s", "extract", "-s", "strip-html", str(path)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert GERMAN.strip() in result.output
    assert "warning" not in result.output


def test_a_page_declaring_gbk_is_read_as_gb18030():
    text = "新华网消息，今天上午，全省农业工作会议在省会召开，会议总结了去年的工作。"
    data = page("gb2312", "<p>" + text + "</p>", "gb18030")
    assert declared_encoding(data) == "gb18030"
    assert text in decode(data)


def test_an_xml_declaration_counts_as_a_declaration():
    data = ('<?xml version="1.0" encoding="iso-8859-15"?>\n<html><body><p>Prix : 5 €, '
            "café compris.</p></body></html>").encode("iso-8859-15")
    assert declared_encoding(data) == "iso-8859-15"
    assert "5 €, café" in decode(data)


@pytest.mark.parametrize("charset", ["utf-8", "UTF-16", "x-no-such-encoding"])
def test_a_declaration_that_cannot_be_a_legacy_encoding_is_not_taken(charset):
    data = page(charset, "<p>" + GERMAN * 3 + "</p>", "cp1252")
    assert declared_encoding(data) is None
    assert GERMAN in decode(data)  # detected instead


def test_a_declaration_the_bytes_do_not_decode_in_is_not_taken():
    # Declared Windows-1252, but 0x81 is not a Windows-1252 byte: the page is not in it.
    data = page("windows-1252", "<p>" + GERMAN + "</p>", "cp1252").replace(b"</p>", b"\x81</p>")
    assert declared_encoding(data) is None


def test_a_utf8_page_with_a_stray_byte_among_its_accented_letters_stays_utf8():
    data = page("utf-8", "<p>" + GERMAN * 3 + "</p>", "utf-8").replace(b"</p>", b"\xe9</p>")
    assert mostly_utf8(data)
    text = decode(data)
    assert GERMAN in text
    assert text.encode("utf-8", "surrogateescape") == data
