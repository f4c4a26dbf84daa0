"""The story list as each reader's home: a reviewer's progress and what waits for them, an editor's queue."""

import datetime as dt

import pytest
from django.urls import reverse

from factcheck.articles.models import StoryState
from factcheck.review.services import review_submit
from tests.factories import make_story, mark, mark_many, put

S = StoryState
HOME = reverse("story-list")


def rows(client):
    response = client.get(HOME)
    assert response.status_code == 200
    return response.context["rows"]


def test_a_reviewer_sees_their_progress_and_what_waits_for_them_first(client, story, alice, bob):
    done = make_story("Already reviewed", bodies=["One two three four five.", "Six seven eight nine ten."])
    put(done, S.IN_REVIEW)
    mark(done.articles.first(), alice, "two three", "consistent")
    review_submit(story=done, reviewer=alice)
    later = make_story("Due later", bodies=["Alpha beta gamma."])
    sooner = make_story("Due sooner", bodies=["Delta epsilon zeta."])
    type(later).objects.filter(pk=later.pk).update(due_date=dt.date(2030, 1, 2))
    type(sooner).objects.filter(pk=sooner.pk).update(due_date=dt.date(2030, 1, 1))
    a004 = story.articles.get(source_name__startswith="004")
    a001 = story.articles.get(source_name__startswith="001")
    mark(a004, alice, "by at least three years", "conflicting")
    mark(a004, alice, "Iraqi sources revealed", "consistent")
    mark(a001, alice, "by September 2023", "conflicting")
    client.force_login(alice)
    listed = rows(client)
    # What needs her first (nearest due date first), the submitted one last.
    assert [r.story.title for r in listed] == ["Due sooner", "Due later", story.title, "Already reviewed"]
    seed = listed[2]
    assert (seed.marked_articles, seed.articles, seed.verdicts, seed.submitted) == (2, 5, 3, False)
    assert seed.needs_you == "your review" and not seed.sees_all and seed.agreement is None
    assert (listed[3].marked_articles, listed[3].verdicts, listed[3].submitted, listed[3].needs_you) == (1, 1, True, "")
    page = client.get(HOME).content.decode()
    assert "2 of 5 articles · 3 verdicts" in page and "not submitted" in page
    assert page.index("Waiting for you") < page.index("Due sooner") < page.index("Other stories")
    assert 'datetime="2030-01-01"' in page
    # Blind: no figures of the others yet.
    assert "Claims in dispute" not in page.split("Other stories")[0]


def test_after_submitting_a_reviewer_sees_the_disputed_claims_and_alpha(client, story, alice, bob):
    a004 = story.articles.get(source_name__startswith="004")
    mark(a004, alice, "by at least three years", "conflicting")
    mark(a004, bob, "by at least three years", "consistent")
    mark(a004, alice, "Iraqi sources revealed", "consistent")
    mark(a004, bob, "Iraqi sources revealed", "consistent")
    client.force_login(bob)
    assert not rows(client)[0].sees_all
    review_submit(story=story, reviewer=bob)
    (row,) = rows(client)
    assert row.submitted and row.sees_all and row.disputed == 1 and row.needs_you == ""
    assert row.agreement.units == 2
    page = client.get(HOME).content.decode()
    assert "Claims in dispute" in page and "Agreement" in page and "submitted" in page


def test_an_editors_home_lists_stories_ready_for_approval_and_undecided_disputes_first(client, story, alice, bob, erin):
    a004 = story.articles.get(source_name__startswith="004")
    mark(a004, alice, "by at least three years", "conflicting")
    mark(a004, bob, "by at least three years", "consistent")
    ready = put(make_story("Ready one", bodies=["Some words here."]), S.READY)
    make_story("Quiet one", bodies=["Nothing to do here."])
    client.force_login(erin)
    listed = rows(client)
    waiting = {r.story.title: r.needs_you for r in listed if r.needs_you}
    assert waiting == {ready.title: "ready for your approval", story.title: "1 disputed claim to decide"}
    assert listed[-1].story.title == "Quiet one"
    page = client.get(HOME).content.decode()
    assert (
        page.index("Waiting for you") < page.index("Ready one") < page.index("Other stories") < page.index("Quiet one")
    )
    assert "Your progress" not in page


def test_a_reviewer_with_nothing_assigned_is_told_so(client, story, nobody, django_user_model):
    from tests.factories import make_user

    dave = make_user("dave", "Reviewers")
    client.force_login(dave)
    assert "No story is assigned to you" in client.get(HOME).content.decode()


# ---- query counts: exact, the same at any size -------------------------------------------------


def grow(stories: int, reviewers, spans_per_story: int):
    for n in range(stories):
        s = make_story(f"Grown {n}", bodies=[" ".join(f"word{i}" for i in range(400)), "Another body of text."])
        article = s.articles.first()
        mark_many(article, reviewers, spans_per_story, labels=["consistent", "conflicting"][: len(reviewers)])
        if n % 2:
            for r in reviewers:
                review_submit(story=s, reviewer=r)
        if n % 3 == 0:
            type(s).objects.filter(pk=s.pk).update(due_date=dt.date(2030, 1, 1 + n))


@pytest.mark.parametrize("size", [1, 6])
def test_a_reviewers_home_costs_three_queries_at_any_size(client, story, alice, bob, size, django_assert_num_queries):
    grow(size, [alice, bob], 2 * size)
    client.force_login(alice)
    # the session with its user and their permissions, the stories with their figures, the spans behind the alphas.
    with django_assert_num_queries(3):
        response = client.get(HOME)
    assert len(response.context["rows"]) == size + 1


@pytest.mark.parametrize("size", [1, 6])
def test_an_editors_home_costs_the_same_queries_at_any_size(
    client, story, alice, bob, erin, size, django_assert_num_queries
):
    grow(size, [alice, bob], 2 * size)
    client.force_login(erin)
    # The same four, and the disputed-queue count the editors' top bar shows.
    with django_assert_num_queries(4):
        response = client.get(HOME)
    assert len(response.context["rows"]) == size + 1
