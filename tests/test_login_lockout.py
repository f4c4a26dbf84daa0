"""Password guessing: django-axes locks the username and the address on both login pages, and axes_reset lifts it."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

LOGIN_PAGES = ["login", "admin:login"]


def attempt(client: Client, page: str, username: str, password: str, address: str = "203.0.113.7"):
    return client.post(reverse(page), {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_repeated_failures_lock_the_username_with_a_clear_page(client, settings, erin, page):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, page, "erin", "guess").status_code == 200  # the form again, with its error
    locked = attempt(client, page, "erin", "guess")
    assert locked.status_code == 429
    page_text = locked.content.decode()
    assert "Too many failed logins" in page_text and "<strong>erin</strong>" in page_text
    assert f"for {settings.AXES_COOLOFF_TIME.seconds // 60} minutes" in page_text
    # Now even the right password from another address is refused: the username itself is locked.
    assert attempt(Client(), page, "erin", PASSWORD, address="198.51.100.1").status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_address_is_locked_too_whatever_username_it_tries(client, settings, alice, bob):
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "login", f"guess{number}", "guess")
    response = attempt(client, "login", "alice", PASSWORD)
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    # The same person from another address still gets in.
    other = Client()
    assert attempt(other, "login", "bob", PASSWORD, address="198.51.100.2").status_code == 302
    assert other.session["_auth_user_id"] == str(bob.pk)


def test_a_lockout_on_one_page_holds_on_the_other(client, settings, erin):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "login", "erin", "guess")
    assert attempt(Client(), "admin:login", "erin", PASSWORD, address="198.51.100.3").status_code == 429


def test_axes_reset_lifts_the_lock(client, settings, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "login", "alice", "guess")
    assert attempt(client, "login", "alice", PASSWORD).status_code == 429
    call_command("axes_reset", verbosity=0)
    response = attempt(client, "login", "alice", PASSWORD)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(alice.pk)


def test_fewer_failures_than_the_limit_lock_nothing(client, settings, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "login", "alice", "guess")
    assert attempt(client, "login", "alice", PASSWORD).status_code == 302
