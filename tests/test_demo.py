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


def test_the_consensus_demo_shows_the_seed_disagreements_as_disputed_claims(db, settings):
    from factcheck.review.models import ClaimGroup

    settings.DEBUG = True
    call_command("setup_demo", stdout=StringIO())
    call_command("demo_consensus", stdout=StringIO())
    disputed = ClaimGroup.objects.filter(status="disputed")
    quotes = {
        frozenset(group.spans.values_list("quote", flat=True)): dict(
            group.spans.values_list("reviewer__username", "label")
        )
        for group in disputed
    }
    september = frozenset({"reduce American military presence in Iraq by September 2023", "by September 2023"})
    delay = frozenset(
        {
            "by at least three years",
            "delay the planned withdrawal of US forces, originally scheduled for September 2025, "
            "by at least three years",
        }
    )
    assert quotes[september] == {"alice": "conflicting", "bob": "unsupported"}
    assert quotes[delay] == {"alice": "conflicting", "bob": "consistent"}
    # alice's evidence for the delay is the "through 2026" passage of another article.
    delay_group = next(g for g in disputed if frozenset(g.spans.values_list("quote", flat=True)) == delay)
    evidence = delay_group.spans.get(reviewer__username="alice").evidence.get()
    assert evidence.quote == "The second phase would last through 2026"
    assert all(group.reviewer_count == group.spans.count() for group in ClaimGroup.objects.all())
