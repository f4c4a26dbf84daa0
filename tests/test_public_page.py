"""The public fact-check page: approved stories only, no login, the ClaimReview embedded, every approval a version."""

import datetime as dt
import json
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from factcheck.articles.models import StoryState
from factcheck.consensus.services import group_decide
from factcheck.exports.models import Publication
from factcheck.review.models import ClaimGroup, Span
from factcheck.review.services import EvidenceRef, review_submit
from factcheck.workflow.services import story_transition
from tests.factories import approve, find, mark

JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture
def checked(story, alice, bob, erin):
    """The seed story with a decided dispute (with evidence) and a lone verdict, approved by erin."""
    first, second = story.articles.order_by("pk")[:2]
    word = second.body.split()[2]
    mark(
        first,
        alice,
        "Iraq",
        "conflicting",
        note="</script><script>alert(1)</script>",
        evidence=[EvidenceRef(second.pk, *find(second, word), word)],
    )
    mark(first, bob, "Iraq", "consistent")
    lone = mark(second, alice, second.body.split()[5], "unsupported", note="Nobody else says so.")
    lone.refresh_from_db()  # grouping ran after the write
    for reviewer in (alice, bob):
        review_submit(story=story, reviewer=reviewer)  # their verdicts are final from here on
    group = ClaimGroup.objects.get(article=first)
    group_decide(
        group=group, editor=erin, final_label="conflicting", final_note="Two reports give 2025.", version=group.version
    )
    approve(story, erin)
    return {"group": ClaimGroup.objects.get(pk=group.pk), "lone": lone, "first": first, "second": second}


def reopen(story, erin, reason="A reader wrote in."):
    story.refresh_from_db()
    return story_transition(
        story=story, user=erin, target=StoryState.IN_REVIEW, seen_version=story.version, reason=reason
    )


def embedded(response) -> dict:
    found = JSONLD.findall(response.content.decode())
    assert len(found) == 1
    return json.loads(found[0])


def test_a_visitor_reads_the_approved_story_without_logging_in(client, story, checked):
    url = reverse("factcheck-page", args=[story.slug])
    response = client.get(url)
    assert response.status_code == 200
    page = unescape(response.content.decode())
    story.refresh_from_db()
    assert story.title in page and "Factcheck newsroom" in page
    assert story.approved_at.strftime("%-d %B %Y") in page
    for article in story.articles.all():
        assert article.title in page
    group, lone = checked["group"], checked["lone"]
    assert f'id="claim-g{group.pk}"' in page and f'href="#claim-g{group.pk}"' in page
    assert f'id="claim-g{lone.group_id}"' in page
    assert "Two reports give 2025." in page and "Nobody else says so." in page
    assert "Evidence in the other reports:" in page and checked["second"].title in page
    # A highlighted claim is the verdict's colour; the undecided text is not marked.
    assert '<mark class="seg l-conflicting"' in page and '<mark class="seg l-unsupported"' in page


def test_the_page_embeds_its_claimreview_as_data_allowed_by_the_csp(client, story, checked):
    response = client.get(reverse("factcheck-page", args=[story.slug]))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    # A note cannot close the data block: "<" is escaped inside it, and the parsed text is the original.
    html = response.content.decode()
    assert "</script><script>alert(1)" not in html
    document = embedded(response)
    page_url = "http://testserver" + reverse("factcheck-page", args=[story.slug])
    reviews = document["@graph"]
    assert len(reviews) == 2
    story.refresh_from_db()
    for review in reviews:
        assert review["@type"] == "ClaimReview" and review["claimReviewed"]
        assert review["reviewRating"]["alternateName"] in ("Conflicting", "Unsupported")
        assert review["itemReviewed"]["@type"] == "Claim"
        assert review["author"]["name"] == "Factcheck newsroom"
        assert review["url"].startswith(page_url + "#claim-")
        assert review["datePublished"] == review["dateModified"] == story.approved_at.date().isoformat()


@pytest.mark.parametrize("state", [StoryState.DRAFT, StoryState.IN_REVIEW, StoryState.READY])
def test_a_story_never_approved_has_no_public_page(client, story, alice, state):
    mark(story.articles.first(), alice, "Iraq", "consistent")
    story.state = state
    story.save()
    article = story.articles.first()
    assert client.get(reverse("factcheck-page", args=[story.slug])).status_code == 404
    assert client.get(reverse("factcheck-article-text", args=[story.slug, article.pk])).status_code == 404
    assert client.get(reverse("factcheck-version", args=[story.slug, 1])).status_code == 404
    assert client.get(reverse("factcheck-page", args=["no-such-story"])).status_code == 404
    assert not Publication.objects.exists()


def test_a_reopened_story_says_it_is_being_revised_and_keeps_its_page(client, story, checked, erin):
    reopen(story, erin)
    response = client.get(reverse("factcheck-page", args=[story.slug]))
    assert response.status_code == 200
    assert "This fact-check is being revised." in response.content.decode()
    assert embedded(response)["@graph"]


def test_each_approval_is_a_version_and_earlier_ones_stay_as_they_were(client, story, checked, erin, alice):
    first_approval = Publication.objects.get(story=story).approved_at
    reopen(story, erin)
    group = checked["group"]
    group_decide(
        group=group,
        editor=erin,
        final_label="consistent",
        final_note="The ministry confirmed it.",
        version=group.version,
    )
    Span.objects.filter(pk=checked["lone"].pk).update(note="Changed after the first approval.")
    # The second approval comes a day later, so the two dates differ.
    later = timezone.now() + dt.timedelta(days=1)
    story.refresh_from_db()
    story_transition(story=story, user=alice, target=StoryState.READY, seen_version=story.version)
    story.refresh_from_db()
    story_transition(story=story, user=erin, target=StoryState.APPROVED, seen_version=story.version)
    Publication.objects.filter(story=story, number=2).update(approved_at=later)
    assert list(Publication.objects.filter(story=story).values_list("number", flat=True)) == [1, 2]

    current = client.get(reverse("factcheck-page", args=[story.slug]))
    page = current.content.decode()
    assert "The ministry confirmed it." in page and "version 2" in page
    second_pub = Publication.objects.get(story=story, number=2)
    assert second_pub.first_published_at == first_approval
    for review in second_pub.claimreview["@graph"]:
        assert review["datePublished"] == first_approval.date().isoformat()

    old = client.get(reverse("factcheck-version", args=[story.slug, 1]))
    assert old.status_code == 200
    old_page = unescape(old.content.decode())
    assert "Two reports give 2025." in old_page and "The ministry confirmed it." not in old_page
    assert "Nobody else says so." in old_page and "This is version 1" in old_page
    assert '<meta name="robots" content="noindex">' in old_page
    assert 'rel="canonical" href="http://testserver' + reverse("factcheck-page", args=[story.slug]) in old_page
    ratings = [r["reviewRating"]["name"] for r in embedded(old)["@graph"]]
    assert ratings == ["conflicting", "unsupported"]


def test_the_published_text_is_what_the_offsets_count_into(client, story, checked):
    lone = checked["lone"]
    response = client.get(reverse("factcheck-article-text", args=[story.slug, lone.article_id]))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode()[lone.start : lone.end] == lone.quote
    version = client.get(reverse("factcheck-version-article-text", args=[story.slug, 1, lone.article_id]))
    assert version.content == response.content
    other_story_article = 10_000
    missing = client.get(reverse("factcheck-article-text", args=[story.slug, other_story_article]))
    assert missing.status_code == 404


def test_the_public_page_costs_the_same_queries_for_few_or_many_claims(
    client, story, alice, bob, erin, django_assert_num_queries
):
    article = story.articles.order_by("pk").first()
    mark(article, alice, "Iraq", "consistent")
    approve(story, erin)
    url = reverse("factcheck-page", args=[story.slug])
    # The story, its latest publication, the list of versions.
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200
    reopen(story, erin)
    words = [w for w in dict.fromkeys(article.body.split()) if len(w) > 6][:30]
    for word in words:
        mark(article, bob, word, "unsupported")
    approve(story, erin)
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200


def test_the_desk_and_the_exports_page_link_the_public_page(client, story, checked, erin):
    client.force_login(erin)
    url = reverse("factcheck-page", args=[story.slug])
    desk = client.get(reverse("admin:articles_story_change", args=[story.pk])).content.decode()
    assert f'href="{url}"' in desk and reverse("factcheck-version", args=[story.slug, 1]) in desk
    exports = client.get(reverse("export-index")).content.decode()
    assert f'href="{url}"' in exports


def test_an_approval_is_undone_if_it_cannot_be_published(story, erin, monkeypatch):
    from factcheck.exports import publishing

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(publishing, "publication_create", broken)
    story.state = StoryState.READY
    story.save()
    with pytest.raises(RuntimeError):
        story_transition(story=story, user=erin, target=StoryState.APPROVED, seen_version=story.version)
    story.refresh_from_db()
    assert story.state == StoryState.READY and not Publication.objects.exists()


def test_a_story_approved_before_publications_existed_is_published_on_its_first_visit(client, story, erin):
    # Approved around the workflow (as rows from before this feature were): no publication yet.
    story.state, story.approved_at, story.approved_by = StoryState.APPROVED, timezone.now(), erin
    story.save()
    assert not Publication.objects.exists()
    assert client.get(reverse("factcheck-page", args=[story.slug])).status_code == 200
    assert client.get(reverse("factcheck-page", args=[story.slug])).status_code == 200
    publication = Publication.objects.get()
    assert (publication.number, publication.approved_at, publication.approved_by) == (1, story.approved_at, erin)
