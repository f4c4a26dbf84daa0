"""Suggestions are computed when articles are imported, once per import, and only once it is committed."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from factcheck.articles.models import Story
from factcheck.articles.services import article_import, story_get_or_create
from factcheck.articles.signals import articles_imported
from factcheck.findings.models import Kind, Suggestion

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "articles"


@pytest.mark.django_db
def test_importing_the_seeds_computes_their_suggestions(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_articles", str(SEEDS), "--story", "US advisers remain in Iraq", stdout=StringIO())
    story = Story.objects.get()
    quotes = set(Suggestion.objects.filter(story=story, kind=Kind.CONFLICTING).values_list("quote", flat=True))
    assert {"by September 2023", "by the end of September 2025", "through 2026", "at least three years"} <= quotes


@pytest.mark.django_db
def test_an_import_of_many_rows_announces_its_story_once(django_capture_on_commit_callbacks):
    received = []

    def listen(sender, *, story, **kwargs):
        received.append(story.pk)

    articles_imported.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            story = story_get_or_create(title="Two rows")
            article_import(story=story, raw="The bridge opened in 1998 after four years of work.\n")
            article_import(story=story, raw="The bridge opened in 2001, three years late.\n")
    finally:
        articles_imported.disconnect(listen)
    assert len(callbacks) == 1 and received == [story.pk]


@pytest.mark.django_db
def test_importing_a_text_already_there_announces_nothing(django_capture_on_commit_callbacks):
    story = story_get_or_create(title="Once")
    with django_capture_on_commit_callbacks(execute=True):
        article_import(story=story, raw="The bridge opened in 1998.\n")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        imported = article_import(story=story, raw="The bridge opened in 1998.\n")
    assert not imported.created and callbacks == []


@pytest.mark.django_db(transaction=True)
def test_a_refused_import_computes_nothing(tmp_path):
    (tmp_path / "good.txt").write_text("The bridge opened in 1998 after four years of work.\n")
    (tmp_path / "empty.txt").write_text("")
    with pytest.raises(CommandError):
        call_command("import_articles", str(tmp_path), "--story", "Refused", stdout=StringIO())
    assert not Suggestion.objects.exists() and not Story.objects.exists()
