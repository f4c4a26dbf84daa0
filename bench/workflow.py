"""Speed of the editors' desk, as ratios against baselines measured in the same run.

    DATABASE_URL=... python bench/workflow.py [--size tiny|quick|full] [--stories 300] [--spans 3000]

Builds a throw-away test database with `stories` stories (one article each) plus the seed story, whose
articles get `spans` spans of two reviewers in claim groups, then prints:
- the story changelist (one page, every figure and alpha) against one plain SELECT of the same page;
- the article changelist against the same plain SELECT of its page;
- a review move (story_transition: checks, conditional UPDATE, history row) against a bare UPDATE.
"""

# ruff: noqa: I001, E402  (harness sets Django up before the models are imported)
from harness import in_test_database, timed
from report import Figure, emit, parser

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test import Client


NAME = "workflow"
SIZES = {"tiny": (20, 60), "quick": (100, 1000), "full": (300, 3000)}  # stories, spans


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--stories", type=int)
    p.add_argument("--spans", type=int)
    args = p.parse_args()
    stories, spans = SIZES[args.size]
    in_test_database(run, args.stories or stories, args.spans or spans, args.json)


def run(story_count: int, span_count: int, json_path: str | None = None) -> None:
    from factcheck.articles.models import Article, Story, StoryState
    from factcheck.review.models import ClaimGroup, GroupStatus
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

    size = f"{connection.vendor}, {Story.objects.count()} stories, {Span.objects.count()} spans"
    ms = 1000
    plain = "a plain SELECT of the page"
    emit(
        [
            Figure(NAME, f"story changelist ({size})", stories * ms, plain_stories * ms, "ms", plain),
            Figure(NAME, f"article changelist ({size})", articles * ms, plain_articles * ms, "ms", plain),
            Figure(NAME, f"approve one story ({size})", move * ms, bare * ms, "ms", "a bare UPDATE of its version"),
        ],
        json_path,
    )


if __name__ == "__main__":
    main()
