"""Span offsets: code points into Article.body, half-open [start, end).

The browser counts in UTF-16 code units; the one JavaScript function in
static/js/offsets.js converts before sending, and these functions are its Python twin.
"""

import re

import regex

from factcheck.review.models import CONTEXT_CHARS

# Nine ASCII digits reach past any article body and stay far inside a 32-bit integer column;
# int() alone would also read " 28", "٣" and "1_000".
_DIGITS = re.compile(r"[0-9]{1,9}")
_ID_DIGITS = re.compile(r"[0-9]{1,18}")
MAX_OFFSET = 999_999_999
MAX_ID = 999_999_999_999_999_999
# One extended grapheme cluster (UAX #29), as Intl.Segmenter cuts them in the browser.
_GRAPHEME = regex.compile(r"\X")


class OffsetError(ValueError):
    """A span that does not fit the body; the message is shown to the reviewer."""


def _plain_int(value, pattern: re.Pattern, limit: int) -> int | None:
    # A JSON number arrives as int (or float, refused); a form field as str. bool is an int subclass.
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= limit else None
    if isinstance(value, str) and pattern.fullmatch(value):
        return int(value)
    return None


def parse_offset(value, what: str = "start") -> int:
    """An offset as posted: plain ASCII digits (or a JSON integer), nothing else."""
    number = _plain_int(value, _DIGITS, MAX_OFFSET)
    if number is None:
        raise OffsetError(
            f"The {what} of the selection must be a whole number of characters, in digits 0-9 only. "
            "Reload the page and select again."
        )
    return number


def parse_id(value) -> int | None:
    """A row id as posted, or None when it is not plain ASCII digits of a size an id can have."""
    number = _plain_int(value, _ID_DIGITS, MAX_ID)
    return number if number else None


def _is_space(char: str) -> bool:
    # Python's white space plus U+FEFF, which JavaScript's \s also trims (static/js/offsets.js).
    return char.isspace() or char == "\ufeff"


# A position that is surely a grapheme boundary: after an ASCII character (but not between CR and LF)
# and before one that cannot extend a cluster backwards (UAX #29 GB4, GB5, GB9, GB9a: no other rule joins
# across an ASCII character). Scanning back to the nearest one keeps the check local to the span's ends.
_ANCHOR = regex.compile(
    r"(?r)(?<=[\x00-\x0c\x0e-\x7f])(?=[^\p{Grapheme_Cluster_Break=Extend}\p{Grapheme_Cluster_Break=ZWJ}"
    r"\p{Grapheme_Cluster_Break=SpacingMark}])|(?<=\r)(?=[^\n])"
)


def inside_grapheme(body: str, offset: int) -> bool:
    if offset <= 0 or offset >= len(body):
        return False
    anchor = _ANCHOR.search(body, 0, offset + 1)
    position = anchor.start() if anchor else 0
    for match in _GRAPHEME.finditer(body, position):
        if match.end() >= offset:
            return match.end() > offset > match.start()
    return False


def _grapheme_cut(body: str, start: int, end: int) -> int | None:
    """The first of start, end that falls inside a grapheme cluster, or None when both are boundaries."""
    return next((offset for offset in (start, end) if inside_grapheme(body, offset)), None)


def check_span(body: str, start: int, end: int, quote: str) -> None:
    if start == end:
        raise OffsetError("The selection is empty: select some words.")
    if end < start:
        raise OffsetError(
            f"The end of the selection ({end}) comes before its start ({start}). Reload the page and select again."
        )
    if start < 0 or end > len(body):
        raise OffsetError(
            f"The selection {start}-{end} is outside the article (0-{len(body)}). Reload the page and select again."
        )
    if body[start:end] != quote:
        raise OffsetError(
            "The selected text does not match the article at that position. Reload the page and select again."
        )
    if all(_is_space(char) for char in quote):
        raise OffsetError("Select some words, not only white space.")
    if _is_space(quote[0]) or _is_space(quote[-1]):
        raise OffsetError(
            "The selection begins or ends with white space: select from the first to the last character you mean."
        )
    cut = _grapheme_cut(body, start, end)
    if cut is not None:
        raise OffsetError(
            f"The selection cuts a character in two at position {cut} (an emoji or a letter with its accent): "
            "select whole characters. Reload the page and select again."
        )


def context(body: str, start: int, end: int, width: int = CONTEXT_CHARS) -> tuple[str, str]:
    return body[max(0, start - width) : start], body[end : end + width]


def utf16_to_codepoint(text: str, offset: int) -> int:
    """The code-point index of a UTF-16 offset (an offset inside a surrogate pair rounds down)."""
    units = 0
    for index, char in enumerate(text):
        if units >= offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
        if units > offset:
            return index
    return len(text)


def codepoint_to_utf16(text: str, offset: int) -> int:
    return sum(2 if ord(char) > 0xFFFF else 1 for char in text[:offset])
