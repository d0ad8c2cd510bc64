"""strip-ads on a whole web page: the page stays a page (doctype, <html> attributes, <head>),
script text stays byte for byte, JSON-LD metadata survives ``##script``, and what ``meta``
reads of the page is the same before and after. Pages here are invented."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from cleantext.cli import cli
from cleantext.document import Document
from cleantext.meta import record
from cleantext.steps.strip_ads import strip_ads

SCRIPT = ('document.write("<div id=\'slot\'><script>show(\'TOP\');<\\/script></div>");\n'
          'if (a < b && c > d) { s = "</div><!-- x -->"; }')
JSON_LD = ('{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Ein Titel",'
           ' "datePublished": "2021-03-04T10:00:00+01:00", "author": {"name": "Eva Muster"}}')
PAGE = f"""<!DOCTYPE html>
<html lang="de" class="no-js">
<head>
<meta charset="utf-8">
<title>Ein Titel &amp; mehr | Beispielblatt</title>
<meta name="description" content="Worum es geht.">
<script>{SCRIPT}</script>
</head>
<body class="article">
<div class="ad-banner">Anzeige: kaufen Sie jetzt</div>
<article>
<h1>Ein Titel &amp; mehr</h1>
<script type="application/ld+json">{JSON_LD}</script>
<p>Der erste Absatz des Artikels, lang genug, um Prosa zu sein, und noch ein wenig mehr.</p>
<p>Der zweite Absatz des Artikels, ebenfalls mit genug Worten für einen echten Absatz.</p>
</article>
<div class="share-buttons"><a href="/s">Teilen</a></div>
</body>
</html>
"""


def scripts(html: str) -> list[str]:
    return re.findall(r"<script[^>]*>(.*?)</script>", html, re.S)


def test_a_whole_page_stays_a_whole_page():
    out = strip_ads(Document.parse(PAGE, "page.html")).body
    assert out.startswith("<!DOCTYPE html>\n<html lang=\"de\" class=\"no-js\">\n<head>")
    assert "<title>Ein Titel &amp; mehr | Beispielblatt</title>" in out
    assert '<meta name="description" content="Worum es geht.">' in out
    assert '<body class="article">' in out and out.rstrip().endswith("</html>")
    assert "Anzeige" not in out and "Teilen" not in out
    assert "Der zweite Absatz" in out
    assert out.endswith("\n")


def test_script_text_is_kept_byte_for_byte():
    out = strip_ads(Document.parse(PAGE, "page.html"), rules=(), no_builtin=False).body
    assert SCRIPT in scripts(out)  # the head's script (##script works in the body only)
    assert '<\\/script>' in out


def test_json_ld_of_the_body_is_kept_in_the_head():
    out = strip_ads(Document.parse(PAGE, "page.html")).body
    head = out[:out.index("</head>")]
    assert JSON_LD in scripts(head)
    assert out.count("application/ld+json") == 1


def test_meta_reads_the_same_title_date_lang_after_strip_ads():
    before = record(Document.parse(PAGE, "page.html"))
    after = record(Document.parse(strip_ads(Document.parse(PAGE, "page.html")).text,
                                  "page.html"))
    for field in ("title", "date", "lang", "author"):
        assert after.get(field) == before.get(field), field
    assert before.get("lang") == "de" and before.get("date", "").startswith("2021-03-04")


def test_cli_pipe_into_meta(tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    runner = CliRunner()
    stripped = runner.invoke(cli, ["strip-ads", str(page)])
    assert stripped.exit_code == 0, stripped.output
    direct = runner.invoke(cli, ["meta", str(page)])
    piped = runner.invoke(cli, ["meta", "-"], input=stripped.output)
    assert direct.exit_code == 0 and piped.exit_code == 0, piped.output
    for field in ("title", "date", "lang"):
        line = re.search(rf'"{field}": "([^"]*)"', direct.output)
        assert line is not None, direct.output
        assert line.group(0) in piped.output


def test_a_page_with_nothing_to_remove_is_unchanged():
    page = "<!doctype html><html><head><title>T</title></head><body><p>Text.</p></body></html>"
    doc = Document.parse(page, "p.html")
    assert strip_ads(doc) is doc


def test_a_fragment_keeps_its_fragment_output():
    body = "<p>Text.</p><div class='ad-banner'>AD</div><script>x('<\\/script>')</script>\n"
    assert strip_ads(Document.parse(body)).body == "<p>Text.</p>\n"


def test_a_head_without_body_tag_is_a_fragment_as_before():
    # No <body> tag: parsed as a body's content, as extract's parse_page does.
    body = "<title>T</title><p>Text.</p><div class='ad-banner'>AD</div>\n"
    out = strip_ads(Document.parse(body)).body
    assert out == "<title>T</title><p>Text.</p>\n"
