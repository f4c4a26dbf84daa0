"""Turn raw scraped article text into a clean headline, outlet, date and body."""

from __future__ import annotations

import bisect
import datetime
import hashlib
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["CleanedArticle", "clean_article", "content_hash", "normalise"]


@dataclass(frozen=True)
class CleanedArticle:
    title: str
    outlet: str
    published: datetime.date | None
    body: str


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


# --- line shapes -----------------------------------------------------------

# Lines that are pure page chrome wherever they appear.  They carry no
# article content, so dropping them never loses anything a reviewer needs.
_NAV_LINES = frozenset(
    {
        "advertisement",
        "author",
        "authors",
        "back to top",
        "by",
        "connect with us",
        "description",
        "editorial",
        "email",
        "facebook",
        "follow us",
        "home",
        "linkedin",
        "log in",
        "login",
        "logo",
        "menu",
        "on",
        "pinterest",
        "posted",
        "print",
        "published",
        "read more",
        "reddit",
        "search",
        "share",
        "share this",
        "share this article",
        "share this story",
        "shares",
        "sign in",
        "skip to content",
        "skip to main content",
        "sponsored",
        "subscribe",
        "tags",
        "telegram",
        "top",
        "top stories",
        "tweet",
        "twitter",
        "updated",
        "whatsapp",
    }
)

# Headings of the widgets that follow an article (teaser lists, comments).
# Some of them also show up mid-article as inline widgets, which is why they
# only truncate when the text after them does not read like the article.
_TERMINAL_MARKERS = frozenset(
    {
        "also read",
        "comments",
        "continue reading",
        "don't miss",
        "editor's picks",
        "latest news",
        "leave a comment",
        "leave a reply",
        "more articles",
        "more news",
        "more stories",
        "most popular",
        "most read",
        "most read this week",
        "popular categories",
        "popular posts",
        "read next",
        "recommended",
        "related",
        "related articles",
        "related news",
        "related posts",
        "related stories",
        "top stories this week",
        "trending",
        "trending now",
        "you may also like",
        "you might also like",
    }
)

_TEASER = re.compile(r"^(?:read\s+more|read\s+also|also\s+read|see\s+also|related)\s*:", re.IGNORECASE)
_SHARE = re.compile(r"^share(?:\s+(?:on|via)\s+\w+)?:?$", re.IGNORECASE)
_COPYRIGHT = re.compile(r"^(?:copyright\b|©|\(c\)\s*\d{4}|all rights reserved)", re.I)
_COMMENT_FORM = re.compile(
    r"^(?:your email address will not be published|required fields are marked)",
    re.IGNORECASE,
)
_POST_FOOTER = re.compile(
    r"^the post\s+(?P<title>.+?)\s+appeared first on\s+(?P<outlet>.+?)\.?$",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^[•·●▪■◦‣]\s*")
_BREADCRUMB = re.compile(r"^home\b\s*[>»›/|:·-]?\s*(?P<trail>.+)$", re.IGNORECASE)
_CRUMB_SEPARATORS = re.compile(r"\s*[>»›/|·]\s*")

_CLOSERS = "\"'”’)]"

# A paragraph has to be this long before it counts as article prose rather
# than a heading, a caption or a widget label.
_PARAGRAPH_MIN_WORDS = 8
_HEADLINE_MAX_WORDS = 30
_HEADLINE_MAX_CHARS = 250

# --- dates -----------------------------------------------------------------

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
    r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_DATE_FORMS = (
    re.compile(
        rf"\b(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}}){_ORDINAL},?\s+(?P<year>\d{{4}})\b",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\b(?P<day>\d{{1,2}}){_ORDINAL}\s+(?P<month>{_MONTH}),?\s+(?P<year>\d{{4}})\b",
        re.IGNORECASE,
    ),
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
)
_WEEKDAY = re.compile(
    r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?$",
    re.IGNORECASE,
)
_DATE_PREFIX_WORDS = frozenset({"published", "updated", "posted", "on", "date", "last", "first", "dated"})
_OUTLET_CONNECTORS = frozenset({"&", "and", "of", "the", "for", "de", "la", "al"})
_TIME = re.compile(
    r"^(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,5})?",
    re.IGNORECASE,
)
_SEPARATOR_CHARS = " \t|-–—·•,:/"


@dataclass(frozen=True)
class _Dateline:
    outlet: str
    published: datetime.date


def _key(line: str) -> str:
    """Comparison form of a line: case, quotes and spacing do not matter."""
    folded = line.casefold().replace("’", "'").replace("‘", "'")
    return " ".join(folded.split()).rstrip(":»›> ").strip()


def _words(line: str) -> int:
    return len(line.split())


def _is_snippet(line: str) -> bool:
    # String tests instead of an end-anchored regex: "\.{3,}$" backtracks
    # quadratically on a long run of dots followed by anything else.
    end = line.rstrip(_CLOSERS)
    return end.endswith(("...", "…"))


def _is_paragraph(line: str) -> bool:
    return (
        _words(line) >= _PARAGRAPH_MIN_WORDS
        and line.rstrip(_CLOSERS).endswith((".", "!", "?"))
        and not _is_snippet(line)
    )


def _is_terminal_marker(line: str) -> bool:
    return _words(line) <= 6 and _key(line) in _TERMINAL_MARKERS


def _is_headline(line: str) -> bool:
    return (
        2 <= _words(line) <= _HEADLINE_MAX_WORDS
        and len(line) <= _HEADLINE_MAX_CHARS
        and any(ch.isalpha() for ch in line)
        and not line.endswith((".", ",", ";", ":", "…"))
        and not _is_terminal_marker(line)
    )


def _parse_date(match: re.Match[str]) -> datetime.date | None:
    month_text = match["month"]
    month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text[:3].casefold(), 0)
    try:
        return datetime.date(int(match["year"]), month, int(match["day"]))
    except ValueError:
        return None


def _is_bullet_date(line: str) -> bool:
    # A bulleted date at the top of a page is the site's "today" widget, not
    # the publication date, so it is dropped without being trusted.
    if not _BULLET.match(line):
        return False
    rest = _BULLET.sub("", line)
    for form in _DATE_FORMS:
        match = form.search(rest)
        if match and not rest[match.end() :].strip(_SEPARATOR_CHARS):
            prefix = rest[: match.start()].strip(_SEPARATOR_CHARS)
            return not prefix or bool(_WEEKDAY.match(prefix))
    return False


def _looks_like_outlet(text: str) -> bool:
    words = text.split()
    # "Talks Set for <date>" is a headline about a date, not a masthead.
    if not 1 <= len(words) <= 6 or words[-1].casefold() in _OUTLET_CONNECTORS:
        return False
    return all(word[0].isupper() or word[0].isdigit() or word.casefold() in _OUTLET_CONNECTORS for word in words)


def _looks_like_section(text: str) -> bool:
    words = text.split()
    return len(words) <= 3 and all(word[0].isupper() or word == "&" for word in words)


def _parse_dateline(line: str) -> _Dateline | None:
    """Read "Outlet <date> [Section]" style lines; None if the line is prose."""
    if _words(line) > 14 or _is_paragraph(line):
        return None
    for form in _DATE_FORMS:
        match = form.search(line)
        if not match:
            continue
        published = _parse_date(match)
        if published is None:
            return None
        suffix = line[match.end() :].strip(_SEPARATOR_CHARS)
        time = _TIME.match(suffix)
        if time:
            suffix = suffix[time.end() :].strip(_SEPARATOR_CHARS)
        if suffix and not _looks_like_section(suffix):
            return None
        prefix = line[: match.start()].strip(_SEPARATOR_CHARS)
        prefix_words = prefix.split()
        if prefix_words and _WEEKDAY.match(prefix_words[-1]):
            prefix = " ".join(prefix_words[:-1]).strip(_SEPARATOR_CHARS)
        outlet = prefix
        if _key(prefix).startswith("by "):
            # A byline names a person, not the publication.
            outlet = ""
        elif all(word in _DATE_PREFIX_WORDS for word in _key(prefix).split()):
            outlet = ""
        elif not _looks_like_outlet(prefix):
            return None
        return _Dateline(outlet=outlet, published=published)
    return None


# --- passes over the lines -------------------------------------------------


def _is_noise(line: str) -> bool:
    return (
        _key(line) in _NAV_LINES
        or bool(_SHARE.match(line))
        or bool(_TEASER.match(line))
        or bool(_COPYRIGHT.match(line))
        or bool(_COMMENT_FORM.match(line))
        or _is_bullet_date(line)
    )


def _first_paragraph(lines: list[str]) -> int:
    for index, line in enumerate(lines):
        if _is_paragraph(line):
            return index
    return len(lines)


def _marker_ends_article(following: list[str]) -> bool:
    # Teaser lists are headlines and "..." snippets; an inline widget heading
    # is followed straight away by more of the article's own prose.
    if not following or not _is_paragraph(following[0]):
        return True
    return any(_is_snippet(line) for line in following)


def _cut_trailing_widgets(lines: list[str]) -> list[str]:
    article_start = _first_paragraph(lines)
    is_marker = [_is_terminal_marker(line) for line in lines]
    # Positions of non-marker lines, so that each marker finds the content
    # after it without rescanning the rest of the page.
    prose_at = [index for index, marker in enumerate(is_marker) if not marker]
    kept: list[str] = []
    for index, line in enumerate(lines):
        if not is_marker[index]:
            kept.append(line)
            continue
        # Before any prose, a widget heading is page navigation: the article
        # has not started yet, so it cannot end here.
        if index < article_start:
            continue
        first = bisect.bisect_right(prose_at, index)
        following = [lines[at] for at in prose_at[first : first + 4]]
        if _marker_ends_article(following):
            break
    return kept


def _drop_breadcrumbs(header: list[str]) -> list[str]:
    """Remove "Home <section> <headline>" trails and the section names they
    repeat on their own lines."""
    sections: set[str] = set()
    kept: list[str] = []
    for index, line in enumerate(header):
        match = _BREADCRUMB.match(line)
        if match:
            trail = match["trail"]
            trail_key = f" {_key(trail)}"
            headline = next(
                (
                    other
                    for other in header[index + 1 : index + 7]
                    if _words(other) >= 2 and trail_key.endswith(f" {_key(other)}")
                ),
                None,
            )
            if headline is not None:
                section = " ".join(trail.split()[: -_words(headline)])
                for part in _CRUMB_SEPARATORS.split(section):
                    if part.strip():
                        sections.add(_key(part))
                if section:
                    sections.add(_key(section))
                continue
            if _CRUMB_SEPARATORS.search(trail) and not _is_paragraph(line):
                continue
        if _key(line) in sections:
            continue
        kept.append(line)
    return kept


def clean_article(raw: str) -> CleanedArticle:
    text = normalise(raw)
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line]

    feed_outlet = ""
    feed_title = ""
    content: list[str] = []
    for line in lines:
        footer = _POST_FOOTER.match(line)
        if footer:
            feed_outlet = feed_outlet or footer["outlet"].strip()
            feed_title = feed_title or footer["title"].strip()
            continue
        if not _is_noise(line):
            content.append(line)

    content = _cut_trailing_widgets(content)
    head_end = _first_paragraph(content)
    header = [line for line in content[:head_end] if not _is_terminal_marker(line)]
    rest = content[head_end:]

    dateline: _Dateline | None = None
    undated: list[str] = []
    for line in header:
        parsed = _parse_dateline(line)
        if parsed is None:
            undated.append(line)
        elif dateline is None:
            dateline = parsed
    header = _drop_breadcrumbs(undated)

    title = ""
    for index, line in enumerate(header):
        if _is_headline(line):
            title = line
            # Whatever sits above the headline is masthead and menus.
            header = header[index + 1 :]
            break
    if not title:
        title = feed_title
    if title:
        title_key = _key(title)
        header = [line for line in header if _key(line) != title_key]

    body = normalise("\n\n".join(header + rest))
    return CleanedArticle(
        title=normalise(title),
        outlet=normalise(feed_outlet or (dateline.outlet if dateline else "")),
        published=dateline.published if dateline else None,
        body=body,
    )
