"""Recompute the claim groups of every story (or one), e.g. after changing FACTCHECK_GROUP_* settings."""

from django.core.management.base import BaseCommand, CommandError

from factcheck.articles.models import Story
from factcheck.review.grouping import min_overlap, overlap_measure, regroup_story
from factcheck.review.models import ClaimGroup


class Command(BaseCommand):
    help = "Regroup spans into claim groups under the current rule. Threads and decisions are kept."

    def add_arguments(self, parser):
        parser.add_argument("--story", help="the slug of one story; all stories when left out")

    def handle(self, *args, story=None, **options):
        stories = Story.objects.all()
        if story:
            stories = stories.filter(slug=story)
            if not stories.exists():
                raise CommandError(f"No story with the slug {story!r}.")
        rule = f"overlap >= {min_overlap()} of the {overlap_measure()} span(s)"
        for each in stories:
            if each.is_frozen:
                # Regrouping can change which verdict stands: a published result stays as approved.
                self.stdout.write(f"{each.slug}: skipped, {each.get_state_display().lower()}; reopen the story first")
                continue
            before = ClaimGroup.objects.filter(article__story=each).count()
            regroup_story(story=each)
            after = ClaimGroup.objects.filter(article__story=each).count()
            self.stdout.write(f"{each.slug}: {before} -> {after} claim groups ({rule})")
