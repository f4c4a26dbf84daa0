"""The editors' changelists: the figures they show, their filters, and a constant number of queries."""

import pytest
from django.urls import reverse

from factcheck.articles.models import Article, Story, StoryState
from factcheck.consensus.agreement import article_agreement, story_agreement
from factcheck.workflow.services import story_transition
from tests.factories import mark_many, mark_range

S = StoryState

# The session with its user and their permissions (one query; the Editors check reads them), then the page queries.
STORY_CHANGELIST_QUERIES = 5
ARTICLE_CHANGELIST_QUERIES = 7
SPAN_CHANGELIST_QUERIES = 5
GROUP_CHANGELIST_QUERIES = 4


def grow(story: Story, reviewers, per_article: int) -> None:
    """Every reviewer marks every claim; the first half of the claims they agree on, the rest they dispute."""
    agree = ["consistent"] * len(reviewers)
    differ = ["consistent", "conflicting", "unsupported"][: len(reviewers)]
    for article in story.articles.all():
        half = per_article // 2
        mark_many(article, reviewers, half, labels=agree)
        body_offset = half * 5
        for at in range(body_offset, body_offset + (per_article - half) * 5, 5):
            for reviewer, label in zip(reviewers, differ, strict=True):
                mark_range(article, reviewer, at, at + 4, label)


def more_stories(count: int) -> None:
    for i in range(count):
        other = Story.objects.create(title=f"Story {i:03}", slug=f"story-{i:03}")
        Article.objects.create(story=other, title=f"Report {i}", raw_text="Raw text.", body=f"Body number {i} here.")


def get(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response


def test_the_story_changelist_shows_state_counts_and_last_change(client, erin, alice, bob, draft_story):
    story = draft_story
    story_transition(story=story, user=erin, target=StoryState.IN_REVIEW, seen_version=story.version)
    article = story.articles.order_by("pk").first()
    mark_many(article, [alice, bob], 1, labels=["consistent", "conflicting"])
    mark_many(article, [alice, bob], 2, labels=["consistent", "consistent"], first=20)
    client.force_login(erin)

    response = get(client, reverse("admin:articles_story_changelist"))
    row = response.context["cl"].result_list[0]
    assert (row.article_count, row.span_count, row.reviewer_count) == (5, 6, 2)
    assert (row.disputed_count, row.consensus_count) == (1, 2)
    assert row.last_change_by == "erin" and row.last_change_reason == "Open for review: Draft → In review"
    expected = story_agreement(story=story)
    assert row.agreement == expected and expected.alpha is not None
    html = response.content.decode()
    assert f">{expected.alpha:.2f}</span>" in html
    # The four counts share one cell, so the changelist fits 1280 px.
    assert '<span class="fc-figs">6 spans · 2 reviewers<br>1 disputed · 2 agreed</span>' in html
    assert '<span class="state state-in_review fc-state fc-state-in_review">In review</span>' in html
    assert f'name="seen_version_{story.pk}" value="{story.version}"' in html


def test_the_story_changelist_costs_the_same_queries_for_few_or_many(
    client, erin, alice, bob, story, django_assert_num_queries
):
    client.force_login(erin)
    url = reverse("admin:articles_story_changelist")
    with django_assert_num_queries(STORY_CHANGELIST_QUERIES):
        get(client, url)
    grow(story, [alice, bob], 30)
    more_stories(40)
    with django_assert_num_queries(STORY_CHANGELIST_QUERIES):
        response = get(client, url)
    assert len(response.context["cl"].result_list) == 41


def test_the_article_changelist_costs_the_same_queries_for_few_or_many(
    client, erin, alice, bob, story, django_assert_num_queries
):
    client.force_login(erin)
    url = reverse("admin:articles_article_changelist")
    with django_assert_num_queries(ARTICLE_CHANGELIST_QUERIES):
        get(client, url)
    grow(story, [alice, bob], 30)
    more_stories(40)
    with django_assert_num_queries(ARTICLE_CHANGELIST_QUERIES):
        response = get(client, url)
    rows = {a.pk: a for a in response.context["cl"].result_list}
    first = story.articles.order_by("pk").first()
    assert rows[first.pk].agreement == article_agreement(article=first)
    assert (rows[first.pk].span_count, rows[first.pk].reviewer_count) == (60, 2)
    assert (rows[first.pk].disputed_count, rows[first.pk].consensus_count) == (15, 15)


def test_the_span_changelist_costs_the_same_queries_for_few_or_many(
    client, erin, alice, bob, story, django_assert_num_queries
):
    client.force_login(erin)
    mark_many(story.articles.first(), [alice], 1)
    url = reverse("admin:review_span_changelist")
    with django_assert_num_queries(SPAN_CHANGELIST_QUERIES):
        get(client, url)
    grow(story, [alice, bob], 30)
    with django_assert_num_queries(SPAN_CHANGELIST_QUERIES):
        response = get(client, url)
    assert len(response.context["cl"].result_list) == 100


def test_the_group_changelist_costs_the_same_queries_for_few_or_many(
    client, erin, alice, bob, story, django_assert_num_queries
):
    client.force_login(erin)
    mark_many(story.articles.first(), [alice, bob], 1, labels=["consistent", "conflicting"])
    url = reverse("admin:review_claimgroup_changelist")
    with django_assert_num_queries(GROUP_CHANGELIST_QUERIES):
        get(client, url)
    grow(story, [alice, bob], 30)
    with django_assert_num_queries(GROUP_CHANGELIST_QUERIES):
        response = get(client, url)
    assert {g.span_count for g in response.context["cl"].result_list} == {2}


def test_the_story_changelist_puts_what_waits_for_an_editor_first(client, erin, draft_story):
    states = [S.APPROVED, S.DRAFT, S.READY, S.CHANGES_REQUESTED, S.IN_REVIEW]
    for i, state in enumerate(states):
        Story.objects.create(title=f"Story {i}", slug=f"story-{i}", state=state)
    client.force_login(erin)
    rows = get(client, reverse("admin:articles_story_changelist")).context["cl"].result_list
    assert [s.state for s in rows] == [S.READY, S.IN_REVIEW, S.CHANGES_REQUESTED, S.DRAFT, S.DRAFT, S.APPROVED]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"state": "in_review"}, ["us-advisers-remain-in-iraq"]),
        ({"state": "approved"}, []),
        ({"label": "conflicting"}, ["us-advisers-remain-in-iraq"]),
        ({"label": "unsupported"}, []),
        ({"q": "Story 001"}, ["story-001"]),
        ({"q": "Gulan"}, ["us-advisers-remain-in-iraq"]),
    ],
)
def test_the_story_changelist_filters_and_searches(client, erin, alice, draft_story, params, expected):
    story = draft_story
    story_transition(story=story, user=erin, target=StoryState.IN_REVIEW, seen_version=story.version)
    mark_many(story.articles.first(), [alice], 3, label="conflicting")
    more_stories(3)
    client.force_login(erin)
    response = get(
        client, reverse("admin:articles_story_changelist") + "?" + "&".join(f"{k}={v}" for k, v in params.items())
    )
    assert [s.slug for s in response.context["cl"].result_list] == expected


def test_the_reviewer_filter_lists_reviewers_and_keeps_one_row_per_story(client, erin, alice, bob, story):
    mark_many(story.articles.first(), [alice], 10)
    more_stories(2)
    client.force_login(erin)
    url = reverse("admin:articles_story_changelist")
    response = get(client, f"{url}?reviewer={alice.pk}")
    assert [s.slug for s in response.context["cl"].result_list] == [story.slug]
    assert list(get(client, f"{url}?reviewer={bob.pk}").context["cl"].result_list) == []
    assert b">alice</a>" in response.content and b">bob</a>" in response.content


def test_the_span_changelist_filters_by_story_state_label_and_reviewer(client, erin, alice, bob, story):
    article = story.articles.first()
    mark_many(article, [alice], 2, label="conflicting")
    mark_many(article, [bob], 2, label="consistent", step=7)
    client.force_login(erin)
    url = reverse("admin:review_span_changelist")
    assert len(get(client, f"{url}?label=conflicting").context["cl"].result_list) == 2
    assert len(get(client, f"{url}?reviewer={bob.pk}").context["cl"].result_list) == 2
    assert len(get(client, f"{url}?story_state=in_review").context["cl"].result_list) == 4
    assert len(get(client, f"{url}?story_state=approved").context["cl"].result_list) == 0


def test_the_article_changelist_filters_by_label_and_story_state(client, erin, alice, story):
    first = story.articles.order_by("pk").first()
    mark_many(first, [alice], 2, label="unsupported")
    more_stories(2)
    client.force_login(erin)
    url = reverse("admin:articles_article_changelist")
    assert [a.pk for a in get(client, f"{url}?label=unsupported").context["cl"].result_list] == [first.pk]
    assert len(get(client, f"{url}?story_state=in_review").context["cl"].result_list) == 5
    assert len(get(client, f"{url}?story_state=draft").context["cl"].result_list) == 2
    assert len(get(client, f"{url}?story__id__exact={story.pk}").context["cl"].result_list) == 5
