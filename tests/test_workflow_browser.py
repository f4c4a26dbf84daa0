"""In Debian's Chromium: an editor approves a story from the admin, and the story page then says so."""

from playwright.sync_api import expect

from factcheck.articles.models import Story, StoryState
from factcheck.workflow.services import story_transition
from tests.factories import login, mark_range


def ready_for_approval(story, alice) -> Story:
    mark_range(story.articles.order_by("pk").first(), alice, 0, 12, "consistent")
    return story_transition(story=story, user=alice, target=StoryState.READY, seen_version=story.version)


def test_an_editor_approves_a_story_in_the_admin_and_the_story_page_shows_it(
    page, live_server, erin, alice, story, output_path, second_page
):
    story = ready_for_approval(story, alice)
    login(page, live_server, "erin")
    page.goto(f"{live_server.url}/admin/articles/story/")
    row = page.locator("#result_list tbody tr", has_text=story.title)
    expect(row.locator(".fc-state")).to_have_text("Ready for approval")
    page.screenshot(path=output_path / "1-changelist.png", full_page=True)

    row.get_by_role("link", name=story.title).click()
    panel = page.locator(".fc-workflow")
    expect(panel.get_by_role("button", name="Approve")).to_be_visible()
    expect(panel.get_by_role("button", name="Request changes")).to_be_visible()
    page.screenshot(path=output_path / "2-change-page.png", full_page=True)

    panel.get_by_role("button", name="Approve").click()
    expect(page.locator(".messagelist")).to_contain_text(f"“{story.title}” is now approved.")
    expect(page.locator(".fc-workflow .fc-state")).to_have_text("Approved")
    expect(page.locator(".fc-workflow")).to_contain_text("approved by erin")
    page.screenshot(path=output_path / "3-approved.png", full_page=True)

    stored = Story.objects.get(pk=story.pk)
    assert (stored.state, stored.approved_by, stored.history.latest().history_user) == ("approved", erin, erin)

    page.goto(f"{live_server.url}{story.get_absolute_url()}")
    expect(page.locator(".meta .state")).to_have_text("Approved")
    page.screenshot(path=output_path / "4-story-page-editor.png", full_page=True)

    reviewer = second_page
    login(reviewer, live_server, "alice")
    reviewer.goto(f"{live_server.url}{story.get_absolute_url()}")
    expect(reviewer.locator(".meta .state")).to_have_text("Approved")
    expect(reviewer.locator("#review-panel")).to_contain_text("Approved by erin")
    expect(reviewer.locator("#review-panel button")).to_have_count(0)
    reviewer.screenshot(path=output_path / "5-story-page-reviewer.png", full_page=True)


def test_a_reviewer_submits_for_approval_and_an_editor_sends_it_back_with_a_reason(
    page, live_server, erin, alice, story, output_path, second_page
):
    login(page, live_server, "alice")
    page.goto(f"{live_server.url}{story.get_absolute_url()}")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator(".messages")).to_contain_text("The story is now ready for approval.")
    expect(page.locator(".meta .state")).to_have_text("Ready for approval")

    editor = second_page
    login(editor, live_server, "erin")
    editor.goto(f"{live_server.url}/admin/articles/story/{story.pk}/change/")
    editor.locator(".fc-workflow").get_by_role("button", name="Request changes").click()
    expect(editor.get_by_role("alert")).to_contain_text("Give a reason to request changes")
    editor.screenshot(path=output_path / "1-reason-required.png", full_page=True)
    editor.get_by_label("Reason").fill("Claim 2 needs evidence from the Gulan Media report.")
    editor.get_by_role("button", name="Request changes").click()
    expect(editor.locator(".messagelist")).to_contain_text("is now changes requested")

    page.reload()
    expect(page.locator(".notice")).to_contain_text(
        "Changes requested: Claim 2 needs evidence from the Gulan Media report."
    )
    page.screenshot(path=output_path / "2-reviewer-sees-reason.png", full_page=True)
    page.get_by_role("button", name="Resume review").click()
    expect(page.locator(".meta .state")).to_have_text("In review")
    expect(page.locator(".notice")).to_contain_text("Claim 2 needs evidence")
