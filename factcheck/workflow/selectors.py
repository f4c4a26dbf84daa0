"""Reading what editors need at a glance: counts and the last change, as annotations in one query."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from factcheck.articles.models import Article, Story
from factcheck.consensus.models import ClaimGroup, GroupStatus
from factcheck.review.models import Span


def _count(queryset: QuerySet, group_by: str) -> Coalesce:
    """A correlated COUNT subquery: one per column, so counts never multiply each other as JOINs would."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _latest(history: QuerySet, field: str):
    return Subquery(history.order_by("-history_date", "-history_id").values(field)[:1])


def stories_with_figures(stories: QuerySet[Story]) -> QuerySet[Story]:
    here = OuterRef("pk")
    groups = ClaimGroup.objects.filter(article__story=here)
    history = Story.history.filter(id=here)
    return stories.annotate(
        article_count=_count(Article.objects.filter(story=here), "story"),
        span_count=_count(Span.objects.filter(article__story=here), "article__story"),
        reviewer_count=Coalesce(
            Subquery(
                Span.objects.filter(article__story=here)
                .order_by()
                .values("article__story")
                .annotate(n=Count("reviewer", distinct=True))
                .values("n"),
                output_field=IntegerField(),
            ),
            0,
        ),
        disputed_count=_count(groups.filter(status=GroupStatus.DISPUTED), "article__story"),
        consensus_count=_count(groups.filter(status=GroupStatus.CONSENSUS), "article__story"),
        last_change_at=_latest(history, "history_date"),
        last_change_by=_latest(history, "history_user__username"),
        last_change_reason=_latest(history, "history_change_reason"),
    )


def articles_with_figures(articles: QuerySet[Article]) -> QuerySet[Article]:
    here = OuterRef("pk")
    groups = ClaimGroup.objects.filter(article=here)
    return articles.annotate(
        span_count=_count(Span.objects.filter(article=here), "article"),
        reviewer_count=Coalesce(
            Subquery(
                Span.objects.filter(article=here)
                .order_by()
                .values("article")
                .annotate(n=Count("reviewer", distinct=True))
                .values("n"),
                output_field=IntegerField(),
            ),
            0,
        ),
        disputed_count=_count(groups.filter(status=GroupStatus.DISPUTED), "article"),
        consensus_count=_count(groups.filter(status=GroupStatus.CONSENSUS), "article"),
        last_change_at=_latest(Article.history.filter(id=here), "history_date"),
        last_span_change_at=Subquery(
            Span.objects.filter(article=here).order_by("-updated_at").values("updated_at")[:1]
        ),
    )


def groups_with_figures(groups: QuerySet[ClaimGroup]) -> QuerySet[ClaimGroup]:
    return groups.annotate(span_count=_count(Span.objects.filter(group=OuterRef("pk")), "group"))
