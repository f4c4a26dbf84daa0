"""A verdict save through the real view, at 10 and at 2,000 spans on the article: time, queries, answer size.

    DATABASE_URL=... python bench/save.py [--size tiny|quick|full] [--spans 2000] [--repeat 25] [--profile]

Builds a throw-away test database (of DATABASE_URL's kind; SQLite by default) with two stories of the
same shape: one long article (~400 sentences in paragraphs of four) and a second article to link
evidence from. Four reviewers mark sentences and clauses of them (spans made in bulk, then grouped once
with regroup_article); the small story carries 10 spans, the large one `--spans` (2,000). The discussion
is open, so the saving reviewer sees every span on the page (the page a save used to redraw is as big
as it gets). Then, as the page's htmx does (HX-Request), through Django's test client:

  create  POST a new verdict on a clause in the middle of the article (removed again, untimed)
  edit    POST a change of label and note to the reviewer's own verdict there

It prints the median server time of each at both sizes (samples interleaved, so the machine's load weighs
on both alike), the ratio (the issue's goal: at most 1.2x), the queries each makes (goal: the same number
at both sizes, at most 10) and the answer's size.
`--profile` prints cProfile's top functions of the large create.
"""

# ruff: noqa: I001, E402  (harness sets Django up before the models are imported)
import cProfile
import os
import pstats
import statistics
import time

from harness import in_test_database
from report import Figure, emit, machine, parser

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

NAME = "save"
SIZES = {"tiny": (100, 3), "quick": (2000, 15), "full": (2000, 41)}  # spans on the large article, repeats
SMALL = 10
LABELS = ("consistent", "conflicting", "unsupported")
GOAL_RATIO = 1.2
GOAL_QUERIES = 10
SENTENCE = (
    "officials said the advisers would stay at the base until the first phase of the agreement ended "
    "while critics in parliament argued that the timetable had never been realistic for the ministry"
)
WORDS = SENTENCE.split(" ")


def body(sentences: int) -> str:
    """Sentences of 12 to 19 words, four to a paragraph."""
    out, paragraph = [], []
    for i in range(sentences):
        size = 12 + i % 8
        words = [WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(size)]
        paragraph.append(" ".join(words).capitalize() + f" ({i}).")
        if len(paragraph) == 4:
            out.append(" ".join(paragraph))
            paragraph = []
    if paragraph:
        out.append(" ".join(paragraph))
    return "\n\n".join(out)


def sentence_ranges(text: str) -> list[tuple[int, int]]:
    ranges, start = [], 0
    for index, char in enumerate(text):
        if char == ".":
            ranges.append((start, index + 1))
            start = index + 1
            while start < len(text) and text[start].isspace():
                start += 1
    return ranges


def story_with(title: str, users, spans: int, sentences: int):
    """A story whose first article carries `spans` spans of `users` (bulk-made, grouped once)."""
    from factcheck.articles.models import Article, Story
    from factcheck.review.grouping import regroup_article
    from factcheck.review.models import Discussion, Span

    story = Story.objects.create(title=title, slug=title.lower().replace(" ", "-"), state="in_review")
    story.reviewers.add(*users)
    text = body(sentences)
    article = Article.objects.create(story=story, title=f"{title}, report", raw_text=text, body=text)
    Article.objects.create(story=story, title=f"{title}, other", raw_text=body(40), body=body(40))
    ranges = sentence_ranges(text)
    middle = len(ranges) // 2
    rows, seen = [], set()
    k = 0
    while len(rows) < spans:
        # Round the sentences outwards from the middle, so 10 spans sit where the saves happen too.
        offset = (k // len(users)) % len(ranges)
        index = (middle + (offset + 1) // 2 * (1 if offset % 2 else -1)) % len(ranges)
        variant = k // (len(users) * len(ranges))
        n = k % len(users)
        k += 1
        start, end = ranges[index]
        # Whole sentences, or the first words of one: each reviewer a little differently.
        end = end if (n + variant) % 2 == 0 else start + 20 + 4 * n + 7 * variant
        while text[end - 1].isspace():
            end -= 1
        if (n, start, end) in seen or index == middle and n == 0:
            continue  # the saving reviewer's own verdict on the middle sentence is made apart, below
        seen.add((n, start, end))
        label = LABELS[(index + n) % 3]
        rows.append(Span(article=article, reviewer=users[n], start=start, end=end, quote=text[start:end], label=label))
    start, end = ranges[middle]
    quote = text[start:end]
    rows.append(Span(article=article, reviewer=users[0], start=start, end=end, quote=quote, label="consistent"))
    Span.objects.bulk_create(rows)
    regroup_article(article=article)
    Discussion.objects.create(story=story, opened_by=users[-1])
    own = Span.objects.get(article=article, reviewer=users[0], start=start, end=end)
    return article, own, ranges[middle]


def posted(client, url: str, data: dict, queries: list[str] | None = None):
    """The view's answer to an htmx POST and its server time; its SQL appended to `queries`."""

    def count(execute, sql, *rest):
        queries.append(sql)
        return execute(sql, *rest)

    began = time.perf_counter()
    if queries is None:
        response = client.post(url, data, HTTP_HX_REQUEST="true")
    else:
        with connection.execute_wrapper(count):
            response = client.post(url, data, HTTP_HX_REQUEST="true")
    return time.perf_counter() - began, response


def savers(client, article, own, sentence) -> dict:
    """The two saves on this article, each a function of a sample number (and a list to count its SQL in)."""
    from factcheck.review.models import Span

    start = sentence[0] + 5
    text = article.body

    def create_once(k: int, queries=None):
        # A clause of the middle sentence no one marked (a little longer each time), removed again untimed.
        end = start + 12 + k % 9
        while text[end - 1].isspace():
            end -= 1
        data = {"start": start, "end": end, "quote": text[start:end], "label": LABELS[k % 3], "note": ""}
        took, response = posted(client, f"/articles/{article.pk}/spans/", data, queries)
        assert response.status_code == 201, response.content[:500]
        Span.objects.filter(article=article, start=start, end=end, reviewer=own.reviewer).delete()
        return took, response

    def edit_once(k: int, queries=None):
        data = {"label": LABELS[k % 3], "note": f"Edited {k}"}
        took, response = posted(client, f"/spans/{own.pk}/edit/", data, queries)
        assert response.status_code == 200, response.content[:500]
        return took, response

    return {"create": create_once, "edit": edit_once}


def measure(client, small: tuple, large: tuple, repeat: int, profile: bool) -> dict:
    """Median server time, queries and answer size of each save at both sizes, the samples interleaved
    (small, large, small, ...) so that a change in the machine's load weighs on both alike."""
    from factcheck.review.models import Span

    sizes = {"small": savers(client, *small), "large": savers(client, *large)}
    out = {"small": {}, "large": {}}
    for name in ("create", "edit"):
        samples = {"small": [], "large": []}
        for size, saves in sizes.items():
            saves[name](0)  # warm: templates compiled, connection open
            queries: list[str] = []
            _, response = saves[name](1, queries)
            out[size][name] = {"queries": len(queries), "bytes": len(response.content)}
        for k in range(2, repeat + 2):
            for size, saves in sizes.items():
                samples[size].append(saves[name](k)[0])
        for size in sizes:
            out[size][name]["ms"] = statistics.median(samples[size]) * 1000
        if profile:
            profiler = cProfile.Profile()
            for k in range(5):
                profiler.runcall(sizes["large"][name], 100 + k)
            print(f"\n## cProfile: 5 x {name} at {Span.objects.filter(article=large[0]).count()} spans")
            pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_PROFILE_SORT", "tottime")).print_stats(120)
    return out


def run(spans: int, repeat: int, json_path: str | None, profile: bool) -> None:
    # One connection for the whole run, as a gunicorn worker keeps it: no reconnect per request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    users = []
    for n in range(4):
        user = get_user_model().objects.create_user(f"saver{n}", password="x")
        user.groups.add(Group.objects.get(name="Reviewers"))
        users.append(user)
    sentences = 400
    small = story_with("Small story", users, SMALL, sentences)
    large = story_with("Large story", users, spans, sentences)
    client = Client()
    client.force_login(users[0])
    measured = measure(client, small, large, repeat, profile)
    at_small, at_large = measured["small"], measured["large"]

    print(f"Machine: {machine()}; {connection.vendor}; median of {repeat}; article of {len(large[0].body)} characters")
    print("| save | spans | ms | queries | answer bytes |")
    print("|---|---:|---:|---:|---:|")
    for name in ("create", "edit"):
        for size, got in ((SMALL, at_small), (spans, at_large)):
            r = got[name]
            print(f"| {name} | {size} | {r['ms']:.1f} | {r['queries']} | {r['bytes']:,} |")
    figures = []
    for name in ("create", "edit"):
        big, little = at_large[name], at_small[name]
        figures.append(
            Figure(NAME, f"{name} a verdict at {spans} spans ({connection.vendor})", big["ms"], little["ms"], "ms",
                   f"the same at {SMALL} spans", f"<= {GOAL_RATIO}x", big["ms"] <= GOAL_RATIO * little["ms"],
                   note=f"answer {big['bytes']:,} B against {little['bytes']:,} B")
        )  # fmt: skip
        figures.append(
            Figure(NAME, f"{name}: queries at {spans} spans", big["queries"], little["queries"], "",
                   f"queries at {SMALL} spans", f"same, <= {GOAL_QUERIES}",
                   big["queries"] == little["queries"] <= GOAL_QUERIES)
        )  # fmt: skip
    emit(figures, json_path)


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--spans", type=int)
    p.add_argument("--repeat", type=int)
    p.add_argument("--profile", action="store_true", help="print where the large save's time goes")
    args = p.parse_args()
    spans, repeat = SIZES[args.size]
    in_test_database(run, args.spans or spans, args.repeat or repeat, args.json, args.profile)


if __name__ == "__main__":
    main()
