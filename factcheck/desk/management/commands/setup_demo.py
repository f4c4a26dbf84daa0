"""One step to a working local app: migrate, load the seed story, create the demo users."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from factcheck.articles.models import Article, Story, StoryState
from factcheck.findings.services import story_preflag
from factcheck.workflow.services import story_transition

SEED_SLUG = "us-advisers-remain-in-iraq"


class Command(BaseCommand):
    help = "Migrate, load fixtures/seed.json (unless the story is there) and create the demo users. DEBUG only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("setup_demo creates users with well-known passwords: run it only with DEBUG=1.")
        call_command("migrate", verbosity=0)
        call_command("demo_users", stdout=self.stdout)
        if Story.objects.filter(slug=SEED_SLUG).exists():
            self.stdout.write("seed story already loaded: left as it is")
        else:
            call_command("loaddata", "seed", verbosity=0)
            # The editor opens it for review, through the workflow like any story, so reviewers can start.
            story = Story.objects.get(slug=SEED_SLUG)
            editor = get_user_model().objects.get(username="erin")
            story_transition(story=story, user=editor, target=StoryState.IN_REVIEW, seen_version=story.version)
            # Reviewers see only the stories assigned to them: the demo's two reviewers get this one.
            story.reviewers.add(*get_user_model().objects.filter(username__in=["alice", "bob"]))
            # loaddata bypasses the import service, so its pre-flags are computed here.
            story_preflag(story=story)
            self.stdout.write(
                f"loaded the seed story ({Article.objects.count()} articles), opened for review by erin, "
                "assigned to alice and bob"
            )
        self.stdout.write("\nOpen http://127.0.0.1:8000/ and log in with one of the users above.")
