"""Speed of the editors' desk, as ratios against baselines measured in the same run.

    DATABASE_URL=... python bench/workflow.py [--stories 300] [--spans 3000]

Builds a throw-away test database with `stories` stories (one article each) plus the seed story, whose
articles get `spans` spans of two reviewers in claim groups, then prints:
- the story changelist (one page, every figure and alpha) against one plain SELECT of the same page;
- the article changelist against the same plain SELECT of its page;
- a review move (story_transition: checks, conditional UPDATE, history row) against a bare UPDATE.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import warnings  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import F  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def timed(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stories", type=int, default=300)
    parser.add_argument("--spans", type=int, default=3000)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args.stories, args.spans)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(story_count: int, span_count: int) -> None:
    from factcheck.articles.models import Article, Story, StoryState
    from factcheck.consensus.models import ClaimGroup, GroupStatus
    from factcheck.review.models import Span
    from factcheck.workflow.services import story_transition

    User = get_user_model()
    call_command("loaddata", "seed", verbosity=0)
    reviewers = []
    for name in ("alice", "bob"):
        user = User.objects.create_user(name, password="x")
        user.groups.add(Group.objects.get(name="Reviewers"))
        reviewers.append(user)
    editor = User.objects.create_user("erin", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))

    Story.objects.bulk_create(
        Story(title=f"Story {i:04}", slug=f"story-{i:04}", state=StoryState.READY) for i in range(story_count)
    )
    Article.objects.bulk_create(
        Article(story=s, title=f"Report {s.pk}", raw_text="Raw.", body=f"Body {s.pk}.", body_sha256=str(s.pk))
        for s in Story.objects.exclude(slug="us-advisers-remain-in-iraq")
    )
    seed = list(Article.objects.filter(story__slug="us-advisers-remain-in-iraq"))
    per_article = span_count // (len(seed) * 2)
    for article in seed:
        groups = ClaimGroup.objects.bulk_create(
            ClaimGroup(
                article=article,
                start=i * 4,
                end=i * 4 + 3,
                status=GroupStatus.DISPUTED if i % 2 else GroupStatus.CONSENSUS,
                reviewer_count=2,
            )
            for i in range(per_article)
        )
        Span.objects.bulk_create(
            Span(
                article=article,
                reviewer=reviewer,
                start=group.start,
                end=group.end,
                quote=article.body[group.start : group.end],
                label="consistent" if r == 0 or group.status == GroupStatus.CONSENSUS else "conflicting",
                group=group,
            )
            for group in groups
            for r, reviewer in enumerate(reviewers)
        )

    client = Client()
    client.force_login(editor)

    def page(url: str) -> None:
        assert client.get(url).status_code == 200

    plain_stories = timed(lambda: list(Story.objects.order_by("title")[:100]), 15)
    stories = timed(lambda: page("/admin/articles/story/"), 7)
    plain_articles = timed(lambda: list(Article.objects.defer("body", "raw_text").order_by("title")[:100]), 15)
    articles = timed(lambda: page("/admin/articles/article/"), 7)

    targets = list(Story.objects.filter(state=StoryState.READY).order_by("pk")[:40])
    bare = timed(lambda: Story.objects.filter(pk=targets[0].pk).update(version=F("version") + 1), 15)
    moves = iter(targets[1:])

    def approve() -> None:
        story = next(moves)
        story_transition(story=story, user=editor, target=StoryState.APPROVED, seen_version=story.version)

    move = timed(approve, 15)

    spans = Span.objects.count()
    print(f"{Story.objects.count()} stories, {spans} spans, {ClaimGroup.objects.count()} groups ({connection.vendor})")
    print(f"story changelist   {stories * 1000:7.1f} ms  = {stories / plain_stories:6.1f} x a plain SELECT of the page")
    print(
        f"article changelist {articles * 1000:7.1f} ms  = {articles / plain_articles:6.1f} x a plain SELECT of the page"
    )
    print(f"approve one story  {move * 1000:7.1f} ms  = {move / bare:6.1f} x a bare UPDATE of its version")


if __name__ == "__main__":
    main()
