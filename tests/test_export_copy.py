"""PostgreSQL's COPY path of the verdict CSV writes exactly the bytes of the generic (ORM + csv.writer) path."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from factcheck.articles.models import Article, Story, StoryState
from factcheck.exports import pgcopy
from factcheck.exports.csvstream import generic_lines
from factcheck.exports.selectors import export_spans, parse_filters
from factcheck.review.models import ClaimGroup, Span
from factcheck.review.services import EvidenceRef, span_create
from tests.factories import make_user

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")

# Text that trips a CSV writer: formula starts, quotes, separators, both line ends, emoji, right-to-left.
TRICKY = [
    "=1+1",
    "+44 20",
    "-2",
    "@SUM(A1)",
    "\tcmd",
    "\rline",
    'He said "no"',
    "one, two",
    "first\nsecond\r\nthird",
    "👩🏽‍💻 and 🇮🇶",
    "مستشارون, أمريكيون",
    "'already quoted",
    "",
    " padded ",
    # Around the COPY query's one-comparison test (code above every formula start's: written as is).
    "~approx",
    "[1] cited",
    "42 is a number",
    "=",
]

BODY = "Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau."


def _span(article: Article, reviewer, word: str, label: str, evidence=()) -> Span:
    start = article.body.index(word)
    span, _ = span_create(
        article=article,
        reviewer=reviewer,
        start=start,
        end=start + len(word),
        quote=word,
        label=label,
        evidence=evidence,
    )
    return span


def _ref(article: Article, word: str) -> EvidenceRef:
    start = article.body.index(word)
    return EvidenceRef(article.pk, start, start + len(word), word)


@pytest.fixture
def archive(db):
    """Two approved stories (created in the reverse of title order) and a draft, with tricky cells everywhere."""
    # Usernames whose order differs from their ids' and depends on case.
    users = [make_user(name, "Reviewers") for name in ("zed", "Amy", "bob", "amy2")]
    editor = make_user("=editor", "Editors", is_staff=True)
    stories = [
        Story.objects.create(title='Zebra, "quoted" story', slug="zebra", state=StoryState.IN_REVIEW),
        Story.objects.create(title="=Alpha story", slug="alpha", state=StoryState.IN_REVIEW),
        Story.objects.create(title="Beta draft", slug="beta", state=StoryState.IN_REVIEW),
    ]
    labels = ["consistent", "conflicting", "unsupported"]
    for s_index, story in enumerate(stories):
        story.reviewers.add(*users)
        articles = [
            Article.objects.create(
                story=story,
                title=TRICKY[(s_index * 3 + a) % len(TRICKY)] or "untitled",
                outlet=TRICKY[(s_index + a + 5) % len(TRICKY)],
                url=f"https://news.example/{s_index}/{a}",
                published=dt.date(2025, 1, 1 + a) if a != 1 else None,
                raw_text=f"{BODY} Copy {a}.",
                body=f"{BODY} Copy {a}.",
            )
            for a in range(3)
        ]
        words = BODY.rstrip(".").split()
        for a_index, article in enumerate(articles):
            for w_index, word in enumerate(words[:5]):
                for u_index, user in enumerate(users):
                    if (w_index + u_index + a_index) % 3 == 0:
                        continue
                    other = articles[(a_index + 1) % 3]
                    evidence = (
                        [_ref(other, words[w_index + 2]), _ref(other, words[w_index + 1])] if w_index % 4 == 0 else ()
                    )
                    _span(article, user, word, labels[(w_index + u_index) % 3], evidence)
            # Overlapping spans (same start, different end) to test the order within a position.
            _span(article, users[0], " ".join(words[:2]), "conflicting")
    # Notes and quotes the services would strip or refuse, written as the database could hold them.
    for i, span in enumerate(Span.objects.order_by("pk")):
        Span.objects.filter(pk=span.pk).update(
            note=TRICKY[i % len(TRICKY)], prefix=TRICKY[(i + 3) % len(TRICKY)], suffix=TRICKY[(i + 7) % len(TRICKY)]
        )
    for i, group in enumerate(ClaimGroup.objects.order_by("pk")):
        if i % 2:
            ClaimGroup.objects.filter(pk=group.pk).update(
                final_label="conflicting",
                final_note=TRICKY[i % len(TRICKY)],
                decided_by=editor,
                decided_at=dt.datetime(2025, 2, 3, 10, 30, 15, 123456, tzinfo=dt.UTC),
            )
    approved_at = timezone.now()
    Story.objects.filter(pk__in=[stories[0].pk, stories[1].pk]).update(
        state=StoryState.APPROVED, approved_by=editor, approved_at=approved_at
    )
    Story.objects.filter(pk=stories[2].pk).update(state=StoryState.DRAFT)  # marked while open, then put back
    return stories


@pytest.mark.parametrize(
    ("params", "stories"),
    [
        ({}, 2),
        ({"state": "all"}, 3),
        ({"story": "alpha"}, 1),
        ({"story": "beta", "state": "all"}, 1),
        ({"state": "all", "since": "2000-01-01", "until": "2100-01-01"}, 3),
        ({"state": "all", "until": "2000-01-01"}, 0),
    ],
)
def test_copy_writes_the_generic_paths_bytes(archive, params, stories):
    spans = export_spans(parse_filters(params))
    generic = b"".join(generic_lines(spans, chunk_size=7))
    copied = b"".join(pgcopy.copy_lines(spans))
    assert copied == generic
    assert spans.values("article__story").distinct().count() == stories
    assert copied.endswith(b"\r\n") if stories else copied == b""


def test_the_tricky_cells_are_there_to_compare(archive):
    # Guard against the fixture losing its point: the compared CSV holds each hard case.
    text = b"".join(generic_lines(export_spans(parse_filters({"state": "all"})))).decode()
    for needle in (
        "'=1+1",
        "'+44 20",
        "'-2",
        "'@SUM(A1)",
        "'\tcmd",
        '"He said ""no"""',
        '"one, two"',
        "👩🏽‍💻",
        "'=editor",
        "~approx",
        "[1] cited",
        "42 is a number",
    ):
        assert needle in text
    assert "2025-02-03T10:30:15+00:00" in text
    assert '"first\nsecond\r\nthird"' in text
