import datetime
import hashlib
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.articles.cleaning import (
    CleanedArticle,
    clean_article,
    content_hash,
    normalise,
)

SEEDS_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "articles"
SEED_FILES = sorted(SEEDS_DIR.glob("*.txt"))

BOILERPLATE_SUBSTRINGS = (
    "READ MORE",
    "Leave a comment",
    "Leave a Reply",
    "Your email address",
    "Most Read",
    "More Articles",
    "Related",
    "appeared first on",
    "Copyright",
    "All rights reserved",
    "Connect with us",
    "Don't Miss",
    "Trending",
    "Continue Reading",
    "Popular Categories",
    "Top Stories",
)
BOILERPLATE_LINES = {
    "Share",
    "logo",
    "Author",
    "Published",
    "on",
    "Editorial",
    "Description",
    "Top",
    "West",
}

EXPECTED = {
    "000": {
        "title": ("Iraq to Retain Small Number of U.S. Military Advisers Amid Islamic State Threat in Syria"),
        "outlet": "",
        "published": None,
        "kept": ["between 250 and 350", "Concerns Over Islamic State Resurgence"],
        "starts": "Baghdad",
    },
    "001": {
        "title": "Iraq Retains US Military Advisers Amid Ongoing IS Threat",
        "outlet": "",
        "published": None,
        "kept": ["September 2023"],
        "starts": "Iraq’s Prime Minister",
    },
    "002": {
        "title": "Pentagon Moves Ahead with Strategy to Cut Back Iraq Mission",
        "outlet": "",
        "published": None,
        "kept": ["fewer than 2,000"],
        "starts": "WASHINGTON:",
    },
    "003": {
        "title": "In reversal, at least 250 US troops will remain at Iraq air base",
        "outlet": "Task & Purpose",
        "published": None,
        "kept": [
            "The second phase would last through 2026",
            "Ain al-Asad Air Base is one of the main military installations",
        ],
        "starts": "A “small force”",
    },
    "004": {
        "title": ("Iraq Postpones US Troop Withdrawal Amid Regional Security Concerns"),
        "outlet": "Gulan Media",
        "published": datetime.date(2025, 1, 10),
        "kept": ["by at least three years", "Rationale for the Delay"],
        "starts": "Baghdad has decided",
    },
}


def seed_id(path: Path) -> str:
    return path.name[:3]


def cleaned_seed(path: Path) -> CleanedArticle:
    return clean_article(path.read_text(encoding="utf-8"))


def assert_well_formed(body: str) -> None:
    assert "\r" not in body
    assert "\n\n\n" not in body
    assert unicodedata.is_normalized("NFC", body)
    for line in body.split("\n"):
        assert line == line.rstrip(" \t")
    assert body == body.strip("\n")


def test_it_has_all_five_seed_articles_to_check_against():
    assert [seed_id(path) for path in SEED_FILES] == sorted(EXPECTED)


# --- seeds -----------------------------------------------------------------


@pytest.mark.parametrize("path", SEED_FILES, ids=seed_id)
def test_it_removes_every_kind_of_boilerplate_from_the_seeds(path):
    body = cleaned_seed(path).body

    for debris in BOILERPLATE_SUBSTRINGS:
        assert debris.casefold() not in body.casefold(), debris
    assert not BOILERPLATE_LINES & set(body.split("\n"))
    assert not any(line.startswith("Home ") for line in body.split("\n"))
    assert "•" not in body


@pytest.mark.parametrize("path", SEED_FILES, ids=seed_id)
def test_it_keeps_the_key_sentences_of_each_seed(path):
    body = cleaned_seed(path).body

    for sentence in EXPECTED[seed_id(path)]["kept"]:
        assert sentence in body


@pytest.mark.parametrize("path", SEED_FILES, ids=seed_id)
def test_it_finds_the_headline_and_keeps_it_out_of_the_body(path):
    article = cleaned_seed(path)
    expected = EXPECTED[seed_id(path)]

    assert article.title == expected["title"]
    assert article.title not in article.body
    assert article.body.startswith(expected["starts"])


@pytest.mark.parametrize("path", SEED_FILES, ids=seed_id)
def test_it_reports_outlet_and_date_only_where_the_text_shows_them(path):
    article = cleaned_seed(path)
    expected = EXPECTED[seed_id(path)]

    assert article.outlet == expected["outlet"]
    assert article.published == expected["published"]


@pytest.mark.parametrize("path", SEED_FILES, ids=seed_id)
def test_it_returns_a_well_formed_body_for_every_seed(path):
    body = cleaned_seed(path).body

    assert_well_formed(body)
    assert body == normalise(body)


@pytest.mark.parametrize("path", SEED_FILES, ids=seed_id)
def test_it_separates_paragraphs_with_one_blank_line_in_every_seed(path):
    blocks = cleaned_seed(path).body.split("\n\n")

    assert len(blocks) > 5
    assert all(block and "\n" not in block for block in blocks)


def test_it_keeps_an_inline_widget_heading_from_truncating_the_article():
    body = cleaned_seed(SEEDS_DIR / "003_82ca904ac838403d.txt").body

    assert "Top Stories This Week" not in body
    assert body.endswith("into the Syrian national armed forces.")


def test_it_gives_the_same_result_when_cleaning_twice():
    for path in SEED_FILES:
        once = cleaned_seed(path)
        assert clean_article(once.body).body == once.body


# --- synthetic articles: the rules are general ------------------------------

SYNTHETIC = "\r\n".join(
    [
        "Skip to content   ",
        "Follow us",
        "Harbour Council Approves Night Ferry Trial\t",
        "",
        "Northshore Gazette  March 3, 2024  Local",
        "",
        "Harbour Council Approves Night Ferry Trial",
        "",
        "The harbour council voted seven to two on Tuesday to run a night ferry "
        "between the old pier and the island for six months.   ",
        "",
        "",
        "",
        "READ MORE: Lighthouse keepers remember the storm of the century",
        "",
        "Councillor Ren\u0065\u0301e Okafor said the trial would cost 40,000 "
        "euros and 👍🏽 was the most common reply in the public survey.",
        "",
        "Why the Ferry Matters",
        "",
        "Residents quoted the line مرحبا بالعالم from the bilingual leaflet "
        "that the council posted to every household last winter.",
        "",
        "Share this article",
        "",
        "Related Articles",
        "",
        "Bakery Wins Regional Bread Prize",
        "",
        "The small bakery on Quay Street beat forty rivals in...",
        "",
        "School Choir Heads to National Final",
        "",
        "After months of practice the choir will travel to…",
        "",
        "The post Harbour Council Approves Night Ferry Trial appeared first on Bay Area Times.",
    ]
)


def test_it_takes_the_headline_of_a_made_up_article():
    assert clean_article(SYNTHETIC).title == ("Harbour Council Approves Night Ferry Trial")


def test_it_reads_outlet_from_the_feed_footer_and_date_from_the_dateline():
    article = clean_article(SYNTHETIC)

    assert article.outlet == "Bay Area Times"
    assert article.published == datetime.date(2024, 3, 3)


def test_it_drops_teasers_share_buttons_and_related_lists_from_made_up_text():
    body = clean_article(SYNTHETIC).body

    for debris in (
        "READ MORE",
        "Lighthouse keepers",
        "Share",
        "Related Articles",
        "Bakery Wins",
        "Quay Street",
        "School Choir",
        "appeared first on",
        "Northshore Gazette",
        "Skip to content",
        "Follow us",
    ):
        assert debris not in body, debris


def test_it_keeps_subheadings_and_prose_of_made_up_text():
    body = clean_article(SYNTHETIC).body

    assert body.split("\n\n") == [
        "The harbour council voted seven to two on Tuesday to run a night ferry "
        "between the old pier and the island for six months.",
        "Councillor Renée Okafor said the trial would cost 40,000 euros and 👍🏽 "
        "was the most common reply in the public survey.",
        "Why the Ferry Matters",
        "Residents quoted the line مرحبا بالعالم from the bilingual leaflet "
        "that the council posted to every household last winter.",
    ]


def test_it_composes_accents_and_keeps_emoji_and_arabic_unchanged():
    body = clean_article(SYNTHETIC).body

    assert "Renée" in body
    assert "\u0301" not in body
    assert "👍🏽" in body
    assert "مرحبا بالعالم" in body
    assert_well_formed(body)


def test_it_drops_only_the_heading_when_prose_follows_a_mid_article_widget():
    raw = "\n".join(
        [
            "Village Library Reopens After Flood Repairs",
            "The library reopened on Saturday after eight months of repairs to its flooded ground floor.",
            "Trending",
            "Volunteers carried more than four thousand books back onto the new shelves over the weekend.",
        ]
    )

    body = clean_article(raw).body

    assert "Trending" not in body
    assert body.endswith("new shelves over the weekend.")
    assert body.count("\n\n") == 1


def test_it_cuts_the_article_at_a_headline_only_list_after_a_widget_heading():
    raw = "\n\n".join(
        [
            "Tram Line Extension Opens to Passengers",
            "The first trams ran along the new eastern extension at six o'clock this morning, carrying commuters.",
            "You May Also Like",
            "Cyclists Ask for Wider Lanes",
            "New Bus Timetable Published",
        ]
    )

    body = clean_article(raw).body

    assert body == (
        "The first trams ran along the new eastern extension at six o'clock this morning, carrying commuters."
    )


def test_it_ignores_widget_headings_in_the_menu_above_the_article():
    raw = "\n".join(
        [
            "Trending",
            "Most Read",
            "Orchard Growers Report Record Apple Harvest",
            "Growers across the valley picked more apples this autumn than in any season since records began.",
        ]
    )

    article = clean_article(raw)

    assert article.title == "Orchard Growers Report Record Apple Harvest"
    assert article.body.startswith("Growers across the valley")


def test_it_drops_breadcrumbs_copyright_and_comment_forms():
    raw = "\n".join(
        [
            "Home > Science > Space Agency Delays Moon Lander Test",
            "Space Agency Delays Moon Lander Test",
            "• Monday, 2 June 2025",
            "The agency said on Monday that a valve fault would push the lander test back by at least two weeks.",
            "Leave a Reply",
            "Your email address will not be published. Required fields are marked *",
            "Copyright © 2025 Orbit Weekly. All rights reserved.",
        ]
    )

    article = clean_article(raw)

    assert article.title == "Space Agency Delays Moon Lander Test"
    assert article.body == (
        "The agency said on Monday that a valve fault would push the lander test back by at least two weeks."
    )
    assert article.published is None


@pytest.mark.parametrize(
    "dateline, published",
    [
        ("Coastal Herald 2023-11-05", datetime.date(2023, 11, 5)),
        ("Coastal Herald 5 November 2023 Politics", datetime.date(2023, 11, 5)),
        ("Coastal Herald | Nov. 5, 2023", datetime.date(2023, 11, 5)),
    ],
)
def test_it_accepts_several_date_forms_in_a_dateline(dateline, published):
    raw = "\n".join(
        [
            "Ferry Fares Rise for Winter Season",
            dateline,
            "Ticket prices on all island routes will go up by ten percent from the first of December.",
        ]
    )

    article = clean_article(raw)

    assert article.outlet == "Coastal Herald"
    assert article.published == published
    assert article.body.startswith("Ticket prices")


def test_it_leaves_outlet_and_date_empty_when_the_text_shows_none():
    article = clean_article("A plain note without any headline, outlet or dateline at all, just one ordinary sentence.")

    assert article.title == ""
    assert article.outlet == ""
    assert article.published is None
    assert article.body.startswith("A plain note")


def test_it_keeps_quoted_dialogue_as_is():
    quote = "“We will not stop,” she said. ‘Never,’ he replied — firmly."
    raw = "Strike Enters Second Week\n\n" + quote

    assert clean_article(raw).body == quote


@pytest.mark.parametrize("raw", ["", "\n\n", "   \r\n\t", "Share\nlogo\nTop"])
def test_it_returns_an_empty_article_for_empty_or_chrome_only_text(raw):
    assert clean_article(raw) == CleanedArticle("", "", None, "")


# --- normalise and content_hash --------------------------------------------


def test_it_normalises_line_endings_blank_runs_and_trailing_spaces():
    raw = "\n\n  a \t\r\nb\r\rc\n\n\n\n\nd  \n\n"

    assert normalise(raw) == "  a\nb\n\nc\n\nd"


def test_it_composes_decomposed_accents():
    assert normalise("cafe\u0301") == "café"


def test_it_hashes_the_utf8_bytes_of_the_body_with_sha256():
    body = "Renée 👍🏽 مرحبا"

    assert content_hash(body) == hashlib.sha256(body.encode("utf-8")).hexdigest()
    assert len(content_hash("")) == 64


# --- properties ------------------------------------------------------------

MESSY_TEXT = st.lists(
    st.one_of(
        st.text(max_size=12),
        st.sampled_from(["\r", "\n", "\r\n", " ", "\t", "\u0301", "e", "…", "..."]),
    ),
    max_size=40,
).map("".join)

ARTICLE_LINES = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "Share",
                "Related News",
                "Trending",
                "Top Stories This Week",
                "READ MORE: x",
                "Home News Some Headline Here",
                "Some Headline Here",
                "Daily Bugle January 31, 2024 World",
                "• Friday, 10 January 2025",
                "Copyright © 2024",
                "The post X appeared first on Y.",
                "A teaser that trails off...",
                "This is a perfectly ordinary sentence that a reporter wrote.",
                "",
                "  ",
            ]
        ),
        MESSY_TEXT,
    ),
    max_size=30,
)


@given(MESSY_TEXT)
def test_it_normalises_idempotently(text):
    once = normalise(text)

    assert normalise(once) == once


@given(MESSY_TEXT)
def test_it_normalises_to_nfc_without_carriage_returns(text):
    result = normalise(text)

    assert "\r" not in result
    assert "\n\n\n" not in result
    assert unicodedata.is_normalized("NFC", result)


@settings(max_examples=300)
@given(MESSY_TEXT)
def test_it_cleans_arbitrary_text_without_raising(text):
    article = clean_article(text)

    assert article.body == normalise(article.body)
    assert article.title == normalise(article.title)


@settings(max_examples=300)
@given(ARTICLE_LINES, st.sampled_from(["\n", "\r\n", "\r", "\n\n"]))
def test_it_cleans_article_shaped_text_into_a_normalised_body(lines, newline):
    article = clean_article(newline.join(lines))

    assert article.body == normalise(article.body)
    assert_well_formed(article.body)
    assert isinstance(article.published, (datetime.date, type(None)))


def test_it_does_not_mistake_a_headline_about_a_date_for_a_dateline():
    raw = "Elections Set for March 3, 2025\nVoters will choose a new council in a poll expected to be close."

    article = clean_article(raw)

    assert article.title == "Elections Set for March 3, 2025"
    assert (article.outlet, article.published) == ("", None)


def test_it_drops_a_multi_word_section_repeated_under_a_breadcrumb():
    raw = "\n".join(
        [
            "Home Middle East Talks Resume in Cairo",
            "Middle East",
            "Talks Resume in Cairo",
            "Negotiators met again on Sunday for a third round of ceasefire talks.",
        ]
    )

    article = clean_article(raw)

    assert article.title == "Talks Resume in Cairo"
    assert article.body == "Negotiators met again on Sunday for a third round of ceasefire talks."
