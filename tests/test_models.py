"""Database rules: constraints refuse bad rows even past the forms, and a body with spans is frozen."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from factcheck.articles.models import Article, BodyFrozen
from factcheck.review.models import Span
from factcheck.review.services import EvidenceRef, span_create


def raw_span(article, reviewer, start, end, label="consistent"):
    return Span(article=article, reviewer=reviewer, start=start, end=end, quote=article.body[start:end], label=label)


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [(5, 5, "consistent"), (9, 4, "consistent"), (0, 4, "true")],
    ids=["empty", "reversed", "unknown-label"],
)
def test_the_database_refuses_bad_spans(story, alice, start, end, label):
    article = story.articles.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Span.objects.bulk_create([raw_span(article, alice, start, end, label)])
    assert not Span.objects.exists()


def test_the_database_refuses_a_second_row_for_the_same_reviewer_and_span(story, alice, bob):
    article = story.articles.first()
    Span.objects.bulk_create([raw_span(article, alice, 0, 4)])
    with pytest.raises(IntegrityError), transaction.atomic():
        Span.objects.bulk_create([raw_span(article, alice, 0, 4, "conflicting")])
    Span.objects.bulk_create([raw_span(article, bob, 0, 4)])  # another reviewer may mark the same words
    assert Span.objects.count() == 2


def test_the_database_refuses_an_empty_body(story):
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.bulk_create([Article(story=story, title="x", raw_text="x", body="", body_sha256="0")])


def test_a_body_without_spans_can_still_be_corrected(story):
    article = story.articles.first()
    article.body = article.body + "\n\nCorrection appended."
    article.save()
    article.refresh_from_db()
    assert article.body.endswith("Correction appended.")


def test_a_body_with_spans_cannot_change(story, alice):
    article = story.articles.first()
    span_create(article=article, reviewer=alice, start=0, end=4, quote=article.body[:4], label="consistent")
    original = article.body
    article.body = "Something else entirely."
    with pytest.raises(BodyFrozen, match="can no longer change"):
        article.save()
    article.refresh_from_db()
    assert article.body == original


def test_span_create_stores_context_and_returns_the_existing_row_on_a_double_submit(story, alice):
    article = story.articles.get(source_name__startswith="000")
    start = article.body.index("between 250 and 350")
    end = start + len("between 250 and 350")
    first, created = span_create(
        article=article, reviewer=alice, start=start, end=end, quote="between 250 and 350", label="consistent"
    )
    again, created_again = span_create(
        article=article, reviewer=alice, start=start, end=end, quote="between 250 and 350", label="consistent"
    )
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert first.prefix == article.body[start - 32 : start] and first.suffix == article.body[end : end + 32]
    assert Span.objects.count() == 1


@pytest.mark.parametrize(
    ("start", "end", "quote", "field"),
    [(0, 4, "nope", "quote"), (-1, 4, "x", "quote"), (0, 10**6, "x", "quote")],
    ids=["wrong-quote", "negative", "past-the-end"],
)
def test_span_create_refuses_offsets_that_do_not_match_the_body(story, alice, start, end, quote, field):
    article = story.articles.first()
    with pytest.raises(ValidationError) as info:
        span_create(article=article, reviewer=alice, start=start, end=end, quote=quote, label="consistent")
    assert field in info.value.message_dict
    assert not Span.objects.exists()


def test_span_create_refuses_evidence_from_the_same_article_and_stores_nothing(story, alice):
    article = story.articles.first()
    with pytest.raises(ValidationError, match="another article"):
        span_create(
            article=article,
            reviewer=alice,
            start=0,
            end=4,
            quote=article.body[:4],
            label="consistent",
            evidence=[EvidenceRef(article.pk, 0, 4, article.body[:4])],
        )
    assert not Span.objects.exists()


def test_span_create_links_evidence_in_another_article(story, alice):
    first, second = story.articles.order_by("pk")[:2]
    span, _ = span_create(
        article=first,
        reviewer=alice,
        start=0,
        end=4,
        quote=first.body[:4],
        label="consistent",
        evidence=[EvidenceRef(second.pk, 0, 10, second.body[:10])],
    )
    assert list(span.evidence.values_list("article", "quote")) == [(second.pk, second.body[:10])]
