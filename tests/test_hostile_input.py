"""Input as an attacker or a careless user sends it: refused with a 4xx and a message, stored as typed, never a 5xx."""

import json

import pytest
from django.urls import reverse

from factcheck.articles.models import Story, StoryState
from factcheck.consensus.models import ClaimGroup, Comment
from factcheck.consensus.services import review_submit
from factcheck.review.models import Evidence, Span
from factcheck.review.services import span_create

HTMX = {"HX-Request": "true"}
# What a spreadsheet would read as a formula once the leading tab is gone: it must stay as typed here.
TYPED = "\t=1+1 and   two spaces\n"


@pytest.fixture
def article(story):
    return story.articles.get(source_name__startswith="004")


@pytest.fixture
def other(story, article):
    return story.articles.exclude(pk=article.pk).order_by("pk").first()


def words(body: str, first: int, count: int = 3) -> tuple[int, int]:
    """The code-point range of `count` words of `body`, starting at its `first` word."""
    starts, ends, inside = [], [], False
    for index, char in enumerate(body + " "):
        if not char.isspace() and not inside:
            starts.append(index)
        elif char.isspace() and inside:
            ends.append(index)
        inside = not char.isspace()
    return starts[first], ends[first + count - 1]


@pytest.fixture
def group(story, article, alice, bob):
    start, end = words(article.body, 10)
    for reviewer, label in ((alice, "conflicting"), (bob, "consistent")):
        span_create(
            article=article, reviewer=reviewer, start=start, end=end, quote=article.body[start:end], label=label
        )
        review_submit(story=story, reviewer=reviewer)
    return ClaimGroup.objects.get()


# ---- text kept as typed ------------------------------------------------------------------------


def test_a_verdict_note_keeps_its_leading_tab_and_spaces(client, alice, article):
    client.force_login(alice)
    start, end = words(article.body, 3)
    data = {"start": start, "end": end, "quote": article.body[start:end], "label": "conflicting", "note": TYPED}
    assert client.post(reverse("span-create", args=[article.pk]), data, headers=HTMX).status_code == 201
    span = Span.objects.get()
    assert span.note == TYPED
    edit = client.post(reverse("span-update", args=[span.pk]), {"label": "consistent", "note": "  \t "}, headers=HTMX)
    assert edit.status_code == 200
    span.refresh_from_db()
    assert span.note == ""  # white space alone is no note


def test_a_comment_keeps_its_leading_tab_and_white_space_alone_is_refused(client, alice, group):
    client.force_login(alice)
    url = reverse("comment-create", args=[group.pk])
    assert client.post(url, {"text": TYPED}, headers=HTMX).status_code == 200
    assert client.post(url, {"text": " \t\n "}, headers=HTMX).status_code == 400
    assert list(Comment.objects.values_list("text", flat=True)) == [TYPED]


def test_a_decision_note_keeps_its_leading_tab(client, erin, group):
    client.force_login(erin)
    data = {"final_label": "conflicting", "final_note": TYPED, "version": group.version}
    assert client.post(reverse("group-decide", args=[group.pk]), data, headers=HTMX).status_code == 200
    group.refresh_from_db()
    assert group.final_note == TYPED


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
    start, end = words(other.body, 0)
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
    start, end = words(article.body, 3)
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
    start, end = words(article.body, 3)
    at = body.index(family)
    passage = json.dumps({"article": emoji.pk, "start": at, "end": at + 1, "quote": body[at]})
    data = {"start": start, "end": end, "quote": article.body[start:end], "label": "consistent", "evidence": [passage]}
    response = client.post(reverse("span-create", args=[article.pk]), data, headers=HTMX)
    assert response.status_code == 400 and "cuts a character in two" in response.content.decode()
    assert not Span.objects.exists()
