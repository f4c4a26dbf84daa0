"""Input as an attacker or a careless user sends it: refused with a 4xx and a message, stored as typed, never a 5xx."""

import json

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from factcheck.articles.models import Story, StoryState
from factcheck.consensus.models import Comment
from factcheck.dbfaults import MESSAGE
from factcheck.review.models import Evidence, Span
from tests.conftest import word_range

HTMX = {"HX-Request": "true"}
# What a spreadsheet would read as a formula once the leading tab is gone: it must stay as typed here.
TYPED = "\t=1+1 and   two spaces\n"


@pytest.fixture
def article(story):
    return story.articles.get(source_name__startswith="004")


@pytest.fixture
def other(story, article):
    return story.articles.exclude(pk=article.pk).order_by("pk").first()


# ---- text kept as typed ------------------------------------------------------------------------


def test_a_verdict_note_keeps_its_leading_tab_and_spaces(client, alice, article):
    client.force_login(alice)
    start, end = word_range(article.body, 3)
    data = {"start": start, "end": end, "quote": article.body[start:end], "label": "conflicting", "note": TYPED}
    assert client.post(reverse("span-create", args=[article.pk]), data, headers=HTMX).status_code == 201
    span = Span.objects.get()
    assert span.note == TYPED
    edit = client.post(reverse("span-update", args=[span.pk]), {"label": "consistent", "note": "  \t "}, headers=HTMX)
    assert edit.status_code == 200
    span.refresh_from_db()
    assert span.note == ""  # white space alone is no note


def test_a_comment_keeps_its_leading_tab_and_white_space_alone_is_refused(client, alice, disputed_claim):
    client.force_login(alice)
    url = reverse("comment-create", args=[disputed_claim.pk])
    assert client.post(url, {"text": TYPED}, headers=HTMX).status_code == 200
    assert client.post(url, {"text": " \t\n "}, headers=HTMX).status_code == 400
    assert list(Comment.objects.values_list("text", flat=True)) == [TYPED]


def test_a_decision_note_keeps_its_leading_tab(client, erin, disputed_claim):
    client.force_login(erin)
    data = {"final_label": "conflicting", "final_note": TYPED, "version": disputed_claim.version}
    assert client.post(reverse("group-decide", args=[disputed_claim.pk]), data, headers=HTMX).status_code == 200
    disputed_claim.refresh_from_db()
    assert disputed_claim.final_note == TYPED


def test_a_reason_for_changes_keeps_its_leading_tab(client, erin, story):
    Story.objects.filter(pk=story.pk).update(state=StoryState.READY)
    story.refresh_from_db()
    client.force_login(erin)
    url = reverse("admin:articles_story_transition", args=[story.pk])
    data = {"target": StoryState.CHANGES_REQUESTED, "seen_version": story.version, "reason": TYPED}
    assert client.post(url, data).status_code == 302
    story.refresh_from_db()
    assert (story.state, story.state_reason) == (StoryState.CHANGES_REQUESTED, TYPED)


# ---- offsets and evidence as an attacker posts them --------------------------------------------


def evidence_json(other, **change) -> str:
    start, end = word_range(other.body, 0)
    return json.dumps({"article": other.pk, "start": start, "end": end, "quote": other.body[start:end], **change})


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ('{"article": 1e309, "start": 0, "end": 4, "quote": "x"}', "names no article"),
        ('{"article": 99999999999999999999999, "start": 0, "end": 4, "quote": "x"}', "names no article"),
        ('{"article": "٣", "start": 0, "end": 4, "quote": "x"}', "names no article"),
        ('{"article": true, "start": 0, "end": 4, "quote": "x"}', "names no article"),
        ('{"article": OTHER, "start": 4.9, "end": 9, "quote": "x"}', "digits 0-9 only"),
        ('{"article": OTHER, "start": "0", "end": 1e309, "quote": "x"}', "digits 0-9 only"),
        ('{"article": OTHER, "start": " 0", "end": 4, "quote": "x"}', "digits 0-9 only"),
        ('{"article": OTHER, "start": 0, "end": 4, "quote": ["x"]}', "could not be read"),
        ("[1, 2, 3, 4]", "could not be read"),
        ('"just a string"', "could not be read"),
        ("[" * 100_000, "could not be read"),
    ],
)
def test_hostile_evidence_is_a_400_with_a_message(client, alice, article, other, raw, message):
    client.force_login(alice)
    start, end = word_range(article.body, 3)
    data = {
        "start": start,
        "end": end,
        "quote": article.body[start:end],
        "label": "conflicting",
        "evidence": [raw.replace("OTHER", str(other.pk))],
    }
    response = client.post(reverse("span-create", args=[article.pk]), data, headers=HTMX)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Span.objects.exists() and not Evidence.objects.exists()


def test_evidence_that_cuts_a_grapheme_is_refused(client, alice, story, article):
    family = "👨\u200d👩\u200d👧\u200d👦"
    body = f"The family {family} is an emoji."
    emoji = story.articles.create(title="Emoji", raw_text=body, body=body)
    client.force_login(alice)
    start, end = word_range(article.body, 3)
    at = body.index(family)
    passage = json.dumps({"article": emoji.pk, "start": at, "end": at + 1, "quote": body[at]})
    data = {"start": start, "end": end, "quote": article.body[start:end], "label": "consistent", "evidence": [passage]}
    response = client.post(reverse("span-create", args=[article.pk]), data, headers=HTMX)
    assert response.status_code == 400 and "cuts a character in two" in response.content.decode()
    assert not Span.objects.exists()


# ---- a database that cannot be reached ---------------------------------------------------------


def test_a_query_that_finds_no_database_is_a_plain_503_not_a_500(monkeypatch, client, alice, story):
    """The same page through the test client, the database swapped for one that cannot be reached."""
    from factcheck.articles import views

    def unreachable(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr(views, "render", unreachable)
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    response = client.get(reverse("story-list"))
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert MESSAGE in response.content.decode()
