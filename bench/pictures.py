"""The story page with its pictures (timeline, outlets-by-facts table, conflicts) against the page without them.

    /work/main/.venv/bin/python bench/pictures.py [--articles 50] [--repeat 15]

A story of 50 dated reports (tests/factories.wide_story, about 550 dates and figures) is pre-flagged once,
then the story page is served through Django's test client, as the median of `repeat` requests:
with the pictures, and in the same run with `story_pictures` replaced by nothing (the page as it was).
Prints both and the ratio (goal: within 3x). The pictures are a
cached fragment keyed on when the facts were computed and the reader's visible spans; the cold figure
(cache cleared before each request: the first view after a pre-flag or a span write) is printed too.
Queries are counted exactly in tests/test_pictures.py (8 cold, 7 warm).
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import in_test_database, timed  # noqa: E402  (sets Django up)

GOAL_RATIO = 3.0


def run(articles: int, repeat: int) -> None:
    from django.test import Client

    from factcheck.findings.models import StoryFact
    from factcheck.findings.services import story_preflag
    from factcheck.workflow import views
    from tests.factories import make_user, restore_roles, wide_story

    restore_roles()
    reader = make_user("bench-reader", "Reviewers")
    story = wide_story(articles)
    story_preflag(story=story)
    facts = StoryFact.objects.filter(story=story).count()
    client = Client()
    client.force_login(reader)
    url = story.get_absolute_url()

    def page() -> None:
        response = client.get(url)
        assert response.status_code == 200

    def measure() -> tuple[float, int]:
        page()  # warm the template cache
        size = len(client.get(url).content)
        return timed(page, repeat), size

    with_pictures, with_size = measure()
    from django.core.cache import cache

    def cold() -> None:
        cache.clear()
        page()

    cold_time = timed(cold, max(3, repeat // 3))
    real = views.story_pictures
    views.story_pictures = lambda **kwargs: None
    try:
        without, without_size = measure()
    finally:
        views.story_pictures = real
    print(f"story of {articles} articles, {facts} stored facts, median of {repeat} requests")
    print(f"  without pictures: {without * 1000:7.1f} ms  {without_size / 1024:6.1f} KB")
    print(f"  with pictures:    {with_pictures * 1000:7.1f} ms  {with_size / 1024:6.1f} KB")
    ratio = with_pictures / without
    print(f"  ratio {ratio:.2f}x (goal: within {GOAL_RATIO:.0f}x) {'ok' if ratio <= GOAL_RATIO else 'OVER'}")
    # The first view after a pre-flag or a span write builds and renders them (the cached fragment misses).
    print(f"  cold (cache missed): {cold_time * 1000:7.1f} ms, ratio {cold_time / without:.2f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=15)
    options = parser.parse_args()
    in_test_database(run, options.articles, options.repeat)
