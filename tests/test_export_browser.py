"""In Debian's Chromium: an editor downloads the verdict CSV, and exports from the admin's changelist."""

import csv
import io

import pytest
from playwright.sync_api import expect

from factcheck.exports.columns import HEADERS
from factcheck.review.models import Span
from tests.factories import login, restore_roles


@pytest.fixture(autouse=True)
def roles(transactional_db):
    """A browser test's database is flushed afterwards, which takes the role groups: make them again."""
    restore_roles()


def rows_of(path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def test_an_editor_downloads_the_verdict_csv_from_the_exports_page(page, live_server, erin, verdicts, output_path):
    problems: list[str] = []
    # Console errors (a CSP violation is one) and failed loads of the page's own resources; Chromium's
    # favicon request is not the page's, and this app has no favicon.
    page.on(
        "console",
        lambda m: m.type == "error" and "Failed to load resource" not in m.text and problems.append(m.text),
    )
    page.on("response", lambda response: response.status >= 400 and problems.append(response.url))
    login(page, live_server, "erin")
    page.get_by_role("link", name="Exports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Exports")
    page.get_by_label("For Excel (UTF-8 with BOM)").check()
    page.screenshot(path=output_path / "exports.png", full_page=True)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV").click()
    download = info.value
    assert download.suggested_filename == "verdicts-all-stories-approved-excel.csv"
    path = output_path / download.suggested_filename
    download.save_as(path)
    assert path.read_bytes().startswith("\ufeff".encode())
    rows = rows_of(path)
    assert list(rows[0]) == HEADERS
    assert len(rows) == Span.objects.count() == 3
    assert problems == []


def test_an_editor_exports_the_filtered_span_changelist_from_the_admin(page, live_server, erin, verdicts, output_path):
    login(page, live_server, "erin")
    page.goto(f"{live_server.url}/admin/review/span/?label__exact=conflicting")
    page.get_by_role("link", name="Export").click()
    expect(page.locator("select[name=format]")).to_be_visible()
    page.select_option("select[name=format]", label="csv")
    page.screenshot(path=output_path / "admin-export.png", full_page=True)
    with page.expect_download() as info:
        page.locator("input[type=submit], button[type=submit]").filter(has_text="Submit").first.click()
    path = output_path / "admin-export.csv"
    info.value.save_as(path)
    rows = rows_of(path)
    assert [r["label"] for r in rows] == ["conflicting"]
    assert rows[0]["span_id"] == str(verdicts["a"].pk)


def test_an_editor_previews_an_article_csv_and_sees_each_bad_row_named(page, live_server, erin, story, output_path):
    csv_path = output_path / "articles.csv"
    csv_path.write_text(
        "story,title,outlet,url,date,text\n"
        'New story,Good one,Wire,https://w.example/1,2025-01-02,"Headline\n\nThe advisers stay, officials said."\n'
        "New story,Bad date,Wire,,02/01/2025,Some text that is fine.\n"
        "New story,Empty,Wire,,2025-01-02,\n",
        encoding="utf-8",
    )
    login(page, live_server, "erin")
    page.goto(f"{live_server.url}/admin/articles/article/")
    page.get_by_role("link", name="Import", exact=True).click()
    page.set_input_files("input[name=import_file]", str(csv_path))
    page.locator("input[type=submit]").first.click()
    expect(page.get_by_text("is not a date; write it as YYYY-MM-DD")).to_be_visible()
    expect(page.get_by_text("The text of row 3: is empty.")).to_be_visible()
    # django-import-export shows a row's messages over its error count when the row is pointed at.
    # Shown in the row without hovering (Playwright calls opacity 0 "visible", so ask the style).
    page.mouse.move(0, 0)
    reasons = page.locator("table.import-preview .validation-error-container")
    expect(reasons).to_have_count(2)
    for n in range(2):
        expect(reasons.nth(n)).to_have_css("opacity", "1")
        expect(reasons.nth(n)).to_have_css("position", "static")
    page.screenshot(path=output_path / "admin-import-errors.png", full_page=True)
    assert not story.articles.filter(title__in=["Good one", "Bad date"]).exists()
