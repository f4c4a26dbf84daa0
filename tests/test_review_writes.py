"""Saving, editing and deleting verdicts over HTTP: exact checks, clear refusals, nothing stored on error."""

import json
import re
import unicodedata

import pytest
from django.db import connection
from django.urls import reverse

from factcheck.articles.models import Article, Story
from factcheck.review.models import Evidence, Span
from factcheck.review.services import EvidenceRef, span_create
from tests.factories import make_story, mark_in_bulk, mark_range, sentences, trimmed

HTMX = {"HX-Request": "true"}


@pytest.fixture
def article(story):
    return story.articles.get(source_name__startswith="001")


@pytest.fixture
def other(story, article):
    return story.articles.exclude(pk=article.pk).order_by("pk").first()


def claim(article, start: int, end: int, **extra) -> dict:
    return {"start": start, "end": end, "quote": article.body[start:end], "label": "conflicting", **extra}


def evidence(article, start: int, end: int) -> str:
    return json.dumps({"article": article.pk, "start": start, "end": end, "quote": article.body[start:end]})


def post_span(client, article, data, **kwargs):
    return client.post(reverse("span-create", args=[article.pk]), data, **kwargs)


def test_it_stores_a_verdict_with_its_note_and_evidence_and_answers_with_what_changed(client, alice, article, other):
    client.force_login(alice)
    sentence_end = article.body.index(".") + 1
    response = post_span(
        client,
        article,
        claim(article, 0, sentence_end, note="  The date differs.  ", evidence=[evidence(other, 0, 30)]),
        headers=HTMX,
    )
    assert response.status_code == 201
    span = Span.objects.get()
    assert (span.start, span.end, span.quote, span.label, span.note) == (
        0,
        sentence_end,
        article.body[:sentence_end],
        "conflicting",
        "  The date differs.  ",
    )
    assert list(span.evidence.values_list("article", "start", "end")) == [(other.pk, 0, 30)]
    content = response.content.decode()
    # Not the workspace: the body's first part (the span's), the new list entry, the counts, each out of band.
    assert 'id="workspace"' not in content
    assert '<span class="part" id="part-0" hx-swap-oob="true"><mark class="seg l-conflicting" data-offset="0"' in (
        content
    )
    assert 'id="part-1"' not in content
    assert f'<ol class="span-list" id="span-list" hx-swap-oob="true">\n<li id="span-{span.pk}"' in content
    assert 'id="span-counts" aria-label="Your verdicts on this article by label" hx-swap-oob="true">' in content
    assert '<span id="span-total" hx-swap-oob="true">1</span>' in content
    assert f'<tr id="story-row-{article.pk}" class="current" hx-swap-oob="true">' in content
    linked = {"id": span.evidence.get().pk, "article": other.pk, "title": other.title, "start": 0, "end": 30}
    linked["quote"] = other.body[:30]
    card = {"label": "conflicting", "note": "  The date differs.  ", "evidence": [linked]}
    event = {"id": span.pk, "span": [span.pk, 0, sentence_end], "data": card}
    assert json.loads(response["HX-Trigger-After-Settle"]) == {"span-created": event}


def test_the_same_span_twice_updates_the_existing_one_and_says_so(client, alice, article, other):
    client.force_login(alice)
    first = claim(article, 5, 25, note="first", evidence=[evidence(other, 0, 30)])
    assert post_span(client, article, first, headers=HTMX).status_code == 201
    second = claim(article, 5, 25, label="consistent", note="\tsecond", evidence=[evidence(other, 30, 40)])
    again = post_span(client, article, second, headers=HTMX)
    assert again.status_code == 200
    event = json.loads(again["HX-Trigger-After-Settle"])["span-updated"]
    assert "now the ones you just sent" in event["message"]
    span = Span.objects.get()
    assert (span.label, span.note, event["id"]) == ("consistent", "\tsecond", span.pk)
    assert list(span.evidence.values_list("start", "end")) == [(30, 40)]


def test_the_same_span_twice_without_htmx_shows_the_message_after_the_redirect(client, alice, article):
    client.force_login(alice)
    post_span(client, article, claim(article, 5, 25))
    response = post_span(client, article, claim(article, 5, 25, label="unsupported"), follow=True)
    assert "now the ones you just sent" in response.content.decode()
    assert Span.objects.get().label == "unsupported"


def test_without_htmx_a_save_redirects_to_the_article(client, alice, article):
    client.force_login(alice)
    response = post_span(client, article, claim(article, 0, 10))
    span = Span.objects.get()
    assert response.status_code == 302 and response.url == f"{article.get_absolute_url()}#span-{span.pk}"


def test_the_stored_span_keeps_emoji_combining_marks_and_arabic_exact(client, alice, story):
    # Bodies are NFC: e + U+0301 composes to é, q + U+0307 has no composed form and stays two code points.
    body = unicodedata.normalize(
        "NFC", "Intro 𝕏 👍🏽 👨\u200d👩\u200d👧\u200d👦 cafe\u0301 q\u0307 «مرحبا بالعالم» and\na new line."
    )
    article = Article(story=story, title="Unicode", raw_text=body, body=body)
    article.save()
    client.force_login(alice)
    start = body.index("👨")
    end = body.index(" and")
    response = post_span(client, article, claim(article, start, end), headers=HTMX)
    assert response.status_code == 201
    span = Span.objects.get()
    assert span.quote == "👨\u200d👩\u200d👧\u200d👦 caf\u00e9 q\u0307 «مرحبا بالعالم»"
    assert (span.start, span.end) == (start, end)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"quote": "tampered words"}, "does not match the article"),
        ({"start": 0, "end": 10**6}, "outside the article"),
        ({"start": 10, "end": 10}, "The selection is empty"),
        ({"start": 20, "end": 10}, "comes before its start"),
        ({"start": " 0"}, "digits 0-9 only"),
        ({"end": "٢٠"}, "digits 0-9 only"),
        ({"end": "20.0"}, "digits 0-9 only"),
        ({"label": "true"}, "Choose a verdict"),
        ({"label": ""}, "Choose a verdict"),
        ({"start": ""}, "Select some text first"),
        ({"start": "abc"}, "digits 0-9 only"),
        ({"evidence": ["not json"]}, "could not be read"),
        ({"evidence": ['{"article": 1}']}, "could not be read"),
    ],
    ids=[
        "tampered-quote",
        "out-of-range",
        "empty",
        "reversed",
        "leading-space-in-offset",
        "arabic-indic-digits",
        "decimal-offset",
        "bad-label",
        "no-label",
        "no-start",
        "not-a-number",
        "evidence-not-json",
        "evidence-incomplete",
    ],
)
def test_a_bad_save_is_a_400_with_a_message_and_stores_nothing(client, alice, article, change, message):
    client.force_login(alice)
    data = {**claim(article, 0, 20), **change}
    response = post_span(client, article, data, headers=HTMX)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response["HX-Retarget"] == "#verdict-error" and response["HX-Reswap"] == "outerHTML"
    assert not Span.objects.exists() and not Evidence.objects.exists()


def test_white_space_only_is_refused(client, alice, story):
    article = Article(story=story, title="Spaces", raw_text="One.\n\n  Two.", body="One.\n\n  Two.")
    article.save()
    client.force_login(alice)
    response = post_span(client, article, claim(article, 4, 8), headers=HTMX)
    assert response.status_code == 400 and "not only white space" in response.content.decode()
    assert not Span.objects.exists()


def test_evidence_from_the_same_article_or_another_story_is_refused(client, alice, article):
    elsewhere = Story.objects.create(title="Elsewhere", slug="elsewhere")
    stray = Article(story=elsewhere, title="Stray", raw_text="x", body="Another story entirely.")
    stray.save()
    client.force_login(alice)
    for source, message in [(article, "another article"), (stray, "same story")]:
        response = post_span(client, article, claim(article, 0, 20, evidence=[evidence(source, 0, 7)]), headers=HTMX)
        assert response.status_code == 400 and message in response.content.decode()
    assert not Span.objects.exists() and not Evidence.objects.exists()


def test_tampered_evidence_is_refused(client, alice, article, other):
    client.force_login(alice)
    bad = json.dumps({"article": other.pk, "start": 0, "end": 10, "quote": "not there!"})
    response = post_span(client, article, claim(article, 0, 20, evidence=[bad]), headers=HTMX)
    assert response.status_code == 400 and "does not match" in response.content.decode()
    assert not Span.objects.exists()


def test_without_htmx_an_error_renders_the_page_with_the_message(client, alice, article):
    client.force_login(alice)
    response = post_span(client, article, claim(article, 0, 20, quote="tampered"))
    assert response.status_code == 400
    assert "does not match the article" in response.content.decode() and "<html" in response.content.decode()


def test_writes_are_refused_with_a_403_when_the_story_is_closed(client, alice, story, article):
    span, _ = span_create(article=article, reviewer=alice, start=0, end=5, quote=article.body[:5], label="consistent")
    story.state = Story.State.APPROVED
    story.save()
    client.force_login(alice)
    response = post_span(client, article, claim(article, 10, 20), headers=HTMX)
    assert response.status_code == 403 and "reopen the story first" in response.content.decode()
    edit = client.post(reverse("span-update", args=[span.pk]), {"label": "conflicting"}, headers=HTMX)
    assert edit.status_code == 403 and edit["HX-Retarget"] == f"#span-{span.pk}-error"
    assert client.post(reverse("span-delete", args=[span.pk]), headers=HTMX).status_code == 403
    span.refresh_from_db()
    assert Span.objects.count() == 1 and span.label == "consistent"


def test_a_user_without_the_reviewer_role_cannot_write(client, nobody, article):
    client.force_login(nobody)
    assert post_span(client, article, claim(article, 0, 20), headers=HTMX).status_code == 404
    assert not Span.objects.exists()


def test_it_edits_the_label_note_and_evidence_of_a_span(client, alice, article, other):
    span, _ = span_create(
        article=article,
        reviewer=alice,
        start=0,
        end=20,
        quote=article.body[:20],
        label="consistent",
        evidence=[EvidenceRef(other.pk, 0, 9, other.body[:9]), EvidenceRef(other.pk, 20, 30, other.body[20:30])],
    )
    kept = span.evidence.get(start=20)
    client.force_login(alice)
    editor = client.get(reverse("span-update", args=[span.pk]), headers=HTMX)
    assert editor.status_code == 200 and 'class="span-edit"' in editor.content.decode()
    page = client.get(reverse("span-update", args=[span.pk])).content.decode()  # without JavaScript
    assert "<html" in page and 'class="span-edit"' in page and f'value="{kept.pk}" checked' in page
    response = client.post(
        reverse("span-update", args=[span.pk]),
        {
            "label": "unsupported",
            "note": "Not in the others.",
            "keep": [kept.pk],
            "evidence": [evidence(other, 41, 50)],
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    span.refresh_from_db()
    assert (span.label, span.note) == ("unsupported", "Not in the others.")
    assert sorted(span.evidence.values_list("start", "end")) == [(20, 30), (41, 50)]
    assert (span.start, span.end, span.quote) == (0, 20, article.body[:20])


def test_a_bad_edit_is_a_400_and_changes_nothing(client, alice, article):
    span, _ = span_create(article=article, reviewer=alice, start=0, end=20, quote=article.body[:20], label="consistent")
    client.force_login(alice)
    response = client.post(reverse("span-update", args=[span.pk]), {"label": "maybe", "note": "x"}, headers=HTMX)
    assert response.status_code == 400 and "Choose a verdict" in response.content.decode()
    span.refresh_from_db()
    assert (span.label, span.note) == ("consistent", "")


def test_it_deletes_a_span_and_its_evidence(client, alice, article, other):
    span, _ = span_create(
        article=article,
        reviewer=alice,
        start=0,
        end=20,
        quote=article.body[:20],
        label="consistent",
        evidence=[EvidenceRef(other.pk, 0, 9, other.body[:9])],
    )
    client.force_login(alice)
    response = client.post(reverse("span-delete", args=[span.pk]), headers=HTMX)
    assert response.status_code == 200 and "span-deleted" in response["HX-Trigger-After-Settle"]
    assert not Span.objects.exists() and not Evidence.objects.exists()


def test_another_reviewers_span_cannot_be_edited_or_deleted(client, alice, bob, article):
    span, _ = span_create(article=article, reviewer=bob, start=0, end=20, quote=article.body[:20], label="consistent")
    client.force_login(alice)
    assert client.get(reverse("span-update", args=[span.pk])).status_code == 404
    assert client.post(reverse("span-update", args=[span.pk]), {"label": "conflicting"}).status_code == 404
    assert client.post(reverse("span-delete", args=[span.pk])).status_code == 404
    span.refresh_from_db()
    assert span.label == "consistent"


def test_a_save_from_the_compare_view_refreshes_the_evidence_pane_out_of_band(client, alice, article, other):
    client.force_login(alice)
    response = post_span(
        client, article, claim(article, 0, 20, evidence=[evidence(other, 0, 30)], compare_with=other.pk), headers=HTMX
    )
    content = response.content.decode()
    assert response.status_code == 201
    assert 'id="evidence-pane" hx-swap-oob="true"' in content
    assert f'data-evidence="{Evidence.objects.get().pk}"' in content


def test_writes_need_a_post(client, alice, article):
    client.force_login(alice)
    assert client.get(reverse("span-create", args=[article.pk])).status_code == 405


def test_a_bad_compare_field_does_not_hide_a_stored_verdict(client, alice, article):
    client.force_login(alice)
    response = post_span(client, article, claim(article, 0, 20, compare_with="999999"), headers=HTMX)
    assert response.status_code == 201 and 'id="evidence-pane"' not in response.content.decode()
    assert Span.objects.count() == 1


def test_without_htmx_a_save_from_the_compare_view_returns_there(client, alice, article, other):
    client.force_login(alice)
    response = post_span(client, article, claim(article, 0, 20, compare_with=other.pk))
    span = Span.objects.get()
    assert response.url == f"{reverse('article-compare', args=[article.pk])}?with={other.pk}#span-{span.pk}"


# ---- what a save costs: the same queries on an article of 10 spans or 2,000 ---------------------------------------

# Counted as a request runs in production (transaction=True: no test transaction around it). The session with its
# user and their permissions; the article (for an edit, the span, knowing whether it has evidence: one query more to
# read it when it has) with its story and the writer's standing; then the write's transaction (BEGIN ... COMMIT):
# on PostgreSQL the article's regrouping lock (SQLite's BEGIN IMMEDIATE is its lock), the overlap chain and the stored
# groups it can touch, with what the answer shows (the spans near the save, the tallies, the next list entry)
# carried along in the same read, compiled before the lock; the groups' writes (one INSERT ... ON CONFLICT), the
# moved spans' group pointers (one UPDATE; this create splits a group, so one span moves), the groups' history (one
# INSERT); the span's write (a new one inserted with its group) and its history row. Nothing after the commit.
# A create that joins another reviewer's claim moves no span: no pointer UPDATE.
SAVE_QUERIES = {"join": 9, "create": 10, "edit": 9, "delete": 14}


def save_queries(kind: str) -> int:
    """SAVE_QUERIES on this database: one more where the article's lock is a row lock of its own (PostgreSQL)."""
    return SAVE_QUERIES[kind] + int(connection.features.has_select_for_update)


def long_report(sentences: int = 400) -> str:
    """A report of our own: `sentences` claims of figures and dates, four to a paragraph."""
    claims = [
        f"The {['bridge', 'tunnel', 'ferry', 'road'][n % 4]} number {n} will cost {3 * n + 7} million euros by "
        f"{2027 + n % 9}, officials said."
        for n in range(sentences)
    ]
    return "\n\n".join(" ".join(claims[i : i + 4]) for i in range(0, sentences, 4))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("count", [10, 2000])
def test_a_save_makes_the_same_queries_on_an_article_of_10_or_2000_spans(
    client, alice, bob, carol, count, django_assert_num_queries
):
    story = make_story("Bridges and tunnels", bodies=[long_report(), "Another report on the same bridges."])
    article = story.articles.order_by("pk").first()
    middle, apart = 200, 300
    mark_in_bulk(article, [alice, bob, carol], count, skip={middle, apart})
    start, end = sentences(article.body)[middle]
    mark_range(article, bob, start, end, "conflicting")  # the same neighbourhood at either size
    own = mark_range(article, alice, start, start + 20, "consistent")
    mark_range(article, bob, *sentences(article.body)[apart], "consistent")
    assert Span.objects.filter(article=article).count() == count + 3
    client.force_login(alice)
    connection.features.supports_json_field  # noqa: B018  # SQLite's one probe per process, before its first JSON

    with django_assert_num_queries(save_queries("join")):  # the same sentence as bob's: his claim, no span moves
        response = post_span(client, article, claim(article, *sentences(article.body)[apart]), headers=HTMX)
    assert response.status_code == 201

    with django_assert_num_queries(save_queries("create")) as captured:
        response = post_span(client, article, claim(article, start, end, note="Off by a year."), headers=HTMX)
    assert response.status_code == 201
    # PostgreSQL's row lock on the article, taken once, after BEGIN and before the chain's read.
    sql = [query["sql"] for query in captured.captured_queries]
    locks = [n for n, statement in enumerate(sql) if "FOR UPDATE" in statement]
    assert len(locks) == int(connection.features.has_select_for_update)
    assert all(sql[n - 1].startswith("BEGIN") and '"review_claimgroup"' in sql[n + 1] for n in locks)
    with django_assert_num_queries(save_queries("edit")):
        response = client.post(reverse("span-update", args=[own.pk]), {"label": "unsupported"}, headers=HTMX)
    assert response.status_code == 200
    with django_assert_num_queries(save_queries("delete")):
        response = client.post(reverse("span-delete", args=[own.pk]), headers=HTMX)
    assert response.status_code == 200
    assert Span.objects.filter(article=article).count() == count + 4
    # The answer is the saved span's part of the body, never the whole workspace.
    assert 'id="workspace"' not in response.content.decode() and len(response.content) < 10_000


# ---- the answer is the page: drawn from what the write read, it shows what a reload shows --------------------------

PART = re.compile(r'<span class="part" id="part-(\d+)"(?: hx-swap-oob="true")?>(.*?)</span>', re.S)
COUNTS = re.compile(r'<ul class="counts" id="span-counts"[^>]*>(.*?)</ul>', re.S)


def parts(html: str) -> dict[int, str]:
    return {int(index): inner for index, inner in PART.findall(html)}


def test_every_answer_shows_its_parts_and_counts_as_the_page_shows_them_after_it(client, alice, bob):
    """Creates, edits and deletes, overlapping one another and another reviewer's marks (hidden from alice, still
    blind): each answer's parts of the body, total and counts are the ones the page then draws."""
    body = "\n\n".join(
        f"Paragraph {n}: the council said the bridge will cost {n + 3} million by {2030 + n}, and open in spring."
        for n in range(6)
    )
    article = make_story("Answers", bodies=[body, "Another report."]).articles.order_by("pk").first()
    for n in range(0, 6, 2):  # bob's marks: alice does not see them, and the answer must not show them either
        start = body.index(f"Paragraph {n}")
        mark_range(article, bob, start, start + 40, "conflicting")
    client.force_login(alice)
    page_url = reverse("article-detail", args=[article.pk])

    def check(response, status):
        assert response.status_code == status, response.content[:300]
        answer = response.content.decode()
        page = client.get(page_url).content.decode()
        shown, drawn = parts(answer), parts(page)
        assert shown and all(drawn[index] == html for index, html in shown.items())
        total = Span.objects.filter(article=article, reviewer=alice).count()
        assert f'<span id="span-total" hx-swap-oob="true">{total}</span>' in answer
        assert COUNTS.search(answer).group(1) == COUNTS.search(page).group(1)

    spans = []
    for n, (label, length) in enumerate([("consistent", 30), ("unsupported", 12), ("conflicting", 60)]):
        start, end = trimmed(body, body.index(f"Paragraph {n}") + 5 * n, body.index(f"Paragraph {n}") + 5 * n + length)
        check(post_span(client, article, {**claim(article, start, end), "label": label}, headers=HTMX), 201)
        spans.append(Span.objects.get(article=article, reviewer=alice, start=start))
    inside = trimmed(body, spans[0].start + 2, spans[0].start + 10)  # inside her first mark; then that mark again
    check(post_span(client, article, claim(article, *inside), headers=HTMX), 201)
    check(post_span(client, article, claim(article, spans[0].start, spans[0].end), headers=HTMX), 200)
    check(
        client.post(reverse("span-update", args=[spans[1].pk]), {"label": "consistent", "note": "Hm."}, headers=HTMX),
        200,
    )
    check(client.post(reverse("span-delete", args=[spans[2].pk]), headers=HTMX), 200)


def test_the_chain_read_compiled_before_the_lock_returns_what_the_queryset_returns(alice, bob):
    """A write compiles its first chain read before taking the article's lock (grouping.compiled): the rows,
    converted by the same compiler, are the queryset's own, groups with their dates and flags included."""
    from factcheck.review.grouping import CHAIN_WINDOW, _chain_read, compiled
    from factcheck.review.workspace import answer_along

    article = make_story("Compiled", bodies=[long_report(40), "Another."]).articles.order_by("pk").first()
    mark_in_bulk(article, [alice, bob], 60)
    start, end = sentences(article.body)[5]
    along = answer_along(article=article, user=alice, start=start, end=end, created=True)
    query = _chain_read(article, start - CHAIN_WINDOW, end + CHAIN_WINDOW, [], [], along.expressions)
    rows = compiled(query)()
    assert rows == list(query)
    assert {row[0] for row in rows} == {"g", "s", "a"}


def test_an_answer_read_on_its_own_is_the_one_the_write_carried(alice, bob):
    """save_answer without a carried read (along=None) reads the same expressions in a query of its own."""
    from factcheck.review.services import span_update
    from factcheck.review.workspace import answer_along, save_answer

    article = make_story("Answers alone", bodies=[long_report(20), "Another."]).articles.order_by("pk").first()
    mark_in_bulk(article, [alice, bob], 20)
    span = Span.objects.filter(article=article, reviewer=alice).order_by("start").first()
    along = answer_along(article=article, user=alice, start=span.start, end=span.end)
    span_update(span=span, user=alice, label="unsupported", note="Checked.", along=along)
    assert along.values is not None
    where = {"article": article, "user": alice, "start": span.start, "end": span.end, "span": span}
    carried, alone = save_answer(**where, along=along), save_answer(**where)
    assert (carried.parts, carried.total, carried.entry) == (alone.parts, alone.total, alone.entry)
    assert [c.count for c in carried.counts] == [c.count for c in alone.counts] and carried.entry["note"] == "Checked."
