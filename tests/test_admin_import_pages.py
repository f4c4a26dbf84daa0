"""Editors import saved pages (.html) and text files at the desk: cleaned like the command, all or nothing."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from factcheck.articles.models import Article, Story

URL = reverse("admin:articles_article_import_pages")

PAGE = b"""<!doctype html><html><head><meta charset="utf-8">
<title>Ferry fares rise in April | The Harbour Gazette</title>
<meta property="og:site_name" content="The Harbour Gazette">
<link rel="canonical" href="https://gazette.example/ferry-fares"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>Ferry fares rise in April</h1>
<p>Fares on the island ferries will rise by eight percent from the first of April, the operator said on Tuesday,
citing the price of fuel and the cost of a new vessel that enters service next year.</p>
<p>Season tickets for islanders are frozen until the end of the year after a campaign by residents who said the
crossing was their only way to reach the hospital and the secondary school on the mainland.</p>
</article><footer><p>Subscribe to our newsletter</p><p>Terms of Use</p></footer></body></html>"""

TEXT = (
    "Island school gets a new roof\n"
    "The island's primary school will get a new roof over the summer holidays, the council said, after water came "
    "through the ceiling of two classrooms during the storms in February and lessons moved to the village hall.\n"
)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_an_editor_imports_a_saved_page_and_a_text_file_into_a_new_story(client, erin):
    client.force_login(erin)
    response = client.post(
        URL, {"story": "Island news", "files": [upload("ferry.html", PAGE), upload("school.txt", TEXT.encode())]}
    )
    assert response.status_code == 200, response.content[:300]
    story = Story.objects.get(title="Island news")
    ferry = story.articles.get(source_name="ferry.html")
    assert ferry.title == "Ferry fares rise in April"
    assert ferry.raw_text == PAGE.decode() and "<nav>" not in ferry.body
    assert "eight percent" in ferry.body and "Subscribe" not in ferry.body and "Sport" not in ferry.body
    assert ferry.url == "https://gazette.example/ferry-fares"
    school = story.articles.get(source_name="school.txt")
    assert school.title == "Island school gets a new roof" and "village hall" in school.body
    page = response.content.decode()
    assert reverse("admin:articles_article_cleaning", args=[ferry.pk]) in page


def test_one_bad_file_imports_nothing_and_says_which(client, erin):
    client.force_login(erin)
    files = [upload("ferry.html", PAGE), upload("notes.pdf", b"%PDF-1.4 binary")]
    response = client.post(URL, {"story": "Island news", "files": files})
    assert response.status_code == 400 and "notes.pdf" in response.content.decode()
    assert not Article.objects.exists() and not Story.objects.filter(title="Island news").exists()
    latin1 = [upload("school.txt", TEXT.replace("island", "îsland").encode("latin-1"))]
    response = client.post(URL, {"story": "Island news", "files": latin1})
    assert response.status_code == 400 and "Save it as UTF-8" in response.content.decode()
    assert not Article.objects.exists()


def test_no_file_is_a_400_with_a_message(client, erin):
    client.force_login(erin)
    response = client.post(URL, {"story": "Island news"})
    assert response.status_code == 400 and "Choose at least one file" in response.content.decode()


def test_the_articles_changelist_offers_the_page_import_and_reviewers_do_not_reach_it(client, erin, alice):
    client.force_login(erin)
    assert URL in client.get(reverse("admin:articles_article_changelist")).content.decode()
    client.force_login(alice)
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response.url
