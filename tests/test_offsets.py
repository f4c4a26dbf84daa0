"""The Python side of offset conversion: UTF-16 units (what browsers count) to code points and back."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.review.offsets import OffsetError, check_span, codepoint_to_utf16, utf16_to_codepoint

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
        (3, 3, "", "outside"),
        (0, 99, "x", "outside"),
        (4, 5, " ", "white space"),
        (7, 9, "\n ", "white space"),
    ],
)
def test_the_server_check_refuses_spans_that_do_not_fit(start, end, quote, message):
    with pytest.raises(OffsetError, match=message):
        check_span("Here is\n text", start, end, quote)


def test_the_server_check_accepts_an_exact_quote_after_an_emoji():
    body = f"{FAMILY} said: yes."
    start = body.index("said")
    check_span(body, start, start + 4, "said")
