"""In Debian's Chromium: the verdict bar never hides the text being read, compare fits one screen, a phone
(390 px, touch) can review, and the keys help stays one line unless asked for."""

import pytest
from playwright.sync_api import expect

from factcheck.review.models import Evidence, Span
from factcheck.review.services import EvidenceRef, span_create
from tests.factories import CHAR_RECTS, find, login, make_story

# At 390 px this runs over two lines: a drag that selects it goes down a line.
CLAIM = "This decision comes despite an agreement to reduce American military presence in Iraq"
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 1}

# Select code points [start, end) of the claim text through the page's one offsets conversion and report
# the selection's rectangles, the bar's rectangle and the text's line height.
SELECT = """([start, end]) => {
  const root = document.querySelector('[data-claim-source]');
  const range = FactcheckOffsets.offsetsToRange(root, start, end);
  const s = getSelection(); s.removeAllRanges(); s.addRange(range);
  return true;
}"""
GEOMETRY = """() => {
  const root = document.querySelector('[data-claim-source]');
  const bar = document.getElementById('verdict-bar').getBoundingClientRect();
  const start = Number(document.querySelector('#verdict-bar input[name=start]').value);
  const end = Number(document.querySelector('#verdict-bar input[name=end]').value);
  const rects = [...FactcheckOffsets.offsetsToRange(root, start, end).getClientRects()];
  const line = parseFloat(getComputedStyle(root).lineHeight);
  const body = root.getBoundingClientRect();
  return {bar: {top: bar.top, bottom: bar.bottom, left: bar.left, right: bar.right},
          first: rects[0].top, last: rects[rects.length - 1].bottom, line, textRight: body.right,
          highlighted: CSS.highlights.has('pending-claim'), width: document.documentElement.scrollWidth};
}"""


@pytest.fixture
def article(story):
    return story.articles.get(source_name__startswith="001")


def open_article(page, live_server, article, username="alice"):
    login(page, live_server, username)
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    expect(page.locator("html[data-review-ready]")).to_have_count(1)


def overlaps(a: dict, top: float, bottom: float, left: float, right: float) -> bool:
    return a["left"] < right and left < a["right"] and a["top"] < bottom and top < a["bottom"]


def test_on_a_wide_screen_the_bar_docks_beside_the_text_and_the_claim_stays_highlighted(
    page, live_server, alice, article
):
    page.set_viewport_size({"width": 1280, "height": 800})
    open_article(page, live_server, article)
    start = article.body.index("This decision")
    page.locator("#article-body").scroll_into_view_if_needed()
    page.evaluate(SELECT, [start, start + 60])
    page.dispatch_event("#article-body", "mouseup")
    bar = page.locator("#verdict-bar")
    expect(bar).to_be_visible()
    expect(bar).to_have_class("verdict-bar docked")
    g = page.evaluate(GEOMETRY)
    assert g["highlighted"]
    assert g["bar"]["left"] >= g["textRight"], "the bar sits in the side column, right of the text"
    assert g["bar"]["bottom"] <= 800
    page.keyboard.press("2")
    page.keyboard.press("Escape")
    expect(bar).to_be_hidden()
    assert not page.evaluate("CSS.highlights.has('pending-claim')")


# The left and right edges and the middle height of the character at UTF-16 position `at` in `selector`.
CHAR_EDGES = """([selector, at]) => {
  const root = document.querySelector(selector);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let node, seen = 0;
  while ((node = walker.nextNode()) && seen + node.data.length <= at) seen += node.data.length;
  const r = document.createRange();
  r.setStart(node, at - seen);
  r.setEnd(node, at - seen + 1);
  const rect = r.getClientRects()[0];
  return {left: rect.left, right: rect.right, y: rect.top + rect.height / 2};
}"""


def utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def touch_points(page, selector: str, text: str, start: int, end: int) -> dict:
    """Scrolls code points [start, end) of the text in `selector` near the top of the screen and returns the
    points a finger presses (on the first character) and lifts at (on the last one)."""
    page.evaluate(
        """([selector, start]) => {
          const root = document.querySelector(selector);
          const r = FactcheckOffsets.offsetsToRange(root, start, start + 1).getBoundingClientRect();
          window.scrollBy(0, r.top - 160);
        }""",
        [selector, start],
    )
    return page.evaluate(CHAR_RECTS, [selector, utf16(text, start), utf16(text, end)])


def finger(cdp, kind: str, x: float | None = None, y: float | None = None) -> None:
    """One touch event as Chromium's input pipeline gets it from a touch screen (CDP Input.dispatchTouchEvent)."""
    points = [] if x is None else [{"x": x, "y": y, "radiusX": 4, "radiusY": 4, "force": 1, "id": 1}]
    cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})


def path(start: tuple[float, float], end: tuple[float, float], steps: int = 8) -> list[tuple[float, float]]:
    """The points of a drag from start to end, the end included."""
    (x1, y1), (x2, y2) = start, end
    return [(x1 + (x2 - x1) * i / steps, y1 + (y2 - y1) * i / steps) for i in range(1, steps + 1)]


def long_press_and_drag(page, selector: str, start: tuple[float, float], end: tuple[float, float] | None) -> None:
    """A finger down on `start`, held until the page shows it took a long press, dragged to `end` (or not
    moved when None), lifted. Headless Chromium makes no long-press gesture of its own from these events,
    so this runs the page's (test_chromium_own_long_press_... runs the browser's)."""
    cdp = page.context.new_cdp_session(page)
    finger(cdp, "touchStart", *start)
    # The page marks the text when it takes the hold for a long press (it selects nothing until the drag).
    expect(page.locator(f"{selector}[data-long-press]")).to_have_count(1)
    # Were the moves not prevented, Chromium would take them for a scroll and cancel the touch (tried).
    for x, y in path(start, end) if end else []:
        finger(cdp, "touchMove", x, y)
    finger(cdp, "touchEnd")
    cdp.detach()


def ends(box: dict) -> tuple[tuple[float, float], tuple[float, float]]:
    """The first and the last character's points of a CHAR_RECTS box."""
    return (box["x1"], box["y1"]), (box["x2"], box["y2"])


def test_on_a_phone_a_long_press_and_drag_selects_a_claim_the_sheet_leaves_it_visible_and_saves(
    browser, live_server, alice, story, article, output_path
):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    open_article(page, live_server, article)
    start, end = find(article, CLAIM)
    box = touch_points(page, "#article-body", article.body, start, end)
    assert box["y2"] > box["y1"], "the claim runs over two lines at 390 px: the drag goes down a line"
    long_press_and_drag(page, "#article-body", *ends(box))
    bar = page.locator("#verdict-bar")
    expect(bar).to_be_visible()
    expect(bar).to_have_class("verdict-bar sheet")
    # Exactly the text between the press and the lift.
    assert bar.locator("input[name=quote]").input_value() == CLAIM
    g = page.evaluate(GEOMETRY)
    assert g["highlighted"] and g["width"] <= 390
    # The selection and the two lines after it are above the sheet.
    assert g["first"] >= 0 and g["last"] + 2 * g["line"] <= g["bar"]["top"] + 1
    page.screenshot(path=output_path / "phone-sheet.png")
    bar.get_by_role("button", name="Conflicting").tap()
    bar.get_by_role("button", name="Save verdict").tap()
    expect(bar).to_be_hidden()
    span = Span.objects.get()
    assert (span.label, span.start, span.end, span.quote) == ("conflicting", start, end, CLAIM)
    page.goto(f"{live_server.url}/stories/{story.slug}/consensus/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_on_a_phone_a_long_press_alone_selects_the_word_and_a_drag_back_up_selects_from_the_finger(
    browser, live_server, alice, article
):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    open_article(page, live_server, article)
    start, end = find(article, CLAIM)
    first, last = ends(touch_points(page, "#article-body", article.body, start, end))
    bar = page.locator("#verdict-bar")
    # Held on the last word, lifted without moving: that word.
    long_press_and_drag(page, "#article-body", last, None)
    expect(bar).to_be_visible()
    expect(bar.locator("input[name=quote]")).to_have_value("Iraq")
    bar.get_by_role("button", name="Cancel").tap()
    expect(bar).to_be_hidden()
    # Held on the last word, dragged back up to the first character: from there to the end of the word.
    first, last = ends(touch_points(page, "#article-body", article.body, start, end))
    long_press_and_drag(page, "#article-body", last, first)
    expect(bar).to_be_visible()
    expect(bar.locator("input[name=quote]")).to_have_value(CLAIM)
    # The finger's end is the selection's focus, before its anchor: the handles are where a phone expects them.
    assert page.evaluate("getSelection().direction") == "backward"
    context.close()


def test_on_a_phone_a_long_press_and_drag_selects_right_to_left_text(browser, live_server, alice):
    """Text of our own: an Arabic paragraph, where the finger moves leftwards as the claim goes on."""
    claim = "أعلنت الحكومة يوم الاثنين أن المستشارين العسكريين سيبقون في البلاد"
    body = "A short English line first.\n\nوقال المتحدث إن " + claim + " حتى نهاية العام المقبل على الأقل."
    article = make_story(bodies=[body]).articles.get()
    context = browser.new_context(**PHONE)
    page = context.new_page()
    open_article(page, live_server, article)
    start, end = find(article, claim)
    box = touch_points(page, "#article-body", body, start, end)
    # Right to left: a character's logical start is its right edge, its end its left edge.
    first = page.evaluate(CHAR_EDGES, ["#article-body", utf16(body, start)])
    last = page.evaluate(CHAR_EDGES, ["#article-body", utf16(body, end - 1)])
    assert box["y2"] > box["y1"] and first["right"] > first["left"]
    long_press_and_drag(page, "#article-body", (first["right"] - 1, first["y"]), (last["left"] + 1, last["y"]))
    bar = page.locator("#verdict-bar")
    expect(bar).to_be_visible()
    expect(bar.locator("input[name=quote]")).to_have_value(claim)
    assert bar.locator("input[name=start]").input_value() == str(start)
    context.close()


def test_on_a_phone_a_swipe_over_the_text_scrolls_and_selects_nothing(browser, live_server, alice, article):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    open_article(page, live_server, article)
    start, end = find(article, CLAIM)
    box = touch_points(page, "#article-body", article.body, start, end)
    before = page.evaluate("window.scrollY")
    cdp = context.new_cdp_session(page)
    # No hold: the finger goes up the screen at once.
    finger(cdp, "touchStart", box["x1"], box["y1"] + 300)
    for x, y in path((box["x1"], box["y1"] + 300), (box["x1"], box["y1"] + 50), 10):
        finger(cdp, "touchMove", x, y)
    finger(cdp, "touchEnd")
    # Scrolling is the browser's (and may fling on), so wait for it rather than for a time.
    page.wait_for_function("(before) => window.scrollY > before", arg=before)
    assert page.evaluate("getSelection().isCollapsed || getSelection().rangeCount === 0")
    expect(page.locator("#verdict-bar")).to_be_hidden()
    context.close()


def test_chromium_own_long_press_selects_the_word_and_the_drag_extends_it(browser, live_server, alice, article):
    """Chromium's touch emulator (the one DevTools' device mode uses) turns a held mouse into a finger and
    runs the browser's gesture detector, so Blink's own long press selects the word under it (and fires
    contextmenu); Chromium on this platform has no long-press drag, so the page's drag extends it."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    open_article(page, live_server, article)
    start, end = find(article, CLAIM)
    box = touch_points(page, "#article-body", article.body, start, end)
    page.evaluate("() => { window.longPresses = 0; addEventListener('contextmenu', () => window.longPresses++); }")
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setEmitTouchEventsForMouse", {"enabled": True, "configuration": "mobile"})

    def mouse(kind: str, x: float, y: float, buttons: int) -> None:
        # The emulator never acknowledges the mouse events it turns into touches, so CDPSession.send would
        # wait forever: send without waiting for a reply (Playwright's channel; pinned in tests/requirements.txt).
        params = {"type": kind, "x": x, "y": y, "button": "left", "buttons": buttons, "clickCount": 1}
        cdp._impl_obj._channel.send_no_reply("send", None, {"method": "Input.dispatchMouseEvent", "params": params})

    mouse("mousePressed", box["x1"], box["y1"], 1)
    # Blink's long press: the word under the finger, and contextmenu. The page took the hold too.
    page.wait_for_function("() => window.longPresses > 0 && getSelection().toString().length > 0")
    assert page.evaluate("getSelection().toString()") == "This"
    expect(page.locator("#article-body[data-long-press]")).to_have_count(1)
    for x, y in path(*ends(box)):
        mouse("mouseMoved", x, y, 1)
    mouse("mouseReleased", box["x2"], box["y2"], 0)
    bar = page.locator("#verdict-bar")
    expect(bar).to_be_visible()
    expect(bar.locator("input[name=quote]")).to_have_value(CLAIM)
    assert (bar.locator("input[name=start]").input_value(), bar.locator("input[name=end]").input_value()) == (
        str(start),
        str(end),
    )
    context.close()


def test_on_a_phone_compare_links_evidence_by_long_press_and_drag_and_says_where_the_other_article_is(
    browser, live_server, alice, story, article, output_path
):
    other = story.articles.get(source_name__startswith="004")
    passage = "delay the planned withdrawal of US forces, originally scheduled for September 2025"
    context = browser.new_context(**PHONE)
    page = context.new_page()
    login(page, live_server, "alice")
    page.goto(f"{live_server.url}/articles/{article.pk}/compare/?with={other.pk}")
    expect(page.locator("html[data-review-ready]")).to_have_count(1)
    # Stacked on a phone: the other article is below this one, not on the right.
    label = page.locator(".compare-switch label").inner_text()
    assert "below" in label and "right" not in label
    start, end = find(article, CLAIM)
    long_press_and_drag(page, "#article-body", *ends(touch_points(page, "#article-body", article.body, start, end)))
    bar = page.locator("#verdict-bar")
    expect(bar).to_be_visible()
    expect(bar.locator("input[name=quote]")).to_have_value(CLAIM)
    hint = bar.locator(".hint")
    expect(hint).to_be_visible()
    assert "below" in hint.inner_text() and "right" not in hint.inner_text()
    at, to = find(other, passage)
    source = "#evidence-pane [data-evidence-source]"
    box = touch_points(page, source, other.body, at, to)
    assert box["y2"] < bar.bounding_box()["y"], "the passage is above the sheet"
    long_press_and_drag(page, source, *ends(box))
    chip = bar.locator("[data-evidence-list] li")
    expect(chip).to_have_count(1)
    expect(chip.locator("q")).to_have_text(passage)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=output_path / "phone-compare-evidence.png")
    bar.get_by_role("button", name="Unsupported").tap()
    bar.get_by_role("button", name="Save verdict").tap()
    expect(bar).to_be_hidden()
    evidence = Evidence.objects.get()
    assert (evidence.span.start, evidence.span.end, evidence.span.label) == (start, end, "unsupported")
    assert (evidence.article_id, evidence.start, evidence.end, evidence.quote) == (other.pk, at, to, passage)
    context.close()


def test_on_a_phone_the_sheets_evidence_picker_links_a_passage_by_long_press_and_drag(
    browser, live_server, alice, story, article
):
    other = story.articles.get(source_name__startswith="004")
    passage = "by at least three years"
    context = browser.new_context(**PHONE)
    page = context.new_page()
    open_article(page, live_server, article)
    start, end = find(article, CLAIM)
    long_press_and_drag(page, "#article-body", *ends(touch_points(page, "#article-body", article.body, start, end)))
    bar = page.locator("#verdict-bar")
    expect(bar).to_be_visible()
    bar.get_by_label("Pick a passage from").select_option(str(other.pk))
    source = "#verdict-bar [data-evidence-source]"
    expect(page.locator(source)).to_contain_text(passage)
    at, to = find(other, passage)
    # Inside the sheet, which scrolls, the picker's text scrolls too: bring the passage into both views.
    page.locator(source).evaluate(
        """(root, at) => {
          const range = FactcheckOffsets.offsetsToRange(root, at, at + 1);
          const pane = root.closest('.evidence-pane');
          pane.scrollIntoView({block: 'end'});
          pane.scrollTop += range.getBoundingClientRect().top - pane.getBoundingClientRect().top - 20;
        }""",
        at,
    )
    box = page.evaluate(CHAR_RECTS, [source, utf16(other.body, at), utf16(other.body, to)])
    long_press_and_drag(page, source, *ends(box))
    expect(bar.locator(".evidence-chip q")).to_have_text(passage)
    bar.get_by_role("button", name="Unsupported").tap()
    bar.get_by_role("button", name="Save verdict").tap()
    expect(bar).to_be_hidden()
    evidence = Evidence.objects.get()
    assert (evidence.article_id, evidence.start, evidence.end, evidence.quote) == (other.pk, at, to, passage)
    context.close()


def test_compare_fits_one_screen_and_evidence_scrolls_the_other_article(page, live_server, alice, story, article):
    other = story.articles.get(source_name__startswith="004")
    # A passage from the last paragraph: far down, so the right-hand article must scroll to show it.
    passage = " ".join(other.body.rstrip().split("\n")[-1].split()[:5])
    at, _ = find(other, passage)
    span_create(
        article=article,
        reviewer=alice,
        start=0,
        end=20,
        quote=article.body[:20],
        label="conflicting",
        evidence=[EvidenceRef(other.pk, at, at + len(passage), passage)],
    )
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, live_server, "alice")
    page.goto(f"{live_server.url}/articles/{article.pk}/compare/?with={other.pk}")
    expect(page.locator("html[data-review-ready]")).to_have_count(1)
    size = page.evaluate("[document.documentElement.scrollHeight, document.documentElement.scrollWidth]")
    assert size == [800, 1280]
    left = page.locator("#left-title").bounding_box()
    right = page.locator("#right-title").bounding_box()
    assert abs(left["y"] - right["y"]) < 2 and left["x"] < right["x"]
    pane = page.locator("#evidence-pane")
    assert pane.evaluate("el => el.scrollHeight > el.clientHeight") and pane.evaluate("el => el.scrollTop") == 0
    panel = page.locator("[data-verdict-panel]")
    expect(panel).not_to_have_attribute("open", "")
    panel.locator("summary").click()
    item = panel.locator("[data-evidence-id]").first
    item.focus()
    mark = page.locator("#evidence-pane mark.linked").first
    expect(mark).to_be_visible()
    assert pane.evaluate("el => el.scrollTop") > 0
    assert mark.evaluate(
        "m => { const p = document.getElementById('evidence-pane').getBoundingClientRect();"
        " const r = m.getBoundingClientRect(); return r.top >= p.top && r.bottom <= p.bottom; }"
    )


def test_the_keys_help_is_one_line_and_the_toggle_is_remembered(page, live_server, alice, article):
    open_article(page, live_server, article)
    more = page.locator("#keys-more")
    expect(more).to_be_hidden()
    toggle = page.get_by_role("button", name="keys")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(more).to_be_visible()
    page.reload()
    expect(page.locator("#keys-more")).to_be_visible()
    expect(page.get_by_role("button", name="keys")).to_have_attribute("aria-expanded", "true")
