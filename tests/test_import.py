"""The import command: cleaning the seeds, idempotence, the committed fixture, and bad input."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from factcheck.articles.cleaning import content_hash
from factcheck.articles.models import Article, Story

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "articles"
STORY = "US advisers remain in Iraq"


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_articles", *map(str, args), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_imports_every_seed_into_one_story_with_a_line_each():
    out = run(SEEDS, "--story", STORY)
    assert out.count("created") == 6  # five lines and the summary
    story = Story.objects.get()
    assert story.title == STORY and story.slug == "us-advisers-remain-in-iraq"
    assert story.articles.count() == 5


@pytest.mark.django_db
def test_it_keeps_raw_text_and_stores_a_clean_hashed_body():
    run(SEEDS, "--story", STORY)
    for path in sorted(SEEDS.glob("*.txt")):
        article = Article.objects.get(source_name=path.name)
        assert article.raw_text == path.read_text(encoding="utf-8")
        assert article.body_sha256 == content_hash(article.body)
        assert "READ MORE" not in article.body and "\r" not in article.body
    assert "between 250 and 350" in Article.objects.get(source_name__startswith="000").body
    dated = Article.objects.get(source_name__startswith="004")
    assert (dated.outlet, str(dated.published)) == ("Gulan Media", "2025-01-10")


@pytest.mark.django_db
def test_it_changes_nothing_when_the_same_files_are_imported_again():
    run(SEEDS, "--story", STORY)
    before = list(Article.objects.values_list("pk", "body_sha256", "imported_at"))
    out = run(SEEDS, "--story", STORY)
    assert out.count("\nunchanged ") + out.startswith("unchanged ") == 5 and "0 created, 5 unchanged" in out
    assert list(Article.objects.values_list("pk", "body_sha256", "imported_at")) == before


@pytest.mark.django_db
def test_it_normalises_line_ends_and_accents(tmp_path):
    source = tmp_path / "crlf.txt"
    source.write_bytes(
        "Cafe\u0301 owners protest\r\n\r\nThe cafe\u0301 closed at noon.   \r\nIt reopened.\r\n".encode()
    )
    run(source, "--story", "Synthetic")
    body = Article.objects.get().body
    assert "\r" not in body and "café closed at noon." in body and "   \n" not in body


def test_it_regenerates_the_committed_fixture_byte_for_byte(tmp_path):
    out = tmp_path / "seed.json"
    run(SEEDS, "--story", STORY, "--fixture", out)
    assert out.read_bytes() == (ROOT / "fixtures" / "seed.json").read_bytes()


def test_the_committed_fixture_holds_the_five_cleaned_seeds():
    rows = json.loads((ROOT / "fixtures" / "seed.json").read_text(encoding="utf-8"))
    articles = [row for row in rows if row["model"] == "articles.article"]
    assert [row["fields"]["source_name"] for row in articles] == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert all(row["fields"]["body_sha256"] == content_hash(row["fields"]["body"]) for row in articles)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"   \n\n  ", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Caf\u00e9 story".encode("latin-1"), "not UTF-8"),
    ],
    ids=["empty", "blank", "binary", "latin-1"],
)
def test_it_refuses_bad_files_with_a_clear_message_and_stores_nothing(tmp_path, content, message):
    good = tmp_path / "a_good.txt"
    good.write_text("A headline\n\nA real paragraph about a real event.", encoding="utf-8")
    bad = tmp_path / "b_bad.txt"
    bad.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(tmp_path, "--story", "Mixed")
    assert not Story.objects.exists() and not Article.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_missing_path(tmp_path):
    with pytest.raises(CommandError, match="no such file or folder"):
        run(tmp_path / "nope.txt", "--story", "Missing")
    assert not Story.objects.exists()


@pytest.mark.django_db
def test_a_new_text_with_a_known_title_is_refused_unless_it_is_a_new_version(tmp_path):
    run(SEEDS, "--story", STORY)
    seed = sorted(SEEDS.glob("*.txt"))[0]
    known = Article.objects.get(source_name=seed.name)
    # One character changed: new text, but plainly the same article scraped again.
    changed = tmp_path / "rescraped.txt"
    text = seed.read_text(encoding="utf-8")
    index = text.index(known.body[40:60])
    changed.write_text(text[:index] + "X" + text[index + 1 :], encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        run(changed, "--story", STORY)
    message = str(refused.value)
    assert f"it has the title of the article {known.title!r}" in message and f"#{known.pk}" in message
    assert "(--new-version) Nothing was imported" in message and Article.objects.count() == 5
    out = run(changed, "--story", STORY, "--new-version")
    assert out.startswith("created") and Article.objects.filter(title=known.title).count() == 2
