"""extract: golden pages per decision rule, the fallbacks, --explain, pass-through; and the
strip-ads guard and name fixes that full pages needed. Fixture pages are invented
(tests/fixtures/extract/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cleantext.cli import cli
from cleantext.document import Document
from cleantext.extraction import extract_html, is_page, is_whole_page
from cleantext.extraction.core import _is_dateline
from cleantext.extraction.names import boilerplate_kind, content_weight
from cleantext.steps.extract import extract
from cleantext.steps.strip_ads import strip_ads
from cleantext.steps.strip_html import html_to_text

FIXTURES = Path(__file__).parent / "fixtures" / "extract"
ARTICLE = ("Die Gemeinde hat am Montag beschlossen", "Die Arbeiten sollen im Frühjahr",
           "Der Bürgermeister sagte")


def text_of(name: str, **options: object) -> str:
    page = (FIXTURES / name).read_text(encoding="utf-8")
    return html_to_text(extract_html(page, **options))  # type: ignore[arg-type]


def assert_article(text: str) -> None:
    for start in ARTICLE:
        assert start in text


# --- decision rules, one golden page each ------------------------------------------------


def test_frame_tags_go_and_the_article_keeps_its_structure():
    page = (FIXTURES / "tags.html").read_text(encoding="utf-8")
    html = extract_html(page)
    text = html_to_text(html)
    assert_article(text)
    for gone in ("Startseite", "Politik", "Meistgelesen", "Impressum", "© 2024"):
        assert gone not in text
    # headings, lists, quotes, figures, tables and code stay, as HTML; captions go
    for kept in ("<h1>", "<h2>", "<ul>", "<blockquote>", "<figure>", "<img", "<table>", "<pre>"):
        assert kept in html
    assert "<figcaption>" not in html


_LONG = ("<p>Der Gemeinderat hat am Montag nach langer Debatte beschlossen, die alte Brücke "
         "über den Fluss bis zum Herbst zu erneuern, und die Kosten dafür gebilligt.</p>")


def test_image_captions_and_credits_go_and_the_image_stays():
    page = ("<html><body><nav>" + "".join(f'<a href="/{i}">Rubrik {i}</a>' for i in range(6))
            + "</nav><main><h1>Die Brücke</h1>" + _LONG * 3
            + '<figure><img src="a.jpg"><figcaption>Die alte Brücke im Winter. '
            "Foto: Max Muster</figcaption></figure>"
            + '<div class="wp-caption"><img src="b.jpg"><p class="wp-caption-text">'
            "Bauarbeiter am Ufer</p></div>"
            + '<div class="media__caption">Der Fluss bei Hochwasser</div>'
            + _LONG * 3 + "</main></body></html>")
    html = extract_html(page)
    text = html_to_text(html)
    assert text.count("Der Gemeinderat hat am Montag") == 6
    for gone in ("Die alte Brücke im Winter", "Bauarbeiter am Ufer", "Der Fluss bei Hochwasser"):
        assert gone not in text
    assert 'src="a.jpg"' in html and 'src="b.jpg"' in html


def test_a_short_block_ending_with_its_photo_credit_is_a_caption():
    page = ("<html><body><main><h1>Die Brücke</h1>" + _LONG * 3
            + '<div class="bild"><img src="a.jpg"><span>Kinder spielen am Ufer. '
            "(Foto: Max Muster)</span></div><div>Der Fluss im Winter. Fot. Jan Kowalski</div>"
            + "<p>Auf dem Bild: der Bürgermeister, der am Montag sprach, und seine Gäste.</p>"
            + _LONG * 3 + "</main></body></html>")
    text = html_to_text(extract_html(page))
    assert "Kinder spielen" not in text and "Der Fluss im Winter" not in text
    assert "Auf dem Bild: der Bürgermeister" in text  # a sentence, not a credit


def test_a_last_modified_line_with_a_dotted_date_goes():
    page = ("<html><body><main><h1>Die Brücke</h1>" + _LONG * 4
            + "<p><small><span>Letzte Änderung&nbsp;14.02.2019</span></small></p>"
            + "<p>Last updated: 12.03.2020, 10:15</p></main></body></html>")
    text = html_to_text(extract_html(page))
    assert "Letzte Änderung" not in text and "Last updated" not in text


def test_a_long_caption_is_text_of_the_article():
    caption = "Eine Bildunterschrift, die eine ganze Geschichte erzählt. " * 12
    page = ("<html><body><main><h1>Bilder</h1>" + _LONG * 3 + '<figure><img src="a.jpg">'
            f"<figcaption>{caption}</figcaption></figure>" + _LONG + "</main></body></html>")
    assert "eine ganze Geschichte" in html_to_text(extract_html(page))


def test_aria_roles_mark_the_frame():
    text = text_of("roles.html")
    assert "The council voted on Monday" in text
    for gone in ("About us", "Science", "Advertisement", "Imprint"):
        assert gone not in text


def test_class_words_in_several_languages_and_as_prefixes():
    text = text_of("names.html")
    assert_article(text)
    for gone in ("Neu im Shop", "Facebook", "Cookies", "Newsletter", "Kommentar"):
        assert gone not in text


@pytest.mark.parametrize(("tag", "id_", "class_", "kind"), [
    ("div", None, "socials", "share/social"),
    ("form", "commentform", None, "comments"),
    ("div", "site-nav", None, "navigation"),
    ("div", None, "seitenleiste", "sidebar"),
    ("div", None, "cookie-consent", "cookie/consent"),
    ("ul", None, "relatedPosts", "teaser"),
    ("section", None, "commentary", ""),  # an opinion piece, not comments
    ("div", None, "tag-social-media", ""),  # a taxonomy label describes the article
    ("div", None, "entry-content", ""),
    ("div", None, "mod-contactbox", "contact"),
    ("div", None, "pressekontakt", "contact"),
    ("dl", None, "postprofile", "author box"),
    ("div", "content_print", None, "share/social"),  # a print button
    ("div", "content_print", "article_content", ""),  # the class states the article
])
def test_names_say_what_a_box_is(tag, id_, class_, kind):
    assert boilerplate_kind(tag, id_, class_) == kind


def test_an_article_named_for_printing_is_kept_beside_long_comments():
    # The id names a print button's word, the class states the article; the comments hold
    # most of the page's prose, so only the name, not the guard, can keep the article.
    comment = ("<div class='comment'><p>Ich habe die Debatte verfolgt und finde, dass der "
               "Gemeinderat zu lange gewartet hat, die Brücke ist seit Jahren marode.</p></div>")
    page = ("<html><body><div class='layout'><div id='content_print' class='article_content'>"
            "<h1>Die Brücke</h1>" + _LONG * 3 + "</div>"
            + "<div id='comments'><h2>Kommentare</h2>" + comment * 12 + "</div>"
            + "<div class='sidebar'><p>" + "Anzeige und weitere Angebote unserer Partner. " * 3
            + "</p></div></div></body></html>")
    text = html_to_text(extract_html(page))
    assert text.count("Der Gemeinderat hat am Montag") == 3
    assert "marode" not in text


def test_a_link_inside_a_sentence_is_a_word_of_it_whatever_its_name():
    # Links to a site's search or shop pages, named so, stand for words of the sentence;
    # a box of such links, or one after a sentence's end, is still the frame.
    sentence = ("<p>Die Kiste passt auf den <a class='searchLink' href='/s?q=Balkon'>Balkon</a> "
                "oder in den <a class='shop-nav' href='/keller'>Keller</a>, sagte der Gärtner "
                "am Montag, und sie braucht nur wenig Pflege im ganzen Jahr.</p>")
    credit = ("<p>Die Würmer fressen Kartoffelschalen und Kaffeesatz zu feinem Humus. "
              "<span class='share-tools'>Teilen: Mail</span></p>")
    page = ("<html><body><main><h1>Die Wurmkiste</h1>" + _LONG * 2 + sentence + credit
            + "<div class='search-links'>" + "".join(f"<a href='/{i}'>Suche {i}</a> "
                                                       for i in range(6)) + "</div>"
            + _LONG * 2 + "</main></body></html>")
    text = html_to_text(extract_html(page))
    assert "auf den Balkon oder in den Keller, sagte" in text
    assert "zu feinem Humus." in text
    assert "Teilen: Mail" not in text and "Suche 3" not in text


def test_a_heading_of_an_empty_section_goes():
    # Its link list goes (here, or in strip-ads before): the heading would head nothing, at
    # the end or before a heading of the same rank. A subsection's heading, the headings
    # before the first text (kicker, subtitle), a sentence set as a heading (a pull quote)
    # and a heading over a picture stay.
    links = "".join(f"<li><a href='/a{i}'>Ein anderer Artikel Nummer {i}</a></li>"
                    for i in range(5))
    page = ("<html><body><main><h2>Stadtleben</h2><h2>Die Brücke</h2>" + _LONG * 3
            + "<h2>Zusatzinformationen</h2><h2>Weiteres vom Amt</h2>"
            + "<h2>Die Kosten</h2><h3>Im Haushalt</h3>" + _LONG
            + "<h4>Die Brücke hält noch, sagt der Ingenieur, aber nicht mehr lange.</h4>"
            + "<h3>Die Brücke im Bild</h3><img src='b.jpg'>"
            + "<h3>Passend dazu</h3><ul>" + links + "</ul>"
            + "<div class='box'><h4>Aus der Redaktion</h4></div></main></body></html>")
    text = html_to_text(extract_html(page))
    assert text.count("Der Gemeinderat hat am Montag") == 4
    for kept in ("Stadtleben", "Die Brücke", "Die Kosten", "Im Haushalt",
                 "aber nicht mehr lange.", "Die Brücke im Bild"):
        assert kept in text
    for gone in ("Zusatzinformationen", "Weiteres vom Amt", "Passend dazu",
                 "Aus der Redaktion"):
        assert gone not in text
    # The linked titles of a list of posts are no empty sections.
    titles = "".join(f"<h2><a href='/p{i}'>Die Brücke, Folge {i}</a></h2>" for i in range(4))
    page = "<html><body><main><h1>Alle Folgen</h1>" + _LONG * 3 + titles + "</main></body></html>"
    text = html_to_text(extract_html(page))
    assert all(f"Die Brücke, Folge {i}" in text for i in range(4))


def test_a_text_in_sections_is_taken_whole_not_its_best_section():
    # A changelog: each version's notes score alike; their common box is the text, not the
    # first version's notes with the list beside them.
    sentence = ("the worker, when started with a pool of processes, now restarts a child that "
                "died, logs why, and keeps its queue, as users asked")

    def version(v: int) -> str:
        notes = "".join(f"<p>Note {v}.{i}: {sentence}, and more, and more.</p>"
                        for i in range(3))
        changes = "".join(f"<li><p>Change {v}.{i}: {sentence} (see <a href='/r{i}'>"
                          f"celery.worker.pool</a> and <a href='/i{i}'>issue {v}{i}</a>).</p>"
                          "</li>" for i in range(3))
        return (f"<section id='v{v}'><h2>Version {v}</h2><ul><li><blockquote><div>{notes}"
                f"</div></blockquote></li></ul><ul>{changes}</ul></section>")

    nav = "<nav>" + "".join(f"<a href='/{i}'>Seite {i}</a>" for i in range(8)) + "</nav>"
    page = (f"<html><body>{nav}<div class='document'><div class='body'><h1>Changes</h1>"
            + "".join(version(v) for v in range(1, 5))
            + "</div></div><footer>Impressum</footer></body></html>")
    text = html_to_text(extract_html(page))
    for v in range(1, 5):
        assert f"Note {v}.1:" in text and f"Change {v}.2:" in text
    assert "Seite 3" not in text and "Impressum" not in text


def test_an_address_and_a_contact_box_go():
    # <address> is contact information (HTML: "for its nearest article or body"), as is a
    # box named so; the article around them stays.
    page = ("<html><body><main><h1>Die Brücke</h1>" + _LONG * 4
            + "<address>Stadtverwaltung, Marktplatz 1, 12345 Musterstadt</address>"
            + '<div class="kontakt-box"><h4>Pressestelle</h4><p>Telefon: 0123 456</p></div>'
            + _LONG + "</main></body></html>")
    text = html_to_text(extract_html(page))
    assert text.count("Der Gemeinderat hat am Montag") == 5
    for gone in ("Marktplatz 1", "Pressestelle", "Telefon"):
        assert gone not in text


def test_a_contact_page_keeps_its_text():
    # The guard: a box holding the page's prose is never a widget, whatever its name says.
    page = ('<html><body><nav><a href="/">Start</a></nav><div id="kontakt">'
            + _LONG * 3 + "</div></body></html>")
    assert html_to_text(extract_html(page)).count("Der Gemeinderat") == 3


def _recipe(second_class: str) -> str:
    box = "box col-8 "
    return ("<html><body><nav>" + "".join(f'<a href="/{i}">Rubrik {i}</a>' for i in range(6))
            + f'</nav><main><article class="{box}{second_class}"><h2>Zutaten</h2><table>'
            "<tr><td>250 g</td><td>Mehl</td></tr><tr><td>2</td><td>Eier</td></tr>"
            "<tr><td>1 Prise</td><td>Salz und etwas Zucker nach Geschmack</td></tr></table>"
            f'</article><article class="{box}steps"><h2>Zubereitung</h2>' + _LONG * 4
            + '</article><aside class="related"><a href="/a">Mehr Rezepte</a></aside>'
            "</main></body></html>")


def test_sibling_boxes_of_one_family_are_one_text():
    # A text split in boxes of one kind ("box col-8 ingredients", "box col-8 steps"), the
    # first a table with no paragraph: both are the article (readability's same-class bonus,
    # widened to most class names in common).
    text = html_to_text(extract_html(_recipe("ingredients")))
    assert "250 g" in text and "Salz und etwas Zucker" in text
    assert text.count("Der Gemeinderat") == 4
    assert "Mehr Rezepte" not in text
    # a box of another family is not taken with it
    other = html_to_text(extract_html(_recipe("").replace('class="box col-8 "',
                                                          'class="tabelle"')))
    assert "250 g" not in other and other.count("Der Gemeinderat") == 4


def test_content_names_weigh():
    assert content_weight("div", None, "article-body") == 2
    assert content_weight("div", "cuerpo", None) == 2
    assert content_weight("div", None, "wrapper") == 0


def test_boilerplate_phrases_and_related_sections_go():
    text = text_of("phrases.html")
    assert_article(text)
    for gone in ("Folgen Sie uns", "Mehr zum Thema", "Neue Ampel", "相关阅读"):
        assert gone not in text


def test_itemprop_article_body_wins_over_teasers():
    text = text_of("itemprop.html")
    assert_article(text)
    assert "Zusammenfassung" not in text


def test_json_ld_article_body_when_the_page_shows_none():
    text = text_of("jsonld.html")
    assert_article(text)
    assert "Menü" not in text


@pytest.mark.parametrize(("line", "is_date"), [
    ("05:28 Uhr", True), ("12.12.2022, 08:30 Uhr", True), ("Mon, 5 March 2021", True),
    ("2021年3月5日", True), ("In 2020 we grew", False), ("Seite 2", False),
])
def test_datelines(line, is_date):
    assert _is_dateline(line) is is_date


# --- fallbacks ------------------------------------------------------------------------------


def test_a_first_guess_too_short_falls_back_to_the_whole_page():
    text = text_of("fallback.html")
    assert_article(text)


def test_never_empty_where_the_page_has_prose():
    page = "<html><body><div class='sidebar'><p>" + "Only words here. " * 20 + "</p></div>" \
           "</body></html>"
    assert "Only words here." in html_to_text(extract_html(page))


def test_comments_are_content_only_when_asked():
    assert "Endlich!" not in text_of("comments.html")
    with_comments = text_of("comments.html", comments=True)
    assert "Endlich!" in with_comments
    assert_article(with_comments)


# --- the step: pass-through, --explain ------------------------------------------------------


def test_an_article_fragment_passes_through_byte_for_byte():
    text = (FIXTURES / "fragment.md").read_text(encoding="utf-8")
    doc = Document.parse(text)
    assert extract(doc) is doc


def test_a_markdown_body_passes_through():
    doc = Document.parse("---\ntitle: x\n---\n# Title\n\nSome `code` and <b>bold</b>.\n\n"
                         "- a\n- b\n")
    assert extract(doc) is doc


def test_a_fragment_with_a_menu_is_a_page():
    assert not is_page("<p>Text</p><aside><p>A pull quote.</p></aside>")
    assert is_page("<nav>" + "<a href=/x>Section</a> " * 6 + "</nav><p>Text</p>")
    assert is_whole_page("  <!--x--><!DOCTYPE html><html>")
    assert not is_whole_page("Hexo writes `<html>` for you.")


def test_the_front_matter_is_kept():
    page = (FIXTURES / "tags.html").read_text(encoding="utf-8")
    doc = Document.parse("---\ntitle: Brücke\n---\n" + page)
    out = extract(doc)
    assert out.head == doc.head
    assert "<nav>" not in out.body and "Die Gemeinde" in out.body


def test_explain_writes_to_stderr_and_stdout_is_the_document():
    path = FIXTURES / "tags.html"
    result = CliRunner().invoke(cli, ["extract", "--explain", str(path)])
    assert result.exit_code == 0, result.output
    assert "took <main>" in result.stderr
    assert "dropped <nav>" in result.stderr
    assert "extract:" not in result.stdout
    plain = CliRunner().invoke(cli, ["extract", str(path)])
    assert plain.stdout == result.stdout


def test_clean_runs_extract_between_strip_ads_and_strip_html():
    path = FIXTURES / "tags.html"
    result = CliRunner().invoke(cli, ["clean", "-s", "extract", "-s", "strip-html", str(path)])
    assert result.exit_code == 0, result.output
    assert "Die Gemeinde" in result.stdout and "Startseite" not in result.stdout


# --- strip-ads: the guard measures visible prose; names never take the article -------------


@pytest.mark.parametrize("name", ["ad-margins", "ad-marker", "no-share", "cuerpo-ad"])
def test_strip_ads_keeps_an_article_whatever_its_name_says(name):
    page = (FIXTURES / f"strip-ads-{name}.html").read_text(encoding="utf-8")
    body = strip_ads(Document.parse(page)).body
    for start in ARTICLE:
        assert start in body


def test_strip_ads_guard_does_not_count_script_text():
    from cleantext.ad_removal import _prose_len
    from cleantext.steps.strip_ads import _parse

    root = _parse("<script>" + "x = 1;" * 1000 + "</script><p>Hello world</p>")
    assert _prose_len(root) == len("Helloworld")


def test_a_page_that_strip_ads_flattened_is_still_a_page():
    from cleantext.steps.strip_ads import _parse, _serialize

    page = (FIXTURES / "tags.html").read_text(encoding="utf-8")
    # What strip-ads wrote of a page before it kept pages whole: the body's content only
    # (any tool that saves a page's body does the same).
    flattened = _serialize(_parse(page))
    assert "<html" not in flattened
    out = extract(Document.parse(flattened)).body
    assert "Die Gemeinde" in out and "Startseite" not in out


_SERVER_WARNINGS = ("<br />\n<b>Deprecated</b>:  Function split() is deprecated in <b>/www/site/"
                    "wp-settings.php</b> on line <b>18</b><br />\n") * 50  # 6 KB


def test_a_page_that_server_warnings_come_before_is_still_a_page():
    page = (FIXTURES / "tags.html").read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype")
    doc = Document.parse(_SERVER_WARNINGS + page)
    text = html_to_text(extract(doc).body)
    assert_article(text)
    assert "Startseite" not in text and "Impressum" not in text


@pytest.mark.parametrize("body", [
    "Save this as `index.html`:\n\n```html\n<!DOCTYPE html>\n<html><body>x</body></html>\n```\n",
    "Save this:\n\n~~~\n<!DOCTYPE html>\n<html><body>x</body></html>\n~~~\n",
])
def test_a_markdown_post_showing_a_page_in_code_is_not_a_page(body):
    assert not is_whole_page(body)
    doc = Document.parse("---\ntitle: x\n---\n" + body)
    assert extract(doc) is doc


def test_an_indented_doctype_does_not_start_a_page():
    assert not is_whole_page("Save this:\n\n    <!DOCTYPE html>\n    <html><body>x</body></html>\n")
