"""The words ``extract`` reads in markup and text: data only, each set with why it exists.

Names (id and class values) are split into words at "-", "_", spaces, digits and camelCase
humps, lower-cased: ``commentForm`` -> ``comment``, ``form``; ``site-nav`` -> ``site``, ``nav``.
A word names boilerplate when it is in ``BOILERPLATE_WORDS``, or when it starts or ends with
one of ``BOILERPLATE_STEMS`` (``socials``, ``commentform``, ``sharebar``, ``topnav``), unless
it is one of ``NOT_BOILERPLATE`` (``commentary`` is an opinion piece, not a comment thread).

Languages: the pages are mostly English, German and French, and the posts Chinese; Spanish,
Italian, Dutch, Polish and Portuguese words are in too, as sites name their widgets in their
own language (``cuerpo``, ``werbung``, ``partage``) as often as in English.
"""

from __future__ import annotations

import re

from cleantext.lazyre import LazyPattern

# Whole words naming a region that is not the article, by kind (the kind is what --explain
# says). Short words are here rather than in the stems: "ad" as a stem would take "address",
# "nav" as one "navy"... only their whole-word use is safe.
BOILERPLATE_KINDS: dict[str, tuple[str, ...]] = {
    "navigation": ("nav", "navi", "navbar", "navigation", "menu", "menus", "menubar", "submenu",
                   "megamenu", "breadcrumb", "breadcrumbs", "crumbs", "crumb", "pagination",
                   "pager", "paging", "skip", "skiplink", "skiplinks", "jump", "toolbar",
                   "tabs", "brotkrumen", "brotkrumennavigation", "fil", "ariane", "miga",
                   "mianbaoxie", "daohang"),
    "header/footer": ("footer", "foot", "masthead", "topbar", "bottombar", "colophon",
                      "fusszeile", "pied", "piede", "stopka", "impressum", "legal", "copyright",
                      "disclaimer", "imprint"),
    "sidebar": ("sidebar", "sidebars", "side", "aside", "rail", "sidenav", "widget", "widgets",
                "marginal", "seitenleiste", "randspalte", "infobox", "zusatz", "lateral",
                "barre", "colonne"),
    "teaser": ("teaser", "teasers", "related", "recommended", "recommendation", "recommendations",
               "trending", "popular", "mostread", "latest", "more", "morestories", "readmore",
               "also", "suggested", "suggestions", "outbrain", "taboola", "plista", "verwandt",
               "verwandte", "empfehlung", "empfehlungen", "weitere", "aehnliche", "lesetipps",
               "connexes", "similaires", "relacionados", "relacionadas", "correlati",
               "gerelateerd", "powiazane", "xiangguan", "tuijian", "remen", "carousel", "slider",
               "ticker", "headlines", "topstories", "teaserlist"),
    "share/social": ("share", "shares", "sharing", "sharebar", "social", "socials",
                     "socialmedia", "follow", "followus", "addthis", "shariff", "sociallinks",
                     "teilen", "partage", "partager", "compartir", "condividi", "delen",
                     "udostepnij", "fenxiang", "print", "email", "mailto", "whatsapp",
                     "facebook", "twitter", "linkedin", "pinterest"),
    "cookie/consent": ("cookie", "cookies", "consent", "gdpr", "cmp", "privacy", "dsgvo",
                       "datenschutz", "onetrust", "usercentrics", "borlabs", "cookiebar",
                       "cookienotice"),
    "newsletter": ("newsletter", "newsletters", "subscribe", "subscription", "signup",
                   "optin", "abo", "abonnieren", "inscription", "suscribete", "dingyue"),
    "comments": ("comment", "comments", "commentform", "respond", "replies", "reply",
                 "discussion", "disqus", "reactions", "kommentar", "kommentare",
                 "commentaires", "commentaire", "comentarios", "commenti", "reacties",
                 "komentarze", "pinglun", "livefyre"),
    "advertising": ("ad", "ads", "adv", "advert", "adverts", "advertisement", "advertising",
                    "adsbygoogle", "adslot", "adunit", "dfp", "banner", "banners", "sponsor",
                    "sponsored", "promo", "promos", "promotion", "werbung", "anzeige",
                    "anzeigen", "publicite", "pub", "publicidad", "pubblicita", "reklama",
                    "reclame", "guanggao"),
    "tags": ("tags", "tagcloud", "taglist", "keywords", "schlagworte", "schlagwoerter", "topics",
             "stichworte", "etiquettes", "biaoqian"),
    "author box": ("authorbox", "author", "authors", "bio", "autor", "autoren", "auteur",
                   "aboutauthor", "byline", "bylines", "profile", "postprofile", "userinfo"),
    "date/meta": ("meta", "metadata", "postmeta", "entrymeta", "dateline", "date", "dates",
                  "timestamp", "published", "pubdate", "datum", "time", "posted", "postinfo",
                  "updated", "credit", "credits", "source", "quelle"),
    "contact": ("contact", "contacts", "contactbox", "contactinfo", "kontakt", "kontakte",
                "kontaktbox", "contacto", "contatti", "contatto", "kontakty", "lianxi"),
    "search/login": ("search", "searchform", "login", "signin", "suche", "recherche",
                     "buscar", "sousuo"),
    "dialog": ("modal", "popup", "overlay", "lightbox", "dialog", "flyout", "offcanvas",
               "drawer"),
}
BOILERPLATE_WORDS: dict[str, str] = {
    word: kind for kind, words in BOILERPLATE_KINDS.items() for word in words
}
# Stems that also name boilerplate at the start or the end of a longer word: "socials",
# "commentform", "sharebuttons", "topnav", "navlinks", "sidebarleft", "relatedposts".
BOILERPLATE_STEMS: dict[str, str] = {
    "nav": "navigation", "menu": "navigation", "breadcrumb": "navigation",
    "pagination": "navigation", "footer": "header/footer", "sidebar": "sidebar",
    "widget": "sidebar", "teaser": "teaser", "related": "teaser", "recommend": "teaser",
    "share": "share/social", "social": "share/social", "cookie": "cookie/consent",
    "consent": "cookie/consent", "newsletter": "newsletter", "subscribe": "newsletter",
    "comment": "comments", "kommentar": "comments", "advert": "advertising",
    "sponsor": "advertising", "banner": "advertising", "werbung": "advertising",
    "popup": "dialog", "modal": "dialog", "contact": "contact", "kontakt": "contact",
}
# Longer words that start or end with a stem but name something else.
NOT_BOILERPLATE = frozenset([
    "commentary", "commentaries", "shareholder", "shareholders", "navy", "menuitem",
    "canvas", "advertorial", "banners", "socialism",
])
# Names of an image's caption or credit box (``figure__caption``, ``wp-caption-text``,
# ``media-caption``, ``bildunterschrift``): its text describes a picture, not the article.
# "caption" also counts at the start or the end of a longer word (``imagecaption``).
CAPTION_WORDS = frozenset([
    "caption", "captions", "figcaption", "imagecaption", "photocaption", "bildunterschrift",
    "bildunterschriften", "bildtext", "bildlegende", "legende", "didascalia", "leyenda",
    "podpis", "onderschrift", "fotobijschrift", "bijschrift", "tuzhu", "tupianshuoming",
])
# Taxonomy labels (WordPress "tag-social-media", "category-ads") describe the article.
TAXONOMY = LazyPattern(r"^(?:tag|tags|category|cat|topic|label|section|format|post|node|type|"
                       r"status|hentry|author|rubrik|ressort|page|template|single|has|is)[-_]",
                       re.IGNORECASE)

# Words that say "the article is here" (readability's positive class words, in more
# languages): a container named so scores higher.
CONTENT_WORDS = frozenset([
    "article", "articles", "artikel", "articulo", "articolo", "artykul", "wenzhang",
    "content", "contents", "inhalt", "contenu", "contenido", "contenuto", "tresc", "neirong",
    "entry", "post", "story", "body", "text", "texte", "testo", "tekst", "main", "blog",
    "prose", "copy", "richtext", "rte", "beitrag", "cuerpo", "corpo", "zhengwen", "detail",
    "news", "meldung", "nachricht", "page", "single", "column", "col",
])
# Words that say it strongly when joined with another content word ("article-body",
# "entry-content", "post-text", "story-body", "field-body", "artikel-text").
STRONG_CONTENT = frozenset([
    "articlebody", "articletext", "articlecontent", "entrycontent", "postcontent", "postbody",
    "posttext", "storybody", "storycontent", "storytext", "bodytext", "textbody", "maincontent",
    "contentbody", "contenttext", "newstext", "artikeltext", "artikelbody", "beitragstext",
    "mainarticle", "articledetail", "articleinner", "postentry", "blogpost", "blogentry",
    "singlepost", "itembody", "fieldbody", "textblock", "richtext", "rte", "zhengwen",
    "contenuarticle", "articlecorps", "cuerpo", "newsdetail",
])

# Short blocks whose whole text is one of these are boilerplate lines in the page's language:
# cookie notices, follow/share calls, "related" and "comments" headings. Matched against the
# whole text of a short block (case-insensitive), so a sentence of the article that merely
# contains the words is never taken.
BOILERPLATE_LINE = LazyPattern(
    r"^\W*(?:"
    # share / follow
    r"share(?: (?:this|on|via|the article|article|post|story))?[^.]{0,40}|follow us[^.]{0,40}"
    r"|teilen(?: (?:auf|mit|per)[^.]{0,30})?|diesen artikel teilen|artikel teilen"
    r"|folgen sie uns[^.]{0,40}|folge uns[^.]{0,40}|jetzt teilen|weiterempfehlen"
    r"|partager(?: (?:sur|cet article|l'article)[^.]{0,30})?|suivez[- ]nous[^.]{0,40}"
    r"|compartir(?: en)?[^.]{0,30}|síguenos[^.]{0,30}|condividi[^.]{0,30}|seguici[^.]{0,30}"
    r"|分享到?[^。]{0,20}|关注我们[^。]{0,20}"
    # related
    r"|related(?: (?:articles?|posts?|stories|content|links|topics|news))?|see also"
    r"|read (?:more|also|next)[^.]{0,40}|more (?:on this|from|about|stories|news)[^.]{0,40}"
    r"|you (?:may|might) (?:also )?(?:like|be interested in|enjoy)[^.]{0,30}"
    r"|recommended(?: for you| articles| stories)?|popular(?: posts| articles)?|most read"
    r"|mehr zum thema[^.]{0,40}|lesen sie auch[^.]{0,40}|auch interessant[^.]{0,20}"
    r"|das könnte sie auch interessieren|das könnte dich auch interessieren"
    r"|weitere (?:artikel|beiträge|meldungen|nachrichten|themen|informationen)[^.]{0,30}"
    r"|ähnliche (?:artikel|beiträge)|verwandte (?:artikel|beiträge|themen)|siehe auch"
    r"|zurück(?: zur (?:übersicht|startseite))?|nach oben|zum seitenanfang"
    r"|à lire aussi|a lire aussi|lire aussi|lire la suite|sur le même (?:sujet|thème)"
    r"|articles? (?:liés|similaires|connexes)|voir aussi|dans la même rubrique"
    r"|leer (?:más|también)|te puede interesar|noticias relacionadas|artículos relacionados"
    r"|leggi anche|articoli correlati|lees ook|zie ook|czytaj (?:też|także|więcej)"
    r"|相关(?:阅读|文章|新闻|推荐|链接)|推荐阅读|延伸阅读|延伸閱讀|相關(?:閱讀|文章|新聞)|猜你喜欢"
    # comments
    r"|(?:\d+ )?comments?(?: \(\d+\))?|leave a (?:reply|comment)|post a comment|add a comment"
    r"|kommentare?(?: \(\d+\))?|schreibe einen kommentar|kommentar schreiben|hinterlasse einen kommentar"
    r"|commentaires?|laisser un commentaire|laisser une réponse|comentarios|deja un comentario"
    r"|评论|發表評論|发表评论|留言"
    # newsletter / tags / print
    r"|(?:subscribe to|sign up for) (?:our |the )?newsletter[^.]{0,40}|newsletter(?: abonnieren)?"
    r"|abonnez-vous[^.]{0,40}|schlagwörter|schlagworte|stichwörter|tags|mots[- ]clés|étiquettes"
    r"|print(?: this (?:page|article))?|drucken|imprimer|seite drucken|artikel drucken"
    r"|zum artikel|weiterlesen|mehr lesen|mehr erfahren|read the full (?:story|article)"
    # taxonomy lines: "Themen: Ehrenamt, Jugend", "Filed under: Politics"
    r"|(?:themen|topics?|tags|schlagw(?:ö|oe)rter|stichw(?:ö|oe)rter|kategorien?|categories"
    r"|category|rubriken?|catégories?|mots[- ]clés|etiquetas)\s*:[^\n]{0,150}"
    r"|(?:filed under|posted in|veröffentlicht in|publié dans)\b[^\n]{0,150}"
    # teaser lines: "PUEDES VER: ...", "Lesen Sie auch: ...", "Related: ..."
    r"|(?:puedes ver|lee también|te recomendamos|ver también|lire aussi|à lire|lesen sie (?:auch|mehr)"
    r"|auch interessant|read also|see also|related|more|mehr dazu|zum thema|leggi anche"
    r"|czytaj (?:też|także|więcej)|延伸阅读|相关阅读)\s*:[^\n]{0,150}"
    # page dates and credits: "Letzte Änderung 12.03.2020", "Foto: dpa", "© Reuters"
    r"|(?:last (?:modified|updated)|letzte änderung|zuletzt (?:aktualisiert|geändert)"
    r"|dernière mise à jour|mis à jour le|última actualización)\b(?:[^.]|\.(?=\d)){0,60}"
    r"|(?:fotos?|photos?|bild(?:er)?|quelle|credits?|crédits?|image|source|źródło|fuente"
    r"|fonte|bron)\s*:[^\n]{0,80}|©[^\n]{0,80}|\(c\) [^\n]{0,60}"
    # a caption's credit alone: "Judy Eddy/WENN.com", "Augusta National/Getty Images"
    r"|[^.\n]{0,50}/\s*(?:getty images|dpa|afp|reuters|ap|imago|picture alliance|shutterstock"
    r"|istock(?:photo)?|fotolia|adobe stock|wenn\.com|keystone|epa|unsplash|pixabay)[^\n]{0,20}"
    r")\W*$",
    re.IGNORECASE,
)
# The end of an image's caption: its photo credit ("... Foto: dpa", "... (Photo: Jane Doe)",
# "... Fot. Jan Kowalski", "... © Reuters", "... Bild: Keystone"). A sentence of the article
# does not end so; searched only in short blocks.
PHOTO_CREDIT_END = LazyPattern(
    r"(?:^|[\s(\[|/,.;–—-])(?:(?:fotos?|photos?|bild(?:er)?|image|fotografía|fotografia"
    r"|zdjęcie|credits?|crédits?(?: photo)?|photo credit|foto ?& ?text)\s*:|fot\.|©)"
    r"\s*(?:(?!\. )[^\s:!?])(?:(?!\. )[^\n:!?]){0,40}(?<!\.)[)\]]?\s*$",
    re.IGNORECASE,
)
# Cookie and consent notices: a block of at most a few sentences that says the site uses
# cookies. Searched (not matched whole), but only in short blocks.
COOKIE_NOTICE = LazyPattern(
    r"(?:\b(?:we|this (?:web)?site|our (?:web)?site)s? uses? cookies|\bcookies? (?:policy|settings|"
    r"consent)|verwendet cookies|nutzt cookies|setzt cookies|einsatz von cookies|"
    r"cookie-(?:einstellungen|richtlinie|hinweis)|utilise des cookies|utilisons des cookies|"
    r"respe[ck]t(?:ieren|ons)? (?:your|deine|ihre|votre) (?:privacy|privatsphäre|vie privée)|"
    r"utilizamos cookies|usa cookies|utilizza (?:i )?cookie|gebruikt cookies|używa(?:my)? "
    r"(?:plików )?cookie|使用cookie|使用 cookie|akismet)",
    re.IGNORECASE,
)
# Headings that open a boilerplate section: what follows them in the same container (link
# lists, teasers, a comment thread) goes with them.
SECTION_HEADING = LazyPattern(
    r"^\W*(?:related(?: \w+)?|see also|read (?:more|also|next)|more (?:on this|from|about|"
    r"stories|news|must[- ]reads?|to read|reading)\b.*|you (?:may|might) also (?:like|enjoy)|recommended\b.*|most read|"
    r"popular\b.*|mehr zum thema\b.*|lesen sie auch|das könnte sie auch interessieren|"
    r"weitere (?:artikel|beiträge|meldungen|nachrichten|themen)\b.*|ähnliche (?:artikel|beiträge)|"
    r"verwandte (?:artikel|beiträge|themen)|siehe auch|à lire aussi|a lire aussi|lire aussi|"
    r"sur le même (?:sujet|thème)|articles? (?:liés|similaires|connexes)|voir aussi|"
    r"noticias relacionadas|artículos relacionados|leggi anche|articoli correlati|"
    r"(?:temas|notas|artículos) relacionad[oa]s|themen (?:im|zum|des) artikel|"
    r"(?:more|weitere|plus d'|más) (?:articles?|artikel|artículos|articoli)\b.*|"
    r"相关(?:阅读|文章|新闻|推荐)|推荐阅读|延伸阅读|延伸閱讀|相關(?:閱讀|文章|新聞)|"
    r"(?:\d+ )?(?:comments?|kommentare?|commentaires?|comentarios|reacties|komentarze)"
    r"(?: \(\d+\))?|leave a (?:reply|comment)|schreibe einen kommentar|"
    r"laisser un commentaire|评论|發表評論|发表评论|tags|schlagwörter|schlagworte)\W*$",
    re.IGNORECASE,
)
COMMENT_HEADING = LazyPattern(
    r"(?:comment|kommentar|commentaire|comentario|reacties|komentarz|reply|评论|評論|留言)",
    re.IGNORECASE,
)

# Month and weekday names and the small words around a date: a line made only of these,
# digits and punctuation is a dateline ("12.12.2022, 08:30 Uhr", "Mon, 5 March 2021").
DATE_WORDS = LazyPattern(
    r"\b(?:jan(?:uary|uar|vier)?|feb(?:ruary|ruar)?|f[ée]v(?:rier)?|m[aä]r(?:ch|z|s)?|apr(?:il)?"
    r"|avr(?:il)?|ma[iy]|june?|juni|juin|july?|juli|juil(?:let)?|aug(?:ust)?|ao[uû]t|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?|dez(?:ember)?|d[ée]c(?:embre)?"
    r"|janvier|mars|mai|septembre|octobre|novembre|enero|febrero|marzo|abril|mayo|junio|julio"
    r"|agosto|septiembre|octubre|noviembre|diciembre|stycznia|lutego|marca|kwietnia|maja"
    r"|czerwca|lipca|sierpnia|września|października|listopada|grudnia"
    r"|mon(?:day)?|tue(?:sday)?|wed(?:nesday)?|thu(?:rsday)?|fri(?:day)?|sat(?:urday)?"
    r"|sun(?:day)?|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi"
    r"|mercredi|jeudi|vendredi|samedi|dimanche|uhr|am|pm|um|at|on|le|de|del|el|à|den|der"
    r"|updated|aktualisiert|veröffentlicht|published|posted|stand|publié|mis à jour|gmt|utc"
    r"|cet|cest|mez|est|pst|hkt|h|min|minutes?|minuten|read|lesezeit|lecture)\b"
    r"|[年月日时分秒]",
    re.IGNORECASE,
)
