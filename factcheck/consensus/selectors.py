"""Reading consensus data: who is past the blind phase, a story's claim groups, the disputed queue."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from factcheck.articles.access import is_editor
from factcheck.articles.models import Story
from factcheck.consensus.models import ClaimGroup, Comment, Discussion, GroupStatus, ReviewSubmission
from factcheck.review.models import Span
from factcheck.roles import EDITORS


def user_is_editor(user) -> bool:
    """access.is_editor, asked once per request: the page, its partials and the navigation all need it."""
    cached = getattr(user, "_consensus_is_editor", None)
    if cached is None:
        cached = bool(user.is_authenticated and is_editor(user))
        user._consensus_is_editor = cached
    return cached


def unblinded_q(*, story_id: int, user, prefix: str = "") -> Q:
    """A condition, true when `user` may see every reviewer's spans on story `story_id`.

    The blind phase: a reviewer sees only their own spans until they submitted their review of the
    story, or an editor opened it for discussion. Editors always see everything. Built as EXISTS
    subqueries so callers fold it into the query they run anyway.
    """
    if user.is_superuser:
        return Q(pk__isnull=False)
    user_groups = get_user_model().groups.through.objects
    return (
        Q(Exists(ReviewSubmission.objects.filter(story_id=story_id, reviewer_id=user.pk)))
        | Q(Exists(Discussion.objects.filter(story_id=story_id)))
        | Q(Exists(user_groups.filter(user_id=user.pk, group__name=EDITORS)))
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
    """Where `user` stands on `story` (one query, plus the editor check once per request)."""
    flags = (
        Story.objects.filter(pk=story.pk)
        .annotate(
            submitted=Exists(ReviewSubmission.objects.filter(story=OuterRef("pk"), reviewer_id=user.pk)),
            discussion_open=Exists(Discussion.objects.filter(story=OuterRef("pk"))),
        )
        .values("submitted", "discussion_open")
        .get()
    )
    return StoryAccess(editor=user_is_editor(user), **flags)


def _spans_prefetch(queryset=None) -> Prefetch:
    spans = (queryset if queryset is not None else Span.objects.all()).select_related("reviewer")
    return Prefetch("spans", queryset=spans.order_by("reviewer__username", "start", "end", "pk"))


def story_groups(
    *, story: Story, disputed_only: bool = False, label: str = "", article_id: int | None = None
) -> QuerySet[ClaimGroup]:
    """The story's claim groups for the consensus page, with their spans and reviewers and comment counts."""
    groups = ClaimGroup.objects.filter(article__story=story)
    if disputed_only:
        groups = groups.filter(status=GroupStatus.DISPUTED)
    if label:
        groups = groups.filter(
            Q(final_label=label) | Q(label=label) | Q(Exists(Span.objects.filter(group=OuterRef("pk"), label=label)))
        )
    if article_id:
        groups = groups.filter(article_id=article_id)
    return groups.annotate(comment_count=Count("comments")).order_by("article_id", "start", "end", "pk")


def story_spans(*, story: Story) -> QuerySet[Span]:
    """Every grouped span of the story with its reviewer: the page's columns and its alpha come from these."""
    return (
        Span.objects.filter(article__story=story, group__isnull=False)
        .select_related("reviewer")
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
    return group.spans.select_related("reviewer").order_by("reviewer__username", "start", "end", "pk")


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
