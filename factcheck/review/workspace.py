"""Reads for the reviewer's pages: the highlighted body, the span lists and counts, in a fixed number of queries."""

import json
import re
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Subquery, TextField, Value
from django.db.models.functions import Cast, JSONObject
from django.utils.safestring import SafeString, mark_safe

from factcheck.articles.models import Article
from factcheck.review import segments
from factcheck.review.access import visible_span_filter
from factcheck.review.grouping import ReadAlong
from factcheck.review.models import Evidence, Label, Span
from factcheck.review.selectors import visible_spans
from factcheck.sql import JSONList
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
    body_html = body_parts(article.body, spans, own, dense=dense)
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


def body_parts(body: str, spans: list[SpanRow], own: list[bool], *, dense: bool) -> SafeString:
    """The whole highlighted body, in parts (segments.render_parts) a save can replace one by one."""
    starts = segments.part_starts(body)
    parts = segments.render_parts(body, segments.cut(len(body), spans, own), starts, range(len(starts)), cues=not dense)
    return mark_safe("".join(html for _, html in parts))  # noqa: S308  # nosec B308 B703 - built from escaped text


SPAN_ROW_FIELDS = ("pk", "start", "end", "quote", "label", "note", "reviewer_id")


@dataclass
class SaveAnswer:
    """What one save changed on the article page, for its out-of-band answer: the same size on any article.

    `parts`: the body's parts the span covers, drawn again; `row` and `entry`: the saved span as the list
    and the hover card show it (None once deleted); `counts`/`total`: the user's verdicts on the article;
    `next_pk`: the user's span after a new one in reading order (where its list entry goes);
    `dense_flipped`: the save crossed DENSE, so the whole workspace must be drawn again.
    """

    parts: list[tuple[int, SafeString]]
    row: SpanRow | None
    entry: dict | None
    counts: list[LabelCount]
    total: int
    next_pk: int | None
    dense_flipped: bool

    @property
    def unlisted(self) -> int:
        return max(0, self.total - LIST_LIMIT)


def _one_row(queryset, **aggregate) -> Subquery:
    # values() of a constant before annotate(): aggregated over every row, no GROUP BY, so exactly one row.
    return Subquery(queryset.order_by().annotate(one=Value(1)).values("one").annotate(**aggregate).values(*aggregate))


def _window(body: str, start: int, end: int) -> tuple[list[int], range, int, int]:
    """The body's part starts, the parts covering [start, end) and the characters they span."""
    starts = segments.part_starts(body)
    which = segments.parts_covering(starts, start, end)
    right = starts[which.stop] if which.stop < len(starts) else len(body)
    return starts, which, starts[which.start], right


def answer_along(*, article: Article, user, start: int, end: int, created: bool = False) -> ReadAlong:
    """What the answer to `user`'s save on [start, end) reads, as expressions the write's own chain read carries
    (grouping.ReadAlong), so the answer costs no query: the spans the user sees on the body's parts the save
    covers (JSON), the tallies (how many spans the page shows, the user's own by label: JSON) and, for a new
    span, the user's span after it in reading order (where its list entry goes). save_answer reads them."""
    # Offsets not checked yet (the write checks them, and refuses before reading): kept within the body here.
    start, end = sorted((min(max(start, 0), len(article.body)), min(max(end, 0), len(article.body))))
    _, _, left, right = _window(article.body, start, end)
    visible = visible_spans(article=article, user=user).select_related(None).filter(start__lt=right, end__gt=left)
    row = JSONObject(**{name: name for name in SPAN_ROW_FIELDS}, reviewer_name="reviewer__username")
    counts = {"shown": Count("pk", filter=visible_span_filter(story_id=article.story_id, user=user))}
    counts |= {value: Count("pk", filter=Q(reviewer_id=user.pk, label=value)) for value in Label.values}
    expressions = [
        _one_row(visible, rows=JSONList(row)),
        _one_row(Span.objects.filter(article=article), t=JSONObject(**counts)),
    ]
    if created:
        # Before the new span is stored, and no span of the user shares its range: the first one after it.
        after = Q(start__gt=start) | Q(start=start, end__gt=end)
        following = Span.objects.filter(after, article=article, reviewer_id=user.pk).order_by("start", "end", "pk")
        expressions.append(Subquery(following.values("pk")[:1]))
    return ReadAlong(expressions)


def save_answer(
    *, article: Article, user, start: int, end: int, span: Span | None, created: bool = False, delta: int = 0,
    with_evidence: bool = True, along: ReadAlong | None = None,
    oob: bool = True,
) -> SaveAnswer:  # fmt: skip
    """The fragments a save of `span` (None: deleted) on [start, end) changed: no query when the write carried
    `along` (answer_along) in its chain read, else one; one more for the span's evidence.

    `delta`: how the number of spans on the article changed (1 created, -1 deleted, 0 edited), to tell
    whether the page crossed DENSE. `with_evidence`: whether the span may have evidence to list.
    """
    body = article.body
    starts, which, _, _ = _window(body, start, end)
    if along is None:
        along = answer_along(article=article, user=user, start=start, end=end, created=created)
    # Read before the new span was stored when the write carried it: it is added below.
    pending = created and along.values is not None
    if along.values is None:
        texts = [Cast(expression, TextField()) for expression in along.expressions]
        along.values = list(Article.objects.filter(pk=article.pk).values_list(*texts).get())
    near_json, tallies_json, *following = along.values
    near = [SpanRow(**values) for values in json.loads(near_json or "[]")]
    tallies = json.loads(tallies_json)
    shown = tallies.pop("shown")
    own_counts = Counter(tallies)
    if pending:
        name = user.get_username()
        near.append(SpanRow(*(getattr(span, attr) for attr in SPAN_ROW_FIELDS), reviewer_name=name))
        shown, own_counts[span.label] = shown + 1, own_counts[span.label] + 1
    next_pk = int(following[0]) if following and following[0] is not None else None
    near.sort(key=lambda row: (row.start, row.end, row.pk))
    dense = shown > DENSE
    own = [row.reviewer_id == user.pk for row in near]
    parts = segments.render_parts(body, segments.cut(len(body), near, own), starts, which, cues=not dense, oob=oob)
    span_pk = span.pk if span is not None else None
    row = next((row for row in near if row.pk == span_pk), None)
    entry = None
    if row is not None:
        row.cue = segments.CUES.get(row.label, "")
        if with_evidence:
            row.linked = [
                {"id": pk, "article": other, "title": title, "start": s, "end": e, "quote": quote}
                for pk, other, title, s, e, quote in Evidence.objects.filter(span_id=row.pk)
                .order_by("article", "start", "pk")
                .values_list("pk", "article_id", "article__title", "start", "end", "quote")
            ]
        entry = {"label": row.label, **({"note": row.note} if row.note else {})}
        if row.linked:
            entry["evidence"] = row.linked
    total = sum(own_counts.values())
    return SaveAnswer(
        parts=parts,
        row=row,
        entry=entry,
        counts=_label_counts(own_counts),
        total=total,
        next_pk=next_pk,
        dense_flipped=dense != (shown - delta > DENSE),
    )


def visible_evidence_in(*, article: Article, other: Article, user) -> list[Evidence]:
    """The evidence linked from `article`'s spans that `user` sees, into `other` (the compare view's right pane)."""
    return list(
        Evidence.objects.filter(
            article=other, span__in=Subquery(visible_spans(article=article, user=user).values("pk"))
        ).order_by("span", "article", "start", "pk")
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
