"""python manage.py preflag --story <slug> [--json]: recompute a story's suggestions and print them."""

import json

from django.core.management.base import BaseCommand, CommandError

from factcheck.articles.models import Story
from factcheck.findings.selectors import story_unresolved
from factcheck.findings.services import story_preflag


class Command(BaseCommand):
    help = "Recompute a story's pre-flags (possible conflicts, consistent and unsupported facts) and print them."

    def add_arguments(self, parser):
        parser.add_argument("--story", required=True, help="the story's slug")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print a JSON array, not text")

    def handle(self, *args, story: str, as_json: bool = False, **options):
        found = Story.objects.filter(slug=story).first()
        if found is None:
            raise CommandError(f"No story with the slug {story!r}.")
        suggestions = story_preflag(story=found)
        titles = dict(found.articles.values_list("pk", "title"))
        items = [
            {
                "kind": s.kind,
                "article": titles[s.article_id],
                "start": s.start,
                "end": s.end,
                "quote": s.quote,
                "counterparts": [
                    {"article": titles[c["article"]], "start": c["start"], "end": c["end"], "quote": c["quote"]}
                    for c in s.counterparts
                ],
                "reason": s.reason,
            }
            for s in suggestions
        ]
        if as_json:
            self.stdout.write(json.dumps(items, ensure_ascii=False, indent=2))
            return
        for item in items:
            self.stdout.write(f"[{item['kind']}] {item['article']} [{item['start']}:{item['end']}] “{item['quote']}”")
            self.stdout.write(f"    {item['reason']}")
        counts = {
            kind: sum(1 for i in items if i["kind"] == kind) for kind in ("conflicting", "consistent", "unsupported")
        }
        self.stdout.write(", ".join(f"{n} {kind}" for kind, n in counts.items()))
        for article_id, note in story_unresolved(story=found):
            self.stdout.write(f"note: {titles[article_id]}: {note}")
