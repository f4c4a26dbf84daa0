"""Read the outlet and publication date from a scraped page's dateline ("Outlet <date> [Section]")."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

__all__ = ["Dateline", "is_bullet_date", "parse_dateline"]

_CLOSERS = "\"'”’)]"
_BULLET = re.compile(r"^[•·●▪■◦‣]\s*")

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
class Dateline:
    outlet: str
    published: datetime.date


def _key(line: str) -> str:
    return " ".join(line.casefold().split()).rstrip(":»›> ").strip()


def _is_prose(line: str) -> bool:
    return len(line.split()) >= 8 and line.rstrip(_CLOSERS).endswith((".", "!", "?"))


def _parse_date(match: re.Match[str]) -> datetime.date | None:
    month_text = match["month"]
    month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text[:3].casefold(), 0)
    try:
        return datetime.date(int(match["year"]), month, int(match["day"]))
    except ValueError:
        return None


def is_bullet_date(line: str) -> bool:
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


def parse_dateline(line: str) -> Dateline | None:
    """Read "Outlet <date> [Section]" style lines; None if the line is prose."""
    if len(line.split()) > 14 or _is_prose(line):
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
        return Dateline(outlet=outlet, published=published)
    return None
