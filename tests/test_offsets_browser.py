"""The JavaScript side of offset conversion, run in Chromium on the real article page.

Selections are placed with a small walker written here (not with offsets.js), at UTF-16 positions
inside the highlight markup, sometimes in the middle of a grapheme, as a mouse would leave them.
"""

import unicodedata

import pytest
from playwright.sync_api import expect

from factcheck.articles.models import Article
from factcheck.review.models import Span
from factcheck.review.services import span_create
from tests.factories import login

FAMILY = "👨\u200d👩\u200d👧\u200d👦"
BODY = unicodedata.normalize(
    "NFC",
    f"Intro 𝕏 then 👍🏽 and a family {FAMILY} at the cafe\u0301 with q\u0307 marks.\n"
    "قال المتحدث إن القوات ستبقى حتى سبتمبر.\n"
    "A second line that ends here.",
)

# Select UTF-16 offsets [start, end) of root's text by walking its text nodes.
SELECT = """([start, end]) => {
  const root = document.getElementById("article-body");
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const points = [];
  let node, seen = 0;
  const wanted = [start, end];
  while ((node = walker.nextNode())) {
    for (const [i, w] of wanted.entries()) {
      if (points[i] === undefined && w <= seen + node.data.length) points[i] = [node, w - seen];
    }
    seen += node.data.length;
  }
  const range = document.createRange();
  range.setStart(...points[0]);
  range.setEnd(...points[1]);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  return window.FactcheckOffsets.rangeToOffsets(root, range);
}"""


def utf16(text: str, codepoints: int) -> int:
    return len(text[:codepoints].encode("utf-16-le")) // 2


@pytest.fixture
def unicode_article(story):
    article = Article(story=story, title="Unicode test", raw_text=BODY, body=BODY)
    article.save()
    return article


@pytest.fixture
def on_page(page, live_server, alice, unicode_article):
    # An existing highlight that the selections below start inside of or cross.
    start = BODY.index("family")
    end = BODY.index(FAMILY) + len(FAMILY)
    span_create(
        article=unicode_article,
        reviewer=alice,
        start=start,
        end=end,
        quote=BODY[start:end],
        label="consistent",
    )
    login(page, live_server, "alice")
    page.goto(live_server.url + unicode_article.get_absolute_url())
    expect(page.locator("html[data-review-ready]")).to_have_count(1)
    return page


def select(page, start16: int, end16: int) -> dict:
    return page.evaluate(SELECT, [start16, end16])


@pytest.mark.parametrize(
    ("word", "after"),
    [("then", "𝕏"), ("and", "👍🏽"), ("at the", FAMILY), ("with", "é"), ("marks", "q\u0307"), ("A second", "سبتمبر")],
)
def test_a_selection_after_emoji_accents_and_arabic_gives_code_point_offsets(on_page, word, after):
    start = BODY.index(word)
    assert BODY.index(after) < start
    result = select(on_page, utf16(BODY, start), utf16(BODY, start + len(word)))
    assert result == {"start": start, "end": start + len(word), "quote": word}


def test_the_page_text_is_the_body_exactly(on_page):
    assert on_page.evaluate("document.getElementById('article-body').textContent") == BODY
    assert on_page.locator("#article-body mark").count() >= 1


def test_a_selection_inside_an_emoji_widens_to_the_whole_grapheme(on_page):
    thumbs = BODY.index("👍🏽")
    family = BODY.index(FAMILY)
    # Start between 👍 and its skin tone, end after the first person of the family.
    result = select(on_page, utf16(BODY, thumbs) + 2, utf16(BODY, family) + 2)
    assert result["start"] == thumbs
    assert result["end"] == family + len(FAMILY)
    assert result["quote"] == BODY[thumbs : family + len(FAMILY)]


def test_a_selection_never_splits_a_surrogate_pair_or_a_combining_mark(on_page):
    x = BODY.index("𝕏")
    result = select(on_page, utf16(BODY, x) + 1, utf16(BODY, x) + 2)  # the low surrogate alone
    assert result == {"start": x, "end": x + 1, "quote": "𝕏"}
    q = BODY.index("q\u0307")
    result = select(on_page, utf16(BODY, q), utf16(BODY, q) + 1)  # q without its dot above
    assert result == {"start": q, "end": q + 2, "quote": "q\u0307"}


def test_a_selection_in_right_to_left_text_is_in_logical_order(on_page):
    word = "القوات"
    start = BODY.index(word)
    result = select(on_page, utf16(BODY, start), utf16(BODY, start + len(word)))
    assert result == {"start": start, "end": start + len(word), "quote": word}


def test_a_selection_crossing_a_highlight_and_a_line_break_ignores_the_markup(on_page):
    start = BODY.index("family") + 3  # inside the existing highlight
    end = BODY.index("second") + 3  # two lines further down
    result = select(on_page, utf16(BODY, start), utf16(BODY, end))
    assert result == {"start": start, "end": end, "quote": BODY[start:end]}
    assert "\n" in result["quote"]


def test_surrounding_white_space_is_trimmed_and_white_space_alone_is_nothing(on_page):
    start = BODY.index(" then ")
    result = select(on_page, utf16(BODY, start), utf16(BODY, start + 6))
    assert result == {"start": start + 1, "end": start + 5, "quote": "then"}
    newline = BODY.index("\n")
    assert select(on_page, utf16(BODY, newline), utf16(BODY, newline + 1)) is None


def test_the_js_conversions_agree_with_python(on_page):
    from factcheck.review.offsets import codepoint_to_utf16, utf16_to_codepoint

    for text in ["𝕏 then", "👍🏽 ok", FAMILY + " x", "q\u0307 é", "مرحبا بالعالم", "a𝕏b"]:
        for units in range(len(text.encode("utf-16-le")) // 2 + 1):
            js = on_page.evaluate("([t, u]) => window.FactcheckOffsets.utf16ToCodepoint(t, u)", [text, units])
            assert js == utf16_to_codepoint(text, units), (text, units)
        for points in range(len(text) + 1):
            js = on_page.evaluate("([t, p]) => window.FactcheckOffsets.codepointToUtf16(t, p)", [text, points])
            assert js == codepoint_to_utf16(text, points), (text, points)


def test_a_saved_selection_sits_on_the_same_characters_after_a_reload(on_page, unicode_article, output_path):
    page = on_page
    start = BODY.index("👍🏽")
    end = BODY.index("بقى") + 3  # across the emoji, the family, the combining marks, the line break
    select(page, utf16(BODY, start) + 1, utf16(BODY, end))
    page.dispatch_event("#article-body", "mouseup")
    expect(page.locator("#verdict-bar")).to_be_visible()
    page.keyboard.press("3")
    page.keyboard.press("Enter")
    expect(page.locator("#verdict-bar")).to_be_hidden()
    span = Span.objects.get(article=unicode_article, label="unsupported")
    assert (span.start, span.end, span.quote) == (start, end, BODY[start:end])
    page.reload()
    marked = page.evaluate(
        """(id) => {
          const root = document.getElementById("article-body");
          const index = JSON.parse(document.getElementById("span-index").textContent);
          const [, start, end] = index.find((s) => String(s[0]) === id);
          const marks = [...root.querySelectorAll("mark")]
            .filter((m) => start <= +m.dataset.offset && +m.dataset.offset < end);
          const range = document.createRange();
          range.setStart(marks[0], 0);
          range.setEnd(marks[marks.length - 1], marks[marks.length - 1].childNodes.length);
          return window.FactcheckOffsets.rangeToOffsets(root, range);
        }""",
        str(span.pk),
    )
    assert marked == {"start": start, "end": end, "quote": BODY[start:end]}
    page.screenshot(path=output_path / "unicode.png", full_page=True)
