"""The verdict CSV: its rows, safe cells, round trip, stable bytes, filters, access and constant queries."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from factcheck.articles.models import Article, Story, StoryState
from factcheck.exports.columns import HEADERS, verdict_records
from factcheck.exports.selectors import export_spans, parse_filters
from factcheck.review.models import Span
from factcheck.review.services import EvidenceRef, span_create
from tests.factories import approve, assign, download_csv, mark, mark_many, put, read_csv, trimmed

URL = reverse("export-verdicts-csv")


def test_it_has_one_row_per_approved_verdict_with_every_column(client, erin, verdicts, story, alice):
    # A verdict on a story still in review stays out of the default export.
    draft = Story.objects.create(title="Draft story", slug="draft-story", state=StoryState.IN_REVIEW)
    assign(draft)
    other = Article.objects.create(story=draft, title="Other", raw_text="Some text here.", body="Some text here.")
    mark(other, alice, "text")
    put(draft, StoryState.DRAFT)
    client.force_login(erin)
    rows = read_csv(download_csv(client))
    assert len(rows) == Span.objects.filter(article__story__state=StoryState.APPROVED).count() == 3
    assert list(rows[0].keys()) == HEADERS
    span_a = verdicts["a"]
    row = next(r for r in rows if r["span_id"] == str(span_a.pk))
    article = span_a.article
    assert row["story"] == story.title
    assert (row["article_title"], row["outlet"], row["url"]) == (article.title, article.outlet, article.url)
    assert row["published"] == (article.published.isoformat() if article.published else "")
    assert row["body_sha256"] == article.body_sha256
    assert (int(row["start"]), int(row["end"]), row["quote"]) == (span_a.start, span_a.end, span_a.quote)
    assert article.body[span_a.start : span_a.end] == row["quote"]
    assert (row["context_before"], row["context_after"]) == (span_a.prefix, span_a.suffix)
    assert (row["reviewer"], row["label"], row["note"]) == ("alice", "conflicting", "Contradicted by two outlets")
    evidence = row["evidence"].split("\n")
    assert [line.split(" [")[0] for line in evidence] == [e.article.title for e in span_a.evidence.order_by("article")]
    assert all(f'"{e.quote}"' in row["evidence"] for e in span_a.evidence.all())
    group = verdicts["group"]
    assert (row["group_id"], row["consensus_label"], row["final_label"]) == (str(group.pk), "", "conflicting")
    assert (row["final_note"], row["decided_by"], row["decided_at"]) == (
        "Two reports give 2025.",
        "erin",
        "2025-02-03T10:30:00+00:00",
    )
    story.refresh_from_db()
    assert (row["story_state"], row["approved_by"]) == ("approved", "erin")
    assert row["approved_at"] == story.approved_at.astimezone(dt.UTC).isoformat(timespec="seconds")
    lone = next(r for r in rows if r["label"] == "unsupported")
    # Every span is grouped on save; a claim only one reviewer marked is a "single" group, undecided.
    lone_group = Span.objects.get(pk=lone["span_id"]).group
    assert lone["group_id"] == (str(lone_group.pk) if lone_group else "")
    assert (lone["evidence"], lone["final_label"], lone["decided_by"]) == ("", "", "")


def test_rows_come_in_story_article_position_reviewer_order(client, erin, verdicts):
    client.force_login(erin)
    rows = read_csv(download_csv(client))
    keys = [(int(r["span_id"]),) for r in rows]
    spans = {s.pk: s for s in Span.objects.select_related("reviewer")}
    ordered = sorted(
        keys, key=lambda k: (spans[k[0]].article_id, spans[k[0]].start, spans[k[0]].end, spans[k[0]].reviewer.username)
    )
    assert keys == ordered
    assert [r["reviewer"] for r in rows[:2]] == ["alice", "bob"]


FORMULAS = ["=1+1", "+44 20 7946 0000", "-2", "@SUM(A1)", "\tcmd", "\rline", '=HYPERLINK("http://x")']


@pytest.mark.parametrize("text", FORMULAS)
def test_a_cell_that_starts_like_a_formula_gets_a_leading_apostrophe(client, erin, alice, text):
    story = Story.objects.create(title="Formulas", slug="formulas", state=StoryState.IN_REVIEW)
    assign(story)
    body = f"{text} is what the minister said, verbatim."
    article = Article.objects.create(story=story, title=text, outlet="@outlet", raw_text=body, body=body)
    # A quote never begins with white space (the server refuses it); a note keeps it as typed.
    quote = text.strip()
    mark(article, alice, quote, note=text)
    approve(story, erin)
    client.force_login(erin)
    row = read_csv(download_csv(client))[0]
    assert row["article_title"] == "'" + text and row["note"] == "'" + text
    assert row["quote"] == ("'" + quote if quote == text else quote)
    assert row["outlet"] == "'@outlet"
    # The machine-readable path keeps the original text.
    record = dict(zip(HEADERS, next(verdict_records(Span.objects.all())), strict=True))
    assert record["quote"] == quote and record["note"] == text and record["outlet"] == "@outlet"


HARD = [
    'He said "no", then "yes"',
    "one, two, three",
    "first line\nsecond line\r\nthird",
    "Flags 🇮🇶 and faces 👩🏽‍💻 survive",
    "مستشارون أمريكيون في العراق",
    "שלום, עולם",
    "e\u0301 (a combining accent)",
    "trailing apostrophe'",
    "'already quoted",
]


def test_quotes_commas_line_breaks_emoji_and_right_to_left_text_round_trip(client, erin, alice):
    story = Story.objects.create(title="Round trip", slug="round-trip", state=StoryState.IN_REVIEW)
    assign(story)
    body = "\n".join(HARD)
    article = Article.objects.create(story=story, title='Title, with "quotes"', raw_text=body, body=body)
    for text in HARD:
        mark(article, alice, text, note=f"note: {text}")
    approve(story, erin)
    client.force_login(erin)
    rows = read_csv(download_csv(client))
    expected = {
        (article.body[s.start : s.end], s.note) for s in Span.objects.filter(article=article)
    }  # from the database, not from the CSV
    assert {(r["quote"], r["note"]) for r in rows} == expected
    assert {r["article_title"] for r in rows} == {'Title, with "quotes"'}
    assert all(r["body_sha256"] == article.body_sha256 for r in rows)


def test_two_exports_of_the_same_data_are_byte_identical_and_the_command_writes_the_same_bytes(
    client, erin, verdicts, tmp_path
):
    client.force_login(erin)
    first, second = download_csv(client), download_csv(client)
    assert first == second
    out = tmp_path / "verdicts.csv"
    call_command("export_verdicts", "-o", str(out), stderr=io.StringIO())
    assert out.read_bytes() == first
    assert first.startswith(b"span_id,story,") and first.endswith(b"\r\n")


def test_the_excel_option_starts_with_a_bom_and_nothing_else_changes(client, erin, verdicts, tmp_path):
    client.force_login(erin)
    plain = download_csv(client)
    excel = download_csv(client, excel="1")
    assert excel == "\ufeff".encode() + plain
    assert client.get(URL, {"excel": "1"})["Content-Disposition"].endswith('-excel.csv"')
    out = tmp_path / "excel.csv"
    call_command("export_verdicts", "--excel", "-o", str(out), stderr=io.StringIO())
    assert out.read_bytes() == excel


def test_filters_pick_story_state_and_dates(client, erin, alice, verdicts, story):
    draft = Story.objects.create(title="A draft", slug="a-draft", state=StoryState.IN_REVIEW)
    assign(draft)
    article = Article.objects.create(story=draft, title="Draft article", raw_text="Words in a draft.", body="Words.")
    old = mark(article, alice, "Words")
    put(draft, StoryState.DRAFT)
    Span.objects.filter(pk=old.pk).update(updated_at=dt.datetime(2024, 5, 1, 23, 59, tzinfo=dt.UTC))
    client.force_login(erin)

    def span_ids(**params) -> set[int]:
        return {int(r["span_id"]) for r in read_csv(download_csv(client, **params))}

    approved = set(Span.objects.filter(article__story=story).values_list("pk", flat=True))
    assert span_ids() == approved
    assert span_ids(state="all") == approved | {old.pk}
    assert span_ids(state="draft") == {old.pk}
    assert span_ids(story="a-draft", state="all") == {old.pk}
    assert span_ids(story="a-draft") == set()
    assert span_ids(state="all", until="2024-05-01") == {old.pk}
    assert span_ids(state="all", since="2024-05-02") == approved
    assert span_ids(state="all", since="2024-05-01", until="2024-05-01") == {old.pk}
    response = client.get(URL, {"story": "a-draft", "state": "all"})
    assert response["Content-Disposition"] == 'attachment; filename="verdicts-a-draft-all.csv"'


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"state": "published"}, "state: 'published' is not a story state"),
        ({"story": "no-such-story"}, "story: there is no story 'no-such-story'"),
        ({"since": "31/01/2025"}, "since: '31/01/2025' is not a date; write it as YYYY-MM-DD"),
        ({"until": "2025-02-30"}, "until: '2025-02-30' is not a date"),
        ({"since": "2025-02-01", "until": "2025-01-01"}, "since (2025-02-01) is after until (2025-01-01)"),
        ({"excel": "maybe"}, "excel: 'maybe' is not a yes or no; use one of 1, true, yes, on, 0, false, no, off."),
        ({"state": ""}, "state is empty: give one of draft, in_review, ready, changes_requested, approved, all"),
        ({"story": ""}, "story is empty: give a story's slug or all, or leave story out."),
        ({"since": " "}, "since is empty: give a day as YYYY-MM-DD"),
        ({"stat": "all"}, "'stat': not a parameter here; the parameters are story, state, since, until, excel."),
    ],
)
def test_a_bad_filter_is_a_400_that_says_what_is_wrong(client, erin, story, params, message):
    client.force_login(erin)
    response = client.get(URL, params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_command_refuses_a_bad_filter_and_writes_no_file(db, tmp_path):
    out = tmp_path / "x.csv"
    with pytest.raises(CommandError, match="is not a story state"):
        call_command("export_verdicts", "--state", "nope", "-o", str(out))
    with pytest.raises(CommandError, match="state is empty: give one of draft, "):
        call_command("export_verdicts", "--state", "", "-o", str(out))
    with pytest.raises(CommandError, match="story: there is no story 'nope'; give all or one of "):
        call_command("export_verdicts", "--story", "nope", "-o", str(out))
    assert not out.exists()


def test_excel_takes_yes_or_no_words(client, erin, verdicts):
    client.force_login(erin)
    assert client.get(URL, {"excel": "yes"}).getvalue().startswith(b"\xef\xbb\xbf")
    assert not client.get(URL, {"excel": "0"}).getvalue().startswith(b"\xef\xbb\xbf")


def test_reviewers_get_403_and_visitors_the_login_page(client, alice, nobody, verdicts):
    assert client.get(URL).status_code == 302
    for user in (alice, nobody):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.get(reverse("export-index")).status_code == 403


def test_the_exports_page_lists_the_stories_and_the_columns(client, erin, verdicts, story):
    client.force_login(erin)
    response = client.get(reverse("export-index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert story.title in page and reverse("export-claimreview", args=[story.slug]) in page
    assert all(f"<code>{header}</code>" in page for header in HEADERS)


def test_the_export_reads_the_database_in_one_query_for_3_or_300_rows(
    client, erin, alice, bob, story, django_assert_num_queries
):
    first, second = story.articles.order_by("pk")[:2]
    mark_many(first, [alice], 3)
    approve(story, erin)
    spans = export_spans(parse_filters({}))
    with django_assert_num_queries(1):
        assert len(list(verdict_records(spans))) == 3
    put(story, StoryState.IN_REVIEW)  # more verdicts come in while it is open again
    mark_many(first, [bob], 150)
    mark_many(second, [alice], 147)
    for span in Span.objects.filter(reviewer=bob)[:50]:
        start, end = trimmed(first.body, span.start + 1, span.end)
        passages = [trimmed(second.body, 0, 4), trimmed(second.body, 5, 9)]
        span_create(
            article=first,
            reviewer=alice,
            start=start,
            end=end,
            quote=first.body[start:end],
            label="conflicting",
            evidence=[EvidenceRef(second.pk, s, e, second.body[s:e]) for s, e in passages],
        )
    count = Span.objects.count()
    assert count == 350
    approve(story, erin)
    with django_assert_num_queries(1):
        assert len(list(verdict_records(spans, chunk_size=100))) == count


# The session with its user and their permissions (one query), the story filter, then the one export
# query: for 3 or 300 rows.
DOWNLOAD_QUERIES = 3


def test_the_download_costs_the_same_queries_for_3_or_300_rows(client, erin, alice, story, django_assert_num_queries):
    article = story.articles.first()
    mark_many(article, [alice], 3)
    approve(story, erin)
    client.force_login(erin)
    with django_assert_num_queries(DOWNLOAD_QUERIES):
        assert len(read_csv(download_csv(client, story=story.slug))) == 3
    put(story, StoryState.IN_REVIEW)
    mark_many(Article.objects.get(pk=story.articles.order_by("pk")[1].pk), [alice], 297)
    approve(story, erin)
    with django_assert_num_queries(DOWNLOAD_QUERIES):
        assert len(read_csv(download_csv(client, story=story.slug))) == 300
