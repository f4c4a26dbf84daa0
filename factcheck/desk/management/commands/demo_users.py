"""Create the demo logins for local use; refuses to run on a production configuration."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from factcheck.roles import EDITORS, REVIEWERS

# (username, password, group, staff, superuser): the same list is in the README.
DEMO_USERS = [
    ("alice", "alice-reviews", REVIEWERS, False, False),
    ("bob", "bob-reviews", REVIEWERS, False, False),
    ("erin", "erin-edits", EDITORS, True, False),
    ("admin", "admin-factcheck", EDITORS, True, True),
]


class Command(BaseCommand):
    help = "Create (or reset) the demo users alice, bob (reviewers), erin (editor) and admin. DEBUG only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo users have well-known passwords: run this only with DEBUG=1.")
        User = get_user_model()
        for username, password, group_name, staff, superuser in DEMO_USERS:
            user, created = User.objects.get_or_create(username=username)
            user.is_staff, user.is_superuser = staff, superuser
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=group_name)])
            verb = "created" if created else "reset  "
            role = group_name[:-1].lower() + (", admin" if superuser else "")
            self.stdout.write(f"{verb} {username:<6} password {password:<16} ({role})")
