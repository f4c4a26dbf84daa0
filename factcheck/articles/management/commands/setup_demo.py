"""One step to a working local app: migrate, load the seed story, create the demo users."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from factcheck.articles.models import Article, Story


class Command(BaseCommand):
    help = "Migrate, load fixtures/seed.json (unless the story is there) and create the demo users. DEBUG only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("setup_demo creates users with well-known passwords: run it only with DEBUG=1.")
        call_command("migrate", verbosity=0)
        if Story.objects.filter(slug="us-advisers-remain-in-iraq").exists():
            self.stdout.write("seed story already loaded: left as it is")
        else:
            call_command("loaddata", "seed", verbosity=0)
            self.stdout.write(f"loaded the seed story ({Article.objects.count()} articles)")
        call_command("demo_users", stdout=self.stdout)
