"""The article page and the compare view: highlights cut flat on the server, lists, counts, access, queries."""

import html
import json
import re

import pytest
from django.urls import reverse

from factcheck.articles.models import Article, Story
from factcheck.review.models import Evidence, Span
from factcheck.review.segments import cut
from factcheck.review.services import EvidenceRef, span_create

# The marks, and the parts the body is cut into (a save redraws only the parts its span covers).
MARK = re.compile(r'<mark [^>]*>|</mark>|<span class="part" id="part-\d+">|</span>')


def body_html(response) -> str:
    content = response.content.decode()
    match = re.search(r'<div class="article-body[^"]*" id="article-body"[^>]*>(.*?)</div>', content, re.S)
    assert match, "the article body is on the page"
    return match.group(1)


def text_of(fragment: str) -> str:
    return html.unescape(MARK.sub("", fragment))


def bulk_spans(article, reviewer, count: int) -> list[Span]:
    """`count` overlapping and nested spans spread over the body, written in one go."""
    body = article.body
    spans, seen = [], set()
    i = 0
    while len(spans) < count:
        start = (i * 7) % (len(body) - 40)
        end = start + 5 + (i * 13) % 30
        i += 1
        if (start, end) in seen:
            continue
        seen.add((start, end))
        spans.append(
            Span(
                article=article,
                reviewer=reviewer,
                start=start,
                end=end,
                quote=body[start:end],
                label=["consistent", "conflicting", "unsupported"][i % 3],
            )
        )
    return Span.objects.bulk_create(spans)


@pytest.fixture
def article(story):
    return story.articles.get(source_name__startswith="001")


def test_it_cuts_overlapping_and_nested_spans_into_flat_segments():
    class S:
        def __init__(self, pk, start, end, label):
            self.pk, self.start, self.end, self.label = pk, start, end, label

    spans = [S(1, 2, 8, "consistent"), S(2, 4, 6, "conflicting"), S(3, 6, 10, "unsupported")]
    segments = cut(12, spans)
    assert [(s.start, s.end, list(s.covers)) for s in segments] == [
        (0, 2, []),
        (2, 4, [1]),
        (4, 6, [1, 2]),
        (6, 8, [1, 3]),
        (8, 10, [3]),
        (10, 12, []),
    ]
    assert [s.ending for s in segments] == [(), (), ("conflicting",), ("consistent",), ("unsupported",), ()]


def test_the_page_text_is_the_body_exactly_with_flat_marks(client, alice, article):
    span_create(article=article, reviewer=alice, start=10, end=60, quote=article.body[10:60], label="consistent")
    span_create(article=article, reviewer=alice, start=20, end=30, quote=article.body[20:30], label="conflicting")
    span_create(article=article, reviewer=alice, start=50, end=90, quote=article.body[50:90], label="unsupported")
    client.force_login(alice)
    response = client.get(article.get_absolute_url())
    content = response.content.decode()
    fragment = body_html(response)
    assert text_of(fragment) == article.body
    assert "<mark" not in re.sub(r"<mark [^>]*>[^<]*</mark>", "", fragment), "no mark is nested in another"
    assert "data-spans" not in fragment and "l-mixed" in fragment
    # Each mark carries its start; the covering spans are those of the index whose range holds it.
    index = json.loads(re.search(r'<script id="span-index" type="application/json">(.*?)</script>', content).group(1))
    covering = {
        int(o): [pk for pk, start, end in index if start <= int(o) < end]
        for o in re.findall(r'<mark [^>]*data-offset="(\d+)"', fragment)
    }
    spans = {span.start: span.pk for span in article.spans.all()}
    assert covering[20] == [spans[10], spans[20]] and covering[50] == [spans[10], spans[50]]
    assert covering[10] == [spans[10]] and covering[60] == [spans[50]]


def test_the_page_lists_the_reviewers_spans_with_counts_per_label(client, alice, bob, story, article):
    for start, label in [(0, "consistent"), (10, "conflicting"), (20, "conflicting")]:
        span_create(
            article=article,
            reviewer=alice,
            start=start,
            end=start + 5,
            quote=article.body[start : start + 5],
            label=label,
        )
    other = story.articles.exclude(pk=article.pk).order_by("pk").first()
    span_create(article=other, reviewer=alice, start=0, end=5, quote=other.body[:5], label="unsupported")
    span_create(article=article, reviewer=bob, start=30, end=35, quote=article.body[30:35], label="consistent")
    client.force_login(alice)
    response = client.get(article.get_absolute_url())
    workspace = response.context["workspace"]
    assert [(c.value, c.count) for c in workspace.counts] == [("consistent", 1), ("conflicting", 2), ("unsupported", 0)]
    assert [s.reviewer_id for s in workspace.own_spans] == [alice.pk] * 3
    rows = {row.article.pk: (row.total, [c.count for c in row.counts]) for row in workspace.story_rows}
    assert rows[article.pk] == (3, [1, 2, 0]) and rows[other.pk] == (1, [0, 0, 1])
    content = response.content.decode()
    assert content.count('class="span-item"') == 3
    assert "Legend" in content and 'data-cue="✗"' in content


def test_another_reviewers_span_renders_read_only_with_its_own_style():
    class S:
        def __init__(self, pk, start, end, label):
            self.pk, self.start, self.end, self.label = pk, start, end, label

    from factcheck.review.segments import render

    markup = render("abcdefghij", cut(10, [S(1, 0, 4, "consistent"), S(2, 2, 6, "conflicting")], [True, False]))
    assert markup == (
        '<mark class="seg l-consistent" data-spans="1">ab</mark>'
        '<mark class="seg l-consistent has-others" data-spans="1 2" data-cue="✓">cd</mark>'
        '<mark class="seg l-conflicting others" data-spans="2" data-cue="✗">ef</mark>ghij'
    )


def test_the_span_data_for_hover_cards_carries_the_linked_evidence(client, alice, story, article):
    other = story.articles.exclude(pk=article.pk).order_by("pk").first()
    span, _ = span_create(
        article=article,
        reviewer=alice,
        start=0,
        end=12,
        quote=article.body[:12],
        label="conflicting",
        note="dates differ",
        evidence=[EvidenceRef(other.pk, 0, 20, other.body[:20])],
    )
    client.force_login(alice)
    content = client.get(article.get_absolute_url()).content.decode()
    data = json.loads(
        html.unescape(re.search(r'id="span-data" type="application/json">(.*?)</script>', content).group(1))
    )
    assert data[str(span.pk)]["note"] == "dates differ" and "reviewer" not in data[str(span.pk)]
    assert data[str(span.pk)]["evidence"][0]["quote"] == other.body[:20]
    assert data[str(span.pk)]["evidence"][0]["title"] == other.title


# The session with its user and their permissions (one query), article with story, then the page's own four
# (spans, evidence, the story's articles, the story's counts), the article's pre-flags with the
# reader's own answer to each (one query, the answer as a subquery), and the reviewer's standing
# (assigned, submitted: whether they may still mark): the same for 0, 10 and 1,000 spans.
ARTICLE_PAGE_QUERIES = 8


@pytest.mark.parametrize("count", [0, 10, 1000])
def test_the_article_page_costs_the_same_queries_whatever_the_number_of_spans(
    client, alice, article, count, django_assert_num_queries
):
    bulk_spans(article, alice, count)
    client.force_login(alice)
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["workspace"].own_spans) == Span.objects.filter(article=article).count()
    assert text_of(body_html(response)) == article.body


@pytest.mark.parametrize("count", [0, 10, 1000])
def test_the_compare_view_costs_the_same_queries_whatever_the_number_of_spans(
    client, alice, story, article, count, django_assert_num_queries
):
    other = story.articles.exclude(pk=article.pk).order_by("pk").first()
    spans = bulk_spans(article, alice, count)
    Evidence.objects.bulk_create(
        Evidence(span=span, article=other, start=0, end=10, quote=other.body[:10]) for span in spans[:50]
    )
    client.force_login(alice)
    # The article page's queries less its pre-flags (the compare view has no panel), plus the other article.
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES - 1 + 1):
        response = client.get(reverse("article-compare", args=[article.pk]), {"with": other.pk})
    assert response.status_code == 200


def test_the_compare_view_shows_both_articles_and_marks_the_linked_evidence(client, alice, story, article):
    other = story.articles.exclude(pk=article.pk).order_by("pk").first()
    span, _ = span_create(
        article=article,
        reviewer=alice,
        start=0,
        end=12,
        quote=article.body[:12],
        label="consistent",
        evidence=[EvidenceRef(other.pk, 5, 25, other.body[5:25])],
    )
    client.force_login(alice)
    response = client.get(reverse("article-compare", args=[article.pk]), {"with": other.pk})
    content = response.content.decode()
    assert article.title in content and other.title in content
    evidence_id = span.evidence.get().pk
    pane = re.search(r"data-evidence-source[^>]*>(.*?)</div>", content, re.S).group(1)
    assert text_of(pane) == other.body
    assert f'data-evidence="{evidence_id}"' in pane
    assert 'name="compare_with"' in content


def test_the_compare_view_serves_only_the_evidence_pane_to_htmx(client, alice, story, article):
    other = story.articles.exclude(pk=article.pk).order_by("pk").first()
    client.force_login(alice)
    response = client.get(
        reverse("article-compare", args=[article.pk]), {"with": other.pk}, headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert "data-evidence-source" in content and "<html" not in content and "verdict-bar" not in content


def test_the_compare_view_refuses_an_article_of_another_story(client, alice, story, article):
    elsewhere = Story.objects.create(title="Elsewhere", slug="elsewhere")
    stray = Article(story=elsewhere, title="Stray", raw_text="x", body="Another story entirely.")
    stray.save()
    client.force_login(alice)
    url = reverse("article-compare", args=[article.pk])
    assert client.get(url, {"with": stray.pk}).status_code == 404
    assert client.get(url, {"with": article.pk}).status_code == 404
    assert client.get(url, {"with": "x"}).status_code == 404


def test_the_page_is_readable_without_javascript_and_says_when_the_story_is_closed(client, alice, story, article):
    story.state = Story.State.APPROVED
    story.save()
    client.force_login(alice)
    content = client.get(article.get_absolute_url()).content.decode()
    assert "no longer added, changed or removed" in content
    assert 'id="verdict-bar"' not in content
    assert text_of(body_html(client.get(article.get_absolute_url()))) == article.body


def test_a_user_who_may_not_see_the_story_gets_a_404(client, nobody, article):
    client.force_login(nobody)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get(reverse("article-compare", args=[article.pk])).status_code == 404


def test_a_long_list_shows_the_first_verdicts_and_opens_in_full_on_demand(client, alice, article):
    from factcheck.review.workspace import LIST_LIMIT

    bulk_spans(article, alice, LIST_LIMIT + 10)
    client.force_login(alice)
    content = client.get(article.get_absolute_url()).content.decode()
    assert content.count('class="span-item"') == LIST_LIMIT
    assert f"Show all {LIST_LIMIT + 10} verdicts" in content and "(10 more)" in content
    full = client.get(article.get_absolute_url(), {"all": "1"}, headers={"HX-Request": "true"}).content.decode()
    assert full.count('class="span-item"') == LIST_LIMIT + 10 and "Show all" not in full
    counts = {c.value: c.count for c in client.get(article.get_absolute_url()).context["workspace"].counts}
    assert sum(counts.values()) == LIST_LIMIT + 10
