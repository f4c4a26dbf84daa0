"""Reading pre-flags for the review pages: a story's or an article's suggestions with the user's own response."""

from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from factcheck.articles.models import Article, Story
from factcheck.findings.extract import extract
from factcheck.findings.models import Kind, Suggestion, SuggestionResponse
from factcheck.review.access import can_read


def _with_own_responses(queryset: QuerySet[Suggestion], user) -> QuerySet[Suggestion]:
    # Responses are per reviewer: a user sees only their own, as `suggestion.my_responses` (0 or 1 row).
    own = (
        SuggestionResponse.objects.filter(reviewer=user) if user.is_authenticated else SuggestionResponse.objects.none()
    )
    return queryset.prefetch_related(Prefetch("responses", queryset=own, to_attr="my_responses"))


def suggestions_for_article(*, article: Article, user, include_dismissed: bool = False) -> QuerySet[Suggestion]:
    """The article's suggestions in reading order, for the dashed outlines; none for a user who cannot read."""
    if not can_read(user):
        return Suggestion.objects.none()
    queryset = Suggestion.objects.filter(article=article).order_by("start", "end", "kind")
    if not include_dismissed:
        queryset = queryset.exclude(responses__reviewer=user, responses__response="dismissed")
    return _with_own_responses(queryset, user)


def story_conflicts(*, story: Story, user) -> QuerySet[Suggestion]:
    """The story's possible conflicts, for the story-level list that links each pair to the compare view."""
    if not can_read(user):
        return Suggestion.objects.none()
    queryset = (
        Suggestion.objects.filter(story=story, kind=Kind.CONFLICTING)
        .select_related("article")
        .order_by("article__published", "article_id", "start")
    )
    return _with_own_responses(queryset, user)


def suggestion_counts(*, story: Story) -> dict[str, int]:
    """How many suggestions of each kind a story has: {"conflicting": 2, "consistent": 5, "unsupported": 9}."""
    counts = dict.fromkeys(Kind.values, 0)
    for kind in Suggestion.objects.filter(story=story).values_list("kind", flat=True):
        counts[kind] += 1
    return counts


def suggestion_for_user(*, user, pk: int) -> Suggestion | None:
    """One suggestion for the accept and dismiss views, or None (the view's 404) for a guessed id or a
    user who cannot read stories."""
    if not can_read(user):
        return None
    return Suggestion.objects.select_related("story", "article").filter(pk=pk).first()


def story_unresolved(*, story: Story) -> list[tuple[int, str]]:
    """(article id, note) for each relative date left unresolved because its article has no publication date."""
    notes = []
    for article in story.articles.only("pk", "body", "published").order_by("published", "pk"):
        for fact in extract(article.body, article.published).facts:
            if fact.kind == "date" and not fact.resolved:
                notes.append((article.pk, fact.note))
    return notes


@dataclass
class PanelItem:
    """One suggestion as the review page shows it: the fact, why, where its counterparts are, and what the
    reader did with it (`response` is "", "accepted" or "dismissed")."""

    pk: int
    kind: str
    kind_name: str
    start: int
    end: int
    quote: str
    reason: str
    response: str
    counterparts: list[dict]

    @property
    def pending(self) -> bool:
        return not self.response


def article_panel(*, article: Article, user, titles: dict[int, str]) -> list[PanelItem]:
    """The article's suggestions with the user's own response, in one query (the article page counts
    its queries): `titles` names the counterparts' articles, which the page has read already."""
    if not can_read(user):
        return []
    own = SuggestionResponse.objects.filter(suggestion=OuterRef("pk"), reviewer_id=user.pk).values("response")[:1]
    rows = (
        Suggestion.objects.filter(article=article)
        .annotate(my_response=Subquery(own))
        .order_by("start", "end", "kind")
        .values("pk", "kind", "start", "end", "quote", "reason", "counterparts", "my_response")
    )
    names = dict(Kind.choices)
    return [
        PanelItem(
            pk=row["pk"],
            kind=row["kind"],
            kind_name=names[row["kind"]],
            start=row["start"],
            end=row["end"],
            quote=row["quote"],
            reason=row["reason"],
            response=row["my_response"] or "",
            counterparts=[{**c, "title": titles.get(c["article"], "")} for c in row["counterparts"]],
        )
        for row in rows
    ]
