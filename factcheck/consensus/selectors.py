"""Reading consensus data: who is past the blind phase, a story's claim groups, the disputed queue."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from factcheck.articles.models import Story
from factcheck.consensus.models import ClaimGroup, Comment, Discussion, GroupStatus, ReviewSubmission
from factcheck.review.models import Evidence, Span
from factcheck.roles import EDITORS


def can_adjudicate(user) -> bool:
    """Editors settle groups and open stories for discussion. Answered from Django's per-user permission
    cache, which the access helpers have already filled, so it costs no query of its own."""
    return bool(user.is_authenticated and user.is_active and user.has_perm("consensus.change_claimgroup"))


def _editor_exists(user) -> Exists:
    return Exists(get_user_model().groups.through.objects.filter(user_id=user.pk, group__name=EDITORS))


def unblinded_q(*, story_id, user) -> Q:
    """A condition, true when `user` may see every reviewer's spans on story `story_id`.

    The blind phase: a reviewer sees only their own spans until they submitted their review of the
    story, or an editor opened it for discussion. Editors always see everything. Built as EXISTS
    subqueries so callers fold it into the query they run anyway; `story_id` is a number or an
    expression such as OuterRef("article__story_id").
    """
    if user.is_superuser:
        return Q(pk__isnull=False)
    return (
        Q(Exists(ReviewSubmission.objects.filter(story_id=story_id, reviewer_id=user.pk)))
        | Q(Exists(Discussion.objects.filter(story_id=story_id)))
        | Q(_editor_exists(user))
    )


def visible_span_filter(*, story_id: int, user) -> Q:
    return Q(reviewer_id=user.pk) | unblinded_q(story_id=story_id, user=user)


@dataclass(frozen=True)
class StoryAccess:
    editor: bool
    submitted: bool
    discussion_open: bool

    @property
    def sees_all(self) -> bool:
        return self.editor or self.submitted or self.discussion_open


def story_access(*, story: Story, user) -> StoryAccess:
    """Where `user` stands on `story`, in one query."""
    flags = (
        Story.objects.filter(pk=story.pk)
        .annotate(
            submitted=Exists(ReviewSubmission.objects.filter(story=OuterRef("pk"), reviewer_id=user.pk)),
            discussion_open=Exists(Discussion.objects.filter(story=OuterRef("pk"))),
            editor=_editor_exists(user),
        )
        .values("submitted", "discussion_open", "editor")
        .get()
    )
    flags["editor"] = flags["editor"] or user.is_superuser
    return StoryAccess(**flags)


def _spans_prefetch(queryset=None) -> Prefetch:
    spans = (queryset if queryset is not None else Span.objects.all()).select_related("reviewer")
    return Prefetch("spans", queryset=spans.order_by("reviewer__username", "start", "end", "pk"))


def story_groups(*, story: Story) -> QuerySet[ClaimGroup]:
    """The story's claim groups for the consensus page, in reading order, with their comment counts."""
    return (
        ClaimGroup.objects.filter(article__story=story)
        .annotate(comment_count=Count("comments"))
        .order_by("article_id", "start", "end", "pk")
    )


def story_spans(*, story: Story) -> QuerySet[Span]:
    """Every grouped span of the story with its reviewer and its first piece of evidence.

    The page's columns and its alpha come from these. The evidence comes as subqueries in the same
    query (which article, which words, how many), so the page stays at one query for all spans.
    """
    first = Evidence.objects.filter(span=OuterRef("pk")).order_by("article_id", "start", "pk")
    return (
        Span.objects.filter(article__story=story, group__isnull=False)
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


def group_detail(*, pk: int) -> QuerySet[ClaimGroup]:
    return ClaimGroup.objects.filter(pk=pk).select_related("article__story", "decided_by")


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
