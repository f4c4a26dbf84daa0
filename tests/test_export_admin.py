"""The admin: verdicts exported with django-import-export (CSV, XLSX) for the filtered changelist, and
articles imported from CSV through the import's own cleaning, with a preview and per-row errors."""

import csv
import html
import io
import os
import tempfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from factcheck.articles.cleaning import clean_article
from factcheck.articles.models import Article, Story, StoryState
from factcheck.exports.columns import HEADERS
from factcheck.review.models import Span
from tests.factories import approve, assign, download_csv, make_user, mark, read_csv

EXPORT_URL = "/admin/review/span/export/"
IMPORT_URL = "/admin/articles/article/import/"
PROCESS_URL = "/admin/articles/article/process_import/"


def export_form(file_format: int) -> dict:
    # Format 0 is CSV, 1 is XLSX (SpanAdmin.export_formats); every column ticked.
    return {"format": str(file_format), "resource": "0", **{f"verdictresource_{key}": "on" for key in HEADERS}}


def test_the_admin_exports_the_filtered_verdicts_as_csv_with_the_same_cells_as_the_download(client, erin, verdicts):
    client.force_login(erin)
    page = client.get(EXPORT_URL + "?label__exact=conflicting")
    assert page.status_code == 200 and b'name="verdictresource_evidence"' in page.content
    response = client.post(EXPORT_URL + "?label__exact=conflicting", export_form(0))
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert [int(r["span_id"]) for r in rows] == list(
        Span.objects.filter(label="conflicting").order_by("pk").values_list("pk", flat=True)
    )
    streamed = {r["span_id"]: r for r in read_csv(download_csv(client))}
    assert all(row == streamed[row["span_id"]] for row in rows)


def test_the_admin_exports_xlsx_with_formula_safe_text_cells(client, erin, alice):
    story = Story.objects.create(title="Sheet", slug="sheet", state=StoryState.IN_REVIEW)
    assign(story)
    body = "=SUM(A1:A9) was typed by the minister."
    article = Article.objects.create(story=story, title="=cmd|' /C calc'!A0", raw_text=body, body=body)
    mark(article, alice, "=SUM(A1:A9)", note="@risky")
    approve(story, erin)
    client.force_login(erin)
    response = client.post(EXPORT_URL, export_form(1))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, row = [[cell.value for cell in r] for r in sheet.iter_rows(min_row=1, max_row=2)]
    assert header == HEADERS
    cells = dict(zip(header, row, strict=True))
    assert cells["quote"] == "'=SUM(A1:A9)" and cells["note"] == "'@risky"
    assert cells["article_title"] == "'=cmd|' /C calc'!A0"
    # Stored as text, never as a formula.
    assert all(cell.data_type != "f" for r in sheet.iter_rows() for cell in r)


def test_reviewers_cannot_reach_the_admin_export_or_import(client, alice):
    client.force_login(alice)
    for url in (EXPORT_URL, IMPORT_URL):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response.url


def upload(client, text: str):
    data = {
        "resource": "0",
        "format": "0",
        "import_file": SimpleUploadedFile("articles.csv", text.encode("utf-8"), content_type="text/csv"),
    }
    return client.post(IMPORT_URL, data)


def csv_text(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["story", "title", "outlet", "url", "date", "text"])
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


RAW = (
    "Share this article\n\nBaghdad  \r\nThe advisers stay until September 2025, officials said.\r\n\n"
    "READ MORE: Other news\n"
)


def test_the_article_import_previews_then_stores_rows_cleaned_like_the_import_command(client, erin, story):
    client.force_login(erin)
    before = Article.objects.count()
    text = csv_text(
        [
            {
                "story": "New story",
                "title": "First",
                "outlet": "Wire",
                "url": "https://w.example/1",
                "date": "2025-01-02",
                "text": RAW,
            },
            {
                "story": story.title,
                "title": "Second",
                "outlet": "",
                "url": "",
                "date": "",
                "text": "A headline\n\nThe advisers stay in Erbil, the ministry said. 🇮🇶 مستشارون أمريكيون",
            },
        ]
    )
    preview = upload(client, text)
    assert preview.status_code == 200
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["new", "new"]
    assert Article.objects.count() == before  # the preview stores nothing
    confirm = preview.context["confirm_form"].initial
    response = client.post(PROCESS_URL, confirm)
    assert response.status_code == 302
    first = Article.objects.get(title="First")
    assert first.body == clean_article(RAW, title="First").body
    # The raw text is kept as read (the CSV reader turns CR LF inside a cell into LF).
    assert first.raw_text == RAW.replace("\r\n", "\n")
    assert (first.story.title, first.outlet, first.url, str(first.published)) == (
        "New story",
        "Wire",
        "https://w.example/1",
        "2025-01-02",
    )
    assert Article.objects.get(title="Second").story == story


def test_the_article_import_names_each_bad_row_and_stores_nothing(client, erin, story):
    client.force_login(erin)
    seed = story.articles.first()
    before = Article.objects.count()
    text = csv_text(
        [
            {"story": "S", "title": "Empty", "text": "   "},
            {"story": "S", "title": "Boilerplate only", "text": "Share this article\nREAD MORE: x\n"},
            {"story": "S", "title": "Bad date", "date": "10/01/2025", "text": "Some real text here."},
            {"story": story.title, "title": "Seen", "text": seed.raw_text},
            {"story": "S", "title": "Good", "text": "A fine paragraph."},
            {"story": "S", "title": "Twice", "text": "A fine paragraph.\n"},
            {"story": "", "title": "No story", "text": "Text without a story."},
        ]
    )
    preview = upload(client, text)
    assert preview.status_code == 200
    result = preview.context["result"]
    errors = {row.number: {k: " ".join(v) for k, v in row.error_dict.items()} for row in result.invalid_rows}
    assert set(errors) == {1, 2, 3, 4, 6, 7}
    assert "is empty" in errors[1]["text"]
    assert "no article text is left" in errors[2]["text"]
    assert errors[3] == {"date": "'10/01/2025' is not a date; write it as YYYY-MM-DD, e.g. 2025-01-31."}
    assert errors[4] == {"text": f"The story already has this text, as the article {seed.title!r}."}
    assert errors[6] == {"text": "The same text is already in row 5 of this file."}
    assert "story's title" in errors[7]["story"]
    page = preview.content.decode()
    assert "is not a date" in page and "already in row 5" in page
    assert "confirm_form" not in preview.context or preview.context["confirm_form"] is None
    assert Article.objects.count() == before


def test_a_file_without_the_text_column_is_refused_with_a_message(client, erin, db):
    client.force_login(erin)
    preview = upload(client, "story,title\nS,T\n")
    assert preview.status_code == 200
    page = html.unescape(preview.content.decode())
    assert "The column 'text' is missing; it has 'story', 'title'." in page
    assert "Traceback" not in page
    assert not Article.objects.exists()


@pytest.mark.parametrize("url", [EXPORT_URL, IMPORT_URL])
def test_editors_see_the_export_and_import_pages(client, erin, url, db):
    client.force_login(erin)
    assert client.get(url).status_code == 200


def row_errors(preview) -> dict[int, dict[str, str]]:
    result = preview.context["result"]
    return {row.number: {k: " ".join(v) for k, v in row.error_dict.items()} for row in result.invalid_rows}


def confirm(client, preview):
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors(), row_errors(preview)
    return client.post(PROCESS_URL, preview.context["confirm_form"].initial)


def test_the_title_comes_from_its_column_and_no_line_is_dropped_as_a_headline(client, erin, db):
    client.force_login(erin)
    raw = "First line of the article, which the old import took for a headline\r\n\r\nThe advisers stay, it said."
    preview = upload(client, csv_text([{"story": "S", "title": "The real title", "text": raw}]))
    page = html.unescape(preview.content.decode())
    # The preview shows the raw text, the clean body and what cleaning did, side by side.
    assert "clean body (what spans point into)" in page and "characters kept of" in page
    assert confirm(client, preview).status_code == 302
    article = Article.objects.get()
    assert article.title == "The real title"
    assert article.body.startswith("First line of the article, which the old import took for a headline")


def test_a_dropped_line_is_listed_in_the_preview_with_its_reason(client, erin, db):
    client.force_login(erin)
    raw = "Share this article\n\nThe advisers stay until September 2025, officials said on Monday in Baghdad."
    preview = upload(client, csv_text([{"story": "S", "title": "T", "text": raw}]))
    page = html.unescape(preview.content.decode())
    assert "1 line dropped" in page and "− Share this article (boilerplate" in page


def test_messages_stand_under_their_column_in_the_readers_words(client, erin, db):
    client.force_login(erin)
    preview = upload(
        client,
        csv_text(
            [
                {"story": "S", "title": "T", "url": "not a link", "text": "The advisers stay, officials said."},
                {"story": "S", "title": "", "text": "The advisers leave, officials said."},
            ]
        ),
    )
    errors = row_errors(preview)
    assert errors[1] == {
        "url": "'not a link' is not a web address; write it in full, e.g. https://example.com/news/story."
    }
    assert set(errors[2]) == {"title"} and "Give the article's title" in errors[2]["title"]
    assert not Article.objects.exists()


def test_a_file_that_is_not_utf8_is_refused_with_what_to_do(client, erin, db):
    client.force_login(erin)
    data = csv_text([{"story": "Café", "title": "Über", "text": "Les conseillers restent, a-t-il dit."}])
    response = client.post(
        IMPORT_URL,
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile("a.csv", data.encode("latin-1"), content_type="text/csv"),
        },
    )
    page = html.unescape(response.content.decode())
    assert "save it as UTF-8 (in Excel: CSV UTF-8)" in page
    assert "UnicodeDecodeError" not in page and "Traceback" not in page
    assert not Article.objects.exists()


@pytest.mark.parametrize("state", [StoryState.READY, StoryState.APPROVED])
def test_a_frozen_story_takes_no_article_from_the_admin_import(client, erin, story, state):
    if state == StoryState.APPROVED:
        approve(story, erin)
    else:
        Story.objects.filter(pk=story.pk).update(state=state)
    client.force_login(erin)
    before = Article.objects.count()
    preview = upload(client, csv_text([{"story": story.title, "title": "New", "text": "A new report, it said."}]))
    assert "reopen the story first" in row_errors(preview)[1]["story"]
    assert Article.objects.count() == before


def test_a_new_text_under_an_existing_title_needs_the_new_version_column(client, erin, story):
    client.force_login(erin)
    seed = story.articles.order_by("pk").first()
    changed = seed.raw_text.replace("a", "á", 1)
    row = {"story": story.title, "title": seed.title, "text": changed}
    preview = upload(client, csv_text([row]))
    message = row_errors(preview)[1]["title"]
    assert f"it has the title of the article {seed.title!r}" in message and "new_version" in message
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["story", "title", "outlet", "url", "date", "text", "new_version"])
    writer.writeheader()
    writer.writerow({**row, "new_version": "yes"})
    assert confirm(client, upload(client, out.getvalue())).status_code == 302
    assert story.articles.filter(title=seed.title).count() == 2


# A text cleaning cuts short: two paragraphs of a story, then a "Comments" box of six readers' comments.
HEAVY = (
    "The river ferry will run every twenty minutes from June, twice as often as now, the port authority said on "
    "Thursday after a year in which queues at the slipway grew longer every summer.\n"
    "Two new boats are being built for the route and the first is due in May, the authority said.\n"
    "Comments\n"
    + "\n".join(
        f"Commenter {n} thinks the ferry should also run later at night, since the last crossing leaves far too early."
        for n in range(6)
    )
    + "\n"
)


def heavy_preview(client, story="Ferries"):
    rows = [
        {"story": story, "title": "Ferry twice as often", "outlet": "", "url": "", "date": "", "text": HEAVY},
        {"story": story, "title": "Quiet row", "outlet": "", "url": "", "date": "", "text": RAW},
    ]
    preview = upload(client, csv_text(rows))
    assert preview.status_code == 200, preview.content[:300]
    return preview


def test_a_row_whose_cleaning_drops_most_of_its_prose_waits_in_the_preview_with_both_versions(client, erin):
    client.force_login(erin)
    preview = heavy_preview(client)

    assert not Article.objects.exists()
    page = preview.content.decode()
    assert "Cleaning dropped 6 of the page&#x27;s 8 paragraphs of prose (75%)" in page
    assert 'name="accept" value="1"' in page and 'name="row1-block-3" value="keep"' in page
    assert "Raw text, every line as read from the file" in page and "Clean body, what would be imported" in page
    assert [row.import_type for row in preview.context["result"].rows] == ["skip", "new"]


def test_a_held_row_is_stored_only_when_accepted(client, erin):
    client.force_login(erin)
    confirm = heavy_preview(client).context["confirm_form"].initial
    response = client.post(PROCESS_URL, confirm, follow=True)
    assert list(Article.objects.values_list("title", flat=True)) == ["Quiet row"]
    assert "Not imported, as you did not accept them: row 1" in response.content.decode()

    confirm = heavy_preview(client, story="Ferries again").context["confirm_form"].initial
    assert client.post(PROCESS_URL, {**confirm, "accept": "1"}).status_code == 302
    ferry = Article.objects.get(title="Ferry twice as often")
    assert ferry.body.startswith("The river ferry") and "Commenter" not in ferry.body and ferry.block_overrides == {}


def test_a_held_row_is_stored_with_the_editors_corrections(client, erin):
    client.force_login(erin)
    confirm = heavy_preview(client).context["confirm_form"].initial
    keep = {f"row1-block-{index}": "keep" for index in (3, 4, 5)}

    again = client.post(PROCESS_URL, {**confirm, "again": "1", **keep})

    assert again.status_code == 200 and not Article.objects.exists()
    assert "it will be imported as shown" in again.content.decode()
    assert client.post(PROCESS_URL, {**confirm, **keep}).status_code == 302
    ferry = Article.objects.get(title="Ferry twice as often")
    assert ferry.block_overrides == {"3": True, "4": True, "5": True}
    assert "Commenter 2 thinks" in ferry.body and "Commenter 3" not in ferry.body


def test_accepting_a_file_this_editor_did_not_preview_is_refused(client, erin, db):
    client.force_login(erin)
    confirm = heavy_preview(client).context["confirm_form"].initial
    other = make_user("frank", "Editors", is_staff=True)
    client.force_login(other)

    assert client.post(PROCESS_URL, {**confirm, "accept": "1"}).status_code == 400
    assert client.post(PROCESS_URL, {**confirm, "accept": "1", "again": "1"}).status_code == 400
    assert not Article.objects.exists()


def test_a_previewed_file_gone_from_the_server_is_a_400_not_a_500(client, erin):
    client.force_login(erin)
    confirm = heavy_preview(client).context["confirm_form"].initial
    os.remove(os.path.join(tempfile.gettempdir(), confirm["import_file_name"]))

    response = client.post(PROCESS_URL, {**confirm, "accept": "1"})

    assert response.status_code == 400 and "upload it again" in response.content.decode()
    assert not Article.objects.exists()
