"""Speed of the consensus machinery, as ratios against baselines measured in the same run.

    DATABASE_URL=... python bench/consensus.py [--size tiny|quick|full] [--reviewers 8] [--claims 40]
                                               [--large 5000] [--profile]

Builds a throw-away test database, has `reviewers` reviewers mark `claims` overlapping claims in every
article of the seed story, then prints:
- a span write with regrouping (span_create) against the same row saved bare (Span.save);
- the consensus page for an editor against one plain SELECT of the same spans;
- the disputed queue against a plain SELECT of the same groups;
- the consensus page of a story with `--large` spans (default 5,000) against the same page at 50 spans,
  with its queries and its server time (the issue's bound: at most 10 queries and 0.3 s), twice: the
  first view right after a verdict changed (cold: the agreement glance, cached on the story's verdicts,
  is computed afresh, as every editor sees it after each change) and the page seen again unchanged
  (warm), timed in pairs so both see the same load, wall time with this process's CPU time beside it;
  `--profile` prints cProfile's account of one cold view;
- a verdict saved on that large story against the same save on the small story (regrouping touches
  only the overlap chain of the span, so the ratio should stay near 1).
"""

# ruff: noqa: I001, E402  (harness sets Django up before the models are imported)
import statistics
import time

from harness import in_test_database, timed
from report import Figure, emit, parser

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test import Client

LABELS = ["consistent", "conflicting", "unsupported"]
PROFILE = False


NAME = "consensus"
SIZES = {"tiny": (2, 3), "quick": (4, 15), "full": (8, 40)}  # reviewers, claims per article


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--reviewers", type=int)
    p.add_argument("--claims", type=int)
    p.add_argument("--large", type=int, default=5000, help="spans on the large story")
    p.add_argument("--profile", action="store_true", help="print where the large page's time goes")
    args = p.parse_args()
    reviewers, claims = SIZES[args.size]
    global PROFILE
    PROFILE = args.profile
    in_test_database(run, args.reviewers or reviewers, args.claims or claims, args.json, args.large)


def run(reviewers: int, claims: int, json_path: str | None = None, large: int = 5000) -> None:
    from factcheck.articles.models import Story
    from factcheck.review.models import ClaimGroup
    from factcheck.review.services import review_submit
    from factcheck.review.models import Span
    from factcheck.review.services import span_create

    call_command("loaddata", "seed", verbosity=0)
    Story.objects.filter(slug="us-advisers-remain-in-iraq").update(state="in_review")
    story = Story.objects.get(slug="us-advisers-remain-in-iraq")
    Story.objects.filter(pk=story.pk).update(state="in_review")  # the fixture's story is a draft
    story.refresh_from_db()
    users = []
    for n in range(reviewers):
        user = get_user_model().objects.create_user(f"bench{n}", password="x")
        user.groups.add(Group.objects.get(name="Reviewers"))
        users.append(user)
    story.reviewers.add(*users)  # reviewers mark only the stories assigned to them
    editor = get_user_model().objects.create_user("bench-editor", password="x")
    editor.groups.add(Group.objects.get(name="Editors"))

    articles = list(story.articles.all())
    write_samples, bare_samples = [], []
    for article in articles:
        limit = min(claims, (len(article.body) - 60) // 30)
        for claim in range(limit):
            for n, user in enumerate(users):
                start, end = 30 * claim, 30 * claim + 20 + n % 5
                if not article.body[start:end].strip():
                    continue
                while article.body[start].isspace():  # a quote may not begin or end with white space
                    start += 1
                while article.body[end - 1].isspace():
                    end -= 1
                quote = article.body[start:end]
                label = LABELS[0] if claim % 2 else LABELS[n % 3]
                started = time.perf_counter()
                span_create(article=article, reviewer=user, start=start, end=end, quote=quote, label=label)
                write_samples.append(time.perf_counter() - started)
                # The baseline: the same kind of row, saved with nothing around it (then removed).
                started = time.perf_counter()
                bare = Span(article=article, reviewer=user, start=start, end=end + 1, quote=quote, label=label)
                bare.save()
                bare_samples.append(time.perf_counter() - started)
                Span.objects.filter(pk=bare.pk).delete()
    for user in users:
        review_submit(story=story, reviewer=user)

    spans = Span.objects.filter(article__story=story).count()
    groups = ClaimGroup.objects.filter(article__story=story).count()
    client = Client()
    client.force_login(editor)
    url = f"/stories/{story.slug}/consensus/"
    assert client.get(url).status_code == 200

    page = timed(lambda: client.get(url), 15)
    plain = timed(lambda: list(Span.objects.filter(article__story=story).values_list("pk", "label")), 15)
    queue = timed(lambda: client.get("/disputed/"), 15)
    plain_groups = timed(lambda: list(ClaimGroup.objects.filter(status="disputed").values_list("pk")), 15)

    write, bare = statistics.median(write_samples), statistics.median(bare_samples)
    size = f"{connection.vendor}, {reviewers} reviewers, {spans} spans, {groups} groups"
    ms = 1000
    emit(
        [
            Figure(NAME, f"span write with regrouping ({size})", write * ms, bare * ms, "ms", "a bare Span.save"),
            Figure(NAME, f"consensus page, editor ({size})", page * ms, plain * ms, "ms", "one SELECT of its spans"),
            Figure(NAME, f"disputed queue ({size})", queue * ms, plain_groups * ms, "ms", "one SELECT of its groups"),
            *at_scale(client, users[:5], large, editor),
        ],
        json_path,
    )


def scaled_story(title: str, users, spans: int):
    """A story of five long articles on which `users` mark `spans` spans in all, as pairs that overlap."""
    from factcheck.articles.models import Article, Story
    from factcheck.review.grouping import regroup_article
    from factcheck.review.models import Span

    story = Story.objects.create(title=title, slug=title.lower().replace(" ", "-"), state="in_review")
    story.reviewers.add(*users)
    per_article = spans // 5
    claims = -(-per_article // len(users))  # the last claim may be marked by fewer reviewers
    for number in range(5):
        body = " ".join(f"claim{i:05d} says something checkable here." for i in range(claims + 1))
        body += f" End of report {number}."
        article = Article.objects.create(story=story, title=f"Report {number}", raw_text=body, body=body)
        rows = []
        for k in range(per_article):
            claim, n = divmod(k, len(users))
            start = claim * 41  # each claim's sentence; reviewers differ a little in where they stop
            end = start + 30 + n % 3
            rows.append(
                Span(
                    article=article,
                    reviewer=users[n],
                    start=start,
                    end=end,
                    quote=body[start:end],
                    label=LABELS[(claim + (n if claim % 4 == 0 else 0)) % 3],
                )
            )
        Span.objects.bulk_create(rows)
        regroup_article(article=article)
    for user in users:
        from factcheck.review.models import ReviewSubmission

        ReviewSubmission.objects.get_or_create(story=story, reviewer=user)
    return story


REPEAT = 15  # GETs per median


def _server_times(client, url: str, change, repeat: int = REPEAT) -> dict[str, tuple[float, float]]:
    """The page's median wall and CPU seconds seen again unchanged ("warm") and right after a verdict
    changed ("cold"), in pairs: each round times a GET of the story as the last GET left it (its glance
    cached), then `change(n)` (untimed), then a GET of the changed story. Paired, both see the same load.

    CPU is this process's: Django's side of the request, steadier than wall time when the shared machine
    is busy; on PostgreSQL the database server's own work shows in the wall time only.
    """
    samples: dict[str, tuple[list[float], list[float]]] = {"warm": ([], []), "cold": ([], [])}

    def get(kind: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        samples[kind][0].append(time.perf_counter() - wall)
        samples[kind][1].append(time.process_time() - cpu)
        assert response.status_code == 200

    client.get(url)
    for n in range(repeat):
        get("warm")
        change(n)
        get("cold")
    return {kind: (statistics.median(walls), statistics.median(cpus)) for kind, (walls, cpus) in samples.items()}


def _verdict_changes(story, editor, repeat: int = REPEAT):
    """The `change` for _server_times that makes the next view cold: a reviewer changes a verdict (through the
    service reviewers use in a claim's thread), so every cache keyed on the story's verdicts is stale.
    Each change is to another span, so no state of the story repeats and nothing cached can serve it."""
    from factcheck.consensus.services import verdict_change
    from factcheck.review.models import Span
    from factcheck.review.services import discussion_open

    discussion_open(story=story, editor=editor)  # a submitted reviewer may change a verdict in the thread
    spans = list(Span.objects.filter(article__story=story).select_related("reviewer", "article__story")[:repeat])

    def change(n: int) -> None:
        span = spans[n]
        verdict_change(span=span, reviewer=span.reviewer, label=LABELS[(LABELS.index(span.label) + 1) % 3], note="")

    return change


def _profile(client, url: str, story, editor) -> None:
    """Where the cold page's time goes: cProfile of one GET right after a verdict changed."""
    import cProfile
    import pstats

    from factcheck.consensus.services import verdict_change
    from factcheck.review.models import Span

    span = Span.objects.filter(article__story=story).select_related("reviewer", "article__story").last()
    verdict_change(span=span, reviewer=span.reviewer, label=LABELS[(LABELS.index(span.label) + 1) % 3], note="")
    profile = cProfile.Profile()
    profile.runcall(client.get, url)
    stats = pstats.Stats(profile)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(20)


def at_scale(client, users, large: int, editor) -> list:
    from factcheck.review.models import Span
    from factcheck.review.services import span_update

    small = scaled_story("Small story", users, 50)
    big = scaled_story("Large story", users, large)
    times = {}
    for story in (small, big):
        url = f"/stories/{story.slug}/consensus/"
        assert client.get(url).status_code == 200
        queries: list[str] = []

        def count(execute, sql, *rest, queries=queries):
            queries.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(count):
            client.get(url)
        measured = _server_times(client, url, _verdict_changes(story, editor))
        times[story.pk] = (measured["warm"], measured["cold"], len(queries))
        if PROFILE and story is big:
            _profile(client, url, story, editor)
    spans = {s.pk: Span.objects.filter(article__story=s).count() for s in (small, big)}
    (warm_small, cold_small, q_small), (warm_big, cold_big, q_big) = times[small.pk], times[big.pk]

    def save(story):
        from django.utils import timezone

        # Sent back, so the submitted reviews no longer freeze the spans.
        type(story).objects.filter(pk=story.pk).update(state="changes_requested", review_reopened_at=timezone.now())
        span = Span.objects.filter(article__story=story, reviewer=users[0]).order_by("-start").first()
        labels = iter(LABELS * 20)
        return timed(lambda: span_update(span=span, user=users[0], label=next(labels), note=""), 15)

    ms = 1000
    big_n, small_n = spans[big.pk], spans[small.pk]
    pages = []
    for what, (wall_big, cpu_big), (wall_small, cpu_small) in (
        ("first view after a verdict changed", cold_big, cold_small),
        ("seen again unchanged", warm_big, warm_small),
    ):
        pages.append(
            Figure(
                NAME,
                f"consensus page at {big_n} spans, {what} ({connection.vendor}, {q_big} queries)",
                wall_big * ms,
                wall_small * ms,
                "ms",
                f"the same at {small_n} spans ({q_small} queries)",
                goal="<= 10 queries, <= 300 ms",
                met=q_big <= 10 and wall_big <= 0.3,
                note=f"CPU {cpu_big * ms:.0f} ms against {cpu_small * ms:.0f} ms, {cpu_big / cpu_small:.1f}x",
            )
        )
    return [
        *pages,
        Figure(
            NAME,
            f"verdict save on the {big_n}-span story ({connection.vendor})",
            save(big) * ms,
            save(small) * ms,
            "ms",
            f"the same save on the {small_n}-span story",
        ),
    ]


if __name__ == "__main__":
    main()
