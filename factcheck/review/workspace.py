"""Reads for the reviewer's pages: the highlighted body, the span lists and counts, in a fixed number of queries."""

import re
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, F, Subquery
from django.utils.safestring import SafeString

from factcheck.articles.models import Article
from factcheck.review import segments
from factcheck.review.models import Evidence, Label, Span
from factcheck.review.selectors import visible_spans
from factcheck.text import clip

# A list of 1,000 verdicts would outweigh the article itself; longer lists open on demand.
LIST_LIMIT = 50
# Above this many spans the cue signs after each span (one generated box each) are left out, which
# roughly halves the browser's layout time; the underline style still tells the labels apart.
DENSE = 200
# Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan and their presentation forms.
RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


@dataclass(slots=True)
class SpanRow:
    """What the page shows of a span."""

    pk: int
    start: int
    end: int
    quote: str
    label: str
    note: str
    reviewer_id: int
    reviewer_name: str
    linked: list = field(default_factory=list)
    cue: str = ""

    def get_label_display(self) -> str:
        return Label(self.label).label

    @property
    def short(self) -> str:
        return clip(self.quote, 160)

    @property
    def short_label(self) -> str:
        return clip(self.quote, 40)


@dataclass
class LabelCount:
    value: str
    name: str
    cue: str
    count: int


@dataclass
class StoryRow:
    article: Article
    counts: list[LabelCount]
    total: int


@dataclass
class Workspace:
    article: Article
    articles: list[Article]
    spans: list[SpanRow]
    own_spans: list[SpanRow]
    body_html: SafeString
    body_class: str
    span_data: dict
    span_index: list[list[int]]
    counts: list[LabelCount]
    story_rows: list[StoryRow]
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def others(self) -> list[Article]:
        return [other for other in self.articles if other.pk != self.article.pk]

    @property
    def total(self) -> int:
        return len(self.own_spans)

    def listed(self, *, show_all: bool = False, keep: int | None = None) -> list[SpanRow]:
        """The spans the list shows: the first LIST_LIMIT in reading order (and `keep`), or all."""
        if show_all or len(self.own_spans) <= LIST_LIMIT:
            return self.own_spans
        shown = self.own_spans[:LIST_LIMIT]
        shown += [span for span in self.own_spans[LIST_LIMIT:] if span.pk == keep]
        return shown


def _label_counts(counter: Counter) -> list[LabelCount]:
    return [LabelCount(value, name, segments.CUES[value], counter.get(value, 0)) for value, name in Label.choices]


def article_workspace(*, article: Article, user) -> Workspace:
    """Everything the article page shows, in four queries whatever the number of spans."""
    # Plain rows, not model instances: with 1,000 spans, building models costs more than the query.
    spans = [
        SpanRow(**row)
        for row in visible_spans(article=article, user=user)
        .select_related(None)
        .values("pk", "start", "end", "quote", "label", "note", "reviewer_id", reviewer_name=F("reviewer__username"))
    ]
    # A subquery, not pk__in=[...]: an empty list would skip the query and change the count.
    evidence = list(
        Evidence.objects.filter(span__in=Subquery(visible_spans(article=article, user=user).values("pk"))).order_by(
            "span", "article", "start", "pk"
        )
    )
    articles = list(
        article.story.articles.only("pk", "title", "outlet", "published", "story_id").order_by("published", "pk")
    )
    per_article = (
        Span.objects.filter(article__story_id=article.story_id, reviewer=user)
        .values_list("article_id", "label")
        .annotate(n=Count("pk"))
        .order_by()
    )
    story_counts: dict[int, Counter] = {}
    for article_id, label, n in per_article:
        story_counts.setdefault(article_id, Counter())[label] = n

    titles = {other.pk: other.title for other in articles}
    by_span: dict[int, list[dict]] = {}
    for item in evidence:
        by_span.setdefault(item.span_id, []).append(
            {
                "id": item.pk,
                "article": item.article_id,
                "title": titles.get(item.article_id, ""),
                "start": item.start,
                "end": item.end,
                "quote": item.quote,
            }
        )
    own = [span.reviewer_id == user.pk for span in spans]
    own_spans = [span for span, mine in zip(spans, own, strict=True) if mine]
    for span in spans:
        span.linked = by_span.get(span.pk, [])
        span.cue = segments.CUES.get(span.label, "")
    # Hover cards read this; it is kept small (a key only when there is something to say) because
    # with 1,000 spans every byte is parsed before the page is ready.
    span_data = {}
    for span, mine in zip(spans, own, strict=True):
        entry = {"label": span.label}
        if not mine:
            entry["reviewer"] = span.reviewer_name
        if span.note:
            entry["note"] = span.note
        if span.linked:
            entry["evidence"] = span.linked
        span_data[span.pk] = entry
    dense = len(spans) > DENSE
    body_html = segments.render(article.body, segments.cut(len(article.body), spans, own), cues=not dense, offsets=True)
    # Each span's range once, in reading order: the script finds the spans covering a mark from it.
    span_index = [[span.pk, span.start, span.end] for span in spans]
    # Per-paragraph direction (unicode-bidi: plaintext) is costly with many marks: only where needed.
    classes = " ".join(filter(None, ["dense" if dense else "", body_class(article.body)]))
    story_rows = [
        StoryRow(
            other, _label_counts(story_counts.get(other.pk, Counter())), sum(story_counts.get(other.pk, {}).values())
        )
        for other in articles
    ]
    return Workspace(
        article=article,
        articles=articles,
        spans=spans,
        own_spans=own_spans,
        body_html=body_html,
        body_class=classes,
        span_data=span_data,
        span_index=span_index,
        counts=_label_counts(Counter(span.label for span in own_spans)),
        story_rows=story_rows,
        evidence=evidence,
    )


def body_class(body: str) -> str:
    return "has-rtl" if RTL.search(body) else ""


def evidence_pane(*, evidence: list[Evidence], other: Article) -> SafeString:
    """The other article's body with the passages linked as evidence marked (data-evidence ids)."""
    linked = [item for item in evidence if item.article_id == other.pk]
    # Evidence rows stand in for spans here: segments need pk, start, end and a label.
    for item in linked:
        item.label = "evidence"
    return segments.render(other.body, segments.cut(len(other.body), linked), attribute="evidence")
