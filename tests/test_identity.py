"""The session's row carries its user (factcheck/identity): one query for who is asking, and every check
Django's get_user makes still applies (the backend, the user's id, the password's hash, an active user)."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factcheck.identity.models import Session
from tests.factories import PASSWORD


def identity_queries(queries) -> list[str]:
    tables = ('"identity_session"', '"auth_user"', '"auth_permission"')
    return [q["sql"] for q in queries.captured_queries if any(table in q["sql"] for table in tables)]


def signed_in_page(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("story-list"))
    return response, identity_queries(queries)


def test_a_login_writes_the_users_id_beside_the_session_and_a_logout_removes_the_row(client, alice):
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    row = Session.objects.get()
    assert row.user == alice and row.get_decoded()[SESSION_KEY] == str(alice.pk)
    client.post(reverse("logout"))
    assert not Session.objects.exists()
    response, _ = signed_in_page(client)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_row_naming_another_user_than_its_session_is_not_believed(client, story, alice, bob):
    """The column only spares a query: the session's data says who is signed in, as Django's does."""
    client.force_login(alice)
    Session.objects.update(user=bob)
    response, identity = signed_in_page(client)
    assert response.status_code == 200 and response.wsgi_request.user == alice
    assert len(identity) == 2  # the session, then alice read on her own


def test_a_password_changed_elsewhere_still_signs_the_session_out(client, story, alice):
    client.force_login(alice)
    alice.set_password("a-new-password-for-alice")
    alice.save()
    response, _ = signed_in_page(client)
    assert response.status_code == 302 and not response.wsgi_request.user.is_authenticated


def test_a_deactivated_or_deleted_user_is_signed_out(client, story, alice, bob):
    client.force_login(alice)
    alice.is_active = False
    alice.save()
    response, _ = signed_in_page(client)
    assert response.status_code == 302 and not response.wsgi_request.user.is_authenticated
    client.force_login(bob)
    bob.delete()
    assert not Session.objects.filter(user_id=bob.pk).exists()  # a deleted user's sessions go with them
    response, _ = signed_in_page(client)
    assert response.status_code == 302


def test_a_role_granted_or_taken_shows_on_the_next_request(client, story, alice):
    client.force_login(alice)
    reviewers = Group.objects.get(name="Reviewers")

    def may_review() -> bool:
        response, identity = signed_in_page(client)
        assert len(identity) == 1
        return response.wsgi_request.user.has_perm("articles.submit_story")

    assert may_review()
    alice.groups.remove(reviewers)
    assert not may_review()
    alice.groups.add(reviewers)
    assert may_review()


@pytest.mark.parametrize("who", ["alice", "erin"])
def test_the_user_and_their_permissions_come_with_the_session_in_one_query(client, story, request, who):
    client.force_login(request.getfixturevalue(who))
    response, identity = signed_in_page(client)
    assert response.status_code == 200 and response.wsgi_request.user.username == who
    assert len(identity) == 1 and '"auth_permission"' in identity[0]
