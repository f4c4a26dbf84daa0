"""Consensus screens: a story's claim groups side by side, one group with its thread and decision, the queue."""

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from factcheck.consensus import selectors, services
from factcheck.consensus.agreement import StoryAgreement, agreement_from_rows
from factcheck.consensus.glance import glance
from factcheck.refusals import NotAllowed, Refused, refusal, refusal_response
from factcheck.review import services as review_services
from factcheck.review.access import get_group_for_user, get_story_for_user, is_editor, is_reviewer, story_access
from factcheck.review.models import ClaimGroup, GroupStatus, Label, Span
from factcheck.text import clip

LABEL_TEXT = dict(Label.choices)


REFUSALS = (Refused, ValidationError)
# ---- the consensus page of a story -------------------------------------------------------------


@dataclass
class Filters:
    disputed: bool = False
    label: str = ""
    article: int | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return bool(self.disputed or self.label or self.article)


def _filters(request: HttpRequest, article_ids: set[int]) -> Filters:
    filters = Filters(disputed=request.GET.get("disputed") in ("1", "on", "true"))
    label = request.GET.get("label", "")
    if label and label not in Label.values:
        filters.errors.append(f"There is no verdict “{label}”; choose {', '.join(Label.labels)}.")
    else:
        filters.label = label
    article = request.GET.get("article", "")
    if article:
        if not article.isdigit() or int(article) not in article_ids:
            filters.errors.append("That article is not part of this story.")
        else:
            filters.article = int(article)
    return filters


@dataclass
class Cell:
    """What one reviewer said about one claim: their spans in the group (usually one)."""

    reviewer: object
    spans: list


def _group_figures(groups: list[ClaimGroup], rows: list[tuple], votes: dict[tuple[int, int], dict]) -> None:
    """Labels and agreeing reviewers for every group (filters and counts need them), from the light span
    rows and the groups' votes (agreement.group_votes: the one-vote-per-reviewer reading of the rule that
    set the group's status)."""
    labels: dict[int, set[str]] = defaultdict(set)
    for row in rows:
        labels[row[2]].add(row[5])
    for group in groups:
        group.labels = sorted(labels.get(group.pk, ()))
        tally = Counter(votes.get((group.article_id, group.pk), {}).values())
        group.agreeing = max(tally.values(), default=0)


def _group_cells(groups: list[ClaimGroup], spans: list[Span], reviewers: list, bodies: dict[int, str]) -> None:
    """The shown groups' cells: each reviewer's span (with its evidence) in the group, clipped for the table."""
    by_group: dict[int, list[Span]] = defaultdict(list)
    for span in spans:
        by_group[span.group_id].append(span)
    for group in groups:
        mine = by_group.get(group.pk, [])
        by_reviewer: dict[int, list[Span]] = defaultdict(list)
        for span in mine:
            by_reviewer[span.reviewer_id].append(span)
        group.cells = [Cell(reviewer, by_reviewer.get(reviewer.pk, [])) for reviewer in reviewers]
        group.claim = bodies[group.article_id][group.start : group.end]
        group.short_claim = clip(group.claim, 180)
        for span in mine:
            span.short_quote = "" if span.quote == group.claim else clip(span.quote, 70)
            span.short_note = clip(span.note, 90)
            span.label_text = LABEL_TEXT.get(span.label, span.label)


@dataclass(frozen=True)
class Reviewer:
    pk: int
    username: str

    def get_username(self) -> str:
        return self.username


# Claims per page: with 5,000 spans the page renders a page of claims, never the whole story at once,
# while its counts, filters and alphas still cover every claim (bench/consensus.py measures it).
CLAIMS_PER_PAGE = 50


@login_required
@require_GET
def story_consensus(request: HttpRequest, slug: str) -> HttpResponse:
    story = get_story_for_user(request, slug)
    access = story_access(story=story, user=request.user)
    articles = list(story.articles.order_by("published", "pk"))
    filters = _filters(request, {article.pk for article in articles})
    context = {
        "story": story,
        "access": access,
        "articles": articles,
        "filters": filters,
        "labels": Label.choices,
        "can_adjudicate": is_editor(request.user),
    }
    status = 400 if filters.errors else 200
    if not access.sees_all:
        own = list(selectors.own_spans(story=story, user=request.user))
        context.update(own_count=len(own), own_articles=len({span.article_id for span in own}))
        return render(request, "consensus/story.html", context, status=status)

    every_group = list(selectors.story_groups(story=story))
    # Light rows for every span: alphas, counts, filters; full spans only for the claims shown.
    rows = list(selectors.story_span_rows(story=story))
    reviewers = [Reviewer(pk, username) for username, pk in sorted({(r[4], r[3]) for r in rows})]
    agreement = agreement_from_rows((r[1], r[2], r[3], r[5], r[6], r[7]) for r in rows)
    _group_figures(every_group, rows, agreement.votes)
    # Filtering the loaded groups rather than in SQL keeps the story-wide counts free and the queries constant.
    order = {article.pk: index for index, article in enumerate(articles)}
    groups = sorted(
        (group for group in every_group if _matches(group, filters)),
        key=lambda g: (order.get(g.article_id, 0), g.start, g.end, g.pk),
    )
    page = Paginator(groups, CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    shown_groups = list(page.object_list)
    spans = list(selectors.story_spans(story=story, groups=[g.pk for g in shown_groups]))
    _group_cells(shown_groups, spans, reviewers, {article.pk: article.body for article in articles})
    by_article: dict[int, list[ClaimGroup]] = defaultdict(list)
    for group in shown_groups:
        by_article[group.article_id].append(group)
    sections = [
        {"article": article, "groups": by_article.get(article.pk, []), "agreement": agreement.for_article(article.pk)}
        for article in articles
        if filters.article in (None, article.pk)
        # An article with nothing on this page is noise (unless it is the one asked for, or nothing is marked).
        and (by_article.get(article.pk) or filters.article == article.pk or (not filters.active and not groups))
    ]
    query = request.GET.copy()
    query.pop("page", None)
    # The glance's rows: (article, group, reviewer, label, start, end, reviewer's name) for every span.
    glance_rows = [(r[1], r[2], r[3], r[5], r[6], r[7], r[4]) for r in rows]
    context.update(
        glance=_glance(story, glance_rows, articles, agreement),
        sections=sections,
        reviewers=reviewers,
        agreement=agreement,
        shown=len(groups),
        page=page,
        page_query=query.urlencode(),
        counts=_counts(every_group),
    )
    template = "consensus/story.html#groups" if request.htmx else "consensus/story.html"
    return render(request, template, context, status=status)


GLANCE_TTL = 3600


def _glance(story, rows: list[tuple], articles: list, agreement: StoryAgreement):
    """The glance's charts, cached on exactly the rows they are drawn from (and `agreement` is drawn from
    the same rows), so never stale.

    The first view after a verdict changed computes them: about 20 ms at 5,000 spans, most of it the
    bootstrap intervals (bench/consensus.py measures that cold view); hashing the rows, which are read
    anyway, costs a few milliseconds, so a page seen again with nothing changed skips even that.
    """
    digest = hashlib.sha256(repr((rows, [(a.pk, a.title) for a in articles])).encode()).hexdigest()
    key = f"consensus-glance:{story.pk}:{digest}"
    figures = cache.get(key)
    if figures is None:
        figures = glance(rows, articles, agreement)
        cache.set(key, figures, GLANCE_TTL)
    return figures


def _matches(group: ClaimGroup, filters: Filters) -> bool:
    if filters.disputed and group.status != GroupStatus.DISPUTED:
        return False
    if filters.article and group.article_id != filters.article:
        return False
    return not filters.label or filters.label in (group.final_label, group.label, *group.labels)


def _counts(groups: list[ClaimGroup]) -> dict[str, int]:
    open_disputes = sum(1 for g in groups if g.status == GroupStatus.DISPUTED and not g.final_label)
    return {
        "groups": len(groups),
        "disputed": sum(1 for g in groups if g.status == GroupStatus.DISPUTED),
        "open": open_disputes,
        "consensus": sum(1 for g in groups if g.status == GroupStatus.CONSENSUS),
        "single": sum(1 for g in groups if g.status == GroupStatus.SINGLE and g.reviewer_count),
        "decided": sum(1 for g in groups if g.final_label),
        "orphaned": sum(1 for g in groups if not g.reviewer_count),
    }


# Ending the blind phase: a reviewer submits their review, or an editor opens the story for discussion.
BLIND_PHASE_ENDS = {
    "submit": (
        lambda story, user: review_services.review_submit(story=story, reviewer=user),
        "Your review is submitted. You now see the other reviewers' verdicts.",
    ),
    "discuss": (
        lambda story, user: review_services.discussion_open(story=story, editor=user),
        "The story is open for discussion: every reviewer now sees all verdicts.",
    ),
}


@login_required
@require_POST
def end_blind_phase(request: HttpRequest, slug: str, how: str) -> HttpResponse:
    """The service decides whether this user may; the page says what changed."""
    story = get_story_for_user(request, slug)
    write, done = BLIND_PHASE_ENDS[how]
    try:
        _, created = write(story=story, user=request.user)
    except Refused as exc:
        return refusal_response(exc)
    if created:
        messages.success(request, done)
    return redirect("story-consensus", slug=story.slug)


# ---- one claim group: verdicts, thread, decision -----------------------------------------------


def _group_context(request: HttpRequest, group: ClaimGroup, **extra) -> dict:
    body = group.article.body
    spans = list(selectors.group_spans(group=group))
    history = defaultdict(list)
    for record in selectors.verdict_changes(group=group):
        history[record.id].append(record)
    for span in spans:
        # The first record is the verdict as it stands; earlier ones are what the reviewer changed.
        span.earlier = [r for r in history.get(span.pk, [])[1:] if r.history_type != "-"]
    return {
        "group": group,
        "story": group.article.story,
        "article": group.article,
        "before": body[max(0, group.start - 160) : group.start],
        "claim": body[group.start : group.end],
        "after": body[group.end : group.end + 160],
        "spans": spans,
        "mine": [span for span in spans if span.reviewer_id == request.user.pk],
        "comments": list(selectors.group_comments(group=group)),
        "labels": Label.choices,
        "can_adjudicate": is_editor(request.user),
        "can_comment": is_reviewer(request.user) or is_editor(request.user),
        **extra,
    }


@login_required
@require_GET
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for_user(request, pk)
    return render(request, "consensus/group.html", _group_context(request, group))


@login_required
@require_POST
def post_comment(request: HttpRequest, pk: int) -> HttpResponse:
    text = request.POST.get("text", "")
    group = get_group_for_user(request, pk)
    try:
        services.comment_create(group=group, author=request.user, text=text)
    except NotAllowed as exc:
        return refusal_response(exc)
    except ValidationError as error:
        status, message = refusal(error)
        context = _group_context(request, group, comment_error=message, draft=text)
        template = "consensus/group.html#thread" if request.htmx else "consensus/group.html"
        return render(request, template, context, status=status)
    if request.htmx:
        return render(request, "consensus/group.html#thread", _group_context(request, group))
    return redirect(reverse("group-detail", args=[group.pk]) + "#thread")


@login_required
@require_POST
def change_verdict(request: HttpRequest, pk: int, span_pk: int) -> HttpResponse:
    group = get_group_for_user(request, pk)
    # Only one's own span in this group: anyone else's id is a 404, like a guess.
    span = get_object_or_404(
        Span.objects.select_related("article__story"), pk=span_pk, group=group, reviewer=request.user
    )
    try:
        services.verdict_change(
            span=span, reviewer=request.user, label=request.POST.get("label", ""), note=request.POST.get("note", "")
        )
    except REFUSALS as exc:
        status, message = refusal(exc)
        context = _group_context(request, group, verdict_error=message)
        return render(request, "consensus/group.html", context, status=status)
    messages.success(request, "Your verdict is changed; the earlier one stays in its history.")
    return redirect("group-detail", pk=group.pk)


@login_required
@require_POST
def decide_group(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for_user(request, pk)
    template = "consensus/group.html#decision" if request.htmx else "consensus/group.html"
    label, note = request.POST.get("final_label", ""), request.POST.get("final_note", "")
    version = request.POST.get("version", "")
    if not re.fullmatch(r"[0-9]{1,9}", version):  # plain ASCII digits: "²".isdigit() is True
        context = _group_context(request, group, decision_error="Reload the page: the form lost track of the claim.")
        return render(request, template, context, status=400)
    try:
        decided = services.group_decide(
            group=group, editor=request.user, final_label=label, final_note=note, version=int(version)
        )
    except services.DecisionConflict as conflict:
        current = conflict.current
        if current.decided_by is not None and current.decided_by != request.user:
            message = (
                f"{current.decided_by.get_username()} decided this claim while you were working on it. "
                "Nothing of yours was saved. Read their decision below; decide again if you still disagree."
            )
        else:
            message = (
                "This claim changed after you opened it (a verdict or a decision). Nothing of yours was saved. "
                "Read it again below, then decide."
            )
        context = _group_context(request, current, decision_conflict=message, draft_label=label, draft_note=note)
        return render(request, template, context, status=409)
    except NotAllowed as exc:
        return refusal_response(exc)
    except ValidationError as exc:
        status, message = refusal(exc)
        context = _group_context(request, group, decision_error=message, draft_label=label, draft_note=note)
        return render(request, template, context, status=status)
    if request.htmx:
        return render(request, template, _group_context(request, decided, decision_saved=True))
    messages.success(request, f"Decided: {decided.get_final_label_display()}.")
    return redirect("group-detail", pk=decided.pk)


# ---- the queue ---------------------------------------------------------------------------------

QUEUE_PAGE = 50


@login_required
@require_GET
def disputed_queue(request: HttpRequest) -> HttpResponse:
    if not is_editor(request.user):
        raise Http404("No such page.")
    page = Paginator(selectors.disputed_queue(), QUEUE_PAGE).get_page(request.GET.get("page"))
    for group in page.object_list:
        group.claim = group.article.body[group.start : group.end]
        group.reviewer_labels = [(span.reviewer, span.label, Label(span.label).label) for span in group.spans.all()]
    return render(request, "consensus/queue.html", {"page": page, "statuses": GroupStatus})
