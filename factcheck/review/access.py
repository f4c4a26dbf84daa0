"""May this user see or change this object: the one module that answers, for views, services, the admin and templates.

Roles are permissions, granted to the Reviewers and Editors groups by data migrations
(articles/0003_workflow_roles): a reviewer may submit a story's review, an editor may approve it.
Asking costs no query once the user's permissions are cached (factcheck/permissions.py).
Every lookup answers a guessed id and an object the user may not see with the same 404.

Assignment. Editors see every story. A reviewer sees only the stories assigned to them
(Story.reviewers) that are open for review or past it (in review, changes requested, ready for
approval, approved); a draft is nobody's but the editors'. The services apply the same rule to
writes (reviewer_standing), so a span posted to a story one may not see is refused there too.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Exists, F, OuterRef, Q, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from factcheck.articles.models import SHOWN_TO_REVIEWERS, Article, Story
from factcheck.review.models import ClaimGroup, Discussion, Evidence, ReviewSubmission, Span

REVIEWER = "articles.submit_story"
EDITOR = "articles.approve_story"
READER = "articles.view_story"


def _has(user, perm: str) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.has_perm(perm))


def is_reviewer(user) -> bool:
    """Marks spans, submits reviews, takes part in threads."""
    return _has(user, REVIEWER)


def is_editor(user) -> bool:
    """Opens, approves and sends back stories, settles claims, uses the desk and the exports."""
    return _has(user, EDITOR)


def can_read(user) -> bool:
    """A member of the newsroom (reviewer or editor): may open the working pages at all."""
    return _has(user, READER)


def reviewers() -> QuerySet:
    """The active users who hold the reviewer's permission, through a group or directly."""
    app_label, codename = REVIEWER.split(".")
    perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (
        get_user_model()
        .objects.filter(Q(groups__permissions__in=perm) | Q(user_permissions__in=perm), is_active=True)
        .distinct()
        .order_by("username")
    )


# ---- assignment -------------------------------------------------------------------------------


def story_q(user, prefix: str = "") -> Q:
    """A condition on stories (or, with `prefix` such as "article__story__", on rows below them): `user` may read it."""
    if not can_read(user):
        return Q(pk__in=[])
    if is_editor(user):
        return Q()
    return Q(**{f"{prefix}reviewers": user.pk, f"{prefix}state__in": SHOWN_TO_REVIEWERS})


def stories_for(user) -> QuerySet[Story]:
    """The stories `user` may see: every story for an editor, the assigned and shown ones for a reviewer."""
    return Story.objects.filter(story_q(user))


@dataclass(frozen=True)
class Standing:
    """Where a reviewer stands on a story for writing: assigned to it, and whether their review is in."""

    assigned: bool
    submitted: bool  # a review submitted since the story was last sent back or reopened: their spans are frozen


def current_submission_q(*, story_id, user) -> Q:
    """True when `user` submitted their review of story `story_id` in the current round (see Standing)."""
    return Q(
        Exists(
            ReviewSubmission.objects.filter(story_id=story_id, reviewer_id=user.pk).filter(
                Q(story__review_reopened_at__isnull=True) | Q(submitted_at__gte=F("story__review_reopened_at"))
            )
        )
    )


def _standing_flags(*, story_id, user) -> dict:
    """The two EXISTS behind a Standing, to annotate any query that reaches story `story_id` (an expression)."""
    return {
        "standing_assigned": Exists(Story.reviewers.through.objects.filter(story_id=story_id, user_id=user.pk)),
        "standing_submitted": current_submission_q(story_id=story_id, user=user),
    }


def _keep_standing(story: Story, user, row) -> None:
    # Read with the object a write is about to check (one query instead of two): reviewer_standing answers
    # from it for this user and this loaded story, which lives as long as the request that looked it up.
    story._standing = (user.pk, Standing(assigned=row.standing_assigned, submitted=row.standing_submitted))


def reviewer_standing(*, story: Story, user) -> Standing:
    """`user`'s assignment and submission on `story`, in one query (none when the lookup read it along)."""
    known = getattr(story, "_standing", None)
    if known is not None and known[0] == user.pk:
        return known[1]
    flags = (
        Story.objects.filter(pk=story.pk)
        .annotate(**_standing_flags(story_id=OuterRef("pk"), user=user))
        .values("standing_assigned", "standing_submitted")
        .get()
    )
    return Standing(assigned=flags["standing_assigned"], submitted=flags["standing_submitted"])


# ---- the blind phase ---------------------------------------------------------------------------


def unblinded_q(*, story_id, user) -> Q:
    """A condition, true when `user` may see every reviewer's spans on story `story_id`.

    The blind phase: a reviewer sees only their own spans until they submitted their review of the
    story, or an editor opened it for discussion. Editors always see everything. Built as EXISTS
    subqueries so callers fold it into the query they run anyway; `story_id` is a number or an
    expression such as OuterRef("article__story_id").
    """
    if is_editor(user):
        return Q(pk__isnull=False)
    return Q(Exists(ReviewSubmission.objects.filter(story_id=story_id, reviewer_id=user.pk))) | Q(
        Exists(Discussion.objects.filter(story_id=story_id))
    )


def visible_span_filter(*, story_id, user) -> Q:
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
    """Where `user` stands on `story`'s blind phase, in one query."""
    flags = (
        Story.objects.filter(pk=story.pk)
        .annotate(
            submitted=Exists(ReviewSubmission.objects.filter(story=OuterRef("pk"), reviewer_id=user.pk)),
            discussion_open=Exists(Discussion.objects.filter(story=OuterRef("pk"))),
        )
        .values("submitted", "discussion_open")
        .get()
    )
    return StoryAccess(editor=is_editor(user), **flags)


# ---- one lookup per object kind ----------------------------------------------------------------


def get_story_for_user(request: HttpRequest, slug: str) -> Story:
    return get_object_or_404(stories_for(request.user), slug=slug)


def get_article_for_user(request: HttpRequest, pk: int, *, for_write: bool = False) -> Article:
    """The article with its story. `for_write`: with the user's standing on it read in the same query, for
    the write that follows (reviewer_standing then asks nothing more)."""
    user = request.user
    articles = Article.objects.filter(story_q(user, "story__")).select_related("story")
    if not for_write:
        return get_object_or_404(articles, pk=pk)
    articles = articles.annotate(**_standing_flags(story_id=OuterRef("story_id"), user=user))
    article = get_object_or_404(articles, pk=pk)
    _keep_standing(article.story, user, article)
    return article


def get_span_for_user(request: HttpRequest, pk: int, *, with_evidence: bool = True) -> Span:
    """The user's own span on a story they may see; anyone else's, or a guessed id, is a 404.

    Every caller changes the span or checks that it may (edit, delete): the user's standing on its story
    is read in the same query (see get_article_for_user's `for_write`). `with_evidence`: its evidence
    prefetched, for the editor and the save, in a query of its own only when there is some (most verdicts
    have none; a delete leaves it to the deletion, which reads it anyway).
    """
    user = request.user
    spans = (
        Span.objects.filter(story_q(user, "article__story__"), reviewer=user)
        .annotate(**_standing_flags(story_id=OuterRef("article__story_id"), user=user))
        .select_related("article__story")
    )
    if with_evidence:
        spans = spans.annotate(has_evidence=Exists(Evidence.objects.filter(span=OuterRef("pk"))))
    span = get_object_or_404(spans, pk=pk)
    if with_evidence and span.has_evidence:
        prefetch_related_objects([span], "evidence")
    elif with_evidence:
        span._prefetched_objects_cache = {"evidence": span.evidence.none()}  # known empty: span.evidence asks nothing
    _keep_standing(span.article.story, user, span)
    return span


def get_group_for_user(request: HttpRequest, pk: int) -> ClaimGroup:
    """The claim group, if the user may read it and is past the blind phase of its story; else 404.

    A reviewer still reviewing blind gets the same 404 as for a group that does not exist, so a
    guessed id tells them nothing about the others' spans.
    """
    user = request.user
    if not can_read(user):
        raise Http404("No such claim.")
    group = (
        ClaimGroup.objects.filter(story_q(user, "article__story__"), pk=pk)
        .filter(unblinded_q(story_id=OuterRef("article__story_id"), user=user))
        .select_related("article__story", "decided_by")
        .first()
    )
    if group is None:
        raise Http404("No such claim.")
    return group
