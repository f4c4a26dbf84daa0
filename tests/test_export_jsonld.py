"""ClaimReview and W3C Web Annotation JSON-LD of a story: which claims, their structure, access."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from factcheck.consensus.services import group_decide
from factcheck.review.models import ClaimGroup, GroupStatus, Span
from factcheck.review.services import EvidenceRef
from tests.factories import approve, find, mark


@pytest.fixture
def claims(story, alice, bob, erin):
    """On the seed story: a consensus group, a decided dispute, an undecided dispute and a lone span."""
    first, second = story.articles.order_by("pk")[:2]
    second.outlet, second.url, second.published = "Kurdistan Wire", "https://wire.example/iraq", dt.date(2025, 1, 9)
    second.save()
    words = first.body.split()
    agreed = [mark(first, r, words[3], label="consistent", note=f"{r.username}: matches") for r in (alice, bob)]
    decided = [mark(first, alice, words[8], label="conflicting"), mark(first, bob, words[8], label="consistent")]
    open_dispute = [
        mark(first, alice, words[12], label="conflicting"),
        mark(first, bob, words[12], label="unsupported"),
    ]
    lone = mark(
        second,
        alice,
        second.body.split()[5],
        label="unsupported",
        note="=Nobody else says so",
        evidence=[EvidenceRef(first.pk, *find(first, words[20]), words[20])],
    )

    # Grouping runs on every span write; the decision goes through the editor's service.
    def group(spans) -> ClaimGroup:
        return Span.objects.get(pk=spans[0].pk).group

    groups = {"agreed": group(agreed), "decided": group(decided), "open": group(open_dispute)}
    assert (groups["agreed"].status, groups["agreed"].label) == (GroupStatus.CONSENSUS, "consistent")
    assert groups["decided"].status == groups["open"].status == GroupStatus.DISPUTED
    groups["decided"] = group_decide(
        group=groups["decided"],
        editor=erin,
        final_label="conflicting",
        final_note="2025, not 2023.",
        version=groups["decided"].version,
    )
    lone.refresh_from_db()
    return {"groups": groups, "lone": lone, "first": first, "second": second}


def get_json(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return json.loads(response.content)


def test_claimreview_has_one_review_per_claim_whose_verdict_stands(client, erin, story, claims):
    approve(story, erin)
    client.force_login(erin)
    document = get_json(client, reverse("export-claimreview", args=[story.slug]))
    assert document["@context"] == "https://schema.org"
    reviews = document["@graph"]
    groups = claims["groups"]
    # The undecided dispute has no verdict yet; the claim only alice marked stands with her verdict.
    assert [r["url"].rsplit("#", 1)[1] for r in reviews] == [
        f"claim-g{groups['agreed'].pk}",
        f"claim-g{groups['decided'].pk}",
        f"claim-g{claims['lone'].group_id}",
    ]
    ratings = [(r["reviewRating"]["name"], r["reviewRating"]["alternateName"]) for r in reviews]
    assert ratings == [("consistent", "Consistent"), ("conflicting", "Conflicting"), ("unsupported", "Unsupported")]
    agreed, decided, lone = reviews
    first = claims["first"]
    assert agreed["claimReviewed"] == first.body[groups["agreed"].start : groups["agreed"].end]
    assert agreed["reviewRating"]["ratingExplanation"] == "alice: matches\nbob: matches"
    assert decided["reviewRating"]["ratingExplanation"] == "2025, not 2023."
    # Machine-readable: the original text, no spreadsheet apostrophe.
    assert lone["reviewRating"]["ratingExplanation"] == "=Nobody else says so"
    story.refresh_from_db()
    for review in reviews:
        assert review["@type"] == "ClaimReview"
        assert review["author"] == {"@type": "Organization", "name": "Factcheck newsroom"}
        assert review["datePublished"] == story.approved_at.date().isoformat()
        assert review["reviewRating"]["@type"] == "Rating"
        claim = review["itemReviewed"]
        assert claim["@type"] == "Claim" and claim["text"] == review["claimReviewed"]
        assert claim["appearance"]["@type"] == "NewsArticle"
    appearance = lone["itemReviewed"]["appearance"]
    second = claims["second"]
    assert appearance["headline"] == second.title
    assert (appearance["url"], appearance["datePublished"]) == ("https://wire.example/iraq", "2025-01-09")
    assert appearance["publisher"] == {"@type": "Organization", "name": "Kurdistan Wire"}
    assert lone["itemReviewed"]["author"] == {"@type": "Organization", "name": "Kurdistan Wire"}
    assert "url" not in agreed["itemReviewed"]["appearance"]  # the first article has no address


def test_the_publisher_is_a_setting(client, erin, story, claims, settings):
    settings.FACTCHECK_PUBLISHER_NAME = "The Desk"
    settings.FACTCHECK_PUBLISHER_URL = "https://desk.example/"
    approve(story, erin)
    client.force_login(erin)
    review = get_json(client, reverse("export-claimreview", args=[story.slug]))["@graph"][0]
    assert review["author"] == {"@type": "Organization", "name": "The Desk", "url": "https://desk.example/"}


def test_claimreview_of_a_story_not_yet_approved_is_refused_with_a_reason(client, erin, story, claims):
    client.force_login(erin)
    response = client.get(reverse("export-claimreview", args=[story.slug]))
    assert response.status_code == 409
    assert "is not approved" in response.content.decode()
    with pytest.raises(CommandError, match="is not approved"):
        call_command("export_verdicts", "--format", "claimreview", "--story", story.slug)


def test_the_command_writes_the_same_claimreview_file(client, erin, story, claims, tmp_path, settings):
    approve(story, erin)
    out = tmp_path / "claims.jsonld"
    call_command(
        "export_verdicts",
        "--format",
        "claimreview",
        "--story",
        story.slug,
        "--base-url",
        "http://testserver",
        "-o",
        str(out),
        stderr=io.StringIO(),
    )
    client.force_login(erin)
    assert out.read_bytes() == client.get(reverse("export-claimreview", args=[story.slug])).content


def test_a_json_ld_export_needs_a_story(db):
    with pytest.raises(CommandError, match="give its slug with --story"):
        call_command("export_verdicts", "--format", "annotations")


def test_annotations_are_a_w3c_collection_with_quote_and_position_selectors(client, erin, story, claims):
    client.force_login(erin)
    url = reverse("export-annotations", args=[story.slug])
    document = get_json(client, url)
    assert document["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert document["type"] == "AnnotationCollection" and document["label"] == story.title
    items = document["first"]["items"]
    assert document["first"]["type"] == "AnnotationPage"
    assert document["total"] == len(items) == Span.objects.filter(article__story=story).count() == 7
    ids = [item["id"] for item in items]
    assert len(set(ids)) == len(ids) and all(i.startswith("http://testserver" + url + "#span-") for i in ids)
    lone = claims["lone"]
    item = next(i for i in items if i["id"].endswith(f"#span-{lone.pk}"))
    assert item["type"] == "Annotation" and item["motivation"] == "assessing"
    assert item["creator"]["nickname"] == "alice"
    target = item["target"]
    text_url = reverse("factcheck-article-text", args=[story.slug, lone.article_id])
    assert target["source"] == "http://testserver" + text_url
    quote, position = target["selector"]
    assert quote == {"type": "TextQuoteSelector", "exact": lone.quote, "prefix": lone.prefix, "suffix": lone.suffix}
    assert position == {"type": "TextPositionSelector", "start": lone.start, "end": lone.end}
    # The selectors find the text in the body the article page serves.
    body = lone.article.body
    assert body[position["start"] : position["end"]] == quote["exact"]
    assert body[: position["start"]].endswith(quote["prefix"]) and body[position["end"] :].startswith(quote["suffix"])
    verdict, note, link = item["body"]
    assert (verdict["purpose"], verdict["value"]) == ("assessing", "unsupported")
    assert (note["purpose"], note["value"]) == ("commenting", "=Nobody else says so")
    evidence = lone.evidence.get()
    assert link["purpose"] == "linking"
    assert link["source"] == "http://testserver" + reverse(
        "factcheck-article-text", args=[story.slug, evidence.article_id]
    )
    assert link["selector"][1] == {"type": "TextPositionSelector", "start": evidence.start, "end": evidence.end}
    # The source is public once the story is approved: a visitor gets the very text the positions count into.
    client.logout()
    assert client.get(text_url).status_code == 404
    approve(story, erin)
    served = client.get(text_url)
    assert served.status_code == 200 and served["Content-Type"] == "text/plain; charset=utf-8"
    assert served.content.decode("utf-8")[lone.start : lone.end] == lone.quote


def test_json_ld_exports_are_for_editors_and_a_guessed_story_is_a_404(client, alice, erin, story, claims):
    urls = [reverse(name, args=[story.slug]) for name in ("export-claimreview", "export-annotations")]
    client.force_login(alice)
    assert [client.get(u).status_code for u in urls] == [403, 403]
    client.force_login(erin)
    assert client.get(reverse("export-annotations", args=["no-such-story"])).status_code == 404


def test_json_ld_exports_cost_the_same_queries_for_few_or_many_spans(
    client, erin, alice, bob, story, claims, django_assert_num_queries
):
    approve(story, erin)
    client.force_login(erin)
    urls = [reverse(name, args=[story.slug]) for name in ("export-claimreview", "export-annotations")]
    # The session with its user and their permissions (one query), story, then ClaimReview: the stored
    # publication;
    # annotations: spans with article and reviewer, their evidence.
    expected = [3, 4]
    for url, count in zip(urls, expected, strict=True):
        with django_assert_num_queries(count):
            client.get(url)
    second = claims["second"]
    for start in range(40, 400, 6):
        if second.body[start : start + 4].strip():
            Span.objects.create(
                article=second,
                reviewer=bob,
                start=start,
                end=start + 4,
                quote=second.body[start : start + 4],
                label="consistent",
            )
    for url, count in zip(urls, expected, strict=True):
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200
