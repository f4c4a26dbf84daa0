"""The Python side of offset conversion: UTF-16 units (what browsers count) to code points and back."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.review.offsets import (
    OffsetError,
    check_span,
    codepoint_to_utf16,
    inside_grapheme,
    parse_id,
    parse_offset,
    utf16_to_codepoint,
)

FAMILY = "👨\u200d👩\u200d👧\u200d👦"


@pytest.mark.parametrize(
    ("text", "utf16", "codepoints"),
    [
        ("plain", 3, 3),
        ("𝕏 rest", 2, 1),  # one astral code point, two UTF-16 units
        ("𝕏 rest", 3, 2),
        ("👍🏽 ok", 4, 2),  # thumbs up + skin tone: two astral code points
        (FAMILY + " x", 11, 7),  # four astral people and three zero-width joiners
        ("q\u0307 é", 4, 4),  # combining dot: one unit, one code point each
        ("مرحبا بالعالم", 6, 6),  # right-to-left text is logical order, one unit per letter
        ("line one\nline two", 9, 9),
    ],
)
def test_it_converts_utf16_offsets_to_code_points_and_back(text, utf16, codepoints):
    assert utf16_to_codepoint(text, utf16) == codepoints
    assert codepoint_to_utf16(text, codepoints) == utf16


def test_an_offset_inside_a_surrogate_pair_rounds_down():
    assert utf16_to_codepoint("a𝕏b", 2) == 1


# No deadline: the machine is shared, and speed is bench/'s business, not the tests'.
@settings(deadline=None)
@given(st.text(), st.data())
def test_every_code_point_offset_survives_a_round_trip_through_utf16(text, data):
    offset = data.draw(st.integers(min_value=0, max_value=len(text)))
    units = codepoint_to_utf16(text, offset)
    assert units == len(text[:offset].encode("utf-16-le")) // 2
    assert utf16_to_codepoint(text, units) == offset


@pytest.mark.parametrize(
    ("start", "end", "quote", "message"),
    [
        (0, 4, "Ther", "does not match"),
        (-1, 4, "x", "outside"),
        (3, 3, "", "selection is empty"),
        (3, 3, "e", "selection is empty"),
        (9, 3, "e", "end of the selection \\(3\\) comes before its start \\(9\\)"),
        (0, 99, "x", "outside the article \\(0-13\\)"),
        (4, 5, " ", "not only white space"),
        (7, 9, "\n ", "not only white space"),
        (3, 8, "e is\n", "begins or ends with white space"),
        (4, 7, " is", "begins or ends with white space"),
    ],
)
def test_the_server_check_refuses_spans_that_do_not_fit(start, end, quote, message):
    with pytest.raises(OffsetError, match=message):
        check_span("Here is\n text", start, end, quote)


def test_the_server_check_accepts_an_exact_quote_after_an_emoji():
    body = f"{FAMILY} said: yes."
    start = body.index("said")
    check_span(body, start, start + 4, "said")


def test_messages_name_the_real_fault_not_outside_when_the_range_is_inside():
    body = "x" * 603
    with pytest.raises(OffsetError) as reversed_range:
        check_span(body, 35, 28, "")
    with pytest.raises(OffsetError) as outside:
        check_span(body, 600, 604, "xxxx")
    assert "outside" not in str(reversed_range.value)
    assert "outside the article (0-603)" in str(outside.value)


@pytest.mark.parametrize(
    ("body", "quote"),
    [
        (f"The {FAMILY} bravo", "👨"),  # the first person of a ZWJ family
        (f"The {FAMILY} bravo", "👨\u200d"),  # the person and the joiner
        (f"The {FAMILY} bravo", "👩\u200d👧\u200d👦 bravo"),  # starts inside the family
        ("A thumbs 👍🏽 up", "👍"),  # the hand without its skin tone
        ("a cafe\u0301 here", "cafe"),  # the e without its combining acute
        ("flags 🇫🇷🇩🇪 here", "🇷🇩"),  # between the two halves of two flags
        ("नमस्ते दुनिया", "नमस"),  # inside a Devanagari conjunct
    ],
)
def test_a_span_that_cuts_a_grapheme_is_refused(body, quote):
    start = body.index(quote)
    with pytest.raises(OffsetError, match="cuts a character in two"):
        check_span(body, start, start + len(quote), quote)


@pytest.mark.parametrize(
    ("body", "quote"),
    [
        (f"The {FAMILY} bravo", FAMILY),
        (f"The {FAMILY} bravo", f"{FAMILY} bravo"),
        ("A thumbs 👍🏽 up", "👍🏽"),
        ("a cafe\u0301 here", "cafe\u0301"),
        ("flags 🇫🇷🇩🇪 here", "🇩🇪"),
        ("line one\r\nline two", "line two"),
    ],
)
def test_a_span_of_whole_graphemes_is_accepted(body, quote):
    start = body.index(quote)
    check_span(body, start, start + len(quote), quote)


@pytest.mark.parametrize("value", ["0", "28", "603", 0, 28, "000000007"])
def test_offsets_are_plain_ascii_digits(value):
    assert parse_offset(value) == int(value)


@pytest.mark.parametrize(
    "value",
    [
        " 28",
        "28 ",
        "٣",
        "²",
        "4.9",
        "4.0",
        4.9,
        1e309,
        float("nan"),
        "1e3",
        "-1",
        -1,
        "+3",
        "1_000",
        "0x1f",
        "",
        "99999999999999999999999",
        99999999999999999999999,
        True,
        None,
        [],
        {},
        "2\x00",
    ],
)
def test_anything_else_is_refused_with_a_message(value):
    with pytest.raises(OffsetError, match="whole number of characters, in digits 0-9 only"):
        parse_offset(value)


@pytest.mark.parametrize(
    "value", [" 7", "٣", "4.9", 4.9, 1e309, 99999999999999999999999, "99999999999999999999999", 0, "0", True, "-1"]
)
def test_an_article_id_is_plain_positive_digits_of_a_sensible_size(value):
    assert parse_id(value) is None


# Characters that take part in every joining rule of UAX #29: marks, joiners, skin tones, flags,
# Indic conjuncts, Hangul jamo, CR LF, and plain ASCII around them.
TRICKY = "a \n\r\t\u0301\u200d👨👩🇫🇷\u0915\u094d\u0937\u093f\u0903ع🏽\u1100\u1161\u11a8\ufe0f"


@settings(deadline=None, max_examples=500)
@given(st.text(st.sampled_from(TRICKY), max_size=20), st.data())
def test_the_local_grapheme_check_agrees_with_segmenting_the_whole_text(text, data):
    """The check looks only near the span's ends (a 1 MB article costs no more); the whole text is the reference."""
    import regex

    offset = data.draw(st.integers(min_value=0, max_value=len(text)))
    boundaries = {0} | {match.end() for match in regex.finditer(r"\X", text)}
    assert inside_grapheme(text, offset) == (offset not in boundaries)
