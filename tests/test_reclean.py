"""Importing saved pages, holding back heavily cleaned files in the command, and re-cleaning with overrides."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from factcheck.articles.cleaning import content_hash
from factcheck.articles.models import Article, Story
from factcheck.articles.services import (
    ImportRefused,
    article_clean_preview,
    article_import,
    article_reclean,
    story_get_or_create,
)
from factcheck.review.models import Span

SAVED_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Glacier retreat doubles in a decade, survey finds - Alpine Observer</title>
<meta property="og:site_name" content="Alpine Observer">
<meta property="article:published_time" content="2023-08-29T10:00:00Z">
<link rel="canonical" href="https://alpineobserver.example/science/glacier-retreat-survey">
</head><body>
<nav><a href="/">Home</a> <a href="/science">Science</a> <a href="/travel">Travel</a></nav>
<article>
<h1>Glacier retreat doubles in a decade, survey finds</h1>
<p>The glaciers of the eastern Alps lost twice as much ice in the past ten years as in the decade before, according
to a survey published on Tuesday by the national glacier monitoring service.</p>
<p>The survey measured 93 glaciers each autumn since 2003 and found that their average length fell by 31 metres a
year between 2013 and 2023, against 15 metres a year in the ten years before.</p>
<p>Researchers said hot summers with little snow in spring had left the ice exposed to the sun for longer each year,
and that the loss would continue even if temperatures stopped rising.</p>
</article>
<footer><p>Terms of Use</p><p>© 2023 Alpine Observer</p></footer>
</body></html>
"""


def run(*args) -> str:
    out = StringIO()
    call_command("import_articles", *map(str, args), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_imports_a_saved_page_with_its_address_outlet_date_and_the_html_as_raw_text(tmp_path):
    (tmp_path / "glacier.html").write_text(SAVED_PAGE, encoding="utf-8")

    out = run(tmp_path, "--story", "Glaciers")

    article = Article.objects.get()
    assert "created   glacier.html" in out
    assert article.title == "Glacier retreat doubles in a decade, survey finds"
    assert (article.outlet, article.published) == ("Alpine Observer", datetime.date(2023, 8, 29))
    assert article.url == "https://alpineobserver.example/science/glacier-retreat-survey"
    assert article.raw_text == SAVED_PAGE
    assert article.body.startswith("The glaciers of the eastern Alps lost twice as much ice")
    assert "<p>" not in article.body and "Terms of Use" not in article.body


@pytest.mark.django_db
def test_it_reads_a_saved_page_in_the_encoding_it_declares(tmp_path):
    page = SAVED_PAGE.replace('charset="utf-8"', 'charset="windows-1252"').replace(
        "Glacier retreat", "Glacier retreat ±"
    )
    (tmp_path / "glacier.htm").write_bytes(page.encode("windows-1252"))

    run(tmp_path / "glacier.htm", "--story", "Glaciers")

    assert Article.objects.get().raw_text == page


def write_toll_and_ferry(folder) -> None:
    """A story followed by eight readers' comments (cleaning drops 8 of 9 paragraphs), and a plain story."""
    comments = "\n".join(
        f"Reader {n} wrote that the new bridge toll is far too high for people who cross it twice every day."
        for n in range(8)
    )
    (folder / "toll.txt").write_text(
        "Bridge toll rises to four euros\nThe toll on the river bridge will rise to four euros from January, the "
        f"operator said on Friday, its first increase since the bridge opened in 2009.\nComments\n{comments}\n",
        encoding="utf-8",
    )
    (folder / "ferry.txt").write_text(
        "Night ferry returns in May\nThe night ferry between the two harbours returns in May after a winter "
        "without it, the operator said, with two crossings a week until the end of September.\nIts cabins were "
        "refitted over the winter, and the fares stay as they were last year for every kind of ticket.\n",
        encoding="utf-8",
    )


@pytest.mark.django_db
def test_a_file_whose_cleaning_drops_most_of_the_prose_is_held_back_and_the_others_imported(tmp_path):
    write_toll_and_ferry(tmp_path)
    out = StringIO()

    with pytest.raises(CommandError, match="1 file held back") as refused:
        call_command("import_articles", str(tmp_path), "--story", "Tolls", stdout=out)

    assert refused.value.returncode == 3
    report = out.getvalue()
    assert "held back toll.txt: Cleaning dropped 8 of the page's 9 paragraphs of prose (89%)" in report
    assert "  dropped: Reader 0 wrote that the new bridge toll" in report
    assert "1 created, 0 unchanged, 1 held back in story 'Tolls'." in report
    assert list(Article.objects.values_list("source_name", flat=True)) == ["ferry.txt"]


@pytest.mark.django_db
def test_heavy_cleaning_is_stored_when_accepted_and_show_cleaning_prints_every_line(tmp_path):
    write_toll_and_ferry(tmp_path)

    out = run(tmp_path, "--story", "Tolls", "--accept-heavy-cleaning", "--show-cleaning")

    assert "warning toll.txt: Cleaning dropped 8 of the page's 9 paragraphs of prose" in out
    assert "  + The toll on the river bridge will rise" in out
    assert "  - Reader 7 wrote that the new bridge toll is far too high" in out
    assert "1 with a warning" in out
    assert Article.objects.get(source_name="toll.txt").body.startswith("The toll on the river bridge")


def test_a_fixture_leaves_out_a_held_back_file_unless_accepted(tmp_path):
    write_toll_and_ferry(tmp_path)
    fixture = tmp_path / "out" / "fixture.json"

    with pytest.raises(CommandError, match="held back") as refused:
        call_command("import_articles", str(tmp_path), "--story", "Tolls", "--fixture", str(fixture), stdout=StringIO())

    assert refused.value.returncode == 3
    assert "toll.txt" not in fixture.read_text() and "ferry.txt" in fixture.read_text()
    run(tmp_path, "--story", "Tolls", "--fixture", fixture, "--accept-heavy-cleaning")
    assert "toll.txt" in fixture.read_text()


@pytest.mark.django_db
def test_it_refuses_a_folder_with_neither_text_nor_pages(tmp_path):
    (tmp_path / "notes.md").write_text("# not an article", encoding="utf-8")

    with pytest.raises(CommandError, match="no .txt or .html files"):
        run(tmp_path, "--story", "Empty")
    assert not Story.objects.exists()


# --- re-cleaning ------------------------------------------------------------

SCRAPE = "\n".join(
    [
        "News",
        "Sport",
        "Town hall clock restored after 30 years",
        "The clock on the town hall tower struck noon on Saturday for the first time since 1994, after volunteers "
        "spent two years restoring its mechanism.",
        "Related stories",
        "Library extends opening hours",
        "The restoration cost 48,000 pounds, most of it raised by a public appeal that drew more than 900 donors.",
    ]
)


@pytest.fixture
def scraped(db):
    story = story_get_or_create(title="Clock")
    return article_import(story=story, raw=SCRAPE, source_name="clock.txt").article


def test_the_preview_shows_each_block_with_its_decision_and_stores_nothing(scraped):
    preview = article_clean_preview(article=scraped)

    assert [block.text for block in preview.blocks] == SCRAPE.split("\n")
    assert [block.kept for block in preview.blocks] == [False, False, False, True, False, False, True]
    assert preview.body == scraped.body
    assert Article.objects.get(pk=scraped.pk).block_overrides == {}


def test_an_editor_re_cleans_with_overrides_and_the_hash_follows_the_body(scraped):
    cleaned = article_reclean(article=scraped, overrides={"5": True, 6: False})

    article = Article.objects.get(pk=scraped.pk)
    assert article.body == cleaned.body
    assert article.body.endswith("Library extends opening hours")
    assert "The restoration cost" not in article.body
    assert article.body_sha256 == content_hash(article.body)
    assert article.block_overrides == {"5": True, "6": False}


def test_re_cleaning_without_overrides_keeps_the_stored_ones(scraped):
    article_reclean(article=scraped, overrides={"6": False})

    article_reclean(article=Article.objects.get(pk=scraped.pk))

    article = Article.objects.get(pk=scraped.pk)
    assert "The restoration cost" not in article.body
    assert article.block_overrides == {"6": False}


def test_re_cleaning_is_refused_once_the_article_has_spans(scraped, alice):
    body = scraped.body
    Span.objects.create(article=scraped, reviewer=alice, start=0, end=9, quote=body[:9], label="consistent")

    with pytest.raises(ImportRefused, match="already has highlighted spans"):
        article_reclean(article=scraped, overrides={"6": False})

    article = Article.objects.get(pk=scraped.pk)
    assert (article.body, article.block_overrides) == (body, {})


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"7": True}, "Block 7 does not exist"),
        ({"x": True}, "not a block number"),
        ({"3": "yes"}, "say keep \\(true\\) or drop \\(false\\)"),
        ({"3": False, "6": False}, "no article text is left"),
    ],
)
def test_re_cleaning_refuses_bad_overrides_and_changes_nothing(scraped, overrides, message):
    with pytest.raises(ImportRefused, match=message):
        article_reclean(article=scraped, overrides=overrides)

    assert Article.objects.get(pk=scraped.pk).body == scraped.body


def test_re_cleaning_refuses_a_body_another_article_of_the_story_has(scraped):
    other = article_import(
        story=scraped.story,
        raw="Clock tower\n\nThe clock on the town hall tower struck noon on Saturday for the first time since 1994, "
        "after volunteers spent two years restoring its mechanism.",
        source_name="other.txt",
    ).article
    assert other.pk != scraped.pk

    with pytest.raises(ImportRefused, match="already has exactly this body"):
        article_reclean(article=scraped, overrides={"6": False})
