"""Ready for approval or approved means frozen: every path that could change the published result refuses.

Each refusal says "reopen the story first" and stores nothing: spans, verdicts, evidence, decisions,
verdict changes after the discussion, articles added (service, command, admin import) or re-cleaned,
an article's details at the desk, and regrouping.
"""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from factcheck.articles.models import Article, StoryFrozen, StoryState
from factcheck.articles.services import article_import, article_reclean
from factcheck.consensus.services import group_decide, verdict_change
from factcheck.review.models import ClaimGroup, Evidence, Span
from factcheck.review.services import EvidenceRef, review_submit, span_create, span_delete, span_update
from factcheck.workflow.services import story_transition
from tests.factories import approve, find, make_story, mark, put

FROZEN = [StoryState.READY, StoryState.APPROVED]
SAID = "reopen the story first"
CLAIM = "by at least three years"


@pytest.fixture
def article(story):
    return story.articles.get(source_name__startswith="004")


@pytest.fixture
def disputed(story, article, alice, bob):
    """A claim alice and bob disagree on, with evidence on alice's span, both reviews submitted."""
    other = story.articles.exclude(pk=article.pk).first()
    word = other.body.split()[2]
    alice_span = mark(article, alice, CLAIM, "conflicting", evidence=[EvidenceRef(other.pk, *find(other, word), word)])
    mark(article, bob, "at least three years", "consistent")
    for reviewer in (alice, bob):
        review_submit(story=story, reviewer=reviewer)
    return ClaimGroup.objects.get(), alice_span


def freeze(story, state, erin):
    return approve(story, erin) if state == StoryState.APPROVED else put(story, state)


def snapshot():
    """Everything the published result is made of, to compare before and after a refused write."""
    return (
        list(Span.objects.order_by("pk").values_list("pk", "label", "note", "start", "end")),
        list(Evidence.objects.order_by("pk").values_list("pk", "span_id", "start", "end")),
        list(ClaimGroup.objects.order_by("pk").values_list("pk", "final_label", "final_note", "version")),
        list(Article.objects.order_by("pk").values_list("pk", "title", "url", "body_sha256", "block_overrides")),
    )


@pytest.mark.parametrize("state", FROZEN)
def test_the_review_services_refuse_spans_verdicts_and_evidence(story, article, disputed, alice, erin, state):
    group, span = disputed
    story = freeze(story, state, erin)
    before = snapshot()
    article.refresh_from_db()
    start = article.body.index("Iraq")
    writes = [
        lambda: span_create(
            article=article, reviewer=alice, start=start, end=start + 4, quote="Iraq", label="consistent"
        ),
        lambda: span_update(span=span, user=alice, label="consistent", note="changed my mind"),
        lambda: span_update(span=span, user=erin, label="unsupported", note="desk correction"),
        lambda: span_update(span=span, user=alice, label="conflicting", note="", evidence=[]),
        lambda: span_delete(span=span, user=alice),
        lambda: verdict_change(span=span, reviewer=alice, label="consistent", note="after the thread"),
        lambda: group_decide(
            group=group, editor=erin, final_label="conflicting", final_note="2025", version=group.version
        ),
    ]
    for write in writes:
        with pytest.raises(StoryFrozen, match=SAID):
            write()
    assert snapshot() == before


@pytest.mark.parametrize("state", FROZEN)
def test_a_decision_is_refused_even_from_a_story_object_read_before_the_approval(story, disputed, erin, state):
    group, _ = disputed
    loaded = ClaimGroup.objects.select_related("article__story").get(pk=group.pk)  # the story still in review
    freeze(story, state, erin)
    with pytest.raises(StoryFrozen, match=SAID):
        group_decide(group=loaded, editor=erin, final_label="consistent", final_note="2025", version=loaded.version)
    assert ClaimGroup.objects.get(pk=group.pk).final_label == ""


def test_after_a_reopen_the_same_decision_is_accepted(story, disputed, erin):
    group, _ = disputed
    approve(story, erin)
    story_transition(story=story, user=erin, target=StoryState.IN_REVIEW, seen_version=story.version, reason="2025?")
    decided = group_decide(
        group=group, editor=erin, final_label="conflicting", final_note="2025", version=group.version
    )
    assert decided.final_label == "conflicting"


@pytest.mark.parametrize("state", FROZEN)
def test_the_article_services_refuse_new_and_recleaned_articles(story, article, erin, state):
    story = freeze(story, state, erin)
    before = snapshot()
    with pytest.raises(StoryFrozen, match=SAID):
        article_import(story=story, raw="A new report.\n\nThe advisers left in 2024, it said.", source_name="new.txt")
    with pytest.raises(StoryFrozen, match=SAID):
        article_reclean(article=article, overrides={"0": False})
    assert snapshot() == before


def test_the_same_text_again_is_not_a_change_and_is_not_refused(story, article, erin):
    approve(story, erin)
    result = article_import(story=story, raw=article.raw_text, source_name=article.source_name)
    assert (result.article, result.created) == (article, False)


def test_a_draft_still_takes_articles(erin, db):
    draft = make_story("Draft story", state=StoryState.DRAFT)
    assert article_import(story=draft, raw="A new report about the advisers.", source_name="a.txt").created


@pytest.mark.parametrize("state", FROZEN)
def test_the_import_command_refuses_and_imports_nothing(story, erin, tmp_path, state):
    freeze(story, state, erin)
    (tmp_path / "new.txt").write_text("A new report.\n\nThe advisers left in 2024, officials said.\n")
    before = Article.objects.count()
    with pytest.raises(CommandError, match=SAID):
        call_command("import_articles", str(tmp_path), "--story", story.title, stdout=io.StringIO())
    assert Article.objects.count() == before


@pytest.mark.parametrize("state", FROZEN)
def test_the_review_pages_answer_403_with_the_reason(client, story, article, disputed, alice, erin, state):
    group, span = disputed
    freeze(story, state, erin)
    before = snapshot()
    client.force_login(alice)
    start = article.body.index("Iraq")
    posted = client.post(
        reverse("span-create", args=[article.pk]),
        {"start": start, "end": start + 4, "quote": "Iraq", "label": "consistent"},
    )
    assert posted.status_code == 403 and SAID in posted.content.decode()
    changed = client.post(
        reverse("verdict-change", args=[group.pk, span.pk]), {"label": "consistent", "note": "after the thread"}
    )
    assert changed.status_code == 403 and SAID in changed.content.decode()
    client.force_login(erin)
    decided = client.post(
        reverse("group-decide", args=[group.pk]),
        {"final_label": "consistent", "final_note": "2025", "version": group.version},
    )
    assert decided.status_code == 403 and SAID in decided.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("state", FROZEN)
def test_the_desk_cannot_change_an_article_of_a_frozen_story(client, story, article, erin, state):
    freeze(story, state, erin)
    client.force_login(erin)
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(url, {"title": "A new title", "outlet": "", "url": "", "published": ""})
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).title == article.title


def test_regroup_skips_a_frozen_story(story, disputed, erin):
    approve(story, erin)
    out = io.StringIO()
    call_command("regroup", "--story", story.slug, stdout=out)
    assert SAID in out.getvalue()


@pytest.mark.parametrize("state", FROZEN)
def test_the_desk_cleaning_page_refuses_to_apply_on_a_frozen_story(client, story, erin, state):
    freeze(story, state, erin)
    article = story.articles.order_by("pk").last()
    client.force_login(erin)
    url = reverse("admin:articles_article_cleaning", args=[article.pk])
    assert "cannot change until an editor reopens the story" in client.get(url).content.decode()
    response = client.post(url, {"apply": "1", "block-0": "drop"})
    assert response.status_code == 403 and SAID in response.content.decode()
    assert Article.objects.get(pk=article.pk).body == article.body


@pytest.mark.parametrize("state", FROZEN)
def test_the_desk_cannot_correct_a_verdict_of_a_frozen_story(client, story, article, disputed, erin, state):
    _, span = disputed
    freeze(story, state, erin)
    client.force_login(erin)
    url = reverse("admin:review_span_change", args=[span.pk])
    response = client.post(url, {"label": "consistent", "note": "desk correction"})
    assert response.status_code == 403
    assert Span.objects.get(pk=span.pk).label == "conflicting"


@pytest.mark.parametrize("state", FROZEN)
def test_the_desk_page_import_refuses_a_frozen_story(client, story, erin, state):
    from django.core.files.uploadedfile import SimpleUploadedFile

    freeze(story, state, erin)
    client.force_login(erin)
    before = Article.objects.count()
    text = b"A new report.\n\nThe advisers left in 2024, officials said on Monday in Baghdad.\n"
    response = client.post(
        reverse("admin:articles_article_import_pages"),
        {"story": story.title, "files": [SimpleUploadedFile("new.txt", text)]},
    )
    assert response.status_code == 403 and SAID in response.content.decode()
    assert Article.objects.count() == before


def test_the_desk_page_import_takes_a_new_version_only_when_ticked(client, story, erin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    seed = story.articles.order_by("pk").first()
    changed = seed.raw_text.replace(seed.body[40:60], "X" + seed.body[41:60], 1).encode()
    client.force_login(erin)
    url = reverse("admin:articles_article_import_pages")
    refused = client.post(url, {"story": story.title, "files": [SimpleUploadedFile("again.txt", changed)]})
    assert refused.status_code == 400 and f"the article {seed.title!r}" in refused.content.decode().replace(
        "&#x27;", "'"
    )
    taken = client.post(
        url, {"story": story.title, "new_version": "1", "files": [SimpleUploadedFile("again.txt", changed)]}
    )
    assert taken.status_code == 200 and story.articles.filter(title=seed.title).count() == 2
