"""Speed of the consensus machinery, as ratios against baselines measured in the same run.

    DATABASE_URL=... python bench/consensus.py [--size tiny|quick|full] [--reviewers 8] [--claims 40]

Builds a throw-away test database, has `reviewers` reviewers mark `claims` overlapping claims in every
article of the seed story, then prints:
- a span write with regrouping (span_create) against the same row saved bare (Span.save);
- the consensus page for an editor against one plain SELECT of the same spans;
- the disputed queue against a plain SELECT of the same groups.
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


NAME = "consensus"
SIZES = {"tiny": (2, 3), "quick": (4, 15), "full": (8, 40)}  # reviewers, claims per article


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--reviewers", type=int)
    p.add_argument("--claims", type=int)
    args = p.parse_args()
    reviewers, claims = SIZES[args.size]
    in_test_database(run, args.reviewers or reviewers, args.claims or claims, args.json)


def run(reviewers: int, claims: int, json_path: str | None = None) -> None:
    from factcheck.articles.models import Story
    from factcheck.review.models import ClaimGroup
    from factcheck.review.services import review_submit
    from factcheck.review.models import Span
    from factcheck.review.services import span_create

    call_command("loaddata", "seed", verbosity=0)
    Story.objects.filter(slug="us-advisers-remain-in-iraq").update(state="in_review")
    story = Story.objects.get(slug="us-advisers-remain-in-iraq")
    users = []
    for n in range(reviewers):
        user = get_user_model().objects.create_user(f"bench{n}", password="x")
        user.groups.add(Group.objects.get(name="Reviewers"))
        users.append(user)
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
        ],
        json_path,
    )


if __name__ == "__main__":
    main()
