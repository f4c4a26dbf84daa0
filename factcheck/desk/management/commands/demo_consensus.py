"""Demo data for the consensus screens: alice and bob review the seed story, disagree, and submit. DEBUG only."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from factcheck.articles.models import Story
from factcheck.consensus.services import comment_create
from factcheck.review.services import EvidenceRef, review_submit, span_create

# (article file prefix, alice's text, alice's verdict, bob's text, bob's verdict); None: that reviewer skipped it.
MARKS = [
    ("000", "by September 2025", "consistent", "by September 2025", "consistent"),
    (
        "000",
        "between 250 and 350 U.S. advisers",
        "consistent",
        "between 250 and 350 U.S. advisers and support staff",
        "consistent",
    ),
    (
        "001",
        "reduce American military presence in Iraq by September 2023",
        "conflicting",
        "by September 2023",
        "unsupported",
    ),
    ("002", "roughly 2,500 troops in Iraq", "consistent", "roughly 2,500 troops in Iraq and over 900", "consistent"),
    (
        "002",
        "fewer than 2,000 U.S. troops will remain",
        "consistent",
        "fewer than 2,000 U.S. troops will remain",
        "unsupported",
    ),
    (
        "003",
        "a force of 250-350 American military advisors",
        "consistent",
        "250-350 American military advisors",
        "consistent",
    ),
    (
        "003",
        "The second phase would last through 2026",
        "consistent",
        "The second phase would last through 2026",
        "consistent",
    ),
    (
        "004",
        "by at least three years",
        "conflicting",
        "delay the planned withdrawal of US forces, originally scheduled for September 2025, by at least three years",
        "consistent",
    ),
    ("004", None, None, "Almost 2,500 US troops remain in Iraq", "consistent"),
]

# (article prefix, reviewer, their text) -> (other article prefix, the passage that backs the verdict)
EVIDENCE = {
    ("001", "alice", "reduce American military presence in Iraq by September 2023"): ("000", "by September 2025"),
    ("004", "alice", "by at least three years"): ("003", "The second phase would last through 2026"),
    ("002", "bob", "fewer than 2,000 U.S. troops will remain"): ("003", "a force of 250-350 American military"),
}


class Command(BaseCommand):
    help = "Mark the seed story's claims as alice and bob (with the real conflicts) and submit both reviews."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_consensus writes demo verdicts: run it only with DEBUG=1.")
        story = Story.objects.get(slug="us-advisers-remain-in-iraq")
        users = get_user_model().objects.in_bulk(["alice", "bob", "erin"], field_name="username")
        made = 0
        for prefix, a_text, a_label, b_text, b_label in MARKS:
            article = story.articles.get(source_name__startswith=prefix)
            for who, text, label in (("alice", a_text, a_label), ("bob", b_text, b_label)):
                if text is None:
                    continue
                start = article.body.index(text)
                evidence = []
                if (prefix, who, text) in EVIDENCE:
                    other_prefix, passage = EVIDENCE[(prefix, who, text)]
                    other = story.articles.get(source_name__startswith=other_prefix)
                    at = other.body.index(passage)
                    evidence.append(EvidenceRef(other.pk, at, at + len(passage), passage))
                _, created = span_create(
                    article=article,
                    reviewer=users[who],
                    start=start,
                    end=start + len(text),
                    quote=text,
                    label=label,
                    evidence=evidence,
                )
                made += created
        for who in ("alice", "bob"):
            review_submit(story=story, reviewer=users[who])
        disputed = story.articles.get(source_name__startswith="004").claim_groups.filter(status="disputed").first()
        if disputed is not None and not disputed.comments.exists():
            comment_create(
                group=disputed,
                author=users["bob"],
                text="Gulan Media says the delay is at least three years; Task & Purpose says the second phase "
                "runs through 2026. I read both as the same plan.",
            )
        self.stdout.write(f"{made} spans marked; alice and bob submitted")
