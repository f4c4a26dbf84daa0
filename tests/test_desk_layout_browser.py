"""In Debian's Chromium at 1280 px: every changelist of the desk fits without scrolling sideways."""

import pytest
from playwright.sync_api import expect

from tests.factories import discuss, login

CHANGELISTS = [
    "/admin/articles/story/",
    "/admin/articles/article/",
    "/admin/review/span/",
    "/admin/review/claimgroup/",
    "/admin/consensus/comment/",
    "/admin/review/reviewsubmission/",
]


@pytest.mark.parametrize("path", CHANGELISTS)
def test_the_changelist_fits_1280_px(page, live_server, verdicts, bob, path):
    discuss(verdicts["group"], bob, "Two outlets give 2025, one gives 2023: which one is the source? " * 3)
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, live_server, "erin")
    page.goto(live_server.url + path)
    expect(page.locator("#changelist")).to_be_visible()
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth,"
        " ...[...document.querySelectorAll('#changelist .results')].map(r => r.scrollWidth - r.clientWidth)]"
    )
    assert widths[0] <= 1280 and all(extra <= 0 for extra in widths[1:]), widths


# Written for this test: a wide one-line notice, then readers' comments that cleaning drops.
HELD = (
    "Market moves to the quay\n"
    "The Saturday market moves to the quay for the summer while the square is repaved, the town said today.\n"
    "Comments\n"
    + "\n".join(
        f"Trader {n} says the quay has too little shade for the fish stalls and too few places to unload a van."
        for n in range(6)
    )
)


def test_the_import_previews_of_a_held_text_fit_1280_px(page, live_server, erin):
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, live_server, "erin")
    page.goto(live_server.url + "/admin/articles/article/import-pages/")
    page.fill("#story-title", "Market")
    page.set_input_files("#pages", files=[{"name": "market.txt", "mimeType": "text/plain", "buffer": HELD.encode()}])
    page.click("button.fc-primary")
    expect(page.get_by_text("Nothing is imported yet")).to_be_visible()
    page.click("summary")
    widths = {"saved pages": page.evaluate("() => document.documentElement.scrollWidth")}
    rows = 'story,title,text\nMarket,Market moves to the quay,"' + HELD + '"\n'
    page.goto(live_server.url + "/admin/articles/article/import/")
    page.set_input_files(
        "input[name=import_file]", files=[{"name": "m.csv", "mimeType": "text/csv", "buffer": rows.encode()}]
    )
    page.click("input[type=submit]")
    expect(page.get_by_text("Import row 1 anyway")).to_be_visible()
    page.click("summary")
    widths["csv"] = page.evaluate("() => document.documentElement.scrollWidth")
    assert widths == {"saved pages": 1280, "csv": 1280}
