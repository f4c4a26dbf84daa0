"""Editors settle claims: one screen, who and when recorded, and two editors at once never overwrite each other."""

import threading
import time

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from factcheck.consensus.services import DecisionConflict, group_decide
from factcheck.review.models import ClaimGroup
from factcheck.review.services import review_submit
from tests.factories import make_user, mark, restore_roles


@pytest.fixture
def roles_restored(transactional_db):
    # An earlier live-server test's flush may have emptied the roles; the users below need them.
    restore_roles()


@pytest.fixture
def frank(db, django_user_model):
    return make_user("frank", "Editors", is_staff=True)


def disputed_group(story, alice, bob) -> ClaimGroup:
    article = story.articles.get(source_name__startswith="004")
    mark(article, alice, "by at least three years", "conflicting")
    mark(article, bob, "at least three years", "consistent")
    for reviewer in (alice, bob):
        review_submit(story=story, reviewer=reviewer)
    return ClaimGroup.objects.get()


@pytest.fixture
def group(story, alice, bob):
    return disputed_group(story, alice, bob)


def decide(client, group, version, label="conflicting", note="Task & Purpose: second phase through 2026.", htmx=True):
    headers = {"HX-Request": "true"} if htmx else {}
    data = {"final_label": label, "final_note": note, "version": str(version)}
    return client.post(reverse("group-decide", args=[group.pk]), data, headers=headers)


def test_an_editor_decides_and_the_decision_records_who_and_when(client, group, erin):
    client.force_login(erin)
    response = decide(client, group, group.version)
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<section id="decision"')
    assert b"Decision saved." in response.content and b"Decided by <strong>erin</strong>" in response.content
    group.refresh_from_db()
    assert (group.final_label, group.decided_by, group.effective_label) == ("conflicting", erin, "conflicting")
    assert group.final_note == "Task & Purpose: second phase through 2026." and group.decided_at is not None
    assert group.history.first().history_user == erin


def test_the_claim_page_is_one_screen_with_verdicts_thread_and_decision_form(client, group, erin):
    client.force_login(erin)
    body = client.get(reverse("group-detail", args=[group.pk])).content.decode()
    for part in ('id="thread"', 'id="decision"', 'name="final_label"', 'name="final_note"', "<mark>"):
        assert part in body
    assert f'name="version" value="{group.version}"' in body


def test_the_second_editor_gets_a_409_with_the_winners_decision_and_nothing_is_overwritten(client, group, erin, frank):
    seen = group.version  # both opened the page at this version
    client.force_login(erin)
    assert decide(client, group, seen, label="conflicting", note="Erin's reason").status_code == 200
    client.force_login(frank)
    response = decide(client, group, seen, label="consistent", note="Frank's reason")
    assert response.status_code == 409
    body = response.content.decode()
    assert "erin decided this claim while you were working on it" in body and "Nothing of yours was saved" in body
    assert "Erin&#x27;s reason" in body  # the winner's decision is shown to the loser
    assert "Frank&#x27;s reason" in body  # and the loser keeps their draft in the form
    group.refresh_from_db()
    assert (group.final_label, group.final_note, group.decided_by) == ("conflicting", "Erin's reason", erin)


def test_without_htmx_the_conflict_is_a_full_page_409(client, group, erin, frank):
    seen = group.version
    group_decide(group=group, editor=erin, final_label="conflicting", final_note="First", version=seen)
    client.force_login(frank)
    response = decide(client, group, seen, label="consistent", htmx=False)
    assert response.status_code == 409 and b"<html" in response.content and b"Conflict." in response.content


def test_a_verdict_changed_while_the_editor_decides_is_a_conflict_too(client, group, alice, erin):
    from factcheck.consensus.services import verdict_change
    from factcheck.review.services import discussion_open

    seen = group.version
    # alice submitted (her spans are frozen), but in a discussion the editor opened she may change her verdict.
    discussion_open(story=group.article.story, editor=erin)
    verdict_change(span=group.spans.get(reviewer=alice), reviewer=alice, label="unsupported", note="")
    client.force_login(erin)
    response = decide(client, group, seen)
    assert response.status_code == 409 and b"This claim changed after you opened it" in response.content
    group.refresh_from_db()
    assert group.final_label == ""


@pytest.mark.parametrize(
    ("label", "note", "message"),
    [
        ("", "Reason", b"Choose the final verdict"),
        ("maybe", "Reason", b"Choose the final verdict"),
        ("consistent", "   ", b"Explain the decision"),
    ],
)
def test_a_decision_without_label_or_explanation_is_a_400_and_nothing_is_stored(
    client, group, erin, label, note, message
):
    client.force_login(erin)
    response = decide(client, group, group.version, label=label, note=note)
    assert response.status_code == 400 and message in response.content
    group.refresh_from_db()
    assert group.final_label == "" and group.decided_by is None


def test_a_form_without_a_version_is_a_400(client, group, erin):
    client.force_login(erin)
    response = client.post(reverse("group-decide", args=[group.pk]), {"final_label": "consistent", "final_note": "x"})
    assert response.status_code == 400


def test_reviewers_cannot_decide(client, group, alice):
    client.force_login(alice)
    assert decide(client, group, group.version).status_code == 403
    group.refresh_from_db()
    assert group.final_label == ""


def test_an_editor_may_revise_their_decision_and_history_keeps_both(group, erin):
    first = group_decide(group=group, editor=erin, final_label="conflicting", final_note="First", version=group.version)
    second = group_decide(
        group=first, editor=erin, final_label="consistent", final_note="Second", version=first.version
    )
    assert second.final_label == "consistent"
    assert list(
        group.history.exclude(final_label="").order_by("history_date").values_list("final_label", flat=True)
    ) == [
        "conflicting",
        "consistent",
    ]


@pytest.mark.django_db(transaction=True)
def test_two_editors_deciding_at_the_same_moment_one_wins_in_the_database(
    roles_restored, story, alice, bob, erin, frank
):
    group = disputed_group(story, alice, bob)
    seen = group.version
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def attempt(editor, label):
        barrier.wait(timeout=10)
        try:
            for _ in range(500):
                try:
                    group_decide(
                        group=group, editor=editor, final_label=label, final_note=f"{editor} says so", version=seen
                    )
                    outcomes[editor.username] = "won"
                    return
                except DecisionConflict:
                    outcomes[editor.username] = "conflict"
                    return
                except OperationalError as error:
                    # SQLite's in-memory test database shares one cache between threads, where a writer
                    # waiting on another fails at once instead of waiting out the busy timeout as the
                    # file database in production does; waiting here stands in for that timeout.
                    if "locked" not in str(error):
                        raise
                    time.sleep(0.01)
        finally:
            connection.close()  # this thread's own connection, so the test database can be dropped

    threads = [
        threading.Thread(target=attempt, args=(erin, "conflicting")),
        threading.Thread(target=attempt, args=(frank, "consistent")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["conflict", "won"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "won")
    group.refresh_from_db()
    assert group.decided_by.username == winner and group.final_note == f"{winner} says so"
    assert group.version == seen + 1
