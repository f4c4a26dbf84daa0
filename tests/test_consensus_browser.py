"""In Chromium: two reviewers disagree, submit and discuss; an editor settles it; the verdict shows everywhere."""

import re

import pytest
from playwright.sync_api import expect

from factcheck.review.models import ClaimGroup
from tests.factories import login, make_user, mark, restore_roles

BOB_TEXT = "delay the planned withdrawal of US forces, originally scheduled for September 2025, by at least three years"


@pytest.fixture(autouse=True)
def roles(transactional_db):
    # An earlier live-server test's flush may have emptied the roles; the users below need them.
    restore_roles()


def switch_user(page, live_server, username):
    page.context.clear_cookies()
    login(page, live_server, username)


def test_two_reviewers_disagree_discuss_and_an_editor_settles_it(
    page, live_server, alice, bob, erin, story, output_path
):
    csp_errors = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    article = story.articles.get(source_name__startswith="004")
    # The review screen belongs to another branch: the spans are made through the review service.
    mark(article, alice, "by at least three years", "conflicting")
    mark(article, bob, BOB_TEXT, "consistent")

    # alice reviews blind: she sees her own verdict count, none of bob's, and submits.
    login(page, live_server, "alice")
    page.get_by_role("link", name=story.title).click()
    page.get_by_role("link", name="Consensus").click()
    expect(page.get_by_role("heading", name="You are reviewing blind")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("bob")
    page.screenshot(path=output_path / "1-alice-blind.png", full_page=True)
    page.get_by_role("button", name="Submit my review").click()
    expect(page.locator(".messages")).to_contain_text("Your review is submitted")

    # bob submits too and finds the disputed claim with both verdicts side by side.
    switch_user(page, live_server, "bob")
    page.goto(f"{live_server.url}/stories/{story.slug}/consensus/")
    page.get_by_role("button", name="Submit my review").click()
    page.get_by_label("Disputed only").check()
    rows = page.locator("tr.cx-row")
    expect(rows).to_have_count(1)
    row = rows.first
    expect(row).to_have_class(re.compile("cx-disputed"))
    expect(row).to_contain_text("Conflicting")
    expect(row).to_contain_text("Consistent")
    expect(row).to_contain_text("1 of 2 reviewers agree")
    expect(page).to_have_url(re.compile(r"disputed=1"))
    page.screenshot(path=output_path / "2-bob-disputed.png", full_page=True)

    # bob argues his case in the thread; htmx puts it in place without a reload.
    row.get_by_role("link", name="Discuss").click()
    page.get_by_label("Add a comment").fill("The <b>second phase</b> runs through 2026: that is the same plan.")
    page.get_by_role("button", name="Post comment").click()
    comment = page.locator(".cx-comment").first
    expect(comment).to_contain_text("The <b>second phase</b> runs through 2026")
    expect(comment).to_contain_text("bob")
    expect(page.get_by_label("Add a comment")).to_have_value("")
    page.screenshot(path=output_path / "3-bob-thread.png", full_page=True)

    # erin sees the count in the navigation, opens the queue and decides.
    switch_user(page, live_server, "erin")
    nav = page.get_by_role("link", name=re.compile("Disputed"))
    expect(nav).to_contain_text("1")
    nav.click()
    expect(page.locator("tr.cx-row")).to_have_count(1)
    page.screenshot(path=output_path / "4-erin-queue.png", full_page=True)
    page.get_by_role("link", name="Decide").click()
    expect(page.locator(".cx-comment")).to_contain_text("second phase")
    decision = page.locator("#decision")
    decision.get_by_label("Conflicting").check()
    decision.get_by_label("Explanation").fill(
        "Gulan Media's three-year delay contradicts the 2026 end in Task & Purpose."
    )
    decision.get_by_role("button", name="Decide").click()
    expect(decision).to_contain_text("Decision saved.")
    expect(decision).to_contain_text("Decided by erin")
    # The header and the navigation's count follow, out of band.
    expect(page.locator("#group-status")).to_have_text("decided")
    expect(page.locator("#nav-disputed .badge")).to_have_count(0)
    page.screenshot(path=output_path / "5-erin-decided.png", full_page=True)

    group = ClaimGroup.objects.get()
    assert (group.final_label, group.decided_by) == ("conflicting", erin)

    # The final label shows on the consensus page; the queue and the nav count no longer list it.
    page.goto(f"{live_server.url}/stories/{story.slug}/consensus/")
    decided = page.locator(f"#claim-{group.pk}")
    expect(decided).to_have_class(re.compile("cx-is-decided"))
    expect(decided.locator(".cx-outcome")).to_contain_text("Conflicting")
    expect(decided.locator(".cx-outcome")).to_contain_text("decided")
    page.screenshot(path=output_path / "6-consensus-final.png", full_page=True)
    page.get_by_role("link", name="Disputed", exact=True).click()
    expect(page.locator("main")).to_contain_text("No disputed claim is waiting for a decision.")
    expect(page.locator(".nav-disputed .badge")).to_have_count(0)

    # The reviewers see the decision as well.
    switch_user(page, live_server, "alice")
    page.goto(f"{live_server.url}/claims/{group.pk}/")
    expect(page.locator("#decision")).to_contain_text("Conflicting")
    expect(page.locator("#decision")).to_contain_text("Decided by erin")
    assert csp_errors == []


def test_two_editors_decide_at_once_and_the_second_sees_the_conflict_in_place(
    page, browser, live_server, alice, bob, erin, story, django_user_model, output_path
):
    make_user("frank", "Editors", is_staff=True)
    article = story.articles.get(source_name__startswith="004")
    mark(article, alice, "by at least three years", "conflicting")
    mark(article, bob, BOB_TEXT, "consistent")
    group = ClaimGroup.objects.get()
    other = browser.new_context().new_page()
    try:
        login(page, live_server, "erin")
        login(other, live_server, "frank")
        for editor_page in (page, other):
            editor_page.goto(f"{live_server.url}/claims/{group.pk}/")

        page.locator("#decision").get_by_label("Conflicting").check()
        page.locator("#decision").get_by_label("Explanation").fill("Erin: the dates disagree.")
        page.locator("#decision").get_by_role("button", name="Decide").click()
        expect(page.locator("#decision")).to_contain_text("Decision saved.")

        decision = other.locator("#decision")
        decision.get_by_label("Consistent").check()
        decision.get_by_label("Explanation").fill("Frank: same plan, two phases.")
        decision.get_by_role("button", name="Decide").click()
        # The 409 answer is swapped in place (static/js/consensus.js): the message, erin's decision, frank's draft.
        expect(decision.locator(".cx-conflict")).to_contain_text("erin decided this claim while you were working on it")
        expect(decision.locator(".cx-final")).to_contain_text("Erin: the dates disagree.")
        expect(decision.get_by_label("Explanation")).to_have_value("Frank: same plan, two phases.")
        other.screenshot(path=output_path / "frank-conflict.png", full_page=True)
    finally:
        other.context.close()
    group.refresh_from_db()
    assert (group.final_label, group.decided_by.username) == ("conflicting", "erin")
