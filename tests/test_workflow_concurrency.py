"""Two editors acting on the same page state at the same moment, on separate connections: one wins."""
# PostgreSQL runs this as in production: the loser's conditional UPDATE waits for the winner's row
# lock, then matches no row and is refused as stale.

import threading

import pytest
from django.db import OperationalError, connection

from factcheck.articles.models import Story, StoryState
from factcheck.workflow.services import StaleStory, story_transition
from tests.factories import make_user, restore_roles


@pytest.mark.django_db(transaction=True)
def test_two_editors_deciding_at_once_cannot_both_win(django_user_model, story):
    restore_roles()
    erin = make_user("erin", "Editors", is_staff=True)
    frank = make_user("frank", "Editors", is_staff=True)
    Story.objects.filter(pk=story.pk).update(state=StoryState.READY)
    seen = Story.objects.get(pk=story.pk).version
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def decide(user, target: str, reason: str) -> None:
        try:
            start.wait()
            story_transition(story=story, user=user, target=target, seen_version=seen, reason=reason)
            outcomes[user.username] = "moved"
        except StaleStory:
            outcomes[user.username] = "stale"
        except OperationalError:
            # SQLite's in-memory test database (shared cache) refuses a second writer outright instead
            # of queueing it on the busy timeout as the WAL file database does; still nothing written.
            outcomes[user.username] = "locked" if connection.vendor == "sqlite" else "error"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(erin, StoryState.APPROVED, "")),
        threading.Thread(target=decide, args=(frank, StoryState.CHANGES_REQUESTED, "Claim 3 is unsupported.")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    loser = "stale" if connection.vendor == "postgresql" else ("stale", "locked")
    assert len(outcomes) == 2 and list(outcomes.values()).count("moved") == 1
    assert [o for o in outcomes.values() if o != "moved"][0] in loser
    winner = "erin" if outcomes["erin"] == "moved" else "frank"
    stored = Story.objects.get(pk=story.pk)
    assert stored.version == seen + 1
    assert stored.state == (StoryState.APPROVED if winner == "erin" else StoryState.CHANGES_REQUESTED)
    assert list(stored.history.filter(version=seen + 1).values_list("history_user__username", flat=True)) == [winner]
