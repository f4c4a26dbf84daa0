"""Span offsets: code points into Article.body, half-open [start, end).

The browser counts in UTF-16 code units; the one JavaScript function in
static/js/offsets.js converts before sending, and these functions are its Python twin.
"""

from factcheck.review.models import CONTEXT_CHARS


class OffsetError(ValueError):
    """A span that does not fit the body; the message is shown to the reviewer."""


def check_span(body: str, start: int, end: int, quote: str) -> None:
    if not (0 <= start < end <= len(body)):
        raise OffsetError(
            f"The selection {start}-{end} is outside the article (0-{len(body)}). Reload the page and select again."
        )
    if body[start:end] != quote:
        raise OffsetError(
            "The selected text does not match the article at that position. Reload the page and select again."
        )
    if not quote.strip():
        raise OffsetError("Select some words, not only white space.")


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
