"""page_meta: title, date, author, canonical URL and language of a bare HTML page, and
what meta gives for one (invented pages)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleantext.meta import metadata
from cleantext.page_meta import page_metadata, strip_site_name

FIXTURES = Path(__file__).parent / "fixtures" / "extract"

PAGE = """<!DOCTYPE html>
<html lang="fr-FR"><head>
<title>Le pont sera rénové – Le Courrier du Val</title>
<meta property="og:site_name" content="Le Courrier du Val">
<meta property="og:title" content="Le pont sera rénové">
<meta property="article:published_time" content="2024-03-05T08:30:00+01:00">
<meta name="author" content="Claire Exemple">
<link rel="canonical" href="https://courrier.example/pont">
</head><body><h1>Le pont sera rénové</h1><p>Texte.</p></body></html>"""


def test_open_graph_and_article_tags():
    assert page_metadata(PAGE) == {
        "title": "Le pont sera rénové", "date": "2024-03-05T08:30:00+01:00",
        "author": "Claire Exemple", "url": "https://courrier.example/pont", "lang": "fr-FR"}


def test_json_ld_gives_date_and_author():
    page = (FIXTURES / "jsonld.html").read_text(encoding="utf-8")
    meta = page_metadata(page)
    assert meta["title"] == "Brücke wird saniert"
    assert meta["date"] == "2024-03-05T08:30:00+01:00"
    assert meta["author"] == "Anna Beispiel"


def test_time_element_gives_the_date():
    page = ("<html><head><title>A</title></head><body><time datetime='2021-04-17'>17 April"
            "</time></body></html>")
    assert page_metadata(page)["date"] == "2021-04-17"


def test_title_from_title_element_without_the_site_name():
    page = ("<html><head><title>Brücke wird saniert | Stadtanzeiger</title></head>"
            "<body><h1>Stadtanzeiger</h1></body></html>")
    assert page_metadata(page)["title"] == "Brücke wird saniert"


def test_an_h1_that_the_title_holds_is_the_title():
    page = ("<html><head><title>Stadtanzeiger: Brücke wird saniert</title></head>"
            "<body><h1>Brücke wird saniert</h1></body></html>")
    assert page_metadata(page)["title"] == "Brücke wird saniert"


@pytest.mark.parametrize(("title", "site", "expected"), [
    ("Bohren, bis es heiß wird | ZEIT ONLINE", None, "Bohren, bis es heiß wird"),
    ("Example News - How it works", "Example News", "How it works"),
    ("Nord-Süd: ein Vergleich", None, "Nord-Süd: ein Vergleich"),
    ("Short", None, "Short"),
])
def test_strip_site_name(title, site, expected):
    assert strip_site_name(title, site) == expected


def test_a_page_without_metadata_gives_what_it_has():
    assert page_metadata("<html><body><p>x</p></body></html>") == {}


def test_meta_record_of_a_bare_page():
    rec = metadata(PAGE)
    assert rec["title"] == "Le pont sera rénové"
    assert rec["date"] == "2024-03-05T08:30:00+01:00"
    assert rec["_date_from"] == "page"
    assert rec["author"] == "Claire Exemple"
    assert rec["url"] == "https://courrier.example/pont"
    assert rec["lang"] == "fr-FR"


def test_front_matter_wins_over_the_page():
    rec = metadata("---\ntitle: Mine\n---\n" + PAGE)
    assert rec["title"] == "Mine"
    assert "author" not in rec
