"""In Chromium: a reviewer's nested marks stay separate claims, a submitted review cannot be changed, and a
reviewer not assigned to a story gets a 404."""

import json

import pytest
from playwright.sync_api import expect

from factcheck.review.models import ClaimGroup, Span
from factcheck.review.services import review_submit
from tests.factories import CHAR_RECTS, login, make_story, make_user, mark, restore_roles

FAMILY = "👨\u200d👩\u200d👧"
SENTENCE = f"Bravo to the {FAMILY} bravo families: thousands of new housing units opened this year."
BODY = f"City news.\n\n{SENTENCE} The council said more would follow.\n\nA second paragraph closes the report."


@pytest.fixture(autouse=True)
def roles(transactional_db):
    restore_roles()


@pytest.fixture
def news(alice, bob):
    story = make_story("City housing", bodies=[BODY, "Another outlet reports the same opening."])
    return story, story.articles.order_by("pk").first()


def utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def select(page, body: str, text: str, occurrence: int = 0) -> None:
    start = -1
    for _ in range(occurrence + 1):
        start = body.index(text, start + 1)
    box = page.evaluate(CHAR_RECTS, ["#article-body", utf16(body, start), utf16(body, start + len(text))])
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move((box["x1"] + box["x2"]) / 2, (box["y1"] + box["y2"]) / 2, steps=4)
    page.mouse.move(box["x2"], box["y2"], steps=4)
    page.mouse.up()


def save(page, key: str) -> None:
    bar = page.get_by_role("dialog", name="Verdict on the selected text")
    expect(bar).to_be_visible()
    count = page.locator("#span-list li.span-item").count()
    page.keyboard.press(key)
    page.keyboard.press("Enter")
    expect(bar).to_be_hidden()
    expect(page.locator("#span-list li.span-item")).to_have_count(count + 1)


def open_article(page, live_server, article, username: str) -> None:
    login(page, live_server, username)
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    expect(page.locator("html[data-review-ready]")).to_have_count(1)


def test_a_sentence_and_the_words_marked_inside_it_end_as_separate_claims(
    page, live_server, news, alice, bob, output_path
):
    story, article = news
    open_article(page, live_server, article, "alice")
    marks = [
        (SENTENCE, "3", 0),
        ("Bravo", "1", 0),
        (f"{FAMILY} bravo", "2", 0),
        ("thousands", "1", 0),
        ("housing", "2", 0),
    ]
    for text, key, occurrence in marks:
        select(page, article.body, text, occurrence)
        save(page, key)
    quotes = sorted(Span.objects.filter(reviewer=alice).values_list("quote", flat=True))
    assert quotes == sorted(text for text, _, _ in marks)
    page.screenshot(path=output_path / "1-nested-marks.png", full_page=True)
    # bob marks the first word too; both submit.
    mark(article, bob, "Bravo", "consistent")
    for reviewer in (alice, bob):
        review_submit(story=story, reviewer=reviewer)
    assert ClaimGroup.objects.count() == 5

    page.goto(f"{live_server.url}/stories/{story.slug}/consensus/")
    rows = page.locator("tr.cx-row")
    expect(rows).to_have_count(5)
    # Never two of one reviewer's verdicts in one cell, and the agreement line counts reviewers.
    most = page.evaluate(
        "Math.max(...[...document.querySelectorAll('td.cx-cell')].map(c => c.querySelectorAll('.chip').length))"
    )
    assert most == 1
    expect(rows.filter(has_text="2 of 2 reviewers agree")).to_have_count(1)
    expect(rows.filter(has_text="1 of 1 reviewer agree")).to_have_count(4)
    expect(page.locator("main")).to_contain_text(FAMILY)
    page.screenshot(path=output_path / "2-consensus.png", full_page=True)


def test_a_reviewer_who_submitted_cannot_save_a_span(page, live_server, news, alice, output_path):
    story, article = news
    mark(article, alice, "thousands", "consistent")
    review_submit(story=story, reviewer=alice)
    open_article(page, live_server, article, "alice")
    expect(page.locator(".notice-frozen")).to_contain_text("You submitted your review of this story")
    select(page, article.body, "housing")
    expect(page.get_by_role("dialog", name="Verdict on the selected text")).to_have_count(0)
    # Even a hand-made request is refused, with the reason.
    start = article.body.index("housing")
    status, text = page.evaluate(
        """async ([url, body]) => {
             const token = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken'];
             const headers = {'X-CSRFToken': token};
             const r = await fetch(url, {method: 'POST', headers, body: new URLSearchParams(body)});
             return [r.status, await r.text()];
           }""",
        [
            f"/articles/{article.pk}/spans/",
            {"start": str(start), "end": str(start + 7), "quote": "housing", "label": "consistent"},
        ],
    )
    assert status == 403 and "submitted your review" in text
    assert list(Span.objects.values_list("quote", flat=True)) == ["thousands"]
    page.screenshot(path=output_path / "frozen.png", full_page=True)


def test_a_reviewer_not_assigned_gets_a_404(page, live_server, news):
    story, article = news
    make_user("dave", "Reviewers")
    login(page, live_server, "dave")
    expect(page.locator("main")).not_to_contain_text(story.title)
    for url in (story.get_absolute_url(), article.get_absolute_url(), f"/stories/{story.slug}/consensus/"):
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 404, url
    assert json.dumps(story.title) not in page.content()
