"""Reading pages and the admin: who may see what, and how many queries it costs."""

import pytest
from django.urls import reverse


def test_it_sends_anonymous_visitors_to_the_login_page(client, story):
    article = story.articles.first()
    for url in [
        "/",
        story.get_absolute_url(),
        article.get_absolute_url(),
        reverse("article-raw", args=[article.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_it_lists_the_story_with_its_article_count(client, alice, story):
    client.force_login(alice)
    response = client.get("/")
    assert response.status_code == 200
    assert b"US advisers remain in Iraq" in response.content and b"5 articles" in response.content


def test_the_story_page_lists_its_five_articles(client, alice, story):
    client.force_login(alice)
    response = client.get(story.get_absolute_url())
    for article in story.articles.all():
        assert article.title.encode() in response.content
    assert b"Gulan Media" in response.content and b"10 January 2025" in response.content


def test_the_article_page_shows_the_clean_body_exactly(client, alice, story):
    client.force_login(alice)
    article = story.articles.get(source_name__startswith="003")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response.context["article"].body == article.body
    assert b"Task &amp; Purpose" in response.content
    assert reverse("article-raw", args=[article.pk]).encode() in response.content


def test_the_raw_text_is_served_as_imported(client, alice, story):
    client.force_login(alice)
    article = story.articles.first()
    response = client.get(reverse("article-raw", args=[article.pk]))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == article.raw_text


def test_a_user_without_a_role_sees_no_story(client, nobody, story):
    client.force_login(nobody)
    assert b"US advisers" not in client.get("/").content
    assert client.get(story.get_absolute_url()).status_code == 404
    assert client.get(story.articles.first().get_absolute_url()).status_code == 404


def test_a_guessed_article_id_is_a_404(client, alice, story):
    client.force_login(alice)
    assert client.get("/articles/999999/").status_code == 404


def test_pages_are_served_under_a_content_security_policy(client, alice, story):
    client.force_login(alice)
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


@pytest.mark.parametrize("url", ["/admin/", "/admin/review/span/", "/admin/articles/article/"])
def test_reviewers_cannot_open_the_admin(client, alice, url):
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_staff_outside_the_editors_group_cannot_open_the_admin(client, django_user_model):
    user = django_user_model.objects.create_user("stray", password="x", is_staff=True)
    client.force_login(user)
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/articles/story/", "/admin/articles/article/", "/admin/review/span/"]
)
def test_editors_use_the_admin(client, erin, story, url):
    client.force_login(erin)
    assert client.get(url).status_code == 200


def more_stories(count: int) -> None:
    from tests.factories import make_story

    for n in range(count):
        make_story(f"Extra story {n}", bodies=[f"Body {n} {m}." for m in range(3)])


# The session with its user and their permissions (one query; view_story is checked from them), then the page's own
# queries (the list: the stories with their figures, and the spans behind the alphas the reader may see); the
# story page's pictures add three for a story never pre-flagged, as here (when they were drawn: never; when the
# facts were computed: never; the reader's visible spans), two once pre-flagging drew them and this process read
# them (three the first time): see tests/test_pictures.py.
STORY_LIST_QUERIES = 3
STORY_PAGE_QUERIES = 6


def test_the_story_list_costs_the_same_queries_for_one_or_many_stories(client, alice, story, django_assert_num_queries):
    client.force_login(alice)
    with django_assert_num_queries(STORY_LIST_QUERIES):
        client.get("/")
    more_stories(30)
    with django_assert_num_queries(STORY_LIST_QUERIES):
        assert b"Extra story 29" in client.get("/").content


def test_the_story_page_costs_the_same_queries_for_few_or_many_articles(
    client, alice, story, django_assert_num_queries
):
    from factcheck.articles.models import Article

    client.force_login(alice)
    with django_assert_num_queries(STORY_PAGE_QUERIES):
        client.get(story.get_absolute_url())
    for n in range(40):
        Article.objects.create(story=story, title=f"Late report {n}", raw_text="x", body=f"Late body {n}.")
    with django_assert_num_queries(STORY_PAGE_QUERIES):
        assert b"Late report 39" in client.get(story.get_absolute_url()).content


def test_permissions_come_from_the_user_and_their_groups_in_one_query(
    alice, django_user_model, django_assert_num_queries
):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.get(pk=alice.pk)
    user.user_permissions.add(Permission.objects.get(codename="change_story"))
    user = django_user_model.objects.get(pk=alice.pk)
    with django_assert_num_queries(1):
        assert user.has_perm("articles.change_story")  # the user's own
        assert user.has_perm("review.add_span")  # through Reviewers
        assert not user.has_perm("articles.approve_story")  # editors only
    user.is_active = False
    assert not user.has_perm("review.add_span")
