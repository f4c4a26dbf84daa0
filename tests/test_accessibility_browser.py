"""axe-core (shipped inside axe-playwright-python, no network) audits the reviewers' and editors' pages at 1280
and 390 px: no serious or critical violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from factcheck.review.models import ClaimGroup
from tests.factories import login

WIDTHS = [(1280, 800), (390, 844)]


def audit(page, url: str | None) -> list[str]:
    """The serious and critical violations on `url`, or on the page as it stands (a form's answer)."""
    if url is not None:
        page.goto(url)
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("size", WIDTHS, ids=["1280", "390"])
def test_the_reviewers_pages_have_no_serious_violations(browser, live_server, verdicts, story, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    login(page, live_server, "alice")
    first, second = story.articles.order_by("pk")[:2]
    group = ClaimGroup.objects.first()
    urls = ["/", story.get_absolute_url(), first.get_absolute_url(), f"/articles/{first.pk}/compare/?with={second.pk}"]
    urls += [f"/stories/{story.slug}/consensus/", f"/claims/{group.pk}/"]
    found = {url: audit(page, live_server.url + url) for url in urls}
    context.close()
    assert {url: v for url, v in found.items() if v} == {}


@pytest.mark.parametrize("size", WIDTHS, ids=["1280", "390"])
def test_the_editors_pages_have_no_serious_violations(browser, live_server, verdicts, story, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    login(page, live_server, "erin")
    urls = ["/exports/", "/disputed/", "/admin/", "/admin/articles/story/", "/admin/articles/article/"]
    urls += ["/admin/review/span/", "/admin/review/claimgroup/", f"/admin/articles/story/{story.pk}/change/"]
    found = {url: audit(page, live_server.url + url) for url in urls}
    context.close()
    assert {url: v for url, v in found.items() if v} == {}


# Written for this test: a notice, then eight readers' comments that cleaning drops (8 of 9 paragraphs of prose).
HEAVY = (
    "Pool closes for repairs\n"
    "The town pool closes for six weeks from Monday while its tiles and pumps are repaired, the council said.\n"
    "Comments\n"
    + "\n".join(
        f"Swimmer {n} writes that six weeks is far too long for a town with no other pool within twenty kilometres."
        for n in range(8)
    )
)


@pytest.mark.parametrize("size", WIDTHS, ids=["1280", "390"])
def test_the_import_previews_of_a_heavily_cleaned_text_have_no_serious_violations(browser, live_server, erin, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    login(page, live_server, "erin")
    found = {}
    page.goto(live_server.url + "/admin/articles/article/import-pages/")
    page.fill("#story-title", "Pool")
    page.set_input_files("#pages", files=[{"name": "pool.txt", "mimeType": "text/plain", "buffer": HEAVY.encode()}])
    page.click("button.fc-primary")
    page.wait_for_selector("text=Nothing is imported yet")
    page.click("summary")  # the lines to keep or drop, too
    found["saved pages"] = audit(page, None)
    rows = 'story,title,text\nPool,Pool closes for repairs,"' + HEAVY + '"\n'
    page.goto(live_server.url + "/admin/articles/article/import/")
    page.set_input_files(
        "input[name=import_file]", files=[{"name": "a.csv", "mimeType": "text/csv", "buffer": rows.encode()}]
    )
    page.click("input[type=submit]")
    page.wait_for_selector("text=Preview again with my choices")
    page.click("summary")
    found["csv"] = audit(page, None)
    context.close()
    assert {name: v for name, v in found.items() if v} == {}
