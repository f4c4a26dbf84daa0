"""The review moves in the admin: the change page's buttons, bulk actions, stale pages, reasons and history."""

import pytest
from django.urls import reverse

from factcheck.articles.models import Story, StoryState
from factcheck.review.models import Span
from factcheck.review.services import span_create
from factcheck.workflow.services import story_transition
from tests.factories import make_user, put

S = StoryState


def change_url(story: Story) -> str:
    return reverse("admin:articles_story_change", args=[story.pk])


def move_url(story: Story) -> str:
    return reverse("admin:articles_story_transition", args=[story.pk])


def buttons(html: str) -> list[str]:
    import re

    return re.findall(r'<button type="submit" name="target" value="(\w+)"', html)


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (S.DRAFT, ["in_review"]),
        (S.IN_REVIEW, []),
        (S.READY, ["approved", "changes_requested"]),
        (S.CHANGES_REQUESTED, []),
        (S.APPROVED, ["in_review"]),
    ],
)
def test_the_story_change_page_offers_the_editor_only_the_allowed_moves(client, erin, story, state, expected):
    story = put(story, state)
    client.force_login(erin)
    html = client.get(change_url(story)).content.decode()
    assert buttons(html) == expected
    if expected:
        assert f'<input type="hidden" name="seen_version" value="{story.version}">' in html
    assert ('name="reason"' in html) == (state in (S.READY, S.APPROVED))


def test_an_editor_approves_from_the_change_page(client, erin, story):
    story = put(story, S.READY)
    client.force_login(erin)
    response = client.post(move_url(story), {"target": "approved", "seen_version": story.version})
    assert response.status_code == 302 and response.url == change_url(story)
    stored = Story.objects.get(pk=story.pk)
    assert (stored.state, stored.approved_by, stored.version) == (S.APPROVED, erin, story.version + 1)
    page = client.get(response.url).content.decode()
    assert "is now approved" in page
    assert "approved by erin" in page
    recent = client.get(reverse("admin:index")).content.decode()
    assert "Recent actions" in recent and story.title in recent


def test_sending_back_without_a_reason_shows_a_form_error_and_changes_nothing(client, erin, story):
    story = put(story, S.READY)
    client.force_login(erin)
    response = client.post(
        move_url(story), {"target": "changes_requested", "seen_version": story.version, "reason": "  "}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give a reason to request changes: the reviewers will see it on the story page." in html
    assert 'aria-invalid="true"' in html and buttons(html) == ["approved", "changes_requested"]
    assert Story.objects.get(pk=story.pk).state == S.READY


def test_an_approval_from_a_stale_change_page_is_refused_and_overwrites_nothing(client, erin, django_user_model, story):
    frank = make_user("frank", "Editors", is_staff=True)
    story = put(story, S.READY)
    client.force_login(erin)
    seen = client.get(change_url(story)).context["workflow"].seen_version
    story_transition(story=story, user=frank, target=S.CHANGES_REQUESTED, seen_version=seen, reason="Quote 3 is off.")

    response = client.post(move_url(story), {"target": "approved", "seen_version": seen})
    assert response.status_code == 409
    assert "Someone changed this story since you opened it; reload the page" in response.content.decode()
    stored = Story.objects.get(pk=story.pk)
    assert (stored.state, stored.state_reason, stored.approved_by) == (S.CHANGES_REQUESTED, "Quote 3 is off.", None)


def test_an_edit_of_the_story_counts_as_a_change_for_a_pending_approval(client, erin, story):
    story = put(story, S.READY)
    client.force_login(erin)
    seen = story.version
    form = {
        "title": "US advisers stay in Iraq",
        "slug": story.slug,
        "quorum": 2,
        "majority": 0.5,
        "seen_token": str(seen),
        "articles-TOTAL_FORMS": 0,
        "articles-INITIAL_FORMS": 0,
    }
    assert client.post(change_url(story), form).status_code == 302
    assert Story.objects.get(pk=story.pk).version == seen + 1
    assert client.post(move_url(story), {"target": "approved", "seen_version": seen}).status_code == 409
    assert Story.objects.get(pk=story.pk).state == S.READY


def test_a_story_edit_over_a_newer_change_is_refused(client, erin, draft_story):
    story = draft_story
    client.force_login(erin)
    seen = story.version
    story_transition(story=story, user=erin, target=S.IN_REVIEW, seen_version=seen)
    form = {
        "title": "Overwritten title",
        "slug": story.slug,
        "quorum": 2,
        "majority": 0.5,
        "seen_token": str(seen),
        "articles-TOTAL_FORMS": 0,
        "articles-INITIAL_FORMS": 0,
    }
    response = client.post(change_url(story), form)
    assert response.status_code == 200
    assert "Someone changed this story since you opened it" in response.content.decode()
    assert Story.objects.get(pk=story.pk).title == story.title


def test_reviewers_cannot_reach_the_admin_moves(client, alice, story):
    story = put(story, S.READY)
    client.force_login(alice)
    response = client.post(move_url(story), {"target": "approved", "seen_version": story.version})
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert Story.objects.get(pk=story.pk).state == S.READY


def changelist_action(client, action: str, stories_and_versions, **extra):
    data = {"action": action, "index": 0, "_selected_action": [s.pk for s, _ in stories_and_versions], **extra}
    data.update({f"seen_version_{s.pk}": v for s, v in stories_and_versions})
    return client.post(reverse("admin:articles_story_changelist"), data, follow=False)


def test_bulk_approval_approves_what_the_editor_saw_and_refuses_the_rest(client, erin, story):
    story = put(story, S.READY)
    other = Story.objects.create(title="Second story", slug="second-story", state=S.READY)
    stale = Story.objects.create(title="Third story", slug="third-story", state=S.READY)
    client.force_login(erin)
    response = changelist_action(
        client, "approve_selected", [(story, story.version), (other, other.version), (stale, stale.version - 1)]
    )
    assert response.status_code == 302
    states = dict(Story.objects.values_list("slug", "state"))
    assert states == {story.slug: S.APPROVED, "second-story": S.APPROVED, "third-story": S.READY}
    shown = client.get(response.url).content.decode()
    assert "Approved 2 stories" in shown
    assert "Not changed: “Third story”: Someone changed this story since you opened it" in shown


def test_the_changelist_carries_the_versions_into_the_bulk_action(client, erin, story):
    story = put(story, S.READY)
    client.force_login(erin)
    html = client.get(reverse("admin:articles_story_changelist")).content.decode()
    form = html[html.index('id="changelist-form"') :]
    assert f'name="seen_version_{story.pk}" value="{story.version}"' in form


def test_bulk_request_changes_asks_for_one_reason_then_sends_each_story_back(client, erin, alice, story):
    story = put(story, S.READY)
    other = Story.objects.create(title="Second story", slug="second-story", state=S.READY)
    pairs = [(story, story.version), (other, other.version)]
    client.force_login(erin)

    form_page = changelist_action(client, "request_changes", pairs)
    assert form_page.status_code == 200
    html = form_page.content.decode()
    assert 'name="reason"' in html and f'name="seen_version_{other.pk}" value="{other.version}"' in html

    missing = changelist_action(client, "request_changes", pairs, apply="1", reason="")
    assert missing.status_code == 400 and "Give a reason" in missing.content.decode()
    assert Story.objects.filter(state=S.READY).count() == 2

    done = changelist_action(client, "request_changes", pairs, apply="1", reason="Evidence for claim 4 is missing.")
    assert done.status_code == 302
    assert set(Story.objects.values_list("state", "state_reason")) == {
        (S.CHANGES_REQUESTED, "Evidence for claim 4 is missing.")
    }

    client.force_login(alice)
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Changes requested:</strong> Evidence for claim 4 is missing." in page


def test_the_admin_offers_no_deleting(client, erin, alice, story):
    span, _ = span_create(
        article=story.articles.first(),
        reviewer=alice,
        start=0,
        end=4,
        quote=story.articles.first().body[:4],
        label="consistent",
    )
    client.force_login(erin)
    for url in [
        reverse("admin:review_span_delete", args=[span.pk]),
        reverse("admin:articles_story_delete", args=[story.pk]),
        reverse("admin:articles_article_delete", args=[story.articles.first().pk]),
    ]:
        assert client.post(url, {"post": "yes"}).status_code == 403
    assert Span.objects.filter(pk=span.pk).exists()
    changelist = client.get(reverse("admin:review_span_changelist")).content.decode()
    assert "delete_selected" not in changelist


def test_every_move_is_in_the_story_history_with_who_when_and_why(client, erin, alice, draft_story):
    story = draft_story
    story = story_transition(story=story, user=erin, target=S.IN_REVIEW, seen_version=story.version)
    story = story_transition(story=story, user=alice, target=S.READY, seen_version=story.version)
    story_transition(story=story, user=erin, target=S.CHANGES_REQUESTED, seen_version=story.version, reason="Fix 2.")
    client.force_login(erin)
    response = client.get(reverse("admin:articles_story_history", args=[story.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ["Open for review: Draft → In review", "Submit for approval: In review → Ready for approval", "Fix 2."]:
        assert text in html
    assert ">alice</a>" in html or ">alice<" in html
    rows = list(story.history.order_by("history_id").values_list("history_user__username", "state"))
    assert rows[-3:] == [("erin", S.IN_REVIEW), ("alice", S.READY), ("erin", S.CHANGES_REQUESTED)]


def test_history_cannot_be_reverted_from_the_admin(client, erin, draft_story):
    story = draft_story
    story_transition(story=story, user=erin, target=S.IN_REVIEW, seen_version=story.version)
    first = story.history.order_by("history_id").first()
    client.force_login(erin)
    url = reverse("admin:articles_story_simple_history", args=[story.pk, first.history_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": story.title, "slug": story.slug, "quorum": 2, "majority": 0.5})
    assert response.status_code == 403
    assert Story.objects.get(pk=story.pk).state == S.IN_REVIEW


def test_historical_records_have_no_admin_pages_to_edit_them(client, erin):
    client.force_login(erin)
    for url in ["/admin/articles/historicalstory/", "/admin/review/historicalspan/"]:
        assert client.get(url).status_code == 404


def test_the_admin_index_counts_stories_by_state_with_links_to_them(client, erin, story):
    put(story, S.READY)
    Story.objects.create(title="Second story", slug="second-story", state=S.READY)
    client.force_login(erin)
    response = client.get(reverse("admin:index"))
    assert dict(response.context["story_queue"])[S.READY] == 2
    html = response.content.decode()
    assert "?state__exact=ready" in html and "<strong>2</strong>" in html


def test_an_editor_adds_a_story_in_draft_and_cannot_add_articles_or_spans_by_hand(client, erin):
    client.force_login(erin)
    form = {
        "title": "New story",
        "slug": "new-story",
        "quorum": 2,
        "majority": 0.5,
        "seen_token": "",
        "articles-TOTAL_FORMS": 0,
        "articles-INITIAL_FORMS": 0,
    }
    assert client.post(reverse("admin:articles_story_add"), form).status_code == 302
    created = Story.objects.get(slug="new-story")
    assert (created.state, created.version, created.history.get().history_user) == (S.DRAFT, 1, erin)
    assert client.get(reverse("admin:articles_article_add")).status_code == 403
    assert client.get(reverse("admin:review_span_add")).status_code == 403
