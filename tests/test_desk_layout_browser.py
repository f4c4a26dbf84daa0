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
