"""The signed-in user comes with its permission set in one query, the set Django's ModelBackend computes."""

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factcheck.permissions import OneQueryModelBackend


def stock(user_pk: int):
    """The user's permissions as Django's own ModelBackend reads them, from a fresh copy of the user."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(pk=user_pk)
    backend = ModelBackend()
    return backend.get_all_permissions(user), backend.get_user_permissions(user), backend.get_group_permissions(user)


def loaded(user_pk: int):
    """The user as the signed-in request loads it, and its three permission sets."""
    backend = OneQueryModelBackend()
    user = backend.get_user(user_pk)
    return user, (
        backend.get_all_permissions(user),
        backend.get_user_permissions(user),
        backend.get_group_permissions(user),
    )


@pytest.mark.parametrize("who", ["alice", "erin"])
def test_a_reviewers_and_an_editors_permissions_are_the_ones_modelbackend_computes(
    request, who, django_assert_num_queries
):
    user = request.getfixturevalue(who)
    # One of their own beside their group's, so both halves of the set are read.
    user.user_permissions.add(Permission.objects.get(codename="delete_story"))
    with django_assert_num_queries(1):
        _, sets = loaded(user.pk)
    assert sets == stock(user.pk)
    assert "articles.delete_story" in sets[0] and "review.add_span" in sets[0]


def test_a_user_without_a_group_has_an_empty_set_and_no_query_of_its_own(nobody, django_assert_num_queries):
    with django_assert_num_queries(1):
        user, sets = loaded(nobody.pk)
        assert not user.has_perm("articles.view_story")
    assert sets == (set(), set(), set()) == stock(nobody.pk)


def test_an_inactive_user_is_not_loaded_and_has_no_permissions(alice, django_assert_num_queries):
    type(alice).objects.filter(pk=alice.pk).update(is_active=False)
    assert OneQueryModelBackend().get_user(alice.pk) is None

    class AllowInactive(OneQueryModelBackend):
        def user_can_authenticate(self, user):
            return True

    backend = AllowInactive()
    with django_assert_num_queries(1):
        user = backend.get_user(alice.pk)
        assert backend.get_all_permissions(user) == set() == backend.get_group_permissions(user)
        assert not backend.has_perm(user, "review.add_span")


def test_a_superuser_has_every_permission(erin):
    type(erin).objects.filter(pk=erin.pk).update(is_superuser=True)
    _, sets = loaded(erin.pk)
    every = {f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.select_related("content_type")}
    assert sets == stock(erin.pk)
    assert sets[0] == every == sets[1] == sets[2]


def test_a_codename_with_commas_quotes_and_dots_comes_back_whole(alice):
    odd = Permission.objects.create(
        codename='check, "twice".then\\publish [ok]',
        name="An odd one",
        content_type=ContentType.objects.get(app_label="articles", model="story"),
    )
    alice.user_permissions.add(odd)
    _, sets = loaded(alice.pk)
    assert 'articles.check, "twice".then\\publish [ok]' in sets[0]
    assert sets == stock(alice.pk)


def test_the_async_loader_reads_the_same_in_one_query(erin, django_assert_num_queries):
    backend = OneQueryModelBackend()
    with django_assert_num_queries(1):
        user = async_to_sync(backend.aget_user)(erin.pk)
        perms = backend.get_all_permissions(user)
    assert perms == stock(erin.pk)[0] and "articles.approve_story" in perms


@pytest.mark.parametrize("who", ["alice", "erin"])
def test_a_signed_in_pages_identity_costs_one_query(client, story, request, who):
    client.force_login(request.getfixturevalue(who))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("story-list"))
    assert response.status_code == 200  # view_story was checked, from the set loaded with the session's user
    identity = [
        q["sql"]
        for q in queries.captured_queries
        if any(table in q["sql"] for table in ('"identity_session"', '"auth_user"', '"auth_permission"'))
    ]
    assert len(identity) == 1, identity
    assert identity[0].startswith('SELECT "identity_session"')
    assert '"auth_user"' in identity[0] and '"auth_permission"' in identity[0]
