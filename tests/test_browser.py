"""In Debian's Chromium: a reviewer logs in, opens the story and sees its five articles."""

from playwright.sync_api import expect

from tests.factories import login


def test_a_reviewer_logs_in_and_sees_the_five_articles_of_the_story(page, live_server, alice, story, output_path):
    login(page, live_server, "alice")
    page.get_by_role("link", name=story.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(story.title)
    items = page.locator(".article-list li")
    expect(items).to_have_count(5)
    for article in story.articles.all():
        expect(page.get_by_role("link", name=article.title)).to_be_visible()
    page.screenshot(path=output_path / "story.png", full_page=True)

    page.get_by_role("link", name=story.articles.get(source_name__startswith="004").title).click()
    expect(page.locator("#article-body")).to_contain_text("by at least three years")
    page.screenshot(path=output_path / "article.png", full_page=True)
