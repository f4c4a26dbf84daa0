"""In Debian's Chromium: a reviewer accepts and dismisses pre-flags with one key, and the story page's
pictures are there and open the article at the passage a timeline mark stands for."""

import pytest
from playwright.sync_api import expect

from factcheck.findings.models import StoryFact, Suggestion, SuggestionResponse
from factcheck.findings.services import story_preflag
from factcheck.review.models import Evidence, Span
from factcheck.review.services import review_submit
from tests.factories import login, mark

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def flagged(story):
    story_preflag(story=story)
    return story


def _conflict(story, quote: str) -> Suggestion:
    return Suggestion.objects.get(story=story, kind="conflicting", quote=quote)


def test_a_reviewer_accepts_a_suggestion_with_one_key(page, live_server, alice, flagged):
    suggestion = _conflict(flagged, "by September 2023")
    login(page, live_server, "alice")
    page.goto(f"{live_server.url}{suggestion.article.get_absolute_url()}")
    outline = page.locator(f"span.suggested[data-suggestion='{suggestion.pk}'][tabindex='0']")
    expect(outline).to_have_text("by September 2023")
    outline.focus()
    card = page.locator("#suggestion-card")
    expect(card).to_be_visible()
    expect(card).to_contain_text("They cannot all be true")
    page.keyboard.press("a")
    expect(page.locator(f"#suggestion-{suggestion.pk}")).to_have_count(0)
    span = Span.objects.get(reviewer=alice)
    assert (span.start, span.end, span.label, span.quote) == (
        suggestion.start,
        suggestion.end,
        "conflicting",
        "by September 2023",
    )
    assert Evidence.objects.filter(span=span).count() == len(suggestion.counterparts)
    expect(page.locator(f"#span-{span.pk}")).to_contain_text("Conflicting")


def test_a_reviewer_dismisses_a_suggestion_with_one_key_and_it_stays_dismissed(page, live_server, alice, flagged):
    suggestion = _conflict(flagged, "through 2026")
    login(page, live_server, "alice")
    page.goto(f"{live_server.url}{suggestion.article.get_absolute_url()}")
    item = page.locator(f"#suggestion-{suggestion.pk}")
    item.focus()
    page.keyboard.press("d")
    expect(item).to_have_count(0)
    expect(page.locator(f"span.suggested[data-suggestion='{suggestion.pk}']")).to_have_count(0)
    assert SuggestionResponse.objects.get(suggestion=suggestion, reviewer=alice).response == "dismissed"
    assert not Span.objects.exists()
    page.reload()
    expect(page.locator(f"#suggestion-{suggestion.pk}")).to_have_count(0)


def test_the_story_page_shows_its_pictures_and_a_timeline_mark_opens_its_passage(page, live_server, alice, flagged):
    fact = StoryFact.objects.get(story=flagged, quote="by September 2023")
    login(page, live_server, "alice")
    page.goto(f"{live_server.url}{flagged.get_absolute_url()}")
    expect(page.locator("svg.timeline-svg")).to_be_visible()
    expect(page.locator("table.facts-table")).to_be_visible()
    expect(page.locator(".possible-conflicts li").first).to_contain_text("September 2023")
    expect(page.locator("svg.timeline-svg a.link.k-conflicting").first).to_be_attached()
    point = page.locator(f"svg.timeline-svg a.mark[data-fact='{fact.index}']")
    point.focus()
    expect(page.locator("#timeline-caption")).to_contain_text("September 2023")
    point.click()
    page.wait_for_url(f"**/articles/{fact.article_id}/#at-{fact.start}-{fact.end}")
    located = page.locator("#article-body span.located")
    expect(located).to_have_text("by September 2023")
    expect(located.first).to_be_in_viewport()


def test_on_a_phone_the_lanes_labels_stay_in_view_and_the_tables_caption_wraps(browser, live_server, alice, flagged):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    login(page, live_server, "alice")
    page.goto(f"{live_server.url}{flagged.get_absolute_url()}")
    timeline = page.locator("[data-timeline]")
    label = page.locator(".timeline-labels text.lane-label").first
    expect(label).to_be_visible()
    assert timeline.evaluate("box => box.scrollWidth > box.clientWidth")  # it scrolls sideways on a phone
    for where in ("box.scrollWidth", "0"):
        timeline.evaluate(f"box => {{ box.scrollLeft = {where}; }}")
        inside = timeline.evaluate(
            """box => {
                const outer = box.getBoundingClientRect();
                const label = box.querySelector('.timeline-labels text.lane-label').getBoundingClientRect();
                return label.left >= outer.left && label.left < outer.left + 20;
            }"""
        )
        assert inside, f"the first lane's label left the view at scrollLeft={where}"
    table = page.locator(".table-scroll")
    table.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    fits = table.evaluate(
        """box => {
            const outer = box.getBoundingClientRect();
            const caption = box.querySelector('caption').getBoundingClientRect();
            return box.scrollWidth > box.clientWidth && caption.left >= outer.left - 1
                && caption.right <= outer.right + 1;
        }"""
    )
    assert fits, "the table's caption is wider than the phone or scrolled away"
    context.close()


def test_on_a_phone_the_story_and_consensus_pages_are_no_wider_than_the_screen(
    browser, live_server, alice, bob, flagged
):
    """The outlets-by-facts table and the agreement charts scroll inside their own boxes; nothing in them (the
    hidden cell notes for screen readers, the charts' tables) widens the page itself."""
    articles = list(flagged.articles.order_by("pk"))
    for n, article in enumerate(articles[:3]):
        words = article.body.split()
        mark(article, alice, words[4], label=["consistent", "conflicting", "unsupported"][n])
        mark(article, bob, words[4], label=["consistent", "unsupported", "conflicting"][n])
    review_submit(story=flagged, reviewer=alice)
    review_submit(story=flagged, reviewer=bob)
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    login(page, live_server, "alice")
    widths = {}
    for url in (flagged.get_absolute_url(), f"/stories/{flagged.slug}/consensus/"):
        page.goto(live_server.url + url)
        widths[url] = page.evaluate("document.documentElement.scrollWidth")
    expect(page.locator(".chart-table").first).to_be_attached()  # the charts' tables are on the page
    context.close()
    assert widths == {flagged.get_absolute_url(): 390, f"/stories/{flagged.slug}/consensus/": 390}
