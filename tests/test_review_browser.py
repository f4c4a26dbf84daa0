"""In Debian's Chromium: a reviewer highlights a claim by mouse and by keyboard, saves a verdict, edits it,
links evidence in the compare view, and meets a clear error when the quote is tampered with."""

import re

import pytest
from playwright.sync_api import expect

from factcheck.review.models import Evidence, Span
from factcheck.review.services import span_create
from tests.factories import CHAR_RECTS, login, make_story, mark_in_bulk, mark_range, sentences

SENTENCE = (
    "This decision comes despite an agreement to reduce American military presence in Iraq by September 2023, "
    "which aimed to see U.S. forces withdraw from several bases."
)


@pytest.fixture
def article(story):
    return story.articles.get(source_name__startswith="001")


def open_article(page, live_server, article, username="alice"):
    login(page, live_server, username)
    page.get_by_role("link", name=article.story.title).click()
    page.get_by_role("link", name=article.title).click()
    expect(page.locator("html[data-review-ready]")).to_have_count(1)


def drag_select(page, selector: str, start: int, end: int) -> None:
    """Select code points [start, end) of the text in `selector` with the mouse (ASCII text)."""
    box = page.evaluate(CHAR_RECTS, [selector, start, end])
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move((box["x1"] + box["x2"]) / 2, (box["y1"] + box["y2"]) / 2, steps=4)
    page.mouse.move(box["x2"], box["y2"], steps=4)
    page.mouse.up()


def marks_of(page, span_id: int) -> str:
    return page.evaluate(
        """(id) => {
             // Marks carry their start offset; a span covers those whose start lies in its range.
             const index = JSON.parse(document.getElementById('span-index').textContent);
             const [, start, end] = index.find((s) => s[0] === id);
             return [...document.querySelectorAll('#article-body mark')]
               .filter((m) => start <= +m.dataset.offset && +m.dataset.offset < end).map((m) => m.textContent).join('');
           }""",
        span_id,
    )


def test_a_reviewer_highlights_a_sentence_by_mouse_presses_2_and_saves(page, live_server, alice, article, output_path):
    open_article(page, live_server, article)
    start = article.body.index(SENTENCE)
    drag_select(page, "#article-body", start, start + len(SENTENCE))
    bar = page.get_by_role("dialog", name="Verdict on the selected text")
    expect(bar).to_be_visible()
    expect(bar.locator("#verdict-quote")).to_have_text(SENTENCE)
    expect(bar.get_by_role("button", name="Consistent")).to_be_visible()
    page.screenshot(path=output_path / "1-selected.png")

    page.keyboard.press("2")
    expect(bar.get_by_role("button", name="Conflicting")).to_have_attribute("aria-pressed", "true")
    expect(bar.get_by_label("Note")).to_be_focused()
    page.keyboard.type("Article 004 dates the withdrawal to September 2025.")
    page.screenshot(path=output_path / "2-verdict.png")
    page.keyboard.press("Enter")

    expect(bar).to_be_hidden()
    span = Span.objects.get()
    assert (span.start, span.end, span.quote, span.label, span.reviewer) == (
        start,
        start + len(SENTENCE),
        SENTENCE,
        "conflicting",
        alice,
    )
    assert span.note == "Article 004 dates the withdrawal to September 2025."
    item = page.locator(f"#span-{span.pk}")
    expect(item).to_contain_text("Conflicting")
    expect(item).to_contain_text("September 2025")
    expect(page.locator("[data-count=conflicting]")).to_have_text("1")
    assert marks_of(page, span.pk) == SENTENCE
    page.screenshot(path=output_path / "3-saved.png", full_page=True)

    page.reload()
    expect(page.locator(f"#span-{span.pk}")).to_contain_text("Conflicting")
    assert marks_of(page, span.pk) == SENTENCE
    assert Span.objects.count() == 1


def tab_to(page, element_id: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} cannot be reached with Tab")


def test_a_reviewer_does_the_same_with_the_keyboard_only(page, live_server, alice, article, output_path):
    login(page, live_server, "alice")
    page.goto(live_server.url + article.get_absolute_url())
    expect(page.locator("html[data-review-ready]")).to_have_count(1)
    tab_to(page, "article-body")
    page.keyboard.press("ArrowDown")  # the first sentence
    bar = page.locator("#verdict-bar")
    expect(bar).to_be_visible()
    first_end = article.body.index(SENTENCE) - 1
    expect(bar.locator("#verdict-quote")).to_have_text(article.body[:first_end])
    page.keyboard.press("ArrowDown")  # the second sentence
    expect(bar.locator("#verdict-quote")).to_have_text(SENTENCE)
    expect(page.locator("#article-body")).to_be_focused()
    page.screenshot(path=output_path / "1-sentence.png")

    page.keyboard.press("2")
    expect(page.get_by_label("Note")).to_be_focused()
    page.keyboard.type("Dates disagree.")
    page.keyboard.press("Enter")
    expect(bar).to_be_hidden()
    expect(page.locator("#article-body")).to_be_focused()
    span = Span.objects.get()
    start = article.body.index(SENTENCE)
    assert (span.start, span.end, span.quote, span.label, span.note) == (
        start,
        start + len(SENTENCE),
        SENTENCE,
        "conflicting",
        "Dates disagree.",
    )
    page.screenshot(path=output_path / "2-saved.png", full_page=True)
    page.reload()
    assert marks_of(page, span.pk) == SENTENCE


def test_keyboard_selection_narrows_by_words_and_escape_cancels(page, live_server, alice, article, output_path):
    login(page, live_server, "alice")
    page.goto(live_server.url + article.get_absolute_url())
    expect(page.locator("html[data-review-ready]")).to_have_count(1)
    tab_to(page, "article-body")
    keys = ["ArrowDown", "ArrowDown", "Shift+ArrowLeft", "Shift+ArrowLeft", "Shift+ArrowLeft", "Alt+Shift+ArrowRight"]
    for key in keys:
        page.keyboard.press(key)
    quote = page.locator("#verdict-quote")
    # The end moved back over ".", "bases" and "several"; the start forward over "This".
    expect(quote).to_have_text(SENTENCE[len("This ") : SENTENCE.index(" several")])
    page.keyboard.press("Shift+ArrowRight")
    expect(quote).to_have_text(SENTENCE[len("This ") : SENTENCE.index(" bases")])
    page.keyboard.press("Escape")
    expect(page.locator("#verdict-bar")).to_be_hidden()
    expect(page.locator("#article-body")).to_be_focused()
    assert not Span.objects.exists()


def test_a_tampered_quote_shows_the_error_and_stores_nothing(page, live_server, alice, article, output_path):
    open_article(page, live_server, article)
    start = article.body.index(SENTENCE)
    drag_select(page, "#article-body", start, start + len(SENTENCE))
    expect(page.locator("#verdict-bar")).to_be_visible()
    page.evaluate("document.querySelector('#verdict-bar input[name=quote]').value = 'Iraq agreed to leave in 2023.'")
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    error = page.get_by_role("alert")
    expect(error).to_contain_text("does not match the article")
    expect(page.locator("#verdict-bar")).to_be_visible()
    page.screenshot(path=output_path / "error.png")
    assert not Span.objects.exists()


def test_saving_without_a_label_asks_for_one(page, live_server, alice, article):
    open_article(page, live_server, article)
    drag_select(page, "#article-body", 0, 20)
    page.get_by_role("button", name="Save verdict").click()
    expect(page.locator("#verdict-error")).to_contain_text("Choose a verdict")
    assert not Span.objects.exists()


def test_a_reviewer_edits_and_deletes_a_verdict(page, live_server, alice, article, output_path):
    span, _ = span_create(article=article, reviewer=alice, start=0, end=20, quote=article.body[:20], label="consistent")
    login(page, live_server, "alice")
    page.goto(live_server.url + article.get_absolute_url())
    item = page.locator(f"#span-{span.pk}")
    item.get_by_role("link", name=re.compile("^Edit")).click()
    form = page.get_by_role("form", name=re.compile("Edit the verdict"))
    form.get_by_label("Unsupported").check()
    form.get_by_label("Note").fill("Nobody else reports this.")
    page.screenshot(path=output_path / "editing.png", full_page=True)
    form.get_by_role("button", name="Save changes").click()
    expect(item).to_contain_text("Unsupported")
    expect(item).to_contain_text("Nobody else reports this.")
    span.refresh_from_db()
    assert (span.label, span.note, span.start, span.end) == ("unsupported", "Nobody else reports this.", 0, 20)

    page.once("dialog", lambda dialog: dialog.accept())
    item.get_by_role("link", name=re.compile("^Edit")).click()
    page.get_by_role("button", name="Delete verdict").click()
    expect(page.locator(f"#span-{span.pk}")).to_have_count(0)
    assert not Span.objects.exists()


def test_in_the_compare_view_a_reviewer_links_evidence_and_hovering_shows_it(
    page, live_server, alice, story, article, output_path
):
    other = story.articles.get(source_name__startswith="004")
    login(page, live_server, "alice")
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("navigation", name="Compare with another article").get_by_role(
        "link", name=other.outlet or other.title[:30]
    ).click()
    expect(page.locator("[data-evidence-source]")).to_contain_text("by at least three years")
    start = article.body.index(SENTENCE)
    drag_select(page, "#article-body", start, start + len(SENTENCE))
    expect(page.locator("#verdict-bar")).to_be_visible()
    passage = "originally scheduled for September 2025"
    ev_start = other.body.index(passage)
    drag_select(page, "[data-evidence-source]", ev_start, ev_start + len(passage))
    chip = page.locator("#verdict-bar .evidence-chip")
    expect(chip).to_contain_text(passage)
    page.get_by_role("button", name="Conflicting").click()
    page.get_by_role("button", name="Save verdict").click()
    expect(page.locator("#verdict-bar")).to_be_hidden()

    span = Span.objects.get()
    evidence = Evidence.objects.get()
    assert (evidence.span, evidence.article, evidence.start, evidence.quote) == (span, other, ev_start, passage)
    linked = page.locator(f'[data-evidence-source] mark[data-evidence="{evidence.pk}"]')
    expect(linked).to_have_text(passage)
    page.locator(f'#article-body mark[data-offset="{span.start}"]').hover()
    expect(linked).to_have_class(re.compile(r"\blinked\b"))
    expect(page.locator("#span-card")).to_contain_text(passage)
    page.screenshot(path=output_path / "compare.png", full_page=True)


def test_on_the_article_page_evidence_is_picked_from_another_article_in_the_bar(
    page, live_server, alice, story, article, output_path
):
    other = story.articles.get(source_name__startswith="004")
    open_article(page, live_server, article)
    drag_select(page, "#article-body", 0, 40)
    bar = page.locator("#verdict-bar")
    bar.get_by_label("Pick a passage from").select_option(str(other.pk))
    pane = bar.locator("[data-evidence-source]")
    expect(pane).to_contain_text("by at least three years")
    passage = "by at least three years"
    ev_start = other.body.index(passage)
    pane.scroll_into_view_if_needed()
    # The docked bar is narrower than the old floating one: scroll the passage into the pane's view, as a reader would.
    pane.evaluate(
        """(root, at) => {
          const range = FactcheckOffsets.offsetsToRange(root, at, at + 1);
          const scroller = root.closest('.evidence-pane');
          scroller.scrollTop += range.getBoundingClientRect().top - scroller.getBoundingClientRect().top - 20;
        }""",
        ev_start,
    )
    drag_select(page, "#verdict-bar [data-evidence-source]", ev_start, ev_start + len(passage))
    expect(bar.locator(".evidence-chip")).to_contain_text(passage)
    page.screenshot(path=output_path / "picker.png")
    bar.get_by_role("button", name="Unsupported").click()
    bar.get_by_role("button", name="Save verdict").click()
    expect(bar).to_be_hidden()
    evidence = Evidence.objects.get()
    assert (evidence.article, evidence.start, evidence.end) == (other, ev_start, ev_start + len(passage))
    expect(page.locator(f"#span-{evidence.span_id}")).to_contain_text(passage)


def test_another_reviewers_highlights_are_not_editable(page, live_server, alice, bob, article):
    span_create(article=article, reviewer=bob, start=0, end=20, quote=article.body[:20], label="consistent")
    span_create(article=article, reviewer=alice, start=30, end=50, quote=article.body[30:50], label="conflicting")
    login(page, live_server, "alice")
    page.goto(live_server.url + article.get_absolute_url())
    assert page.locator(".span-item").count() == 1
    assert page.locator("#article-body mark").first.get_attribute("class") == "seg l-conflicting"


def test_clicking_a_highlight_takes_the_reviewer_to_its_verdict(page, live_server, alice, article):
    span, _ = span_create(
        article=article, reviewer=alice, start=30, end=50, quote=article.body[30:50], label="conflicting"
    )
    login(page, live_server, "alice")
    page.goto(live_server.url + article.get_absolute_url())
    mark = page.locator(f'#article-body mark[data-offset="{span.start}"]')
    # The mark lists no ids: the script derives the spans covering it from the page's span index.
    covering = """m => JSON.parse(document.getElementById('span-index').textContent)
        .filter(s => s[1] <= +m.dataset.offset && +m.dataset.offset < s[2]).map(s => s[0])"""
    assert mark.evaluate(covering) == [span.pk]
    mark.click()
    edit = page.locator(f"#span-{span.pk} .edit-link")
    expect(edit).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("form", name=re.compile("Edit the verdict"))).to_be_visible()


def test_in_the_compare_view_evidence_is_linked_with_the_keyboard_only(
    page, live_server, alice, story, article, output_path
):
    other = story.articles.get(source_name__startswith="004")
    login(page, live_server, "alice")
    page.goto(f"{live_server.url}/articles/{article.pk}/compare/?with={other.pk}")
    expect(page.locator("html[data-review-ready]")).to_have_count(1)
    tab_to(page, "article-body")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("2")
    page.keyboard.type("004 says 2025.")
    # From the note, Tab reaches the bar's "Pick it with the keyboard" button.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.action") == "focus-evidence":
            break
    page.keyboard.press("Enter")
    expect(page.locator("#evidence-pane [data-evidence-source]")).to_be_focused()
    page.keyboard.press("ArrowDown")  # the first sentence of the evidence article
    page.keyboard.press("Enter")
    first_sentence = other.body[: other.body.index(".") + 1]
    expect(page.locator("#verdict-bar .evidence-chip")).to_contain_text(first_sentence[:60])
    page.keyboard.press("Escape")
    expect(page.locator("#verdict-bar")).to_be_focused()
    page.screenshot(path=output_path / "keyboard-evidence.png", full_page=True)
    page.keyboard.press("Enter")
    expect(page.locator("#verdict-bar")).to_be_hidden()
    span = Span.objects.get()
    assert (span.quote, span.label, span.note) == (SENTENCE, "conflicting", "004 says 2025.")
    evidence = span.evidence.get()
    assert (evidence.article, evidence.start, evidence.quote) == (other, 0, first_sentence)


PAGE_STATE = """() => ({
  marks: [...document.querySelectorAll('#article-body mark')].map((m) => [
    m.dataset.offset, m.className.replace(/\\s*\\b(hovered|linked)\\b/g, ''), m.dataset.cue || '', m.textContent]),
  parts: [...document.querySelectorAll('#article-body > .part')].map((p) => p.id),
  text: document.getElementById('article-body').textContent,
  list: [...document.querySelectorAll('#span-list > li')].map(
    (li) => li.id + ' ' + li.textContent.replace(/\\s+/g, ' ')),
  counts: document.getElementById('span-counts').textContent.replace(/\\s+/g, ' '),
  total: document.getElementById('span-total').textContent,
  row: document.querySelector('#story-spans-title + table tr.current').textContent,
  index: JSON.parse(document.getElementById('span-index').textContent),
  data: JSON.parse(document.getElementById('span-data').textContent),
})"""


def test_a_save_leaves_the_page_as_a_reload_would_show_it(page, live_server, alice, article):
    # The answer carries only the pieces a save changed (out of band): what they add up to is the page anew.
    first, third = article.body.index(". ") + 2, article.body.index(SENTENCE) + len(SENTENCE) + 1
    span_create(article=article, reviewer=alice, start=0, end=20, quote=article.body[:20], label="consistent")
    later = mark_range(article, alice, third, third + 25, "conflicting")  # the next paragraph: another part
    open_article(page, live_server, article)
    start = article.body.index(SENTENCE)
    assert first <= start
    drag_select(page, "#article-body", start, start + 40)
    expect(page.locator("#verdict-bar")).to_be_visible()
    page.keyboard.press("3")
    page.keyboard.type("Only one outlet says so.")
    page.keyboard.press("Enter")
    expect(page.locator("#verdict-bar")).to_be_hidden()
    new = Span.objects.get(start=start)
    expect(page.locator(f"#span-{new.pk}")).to_be_visible()
    expect(page.locator("#review-status")).to_have_text("Verdict saved.")  # the hover data too (on settle)
    saved = page.evaluate(PAGE_STATE)
    assert [item.split(" ")[0] for item in saved["list"]] == [
        f"span-{pk}" for pk in Span.objects.order_by("start").values_list("pk", flat=True)
    ]
    assert saved["total"] == "3" and saved["text"] == article.body
    # The hover card of the new highlight reads the data the save sent.
    page.mouse.move(0, 0)
    page.locator(f'#article-body mark[data-offset="{start}"]').hover()
    expect(page.locator("#span-card")).to_contain_text("Only one outlet says so.")
    page.reload()
    expect(page.locator("html[data-review-ready]")).to_have_count(1)
    assert page.evaluate(PAGE_STATE) == saved

    # An edit and a delete, likewise.
    page.locator(f"#span-{later.pk}").get_by_role("link", name=re.compile("^Edit")).click()
    form = page.get_by_role("form", name=re.compile("Edit the verdict"))
    form.get_by_label("Consistent").check()
    form.get_by_role("button", name="Save changes").click()
    expect(page.locator(f"#span-{later.pk}")).to_contain_text("Consistent")
    expect(page.locator("#review-status")).to_have_text("Verdict updated.")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"#span-{new.pk}").get_by_role("link", name=re.compile("^Edit")).click()
    page.get_by_role("button", name="Delete verdict").click()
    expect(page.locator(f"#span-{new.pk}")).to_have_count(0)
    # The hover data follows on htmx's settle, after the swap removed the entry: the status says it is done.
    expect(page.locator("#review-status")).to_have_text("Verdict deleted.")
    changed = page.evaluate(PAGE_STATE)
    assert changed["total"] == "2" and changed != saved
    page.reload()
    expect(page.locator("html[data-review-ready]")).to_have_count(1)
    assert page.evaluate(PAGE_STATE) == changed


def test_in_a_long_list_a_verdict_past_the_shown_ones_is_listed_at_the_end(page, live_server, alice):
    from factcheck.review.workspace import LIST_LIMIT

    article = make_story("A long list", bodies=[long_claims(LIST_LIMIT + 20)]).articles.get()
    mark_in_bulk(article, [alice], LIST_LIMIT + 10, skip={LIST_LIMIT + 5})
    open_article(page, live_server, article)
    expect(page.locator("#span-list > li")).to_have_count(LIST_LIMIT)
    # The next verdict in reading order is not shown: the new one goes at the end, as the page keeps it.
    start, end = sentences(article.body)[LIST_LIMIT + 5]
    drag_select(page, "#article-body", start, end)
    expect(page.locator("#verdict-bar")).to_be_visible()
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    expect(page.locator("#verdict-bar")).to_be_hidden()
    new = Span.objects.get(article=article, start=start)
    expect(page.locator("#span-list > li").last).to_have_id(f"span-{new.pk}")
    expect(page.locator("#span-total")).to_have_text(str(LIST_LIMIT + 11))
    expect(page.locator("#span-more")).to_contain_text(f"Show all {LIST_LIMIT + 11} verdicts")


def long_claims(count: int) -> str:
    return " ".join(f"Claim {n} puts the cost at {n + 3} million." for n in range(count))
