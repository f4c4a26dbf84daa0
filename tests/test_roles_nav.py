"""The top bar and the buttons follow the access module: each link shows exactly to those its view lets in."""

import pytest
from django.urls import reverse

from tests.factories import make_user


@pytest.fixture
def staff_only(db):
    """Staff status but no role: neither the desk nor the exports let them in."""
    return make_user("stan", None, is_staff=True)


@pytest.mark.parametrize(("who", "sees_exports"), [("erin", True), ("alice", False), ("staff_only", False)])
def test_the_exports_link_shows_exactly_to_those_the_exports_let_in(client, story, request, who, sees_exports):
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("story-list")).content.decode()
    link = f'href="{reverse("export-index")}"'
    assert (link in page) is sees_exports
    assert client.get(reverse("export-index")).status_code == (200 if sees_exports else 403)


def test_a_reviewer_sees_the_submit_button_and_an_editor_the_discussion_button(client, story, alice, erin):
    url = reverse("story-consensus", args=[story.slug])
    client.force_login(alice)
    page = client.get(url).content.decode()
    assert reverse("review-submit", args=[story.slug]) in page
    assert reverse("discussion-open", args=[story.slug]) not in page
    client.force_login(erin)
    page = client.get(url).content.decode()
    assert reverse("review-submit", args=[story.slug]) not in page
    assert reverse("discussion-open", args=[story.slug]) in page
