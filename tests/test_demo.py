"""The local demo: one command gives the seed story open for review and the four demo logins."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from factcheck.articles.models import Story, StoryState


@pytest.mark.parametrize("command", ["demo_users", "setup_demo"])
def test_demo_commands_refuse_to_run_without_debug(db, settings, command, django_user_model):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command(command, stdout=StringIO())
    assert not django_user_model.objects.exists()


def test_setup_demo_loads_the_story_open_for_review_and_the_logins_twice_over(db, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("setup_demo", stdout=out)
    story = Story.objects.get(slug="us-advisers-remain-in-iraq")
    assert story.state == StoryState.IN_REVIEW and story.articles.count() == 5
    assert story.history.first().history_user.username == "erin"
    call_command("setup_demo", stdout=out)
    assert Story.objects.count() == 1 and Story.objects.get().version == story.version
    assert out.getvalue().count("Open http://127.0.0.1:8000/") == 2
    for username, password, group in [
        ("alice", "alice-reviews", "Reviewers"),
        ("bob", "bob-reviews", "Reviewers"),
        ("erin", "erin-edits", "Editors"),
        ("admin", "admin-factcheck", "Editors"),
    ]:
        # django-axes checks every login against its request (who tries, from where).
        user = authenticate(RequestFactory().post("/accounts/login/"), username=username, password=password)
        assert user is not None and user.groups.filter(name=group).exists(), username
        assert f"{username}  " in out.getvalue() or f"{username} " in out.getvalue()
