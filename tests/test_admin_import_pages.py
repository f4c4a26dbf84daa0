"""Editors import saved pages (.html) and text files at the desk: cleaned like the command, all or nothing; a file
whose cleaning drops most of its prose waits, with nothing stored, until the editor accepts or corrects it."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.articles.models import Article, Story, StoryState
from tests.factories import make_user

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


# A story followed by seven readers' comments: cleaning keeps the story and drops 7 of its 9 paragraphs of prose.
COMMENTS = [
    f"Reader {name} says the library should open on Sundays as well, since many families only visit at weekends."
    for name in ("Ada", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus")
]
HEAVY = (
    "Harbour library to close for a year\n"
    "The harbour library will close for a year from March while its roof and heating are replaced, the council "
    "said on Monday, and a reading room will open in the old customs house meanwhile.\n"
    "Books already borrowed can be returned to the customs house, which will keep the library's opening hours.\n"
    "Comments\n" + "\n".join(COMMENTS) + "\n"
)


def preview_upload(client, files=None, story="Island news"):
    files = files or [upload("library.txt", HEAVY.encode()), upload("school.txt", TEXT.encode())]
    return client.post(URL, {"story": story, "files": files})


def held_page(client):
    """Upload a heavily cleaned file with a plain one; check the preview and return its pending name."""
    response = preview_upload(client)
    assert response.status_code == 200, response.content[:300]
    page = response.content.decode()
    assert "Nothing is imported yet" in page and "Cleaning dropped 7 of the page&#x27;s 9 paragraphs" in page
    return response.context["pending"]


def test_a_heavily_cleaned_file_waits_on_a_preview_with_both_versions_and_nothing_is_stored(client, erin):
    client.force_login(erin)
    response = preview_upload(client)

    assert response.status_code == 200
    assert not Article.objects.exists() and not Story.objects.filter(title="Island news").exists()
    page = response.content.decode()
    # The raw text beside the clean body (the shared side_by_side.html), every line with its decision and why.
    assert "Raw text, every line as read from the file" in page and "Clean body, what would be imported" in page
    assert 'name="file0-block-4" value="keep"' in page and "after the article&#x27;s end" in page
    assert "Reader Ada says the library should open on Sundays" in page
    # The plain file is listed as ready, and waits with it: nothing of this upload is stored before the decision.
    assert "school.txt: “Island school gets a new roof”" in page
    assert response.context["pending"] in client.session["factcheck-pending-imports"]


def test_the_editor_accepts_it_and_both_files_are_stored(client, erin):
    client.force_login(erin)
    pending = held_page(client)

    response = client.post(URL, {"pending": pending, "accept": "library.txt", "import": "1"})

    assert response.status_code == 200, response.content[:300]
    library = Article.objects.get(source_name="library.txt")
    assert library.body.startswith("The harbour library will close") and "Reader Ada" not in library.body
    assert library.block_overrides == {}
    assert Article.objects.filter(source_name="school.txt").exists()
    assert "You accepted it" in response.content.decode()


def test_left_unticked_it_is_not_stored_and_the_others_are(client, erin):
    client.force_login(erin)
    pending = held_page(client)

    response = client.post(URL, {"pending": pending, "import": "1"})

    assert response.status_code == 200
    assert list(Article.objects.values_list("source_name", flat=True)) == ["school.txt"]
    assert "Not imported, as you did not accept them:\n    library.txt" in response.content.decode()


def test_the_editors_corrections_are_previewed_then_stored_with_the_article(client, erin):
    client.force_login(erin)
    pending = held_page(client)
    keep = {f"file0-block-{index}": "keep" for index in range(4, 8)}  # four of the comments

    again = client.post(URL, {"pending": pending, "again": "1", **keep})

    assert again.status_code == 200 and not Article.objects.exists()
    (held,) = again.context["flagged"]
    assert held["item"].overrides == {4: True, 5: True, 6: True, 7: True}
    assert "Reader Dev says" in held["item"].cleaned.body and "Reader Eli" not in held["item"].cleaned.body
    page = again.content.decode()
    assert "your choice (cleaning said drop)" in page and "it will be imported as shown" in page
    assert 'name="accept"' not in page  # no longer over the line: nothing to tick

    # Still 3 of 9 dropped is under the line: the corrected file imports without the tick.
    client.post(URL, {"pending": pending, "import": "1", **keep})
    library = Article.objects.get(source_name="library.txt")
    assert library.block_overrides == {"4": True, "5": True, "6": True, "7": True}
    assert "Reader Dev says" in library.body and "Reader Eli" not in library.body


def test_a_confirmation_for_files_not_previewed_here_is_refused_and_stores_nothing(client, erin, db):
    other = Client()
    other.force_login(make_user("frank", "Editors", is_staff=True))
    pending = held_page(other)
    client.force_login(erin)

    refused = client.post(URL, {"pending": pending, "accept": "library.txt", "import": "1"})
    forged = client.post(URL, {"pending": "/etc/passwd", "import": "1"})

    assert refused.status_code == 400 and "not previewed here" in refused.content.decode()
    assert forged.status_code == 400
    assert not Article.objects.exists()
    # Confirmed once, the same preview cannot be confirmed twice.
    assert other.post(URL, {"pending": pending, "accept": "library.txt", "import": "1"}).status_code == 200
    assert other.post(URL, {"pending": pending, "accept": "library.txt", "import": "1"}).status_code == 400
    assert Article.objects.count() == 2


def test_cancelling_stores_nothing_and_forgets_the_files(client, erin):
    client.force_login(erin)
    pending = held_page(client)

    response = client.post(URL, {"pending": pending, "cancel": "1"})

    assert response.status_code == 200 and "Cancelled: nothing was imported" in response.content.decode()
    assert not Article.objects.exists() and not Story.objects.filter(title="Island news").exists()
    assert client.post(URL, {"pending": pending, "import": "1", "accept": "library.txt"}).status_code == 400


def test_a_choice_that_fits_no_line_is_a_400_on_the_preview(client, erin):
    client.force_login(erin)
    pending = held_page(client)

    response = client.post(URL, {"pending": pending, "again": "1", "file0-block-999": "keep"})

    assert response.status_code == 400 and "Block 999 does not exist" in response.content.decode()
    assert not Article.objects.exists()


def test_a_story_approved_between_preview_and_import_takes_nothing(client, erin):
    client.force_login(erin)
    Story.objects.create(title="Island news", slug="island-news")
    pending = held_page(client)
    Story.objects.filter(slug="island-news").update(state=StoryState.APPROVED)

    response = client.post(URL, {"pending": pending, "accept": "library.txt", "import": "1"})

    assert response.status_code == 403 and "Nothing was imported" in response.content.decode()
    assert not Article.objects.exists()


KEY = st.sampled_from(
    ["accept", "again", "import", "cancel", "pending", "file0-block-4", "file1-block-0", "file0-block-99"]
)
VALUE = st.one_of(st.sampled_from(["keep", "drop", "library.txt", "1", ""]), st.text(max_size=8))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(form=st.dictionaries(KEY, VALUE, max_size=5))
def test_no_answer_to_the_preview_is_a_5xx_and_a_refusal_stores_nothing(erin, form):
    client = Client(raise_request_exception=False)
    client.force_login(erin)
    with transaction.atomic():
        pending = held_page(client)
        response = client.post(URL, {"pending": pending, **form})
        stored = Article.objects.count()
        transaction.set_rollback(True)
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400 or "import" not in form or "again" in form or "cancel" in form:
        assert stored == 0
