"""Reading what editors need at a glance: counts and the last change, as annotations in one query."""

from collections import defaultdict

from django.db.models import Case, Count, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from factcheck.articles.models import Article, Story, StoryState
from factcheck.consensus.agreement import Agreement, StoryAgreement, agreement_from_rows, alpha_nominal
from factcheck.review.models import ClaimGroup, GroupStatus, Span

# The editors' queue: what waits for them first, then work in progress, then what is done.
QUEUE = [StoryState.READY, StoryState.IN_REVIEW, StoryState.CHANGES_REQUESTED, StoryState.DRAFT, StoryState.APPROVED]
QUEUE_ORDER = Case(
    *(When(state=state, then=Value(rank)) for rank, state in enumerate(QUEUE)), output_field=IntegerField()
)


def _count(queryset: QuerySet, group_by: str, field: str = "pk", distinct: bool = False) -> Coalesce:
    """A correlated COUNT subquery: one per column, so counts never multiply each other as JOINs would."""
    counted = queryset.order_by().values(group_by).annotate(n=Count(field, distinct=distinct)).values("n")
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
        reviewer_count=_count(Span.objects.filter(article__story=here), "article__story", "reviewer", distinct=True),
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
        reviewer_count=_count(Span.objects.filter(article=here), "article", "reviewer", distinct=True),
        disputed_count=_count(groups.filter(status=GroupStatus.DISPUTED), "article"),
        consensus_count=_count(groups.filter(status=GroupStatus.CONSENSUS), "article"),
        last_change_at=_latest(Article.history.filter(id=here), "history_date"),
        last_span_change_at=Subquery(
            Span.objects.filter(article=here).order_by("-updated_at").values("updated_at")[:1]
        ),
    )


def groups_with_figures(groups: QuerySet[ClaimGroup]) -> QuerySet[ClaimGroup]:
    return groups.annotate(span_count=_count(Span.objects.filter(group=OuterRef("pk")), "group"))


def _agreement_rows(spans: QuerySet[Span], key: str):
    return spans.filter(group__isnull=False).values_list(
        key, "article_id", "group_id", "reviewer_id", "label", "start", "end"
    )


def _split(rows) -> dict[int, list]:
    by_key: dict[int, list] = defaultdict(list)
    for key, *row in rows:
        by_key[key].append(tuple(row))
    return by_key


NO_AGREEMENT = alpha_nominal([])


def story_agreements(story_ids: list[int]) -> dict[int, StoryAgreement]:
    """Krippendorff's alpha of each story and its articles, for a page of stories, in one query."""
    rows = _agreement_rows(Span.objects.filter(article__story__in=story_ids), "article__story_id")
    return {story_id: agreement_from_rows(rows) for story_id, rows in _split(rows).items()}


def article_agreements(article_ids: list[int]) -> dict[int, Agreement]:
    rows = _agreement_rows(Span.objects.filter(article__in=article_ids), "article_id")
    return {article_id: agreement_from_rows(rows).for_article(article_id) for article_id, rows in _split(rows).items()}


def story_queue() -> list[tuple[StoryState, int]]:
    """How many stories are in each state, in the editors' queue order, in one query."""
    counts = dict(Story.objects.order_by().values_list("state").annotate(n=Count("pk")))
    return [(state, counts.get(state.value, 0)) for state in QUEUE]
