"""In Debian's Chromium: an anonymous visitor reads a published fact-check and a machine reads its ClaimReview."""

import json

import pytest
from playwright.sync_api import expect

from factcheck.review.models import ClaimGroup
from factcheck.review.services import review_submit
from tests.factories import approve, mark, restore_roles

REQUIRED = ("@type", "claimReviewed", "reviewRating", "itemReviewed", "author", "datePublished", "url")


@pytest.fixture(autouse=True)
def roles(transactional_db):
    """A browser test's database is flushed afterwards, which takes the role groups: make them again."""
    restore_roles()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_visitor_reads_the_published_fact_check_and_its_claimreview(
    page, live_server, story, alice, bob, erin, output_path, width
):
    first = story.articles.get(source_name__startswith="004")
    second = story.articles.exclude(pk=first.pk).order_by("pk").first()
    mark(first, alice, "by at least three years", "conflicting", note="Two reports give September 2025.")
    mark(first, bob, "at least three years", "conflicting")
    mark(second, alice, second.body.split()[5], "unsupported", note="No other report says so.")
    for reviewer in (alice, bob):
        review_submit(story=story, reviewer=reviewer)
    approve(story, erin)
    group = ClaimGroup.objects.filter(article=first).get()

    problems: list[str] = []
    page.on(
        "console",
        lambda m: m.type == "error" and "Failed to load resource" not in m.text and problems.append(m.text),
    )
    page.on("response", lambda response: response.status >= 400 and problems.append(response.url))
    page.set_viewport_size({"width": width, "height": 900})
    url = f"{live_server.url}/factchecks/{story.slug}/"
    response = page.goto(url)
    assert response.status == 200 and "/accounts/login/" not in page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(story.title)
    expect(page.locator(".pub-masthead")).to_contain_text("Factcheck newsroom")
    # A highlighted claim leads to its verdict and explanation.
    page.locator(f'a.claim-link[href="#claim-g{group.pk}"]').first.click()
    claim = page.locator(f"#claim-g{group.pk}")
    expect(claim).to_contain_text("Conflicting")
    expect(claim).to_contain_text("Two reports give September 2025.")
    page.screenshot(path=output_path / f"public-{width}.png", full_page=False)
    page.goto(url)
    page.screenshot(path=output_path / f"public-{width}-full.png", full_page=True)
    # Nothing wider than the screen on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    blocks = page.locator('script[type="application/ld+json"]')
    expect(blocks).to_have_count(1)
    document = json.loads(blocks.text_content())
    reviews = document["@graph"]
    assert document["@context"] == "https://schema.org" and len(reviews) == 2
    for review in reviews:
        assert all(key in review for key in REQUIRED), review
        assert review["@type"] == "ClaimReview"
        assert review["reviewRating"]["alternateName"] in ("Conflicting", "Unsupported")
        assert review["itemReviewed"]["@type"] == "Claim"
        assert review["author"] == {"@type": "Organization", "name": "Factcheck newsroom"}
        assert review["url"].startswith(url + "#claim-")
        # Each url leads to a place on this very page.
        assert page.locator("#" + review["url"].split("#", 1)[1]).count() == 1
    assert problems == []
