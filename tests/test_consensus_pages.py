"""The consensus page and the disputed queue: what they show, their filters, and constant query counts."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from factcheck.consensus.services import group_decide
from factcheck.review.models import ClaimGroup
from factcheck.review.services import EvidenceRef, review_submit, span_create
from tests.factories import assign, discuss, mark, send_back, trimmed


@pytest.fixture
def marked(story, alice, bob):
    """The seed conflicts as two reviewers mark them, both submitted."""
    a001 = story.articles.get(source_name__startswith="001")
    a000 = story.articles.get(source_name__startswith="000")
    a004 = story.articles.get(source_name__startswith="004")
    date = "reduce American military presence in Iraq by September 2023"
    start = a001.body.index(date)
    passage = "by September 2025"
    at = a000.body.index(passage)
    span_create(
        article=a001,
        reviewer=alice,
        start=start,
        end=start + len(date),
        quote=date,
        label="conflicting",
        evidence=[EvidenceRef(a000.pk, at, at + len(passage), passage)],
    )
    mark(a001, bob, "by September 2023", "unsupported")
    mark(a004, alice, "by at least three years", "conflicting")
    mark(a004, bob, "at least three years", "conflicting")
    mark(a000, bob, "between 250 and 350 U.S. advisers", "consistent")
    for reviewer in (alice, bob):
        review_submit(story=story, reviewer=reviewer)
    return story


def page(client, story, **params):
    return client.get(reverse("story-consensus", args=[story.slug]), params)


def test_the_page_sets_each_groups_reviewers_and_labels_side_by_side(client, marked, alice):
    client.force_login(alice)
    response = page(client, marked)
    assert response.status_code == 200
    body = response.content.decode()
    assert "reduce American military presence in Iraq by September 2023" in body
    assert 'class="cx-row cx-disputed"' in body and 'class="cx-row cx-consensus"' in body
    # alice's evidence from another article shows beside her verdict.
    assert '<span class="cx-evidence" title="Iraq to Retain Small Number' in body and "“by September 2025”" in body
    assert ">alice</th>" in body and ">bob</th>" in body
    counts = response.context["counts"]
    assert (counts["disputed"], counts["consensus"], counts["single"]) == (1, 1, 1)


def test_the_page_shows_alpha_for_the_story_and_each_article(client, marked, alice):
    client.force_login(alice)
    response = page(client, marked)
    agreement = response.context["agreement"]
    # Two claims with both reviewers: one agreed (conflicting, conflicting), one not.
    assert (agreement.story.units, agreement.story.reviewers) == (2, 2)
    assert f"{agreement.story.alpha:.3f}" in response.content.decode()
    a004 = marked.articles.get(source_name__startswith="004")
    assert response.context["agreement"].for_article(a004.pk).note.startswith("all paired verdicts agree")


def test_the_disputed_filter_keeps_only_disputed_groups(client, marked, alice):
    client.force_login(alice)
    response = page(client, marked, disputed="1")
    groups = [group for section in response.context["sections"] for group in section["groups"]]
    assert [group.status for group in groups] == ["disputed"]
    assert b"by at least three years" not in response.content


def test_the_label_filter_matches_any_reviewers_verdict_or_the_outcome(client, marked, alice):
    client.force_login(alice)
    response = page(client, marked, label="unsupported")
    groups = [group for section in response.context["sections"] for group in section["groups"]]
    assert [group.claim for group in groups] == ["reduce American military presence in Iraq by September 2023"]
    response = page(client, marked, label="conflicting")
    assert len([g for s in response.context["sections"] for g in s["groups"]]) == 2


def test_the_article_filter_shows_one_article(client, marked, alice):
    client.force_login(alice)
    a004 = marked.articles.get(source_name__startswith="004")
    response = page(client, marked, article=a004.pk)
    assert [section["article"] for section in response.context["sections"]] == [a004]


@pytest.mark.parametrize("params", [{"label": "false"}, {"article": "999999"}, {"article": "x"}])
def test_a_filter_that_cannot_match_is_a_400_with_a_reason(client, marked, alice, params):
    client.force_login(alice)
    response = page(client, marked, **params)
    assert response.status_code == 400
    assert b"There is no verdict" in response.content or b"not part of this story" in response.content


def test_a_bad_filter_over_htmx_answers_with_the_fragment_and_its_reason(client, marked, alice):
    client.force_login(alice)
    response = client.get(
        reverse("story-consensus", args=[marked.slug]), {"label": "maybe"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="groups"') and "There is no verdict “maybe”" in body


def test_htmx_filtering_returns_only_the_groups_fragment(client, marked, alice):
    client.force_login(alice)
    response = client.get(
        reverse("story-consensus", args=[marked.slug]), {"disputed": "1"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="groups"') and "<html" not in body
    assert "September 2023" in body


def test_the_final_label_shows_on_the_page_once_decided(client, marked, alice, erin):
    group = ClaimGroup.objects.get(status="disputed")
    group_decide(
        group=group, editor=erin, final_label="conflicting", final_note="2025 elsewhere.", version=group.version
    )
    client.force_login(alice)
    body = page(client, marked).content.decode()
    assert "cx-is-decided" in body and "decided</span>" in body
    assert page(client, marked).context["counts"]["decided"] == 1


def test_the_queue_lists_undecided_disputes_across_stories_oldest_first(client, marked, erin, alice, bob):
    from factcheck.articles.models import Article, Story

    other = Story.objects.create(title="Second story", slug="second", state="in_review")
    assign(other)
    text = "The base will close in 2026, officials said."
    article = Article.objects.create(story=other, title="Base closing", raw_text=text, body=text)
    mark(article, alice, "close in 2026", "consistent")
    mark(article, bob, "in 2026", "conflicting")
    client.force_login(erin)
    response = client.get(reverse("disputed-queue"))
    assert response.status_code == 200
    groups = list(response.context["page"].object_list)
    assert [g.article.story.slug for g in groups] == ["us-advisers-remain-in-iraq", "second"]
    assert b'Disputed <span class="badge"' in response.content and b">2</span>" in response.content
    first = groups[0]
    group_decide(group=first, editor=erin, final_label="conflicting", final_note="Settled.", version=first.version)
    groups = list(client.get(reverse("disputed-queue")).context["page"].object_list)
    assert [g.article.story.slug for g in groups] == ["second"]


def test_a_claim_whose_spans_are_gone_keeps_its_thread_visible_and_flagged(client, marked, alice, bob):
    from factcheck.review.models import Span
    from factcheck.review.services import span_delete

    group = ClaimGroup.objects.get(status="disputed")
    discuss(group, bob, "Kept for the record")
    send_back(marked)  # the reviews are in: only a story sent back lets its reviewers remove spans
    for span in Span.objects.filter(group=group):
        span_delete(span=span, user=span.reviewer)
    client.force_login(alice)
    body = page(client, marked).content.decode()
    assert f'id="claim-{group.pk}"' in body and "cx-orphan" in body and "no spans left" in body
    claim = client.get(reverse("group-detail", args=[group.pk])).content.decode()
    assert "Its thread and decision are kept here." in claim and "Kept for the record" in claim


def test_the_story_page_links_to_the_consensus_page(client, marked, alice):
    client.force_login(alice)
    assert reverse("story-consensus", args=[marked.slug]).encode() in client.get(marked.get_absolute_url()).content


# ---- query counts: exact, and the same at small and large sizes ---------------------------------


def grow(story, reviewers: int, per_article: int, django_user_model):
    """`reviewers` reviewers each mark `per_article` claims in every article, with evidence and comments."""
    group = Group.objects.get(name="Reviewers")
    users = []
    for n in range(reviewers):
        user = django_user_model.objects.create_user(f"reviewer{n}", password="x")
        user.groups.add(group)
        users.append(user)
    story.reviewers.add(*users)
    articles = list(story.articles.all())
    labels = ["consistent", "conflicting", "unsupported"]
    for article in articles:
        other = next(a for a in articles if a.pk != article.pk)
        passage = trimmed(other.body, 0, 10)
        for claim in range(per_article):
            start = 40 * claim + 200
            for n, user in enumerate(users):
                # overlapping, a little different per reviewer
                begin, end = trimmed(article.body, start, start + 20 + n)
                quote = article.body[begin:end]
                if not quote.strip():
                    continue
                span_create(
                    article=article,
                    reviewer=user,
                    start=begin,
                    end=end,
                    quote=quote,
                    label=labels[0] if claim % 2 else labels[n % 3],  # odd claims agree, even ones not
                    evidence=[EvidenceRef(other.pk, *passage, other.body[slice(*passage)])],
                )
    for group in ClaimGroup.objects.filter(article__story=story):
        discuss(group, users[0], "A comment")
    for user in users:
        review_submit(story=story, reviewer=user)
    return users


SIZES = [(2, 1), (6, 8)]


@pytest.mark.parametrize(("reviewers", "per_article"), SIZES)
def test_the_consensus_page_costs_eight_queries_for_an_editor_at_any_size(
    client, story, erin, django_user_model, django_assert_num_queries, reviewers, per_article
):
    grow(story, reviewers, per_article, django_user_model)
    client.force_login(erin)
    # the session with its user and their permissions (1), story, access flags, articles, groups, the span rows,
    # the shown claims' spans with their evidence, nav count
    with django_assert_num_queries(8):
        response = page(client, story)
    groups = sum(len(section["groups"]) for section in response.context["sections"])
    assert groups == ClaimGroup.objects.filter(article__story=story).count() and groups >= 5 * per_article
    assert len(response.context["reviewers"]) == reviewers


@pytest.mark.parametrize(("reviewers", "per_article"), SIZES)
def test_the_consensus_page_costs_seven_queries_for_a_reviewer_at_any_size(
    client, story, django_user_model, django_assert_num_queries, reviewers, per_article
):
    users = grow(story, reviewers, per_article, django_user_model)
    client.force_login(users[0])
    with django_assert_num_queries(7):
        response = page(client, story, disputed="1")
    assert response.status_code == 200


@pytest.mark.parametrize(("reviewers", "per_article"), SIZES)
def test_the_queue_costs_five_queries_at_any_size(
    client, story, erin, django_user_model, django_assert_num_queries, reviewers, per_article
):
    grow(story, reviewers, per_article, django_user_model)
    client.force_login(erin)
    # the session with its user and their permissions (1), count, page of groups, their spans with reviewers, nav count
    with django_assert_num_queries(5):
        response = client.get(reverse("disputed-queue"))
    assert response.context["page"].paginator.count == ClaimGroup.objects.filter(status="disputed").count() > 0


def test_a_claim_counts_reviewers_not_spans(client, story, alice, bob, carol):
    """Alice marks a sentence and a phrase inside it with other labels: two claims, one vote each."""
    a004 = story.articles.get(source_name__startswith="004")
    clause = (
        "delay the planned withdrawal of US forces, originally scheduled for September 2025, by at least three years"
    )
    mark(a004, alice, clause, "unsupported")
    mark(a004, alice, "by at least three years", "consistent")
    mark(a004, bob, "by at least three years", "consistent")
    mark(a004, carol, "by at least three years", "conflicting")
    phrase = ClaimGroup.objects.get(spans__quote="by at least three years", spans__reviewer=bob)
    assert phrase.reviewer_count == 3 and phrase.status == "consensus" and phrase.label == "consistent"
    assert phrase.spans.count() == 3
    sentence = ClaimGroup.objects.get(spans__quote=clause)
    assert sentence.spans.count() == 1 and sentence.status == "single"
    review_submit(story=story, reviewer=alice)
    client.force_login(alice)
    page = client.get(reverse("story-consensus", args=[story.slug])).content.decode()
    assert "2 of 3 reviewers agree" in page
    assert "1 of 1 reviewer agree" in page


def test_a_large_story_shows_its_claims_a_page_at_a_time_with_every_count(client, story, erin, django_user_model):
    from factcheck.consensus.views import CLAIMS_PER_PAGE

    grow(story, 2, 30, django_user_model)
    total = ClaimGroup.objects.filter(article__story=story).count()
    assert total > CLAIMS_PER_PAGE
    client.force_login(erin)
    first = page(client, story)
    shown = [g.pk for s in first.context["sections"] for g in s["groups"]]
    assert len(shown) == CLAIMS_PER_PAGE and first.context["counts"]["groups"] == total
    body = first.content.decode()
    assert f"Claims 1–{CLAIMS_PER_PAGE} of {total}" in body and "page=2" in body
    second = page(client, story, page="2")
    more = [g.pk for s in second.context["sections"] for g in s["groups"]]
    assert more and not set(more) & set(shown)
    # A filter keeps paging within what it matches, and the page links keep the filter.
    filtered = page(client, story, label="conflicting", page="1")
    assert all(
        "conflicting" in (g.labels + [g.label, g.final_label])
        for s in filtered.context["sections"]
        for g in s["groups"]
    )
    if filtered.context["page"].has_next():
        assert "label=conflicting&amp;page=2" in filtered.content.decode()
