"""Turn a scraped page (plain text or saved HTML) into a clean headline, outlet, date, address and body.

The page is cut into blocks (one per line of text, or per block element of HTML) and each block is kept or
dropped on general signals, never on lists of particular sites' lines:

- jusText's classifier (English stop-word list shipped with it) on each text block: length, stop-word
  density and, through its context pass, the blocks around it (a short line between two paragraphs is a
  subheading; between two menus it is a menu). For HTML, trafilatura picks the article's blocks from the
  page's structure (link density, element classes such as "nav" or "related", position in the tree).
- Position: what comes before the first paragraph is the page's header (masthead, menus, headline, byline,
  dateline) and is read for the title, outlet and date but never kept in the body.
- Repetition: a short line seen twice or more on the page ("Share", a section name) is chrome.
- Boilerplate classes: calls to share, subscribe, sign up, accept cookies or support the site, paywall
  prompts, legal and copyright lines, comment forms, captions' credits, "Related"/"Most read" widgets.
  These are what the libraries keep because they read like prose (stop-word rich sentences).
- Widgets: a "Related"-style heading ends the article only when no article prose follows it; when prose
  resumes after a list of headlines and teasers, only the box is dropped.

Each decision is kept per block with its reason, so an editor can see it and override it (`overrides`).
"""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from types import SimpleNamespace

from factcheck.articles.datelines import Dateline, is_bullet_date, parse_dateline

__all__ = [
    "DROPPED_SENTENCES_WARNING",
    "Block",
    "CleanedArticle",
    "clean_article",
    "clean_html",
    "clean_raw_text",
    "content_hash",
    "looks_like_html",
    "normalise",
]

# When cleaning drops more than this share of the raw page's paragraphs of prose (lines of 8 words or more
# that end a sentence), the result carries a warning: either the page is mostly teasers and comments, or the
# cleaner cut the story short. Such an article is held back at import until an editor has compared its raw
# text with its clean body and accepted it or corrected the cleaning (services.HeldBack).
DROPPED_SENTENCES_WARNING = 0.5


@dataclass(frozen=True)
class Block:
    """One line of the page as scraped, whether it is in the body, and the signal that decided it."""

    text: str
    kept: bool
    reason: str


@dataclass(frozen=True)
class CleanedArticle:
    title: str
    outlet: str
    published: datetime.date | None
    body: str
    url: str = ""
    # Set when cleaning dropped more than DROPPED_SENTENCES_WARNING of the page's sentences.
    warning: str = ""
    blocks: tuple[Block, ...] = field(default=(), compare=False, repr=False)

    @property
    def prose(self) -> tuple[Block, ...]:
        """The page's paragraphs of prose, kept or not: what the dropped share is counted on."""
        return tuple(block for block in self.blocks if _is_prose(block.text))

    @property
    def dropped_prose(self) -> tuple[Block, ...]:
        return tuple(block for block in self.prose if not block.kept)

    @property
    def dropped_share(self) -> float:
        prose = self.prose
        return len(self.dropped_prose) / len(prose) if prose else 0.0


# --- normalisation ---------------------------------------------------------

_BLANK_RUNS = re.compile(r"\n{3,}")


def normalise(text: str) -> str:
    # NFC first so that reviewers' searches and content hashes do not depend
    # on how the scraper happened to encode accents.
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Per-line rstrip rather than a "[ \t]+$" regex, which backtracks
    # quadratically on long runs of spaces inside a line.
    text = "\n".join(line.rstrip(" \t") for line in text.split("\n"))
    text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip("\n")


def content_hash(body: str) -> str:
    # surrogatepass: a lone surrogate smuggled in through JSON must not make
    # hashing crash; valid text encodes exactly as plain UTF-8.
    return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()


# --- signals on one line ---------------------------------------------------

_CLOSERS = "\"'”’)]"
# A line has to be this long, and end as a sentence does, to count as article prose rather than a
# heading, a caption or a widget label.
_PROSE_MIN_WORDS = 8
_PARAGRAPH_MIN_WORDS = 15
_HEADLINE_MAX_WORDS = 30
_HEADLINE_MAX_CHARS = 250
_TITLE_MAX_WORDS = 20
# How many lines away kept prose may be for a sentence between them to count as the article's.
_SENTENCE_REACH = 5
# Short lines seen this often on one page are menus, share buttons and section names.
_REPEATED_MAX_WORDS = 5


def _key(line: str) -> str:
    """Comparison form of a line: case, quotes and spacing do not matter."""
    folded = line.casefold().replace("’", "'").replace("‘", "'")
    return " ".join(folded.split()).rstrip(":»›> ").strip()


def _words(line: str) -> int:
    return len(line.split())


def _is_snippet(line: str) -> bool:
    # String tests instead of an end-anchored regex: "\.{3,}$" backtracks
    # quadratically on a long run of dots followed by anything else.
    return line.rstrip(_CLOSERS).endswith(("...", "…"))


def _ends_sentence(line: str) -> bool:
    return line.rstrip(_CLOSERS).endswith((".", "!", "?")) and not _is_snippet(line)


def _is_prose(line: str) -> bool:
    return _words(line) >= _PROSE_MIN_WORDS and _ends_sentence(line)


def _is_paragraph(line: str) -> bool:
    """Prose longer than any headline: the article has certainly begun."""
    return _is_prose(line) and (_words(line) > _PARAGRAPH_MIN_WORDS or bool(_SENTENCE_BREAK.search(line)))


def _is_headline(line: str) -> bool:
    return (
        2 <= _words(line) <= _HEADLINE_MAX_WORDS
        and len(line) <= _HEADLINE_MAX_CHARS
        and any(ch.isalpha() for ch in line)
        and not line.rstrip(_CLOSERS).endswith((".", ",", ";", ":", "…"))
        and _boilerplate_class(line) is None
        and not _is_widget_heading(line)
    )


def _flags(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# Boilerplate classes: the calls to action and legal lines every kind of site prints around its articles.
# They are matched only on lines short enough to be page furniture (article paragraphs run longer).
_BOILERPLATE_MAX_WORDS = 45
_BOILERPLATE = (
    ("share", _flags(r"^(?:share|tweet|pin|email|print|save|copy(?: article)? link|\d+\s*shares?)(?:\b.{0,40})?$")),
    ("share", _flags(r"^(?:share|like) this:?$|^like loading")),
    ("follow", _flags(r"^(?:follow us|connect with us|like us on|find us on)\b")),
    (
        "cookies",
        _flags(
            r"\bcookies?\b.*\b(?:use|accept|consent|agree|browse|experience|policy|settings|preferences)\b"
            r"|\bwe care about your privacy\b|\bpartners store and/or access information\b"
        ),
    ),
    (
        "sign-up",
        _flags(
            r"^(?:sign up|subscribe|get (?:the|our)\b.*\b(?:newsletter|email|app)|join \d[\d,]* other subscribers)"
            r"|\b(?:newsletters?|inbox)\b.*\b(?:you|your)\b|\b(?:you|your)\b.*\b(?:newsletters?|inbox)\b"
            r"|^enter your email|\bemail address\b.*\b(?:sign up|subscribe)|^by signing up\b"
            r"|\brecaptcha\b|^download our app|^breaking news alerts"
        ),
    ),
    (
        "paywall",
        _flags(
            r"\b(?:subscribe|register|sign in|log in)\b.*\b(?:keep|continue) reading\b|^already a (?:subscriber|member)"
            r"|\bfree to read\b"
            r"|^this (?:article|story|content) is (?:only )?(?:for|available to) (?:subscribers|members)"
            r"|^subscribe (?:now|for|today)\b"
        ),
    ),
    (
        "support",
        _flags(
            r"^support (?:the|our|us|independent)\b|\bplease consider (?:supporting|a donation|donating)\b"
            r"|^contribute$|^donate$|\bfunded by (?:our )?readers\b|^available for everyone\b"
        ),
    ),
    (
        "legal",
        _flags(
            r"^(?:terms (?:of use|of service|and conditions|& conditions)|privacy (?:policy|notice)|cookie (?:policy"
            r"|settings)|do not sell|your california privacy rights|copyright\b|©|\(c\)\s*\d{4})"
            r"|\ball rights reserved\b|\bmay not be (?:published|reproduced|redistributed)\b"
            r"|\bterms of (?:use|service)\b.*\b(?:apply|agree)"
        ),
    ),
    (
        "advert",
        _flags(
            r"^(?:advertisement|advert|sponsored(?: content)?|ad|paid (?:post|content))$"
            r"|^(?:article|story) continues (?:below|after)|^continue reading below"
        ),
    ),
    ("reuse", _flags(r"^reuse this content$|^(?:topics|tags|categories|filed under)\b\s*:?")),
    (
        "comments",
        _flags(
            r"^(?:your email address will not be published|required fields are marked|comments are closed"
            r"|leave a (?:reply|comment)$|post comment$|\d+ (?:comments?|thoughts on)\b|save my name, email)"
        ),
    ),
    (
        "credit",
        _flags(
            r"^(?:photograph|photo|image|picture|credit|illustration|video)\s*:|^image (?:caption|copyright)"
            r"|^[^.]{0,40}[|/]\s*(?:getty images|afp|reuters|ap|ap photo|shutterstock|alamy|epa)$"
        ),
    ),
    (
        "browser",
        _flags(
            r"\b(?:turn on|enable) javascript\b|\b(?:outdated|unsupported) browser\b|\bupgrade your browser\b"
            r"|^skip to (?:main )?content$"
        ),
    ),
    (
        "timestamp",
        _flags(
            r"^(?:updated|posted|published|last updated)?\s*:?\s*(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?"
            r"\s*(?:[a-z]{2,4})?$|^\d+\s*(?:s|m|min|mins|minutes?|h|hrs?|hours?|d|days?)\s+ago\b"
        ),
    ),
    ("teaser", _flags(r"^(?:read more|read also|also read|see also|related|more|watch|listen)\s*:")),
    ("navigation", _flags(r"^(?:home|menu|search|log ?in|sign in|back to top|logo)$")),
)

# Widget headings: the boxes of other stories that sites put inside and after an article.
_WIDGET_HEADING = _flags(
    r"^(?:related(?: (?:stories|articles|posts|news|content|coverage|reading))?|more (?:stories|articles|news|from"
    r" (?:this|the) .{1,30}|on this story)|most (?:read|popular|viewed|shared)(?: .{1,20})?|trending(?: now)?"
    r"|top stories(?: this week)?|recommended(?: for you)?|read next|up next|what to read next"
    r"|you (?:may|might) also like|don'?t miss|editor'?s picks|latest (?:news|stories)|popular (?:posts|categories)"
    r"|continue reading|comments|also read|in other news|key events|\d+ comments?|leave a (?:reply|comment)"
    r"|join the (?:discussion|conversation)|reader comments)$"
)
_WIDGET_MAX_WORDS = 6
_COMMENTS_HEADING = _flags(
    r"^(?:comments|\d+ comments?|leave a (?:reply|comment)|join the (?:discussion|conversation)|reader comments"
    r"|\d+ (?:thoughts|responses|replies) (?:on|to)\b.*)$"
)

# The agencies' sign-off under their copy: "(Reporting by ...; Editing by ...)".
_WIRE_CREDIT = _flags(r"^\(?(?:reporting|writing|additional reporting|compiled) by\b.*\bby\b.*\)?$")
_POST_FOOTER = _flags(r"^the post\s+(?P<title>.+?)\s+appeared first on\s+(?P<outlet>.+?)\.?$")
# One sentence ending and the next beginning; "U.S. border" is not one.
_SENTENCE_BREAK = re.compile(r"[a-z]{2}[.!?][\"'”’]?\s+[\"'“‘]?[A-Z]")
_BYLINE = _flags(r"^(?:by|updated|posted|published|written by)\b")
_BREADCRUMB = _flags(r"^home\b\s*[>»›/|:·-]?\s*(?P<trail>.+)$")


def _boilerplate_class(line: str) -> str | None:
    if _words(line) > _BOILERPLATE_MAX_WORDS:
        return None
    key = _key(line)
    for name, pattern in _BOILERPLATE:
        if pattern.search(key):
            return name
    if is_bullet_date(line):
        # A bulleted date at the top of a page is the site's "today" widget, not the publication date.
        return "navigation"
    return None


def _is_widget_heading(line: str) -> bool:
    return _words(line) <= _WIDGET_MAX_WORDS and bool(_WIDGET_HEADING.match(_key(line)))


@cache
def _stopwords() -> frozenset[str]:
    import justext

    return frozenset(word.casefold() for word in justext.get_stoplist("English"))


def _content_words(text: str) -> set[str]:
    words = {word.strip(".,;:!?\"'“”‘’()[]—–-").casefold() for word in text.split()}
    return {word.removesuffix("'s").removesuffix("’s") for word in words if word and word not in _stopwords()}


# --- plain text ------------------------------------------------------------


def _justext_good(lines: list[str], chrome: list[bool]) -> list[bool]:
    """jusText's verdict on each line taken as one paragraph of a page without markup (no link density).

    Lines our own signals call chrome enter jusText's context pass as "bad", so that a cookie banner that
    reads like prose cannot vouch for the menu next to it.
    """
    from justext.core import classify_paragraphs, revise_paragraph_classification
    from justext.paragraph import Paragraph

    paragraphs = []
    for index, line in enumerate(lines):
        paragraph = Paragraph(SimpleNamespace(dom="html.body.p", xpath=f"/html[1]/body[1]/p[{index + 1}]"))
        paragraph.append_text(line)
        paragraphs.append(paragraph)
    classify_paragraphs(paragraphs, _stopwords())
    for paragraph, is_chrome in zip(paragraphs, chrome, strict=True):
        if is_chrome:
            paragraph.cf_class = "bad"
    revise_paragraph_classification(paragraphs)
    # jusText needs one "good" paragraph (over 200 characters) to anchor its context pass; a short news story
    # scraped as text may have none. A sentence-shaped line it rated near-good on its own is article prose.
    return [
        not paragraph.is_boilerplate or (paragraph.cf_class == "neargood" and _is_prose(line))
        for paragraph, line in zip(paragraphs, lines, strict=True)
    ]


def _decide_text_blocks(lines: list[str]) -> list[Block]:
    counts = Counter(_key(line) for line in lines)
    reasons: list[str] = []
    for line in lines:
        boilerplate = _boilerplate_class(line)
        if boilerplate:
            reasons.append(f"boilerplate: {boilerplate}")
        elif counts[_key(line)] > 1 and _words(line) <= _REPEATED_MAX_WORDS:
            reasons.append("repeated on the page")
        elif _is_widget_heading(line):
            reasons.append("widget heading")
        else:
            reasons.append("")
    for index, line in enumerate(lines):
        # A blurb between two boilerplate lines (a sign-up box's "Our morning email ...") is part of that box;
        # a sentence there may be the article's first paragraph between "Share" and "Advertisement".
        if (
            not reasons[index]
            and 0 < index < len(lines) - 1
            and reasons[index - 1].startswith("boilerplate")
            and reasons[index + 1].startswith("boilerplate")
            and not _ends_sentence(line)
        ):
            reasons[index] = "boilerplate: inside a boilerplate box"
    good = _justext_good(lines, [bool(reason) for reason in reasons])
    for index, is_good in enumerate(good):
        if not reasons[index]:
            reasons[index] = "prose (jusText)" if is_good else "short or link-like (jusText)"
    kept = [reason == "prose (jusText)" for reason in reasons]
    if not any(kept):
        # A page too short for jusText to find one paragraph: its sentences are the article, or failing
        # those, its lines longer than a menu's, or any line ending as a sentence does.
        for accept in (_is_short_prose, lambda line: _words(line) >= 5, _ends_sentence):
            for index, line in enumerate(lines):
                if reasons[index].endswith("(jusText)") and accept(line):
                    kept[index] = True
                    reasons[index] = "sentence (page too short for jusText)"
            if any(kept):
                break

    # jusText calls a lead or closing sentence boilerplate when nothing good stands on one side of it, or when
    # its stop-word density is low (dense, formal prose). A sentence right next to the article's prose is the
    # article's, unless a boilerplate class says otherwise; after the prose, so is a subheading followed by one.
    core = [index for index, keep in enumerate(kept) if keep]
    if core:

        def open_line(index: int) -> bool:
            return 0 <= index < len(lines) and reasons[index].endswith("(jusText)")

        # Inside the article a caption or an embed may stand between a sentence and the prose around it.
        for index in range(core[0], core[-1]):
            near = range(max(0, index - _SENTENCE_REACH), min(len(lines), index + _SENTENCE_REACH + 1))
            if (
                open_line(index)
                and _is_short_prose(lines[index])
                and any(kept[i] for i in near if i < index)
                and any(kept[i] for i in near if i > index)
            ):
                kept[index], reasons[index] = True, "sentence inside the article"
        index = core[0] - 1
        while open_line(index) and _is_short_prose(lines[index]):
            kept[index], reasons[index] = True, "sentence next to the article's prose"
            index -= 1
        # After each run of kept prose (the article's last paragraphs, or a section's).
        for end in [i + 1 for i in range(len(lines) - 1) if kept[i] and not kept[i + 1]]:
            index = end
            while open_line(index):
                if _is_short_prose(lines[index]):
                    kept[index], reasons[index] = True, "sentence next to the article's prose"
                elif _WIRE_CREDIT.match(lines[index]):
                    kept[index], reasons[index] = True, "wire credit"
                elif _is_headline(lines[index]) and open_line(index + 1) and _is_short_prose(lines[index + 1]):
                    kept[index], reasons[index] = True, "subheading next to the article's prose"
                else:
                    break
                index += 1

    # jusText's own context rule (a short block between two good ones is good), with our kept lines as the
    # good ones: a subheading between two kept paragraphs, chrome lines between them skipped.
    chrome = [reason.startswith(("boilerplate", "repeated")) for reason in reasons]
    for index in range(len(lines)):
        if kept[index] or not reasons[index].endswith("(jusText)"):
            continue
        before = next((kept[i] for i in range(index - 1, -1, -1) if not chrome[i]), False)
        after = next((kept[i] for i in range(index + 1, len(lines)) if not chrome[i]), False)
        if before and after:
            kept[index] = True
            reasons[index] = "between two kept paragraphs"

    _drop_widgets(lines, kept, reasons)
    return [Block(line, keep, reason) for line, keep, reason in zip(lines, kept, reasons, strict=True)]


def _is_short_prose(line: str) -> bool:
    """A sentence: five words or more ending in a full stop; short ones need the stop words of prose."""
    words = line.split()
    if len(words) < 5 or not _ends_sentence(line):
        return False
    stop = sum(word.casefold().strip(".,;:!?\"'“”‘’") in _stopwords() for word in words)
    return len(words) >= _PROSE_MIN_WORDS or stop / len(words) >= 0.2


def _drop_widgets(lines: list[str], kept: list[bool], reasons: list[str]) -> None:
    """A widget heading starts a box of headlines and teasers; the box ends where article prose resumes.

    If prose never resumes, the article ended at the heading. Before the article's first paragraph the
    heading belongs to the site's menus and is dropped on its own.
    """
    first_prose = next((i for i, line in enumerate(lines) if kept[i] and _is_prose(line)), len(lines))
    index = first_prose
    while index < len(lines):
        if not _is_widget_heading(lines[index]):
            index += 1
            continue
        end = index + 1
        while end < len(lines) and not (_is_prose(lines[end]) and _boilerplate_class(lines[end]) is None):
            end += 1
        if _COMMENTS_HEADING.match(_key(lines[index])):
            # Reader comments read like prose but are never the article.
            end = len(lines)
        resumes = end < len(lines)
        for inside in range(index + 1, end):
            if not reasons[inside].startswith("boilerplate"):
                kept[inside] = False
                reasons[inside] = "inside a widget" if resumes else "after the article's end"
        index = end


def _title_candidate(line: str) -> bool:
    return (
        _is_headline(line)
        and _words(line) >= 3
        and (line[0].isalnum() or line[0] in "\"'“‘")
        and not _BYLINE.match(line)
        # Headlines are short; a longer line without a full stop is a standfirst or a caption.
        and _words(line) <= _TITLE_MAX_WORDS
        and not parse_dateline(line)
        and not _BREADCRUMB.match(line)
    )


def _pick_title(header: list[str], lead: str, feed_title: str) -> str:
    """The header line sharing most words with the body's first sentences; navigation shares none.

    Ties go to a line the page repeats (headlines recur in breadcrumbs and share links), then to the line
    nearest the body.
    """
    if feed_title and any(_key(line) == _key(feed_title) for line in header):
        return feed_title
    lead_words = _content_words(lead)
    counts = Counter(_key(line) for line in header)
    best, best_score = "", 0.0
    for distance, line in enumerate(reversed(header)):
        if not _title_candidate(line):
            continue
        shared = len(_content_words(line) & lead_words)
        score = shared + (0.5 if counts[_key(line)] > 1 else 0) + (0.3 if distance < 8 else 0)
        # Two sentences are more often a standfirst than a headline ("Meth. We're on it." is both).
        score -= 2.0 if _SENTENCE_BREAK.search(line) else 0
        if shared and score > best_score:
            best, best_score = line, score
    if best:
        return best
    # Nothing shares a word with the lead: the nearest headline-shaped line of four words or more
    # (menus and section names are shorter).
    for line in reversed(header):
        if _title_candidate(line) and _words(line) >= 4:
            return line
    return feed_title


def _lead_subheading(blocks: list[Block], first: int, title: str, overrides: Mapping[int, bool]) -> int | None:
    """A headline-shaped line below the title and right above the first kept paragraph (chrome such as times
    and share buttons aside), sharing words with that paragraph, heads the first section or live entry."""
    if first >= len(blocks):
        return None
    index = first - 1
    while index >= 0 and blocks[index].reason.startswith(("boilerplate", "repeated")):
        index -= 1
    if index < 0 or index in overrides or blocks[index].kept:
        return None
    line = blocks[index].text
    if _key(line) == _key(title) or not _title_candidate(line):
        return None
    # A heading announces what follows: credits, contact lines and "5 Min Read" share no words with it.
    if not _content_words(line) & _content_words(blocks[first].text):
        return None
    below_title = any(_key(block.text) == _key(title) for block in blocks[:index])
    return index if below_title else None


def _apply(blocks: list[Block], overrides: Mapping[int, bool] | None) -> list[Block]:
    if not overrides:
        return blocks
    return [
        Block(block.text, overrides[index], "editor") if index in overrides else block
        for index, block in enumerate(blocks)
    ]


def _warning(blocks: list[Block]) -> str:
    counted = CleanedArticle("", "", None, "", blocks=tuple(blocks))
    share = counted.dropped_share
    if share <= DROPPED_SENTENCES_WARNING:
        return ""
    return (
        f"Cleaning dropped {len(counted.dropped_prose)} of the page's {len(counted.prose)} paragraphs of prose "
        f"({share:.0%}). Compare the raw text with the body before accepting it."
    )


def clean_article(raw: str, *, overrides: Mapping[int, bool] | None = None, title: str | None = None) -> CleanedArticle:
    """Clean scraped plain text. `overrides` maps block numbers (see `.blocks`) to an editor's keep or drop.

    `title`, when the source gives it apart from the text (a CSV's title column), is the title: no line of
    the text is then taken for a headline and dropped, so a kept line never goes missing.
    """
    text = normalise(raw)
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return CleanedArticle("", "", None, "")

    feed_outlet = feed_title = ""
    for line in lines:
        footer = _POST_FOOTER.match(line)
        if footer:
            feed_outlet = feed_outlet or footer["outlet"].strip()
            feed_title = feed_title or footer["title"].strip()

    blocks = _decide_text_blocks(lines)
    for index, line in enumerate(lines):
        if _POST_FOOTER.match(line):
            blocks[index] = Block(line, False, "boilerplate: feed footer")
    if title is not None:
        # With the title given apart, the text has no header: a line jusText only found short (a first line,
        # a dateline, a line broken mid-sentence) is the article's. Named boilerplate still goes.
        blocks = [
            Block(block.text, True, "the text's own line (its title is given apart)")
            if block.reason == "short or link-like (jusText)"
            else block
            for block in blocks
        ]
    blocks = _apply(blocks, overrides)

    # The headline can sit among the first kept blocks (a question reads as a sentence, and jusText keeps
    # short lines next to prose): the title is sought up to the first kept paragraph longer than a headline.
    first = next((i for i, block in enumerate(blocks) if block.kept), len(blocks))
    first_prose = next((i for i, block in enumerate(blocks) if block.kept and _is_paragraph(block.text)), len(blocks))
    header = lines[:first_prose]
    body_lines = [block.text for block in blocks[first:] if block.kept]

    dateline: Dateline | None = None
    for line in header:
        dateline = None if is_bullet_date(line) else parse_dateline(line)
        if dateline:
            break
    lead = [block.text for block in blocks[first_prose:] if block.kept]

    def cleaned(title: str | None) -> CleanedArticle:
        return CleanedArticle(
            title=normalise(title),
            outlet=normalise(feed_outlet or (dateline.outlet if dateline else "")),
            published=dateline.published if dateline else None,
            body=normalise("\n\n".join(body_lines)),
            warning=_warning(blocks),
            blocks=tuple(blocks),
        )

    if title is not None:
        return cleaned(title)
    title = _pick_title(header, " ".join(lead[:5]), feed_title)
    if title and all(_key(line) == _key(title) for line in body_lines):
        # The only text kept cannot be both the headline and the body: it is the body.
        title = _pick_title([b.text for b in blocks[:first_prose] if not b.kept], " ".join(body_lines), feed_title)
    if title:
        before_prose = len([block for block in blocks[first:first_prose] if block.kept])
        body_lines = [
            line for index, line in enumerate(body_lines) if index >= before_prose or _key(line) != _key(title)
        ]
        lead_heading = _lead_subheading(blocks, first, title, overrides or {})
        if lead_heading is not None:
            blocks[lead_heading] = Block(lines[lead_heading], True, "subheading before the first paragraph")
            body_lines.insert(0, lines[lead_heading])
    return cleaned(title)


# --- saved HTML pages ------------------------------------------------------

_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|meta|body)\b", re.IGNORECASE | re.DOTALL
)
_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "button",
        "caption",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "label",
        "li",
        "main",
        "nav",
        "ol",
        "option",
        "p",
        "pre",
        "section",
        "select",
        "summary",
        "table",
        "td",
        "textarea",
        "th",
        "tr",
        "ul",
    ]
)
_INVISIBLE_TAGS = ("script", "style", "noscript", "template", "svg", "head", "iframe", "object", "canvas")
_SITE_SEPARATOR = re.compile(r"\s+[|–—-]\s+|\s+:\s+")


def looks_like_html(raw: str) -> bool:
    """Whether stored raw text is a saved page rather than scraped text."""
    return bool(_HTML_START.match(raw[:2000]))


def _html_lines(tree) -> list[str]:
    """The page's visible text, one line per block element, as a browser shows it."""
    parts: list[str] = []

    def walk(element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag and tag not in _INVISIBLE_TAGS and element.get("hidden") is None:
            block = tag in _BLOCK_TAGS
            if block:
                parts.append("\n")
            # A line break inside HTML text is a space; only block elements start a new line.
            parts.append((element.text or "").replace("\n", " "))
            for child in element:
                walk(child)
            if block:
                parts.append("\n")
        parts.append((element.tail or "").replace("\n", " "))

    body = tree.find(".//body")
    walk(body if body is not None else tree)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return [line for line in lines if line]


def _html_title(tree, metadata_title: str, site_name: str) -> str:
    """The page's <h1> when it is the headline (not the logo or the blog's name), else og:title or <title>."""
    declared = " ".join(metadata_title.split())
    declared_words = _content_words(declared)
    site_key = _key(site_name)
    for h1 in tree.iter("h1"):
        text = " ".join(h1.text_content().split())
        words = _content_words(text)
        if _words(text) < 3 or (site_key and _key(text) == site_key):
            continue
        if not declared_words or len(words & declared_words) * 2 >= len(words):
            return text
    # A declared title still carries the site's name after a separator: keep the longest part.
    parts = [part for part in _SITE_SEPARATOR.split(declared) if part.strip()]
    return max(parts, key=len) if len(parts) > 1 and site_key and site_key in _key(declared) else declared


def clean_html(html: str, *, overrides: Mapping[int, bool] | None = None, title: str | None = None) -> CleanedArticle:
    """Clean a saved page with trafilatura; the blocks are the page's visible lines, kept if trafilatura's
    article text holds them and no boilerplate class claims them. A given `title` (see clean_article) is the
    title, and no kept line is dropped as the headline."""
    import lxml.html
    import trafilatura

    html = normalise(html)
    try:
        tree = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return CleanedArticle("", "", None, "")
    lines = _html_lines(tree)
    document = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=True, favor_recall=True
    )
    extracted = (document.text or "") if document is not None else ""
    extracted_lines = {_key(line) for line in extracted.split("\n") if line.strip()}
    extracted_key = _key(" ".join(extracted.split()))

    counts = Counter(_key(line) for line in lines)
    blocks: list[Block] = []
    for line in lines:
        key = _key(line)
        in_article = key in extracted_lines or (_words(line) >= 5 and key in extracted_key)
        boilerplate = _boilerplate_class(line)
        if not in_article:
            blocks.append(Block(line, False, "outside the article (trafilatura)"))
        elif boilerplate:
            blocks.append(Block(line, False, f"boilerplate: {boilerplate}"))
        elif counts[key] > 1 and _words(line) <= _REPEATED_MAX_WORDS:
            blocks.append(Block(line, False, "repeated on the page"))
        else:
            blocks.append(Block(line, True, "article (trafilatura)"))
    # trafilatura leaves out embeds (quoted posts) and the odd paragraph between them; a sentence with the
    # article's prose close on both sides is the article's, as in plain text.
    kept = [block.kept for block in blocks]
    for index, block in enumerate(blocks):
        near = range(max(0, index - _SENTENCE_REACH), min(len(blocks), index + _SENTENCE_REACH + 1))
        if (
            block.reason.startswith("outside")
            and _is_short_prose(block.text)
            and _boilerplate_class(block.text) is None
            and any(kept[i] for i in near if i < index)
            and any(kept[i] for i in near if i > index)
        ):
            blocks[index] = Block(block.text, True, "sentence inside the article")
    blocks = _apply(blocks, overrides)

    site_name = (document.sitename or "") if document is not None else ""
    given = title is not None
    if not given:
        title = _html_title(tree, (document.title or "") if document is not None else "", site_name)
    body_lines = [block.text for block in blocks if block.kept]
    if not given and title and body_lines and _key(body_lines[0]) == _key(title):
        body_lines = body_lines[1:]
    published = None
    if document is not None and document.date:
        try:
            published = datetime.date.fromisoformat(document.date[:10])
        except ValueError:
            published = None
    return CleanedArticle(
        title=normalise(title),
        outlet=normalise(site_name),
        published=published,
        body=normalise("\n\n".join(body_lines)),
        url=(document.url or "") if document is not None else "",
        warning=_warning(blocks),
        blocks=tuple(blocks),
    )


def clean_raw_text(raw: str, *, overrides: Mapping[int, bool] | None = None) -> CleanedArticle:
    """Clean stored raw text of either kind: a saved page or scraped text."""
    return clean_html(raw, overrides=overrides) if looks_like_html(raw) else clean_article(raw, overrides=overrides)
