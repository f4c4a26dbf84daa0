"""Reading consensus data: a story's claim groups and their spans, a claim's thread and history, the disputed queue."""

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery

from factcheck.articles.models import Story
from factcheck.consensus.models import Comment
from factcheck.review.models import ClaimGroup, Evidence, GroupStatus, Span


def _spans_prefetch(queryset=None) -> Prefetch:
    spans = (queryset if queryset is not None else Span.objects.all()).select_related("reviewer")
    return Prefetch("spans", queryset=spans.order_by("reviewer__username", "start", "end", "pk"))


def story_groups(*, story: Story) -> QuerySet[ClaimGroup]:
    """The story's claim groups for the consensus page, in reading order, with their comment counts."""
    return (
        ClaimGroup.objects.filter(article__story=story)
        # Only what the page shows: a thousand groups cost less without their notes and times.
        .only("pk", "article_id", "start", "end", "status", "label", "reviewer_count", "final_label")
        .annotate(comment_count=Count("comments"))
        .order_by("article_id", "start", "end", "pk")
    )


def story_span_rows(*, story: Story):
    """Every grouped span of the story as a plain row, for the alphas, counts and filters:
    (pk, article_id, group_id, reviewer_id, reviewer's username, label, start, end)."""
    return (
        Span.objects.filter(article__story=story, group__isnull=False)
        .order_by()
        .values_list("pk", "article_id", "group_id", "reviewer_id", "reviewer__username", "label", "start", "end")
    )


def story_spans(*, story: Story, groups: list[int]) -> QuerySet[Span]:
    """The spans of the claim groups `groups` with their reviewer and their first piece of evidence.

    The page's cells come from these. The evidence comes as subqueries in the same query (which
    article, which words, how many), so the page stays at one query for all the claims it shows.
    """
    first = Evidence.objects.filter(span=OuterRef("pk")).order_by("article_id", "start", "pk")
    return (
        Span.objects.filter(article__story=story, group__in=groups)
        .select_related("reviewer")
        .annotate(
            evidence_quote=Subquery(first.values("quote")[:1]),
            evidence_source=Subquery(first.values("article__outlet")[:1]),
            evidence_title=Subquery(first.values("article__title")[:1]),
            evidence_count=Subquery(
                Evidence.objects.filter(span=OuterRef("pk"))
                .order_by()
                .values("span")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
        )
        .order_by("reviewer__username", "start", "end", "pk")
    )


def own_spans(*, story: Story, user) -> QuerySet[Span]:
    return Span.objects.filter(article__story=story, reviewer_id=user.pk).order_by("article_id", "start", "end", "pk")


def disputed_groups() -> QuerySet[ClaimGroup]:
    """Disputed groups no editor has decided yet, across stories, oldest first."""
    return ClaimGroup.objects.filter(status=GroupStatus.DISPUTED, final_label="").order_by("created_at", "pk")


def disputed_queue() -> QuerySet[ClaimGroup]:
    return (
        disputed_groups()
        .select_related("article__story")
        .annotate(comment_count=Count("comments"))
        .prefetch_related(_spans_prefetch())
    )


def group_spans(*, group: ClaimGroup) -> QuerySet[Span]:
    return (
        group.spans.select_related("reviewer")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.select_related("article")))
        .order_by("reviewer__username", "start", "end", "pk")
    )


def group_comments(*, group: ClaimGroup) -> QuerySet[Comment]:
    return group.comments.select_related("author").order_by("created_at", "pk")


def verdict_changes(*, group: ClaimGroup) -> list:
    """Each span's earlier verdicts in this group, newest first: reviewers may change their mind after talking."""
    span_ids = list(group.spans.values_list("pk", flat=True))
    return list(
        Span.history.filter(id__in=span_ids)
        .select_related("history_user")
        .order_by("id", "-history_date", "-history_id")
        .only("id", "label", "note", "history_date", "history_type", "history_user__username", "reviewer_id")
    )
