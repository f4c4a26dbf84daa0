"""The story list as a home page: per story what the reader must know and do, in two queries whatever the size.

A reviewer sees the stories assigned to them (review/access.stories_for): state, due date, their
progress (articles with at least one of their verdicts out of all, their verdict count), whether they
submitted, and, once their blind phase is over, the disputed claims and the story's alpha. An editor
sees every story, and first the ones waiting for them: ready for approval, or with disputed claims
nobody has decided. Stories that need the reader come first.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from factcheck.articles.models import OPEN_FOR_REVIEW, Article, Story, StoryState
from factcheck.consensus.agreement import Agreement, agreement_from_rows
from factcheck.review.access import current_submission_q, is_editor, stories_for, unblinded_q
from factcheck.review.models import ClaimGroup, GroupStatus, Span


@dataclass
class StoryRow:
    story: Story
    articles: int
    marked_articles: int  # articles with at least one of the reader's verdicts
    verdicts: int  # the reader's verdicts on the story
    submitted: bool  # the reader's review is in (for the current round)
    sees_all: bool  # the reader's blind phase is over: the story's figures may be shown
    disputed: int  # disputed claims
    undecided: int  # disputed claims without an editor's decision
    agreement: Agreement | None
    needs_you: str  # why the reader should act now, in words; "" when nothing waits for them

    @property
    def overdue(self) -> bool:
        return bool(self.story.due_date and self.needs_you and self.story.due_date < dt.date.today())


def _count(queryset, field: str = "pk"):
    """A correlated COUNT as a subquery, 0 when there is nothing (one query for the whole list)."""
    counted = queryset.order_by().values(field).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), Value(0))


def story_rows(*, user) -> list[StoryRow]:
    editor = is_editor(user)
    story = OuterRef("pk")
    mine = Span.objects.filter(article__story=story, reviewer_id=user.pk)
    groups = ClaimGroup.objects.filter(article__story=story, status=GroupStatus.DISPUTED)
    stories = list(
        stories_for(user)
        .annotate(
            n_articles=_count(Article.objects.filter(story=story), "story"),
            n_marked=Coalesce(
                Subquery(
                    mine.order_by()
                    .values("article__story")
                    .annotate(n=Count("article", distinct=True))
                    .values("n")[:1],
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
            n_verdicts=_count(mine, "article__story"),
            is_submitted=current_submission_q(story_id=story, user=user),
            blind_over=unblinded_q(story_id=story, user=user),
            n_disputed=_count(groups, "article__story"),
            n_undecided=_count(groups.filter(final_label=""), "article__story"),
        )
        .order_by("title", "pk")
    )
    # The spans behind each shown story's alpha, in one query; a subquery (not a list of ids) keeps it
    # one query even when no story is shown yet.
    shown = stories_for(user).filter(unblinded_q(story_id=OuterRef("pk"), user=user)).values("pk")
    spans = Span.objects.filter(article__story__in=shown, group__isnull=False).values_list(
        "article__story_id", "article_id", "group_id", "reviewer_id", "label", "start", "end"
    )
    rows_by_story = defaultdict(list)
    for story_id, *row in spans:
        rows_by_story[story_id].append(row)
    rows = []
    for s in stories:
        rows.append(
            StoryRow(
                story=s,
                articles=s.n_articles,
                marked_articles=s.n_marked,
                verdicts=s.n_verdicts,
                submitted=s.is_submitted,
                sees_all=s.blind_over,
                disputed=s.n_disputed if s.blind_over else 0,
                undecided=s.n_undecided if s.blind_over else 0,
                agreement=agreement_from_rows(rows_by_story[s.pk]).story if s.blind_over else None,
                needs_you=_needs(s, editor),
            )
        )
    # Needing the reader first, then the nearest due date, then by title.
    rows.sort(key=lambda r: (not r.needs_you, r.story.due_date or dt.date.max, r.story.title, r.story.pk))
    return rows


def _needs(story: Story, editor: bool) -> str:
    if editor:
        if story.state == StoryState.READY:
            return "ready for your approval"
        if story.n_undecided:
            return f"{story.n_undecided} disputed claim{'s' if story.n_undecided != 1 else ''} to decide"
        return ""
    if story.state in OPEN_FOR_REVIEW and not story.is_submitted:
        if story.state == StoryState.CHANGES_REQUESTED:
            return "sent back: check your verdicts"
        return "your review"
    return ""
