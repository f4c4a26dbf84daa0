"""The story page with its pictures (timeline, outlets-by-facts table, conflicts) against the page without them.

    /work/main/.venv/bin/python bench/pictures.py [--size tiny|quick|full] [--articles 50] [--rounds 25]

A story of 50 dated reports (tests/factories.wide_story, about 550 dates and figures) is pre-flagged once,
then the story page is served through Django's test client in rounds, each round one request of each:
- cold: the first view after the facts changed. The facts' `computed_at` is moved on before the request,
  as a pre-flag does, so the cached pictures' key no longer matches and they are read, built and
  written again (the stale entries stay in the cache, as they would);
- warm: the same page again, its pictures' HTML from the cache;
- the baseline: the same page with `story_pictures` replaced by nothing (the page as it was).
The three are interleaved, in an order that turns each round, so a load on the shared machine weighs on
them alike; each figure is the median of its rounds. The issue's goal: within 3x the page without them,
in at most 10 queries (counted here on one request of each; asserted exactly in tests/test_pictures.py).
`--profile` prints where a cold view's time goes (cProfile, by internal time).
"""

# ruff: noqa: I001, E402  (harness sets Django up before the models are imported)
import statistics
import time

from harness import in_test_database
from report import Figure, emit, parser

from django.db import connection
from django.test.utils import CaptureQueriesContext

NAME = "pictures"
SIZES = {"tiny": (6, 3), "quick": (50, 9), "full": (50, 25)}  # articles, rounds
GOAL_RATIO = 3.0
GOAL_QUERIES = 10


def run(articles: int, rounds: int, json_path: str | None, profile: bool) -> None:
    from django.test import Client
    from django.utils import timezone

    from factcheck.findings.models import StoryFact
    from factcheck.findings.services import story_preflag
    from factcheck.workflow import views
    from tests.factories import make_user, restore_roles, wide_story

    restore_roles()
    reader = make_user("bench-reader", "Reviewers")
    story = wide_story(articles)
    story.reviewers.add(reader)  # a reviewer reads only the stories assigned to them
    story_preflag(story=story)
    facts = StoryFact.objects.filter(story=story)
    client = Client()
    client.force_login(reader)
    url = story.get_absolute_url()
    real = views.story_pictures

    def get() -> bytes:
        response = client.get(url)
        assert response.status_code == 200
        return response.content

    def facts_changed() -> None:
        facts.update(computed_at=timezone.now())

    def without() -> bytes:
        views.story_pictures = lambda **kwargs: None
        try:
            return get()
        finally:
            views.story_pictures = real

    kinds = {"cold": get, "warm": get, "without": without}
    prepare = {"cold": facts_changed, "warm": lambda: None, "without": lambda: None}
    sizes, queries = {}, {}
    for kind in ("cold", "warm", "without"):  # also warms Django's template and URL caches
        prepare[kind]()
        with CaptureQueriesContext(connection) as captured:
            sizes[kind] = len(kinds[kind]())
        queries[kind] = len(captured)
    samples: dict[str, list[float]] = {kind: [] for kind in kinds}
    order = list(kinds)
    for n in range(rounds):
        for kind in order[n % 3 :] + order[: n % 3]:
            prepare[kind]()
            started = time.perf_counter()
            kinds[kind]()
            samples[kind].append(time.perf_counter() - started)
    if profile:
        import cProfile
        import pstats

        facts_changed()
        profiler = cProfile.Profile()
        profiler.runcall(get)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)

    ms = {kind: statistics.median(values) * 1000 for kind, values in samples.items()}
    size = f"{connection.vendor}, {articles} articles, {facts.count()} facts"
    baseline = "the same page without pictures"
    figures = []
    for kind, what in (("cold", "first view after the facts changed"), ("warm", "cached pictures")):
        ratio = ms[kind] / ms["without"]
        figures.append(
            Figure(
                NAME,
                f"story page, {kind}: {what} ({size})",
                ms[kind],
                ms["without"],
                "ms",
                baseline,
                f"<= {GOAL_RATIO:.0f}x",
                ratio <= GOAL_RATIO,
                note=f"{sizes[kind] / 1024:.0f} KB against {sizes['without'] / 1024:.0f} KB, median of {rounds}",
            )
        )
    for kind in ("cold", "warm"):
        figures.append(
            Figure(
                NAME,
                f"story page, {kind}, queries ({size})",
                queries[kind],
                queries["without"],
                "queries",
                baseline,
                f"<= {GOAL_QUERIES}",
                queries[kind] <= GOAL_QUERIES,
            )
        )
    emit(figures, json_path)


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--articles", type=int)
    p.add_argument("--rounds", type=int)
    p.add_argument("--profile", action="store_true", help="print where a cold view's time goes")
    args = p.parse_args()
    articles, rounds = SIZES[args.size]
    in_test_database(run, args.articles or articles, args.rounds or rounds, args.json, args.profile)


if __name__ == "__main__":
    main()
