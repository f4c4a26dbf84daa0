"""An editor corrects an article's cleaning at the desk: each raw line kept or dropped, previewed, applied."""

import pytest
from django.urls import reverse

from factcheck.articles.cleaning import content_hash
from factcheck.articles.models import Article
from factcheck.articles.services import clean_raw
from tests.factories import make_story, mark

RAW = """Harbour bridge to close for repairs in March
Share on Facebook
The city's harbour bridge will close for six weeks from March while engineers replace its cables, officials said.
Drivers will be sent over the northern ring road, which adds about twenty minutes to a crossing at rush hour.
Subscribe to our newsletter
The office said the repairs, the first since 1998, would cost 14 million and could not wait another winter.
"""


@pytest.fixture
def article(db):
    story = make_story("Bridge repairs")
    cleaned = clean_raw(RAW, "bridge.txt")
    return Article.objects.create(story=story, title=cleaned.title, raw_text=RAW, body=cleaned.body)


def url(article) -> str:
    return reverse("admin:articles_article_cleaning", args=[article.pk])


def block_of(response, text: str) -> int:
    return next(index for index, block, _ in response.context["blocks"] if block.text.startswith(text))


def test_the_page_lists_each_raw_line_with_what_cleaning_decided_and_why(client, erin, article):
    client.force_login(erin)
    response = client.get(url(article))
    assert response.status_code == 200
    decided = {block.text: block.kept for _, block, _ in response.context["blocks"]}
    assert decided["Share on Facebook"] is False and decided["Subscribe to our newsletter"] is False
    assert any(kept and text.startswith("Drivers will be sent") for text, kept in decided.items())
    assert "Share on Facebook" not in article.body


def test_an_editor_keeps_a_dropped_line_previews_then_applies_it(client, erin, article):
    client.force_login(erin)
    page = client.get(url(article))
    share = block_of(page, "Share on Facebook")
    drivers = block_of(page, "Drivers will be sent")
    choices = {f"block-{share}": "keep", f"block-{drivers}": "drop"}
    preview = client.post(url(article), {**choices, "preview": "1"})
    assert preview.status_code == 200 and "Share on Facebook" in preview.context["preview"].body
    article.refresh_from_db()
    assert "Share on Facebook" not in article.body  # a preview stores nothing
    response = client.post(url(article), {**choices, "apply": "1"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert "Share on Facebook" in article.body and "Drivers will be sent" not in article.body
    assert article.block_overrides == {str(share): True, str(drivers): False}
    assert article.body_sha256 == content_hash(article.body)


def test_an_article_with_spans_keeps_its_body(client, erin, alice, article):
    mark(article, alice, "harbour bridge", "consistent")
    before = article.body
    client.force_login(erin)
    page = client.get(url(article))
    share = block_of(page, "Share on Facebook")
    response = client.post(url(article), {f"block-{share}": "keep", "apply": "1"})
    assert response.status_code == 400
    assert "can no longer change" in response.content.decode()
    article.refresh_from_db()
    assert article.body == before and article.block_overrides == {}


def test_reviewers_do_not_reach_the_desk(client, alice, article):
    client.force_login(alice)
    response = client.get(url(article))
    assert response.status_code == 302 and "/admin/login/" in response.url
