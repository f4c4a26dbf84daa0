"""Cleaning's own signals on pages written for these tests (not the seeds, not the evaluation set)."""

import datetime
from html import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.articles.cleaning import (
    DROPPED_SENTENCES_WARNING,
    clean_article,
    clean_html,
    looks_like_html,
    normalise,
)

# A regional paper's story as a scraper copies it: menus, a "Related stories" box in the middle, a paywall
# prompt, tags, a support appeal, an end-of-story "Related" list, comments and legal lines.
LOCAL_PAGE = "\n".join(
    [
        "Top Menu",
        "All Sections",
        "Add A Business Listing",
        "Obituaries",
        "Subscribe",
        "Sign in",
        "Education",
        "Lakeside Herald",
        "School board approves four-day week for rural district",
        "By Marta Ilves, Education Reporter",
        "Published 6:40 a.m. CT Feb. 3, 2025",
        "Share on Facebook",
        "Share via Email",
        "The Pine Ridge school board voted 5-2 on Monday night to move its three rural schools to a four-day "
        "week from next August, becoming the ninth district in the state to make the change.",
        "Superintendent Carla Mendez said the district had struggled to hire teachers for two years and hoped"
        " the shorter week would attract applicants from larger towns.",
        "RELATED STORIES",
        "Bus drivers ask for pay rise as routes grow longer",
        "Pine Ridge voters reject school building levy",
        "Three-day weekends: what other districts learned",
        "Parents who spoke at the meeting were divided. Several said they could not find childcare for the "
        "fifth day, while others said their children were already exhausted by long bus rides.",
        "The district will keep its buildings open on Fridays for students who need meals or supervision, "
        "Mendez said, paid for from savings on transport and heating.",
        "Related concerns about learning time",
        "A state study published last year found that students in four-day districts spent about 60 fewer "
        "hours a year in class, although test scores fell only slightly.",
        "This article is free to read. Register or sign in to keep reading our local journalism.",
        "Already a subscriber? Sign in",
        "Board members said they would review the change after two years and publish attendance and test "
        "results each term.",
        "Tags: Education, Pine Ridge, School board",
        "Support the Lakeside Herald",
        "Local journalism costs money. If you value our reporting, please consider supporting us.",
        "Contribute",
        "Subscribe",
        "Related",
        "Man charged after fire at storage unit",
        "Council delays vote on downtown parking",
        "Comments",
        "Your email address will not be published. Required fields are marked *",
        "Terms of Use",
        "Privacy Policy",
        "Copyright © 2025 Lakeside Herald Media. All rights reserved.",
        "",
    ]
)

STORY_SENTENCES = (
    "The Pine Ridge school board voted 5-2",
    "Superintendent Carla Mendez said",
    "Parents who spoke at the meeting were divided.",
    "The district will keep its buildings open on Fridays",
    "Related concerns about learning time",
    "A state study published last year found",
    "Board members said they would review the change",
)


def test_it_drops_a_related_box_in_the_middle_of_a_story_and_keeps_the_story_after_it():
    body = clean_article(LOCAL_PAGE).body

    for sentence in STORY_SENTENCES:
        assert sentence in body, sentence
    for teaser in ("RELATED STORIES", "Bus drivers ask", "building levy", "Three-day weekends"):
        assert teaser not in body, teaser


def test_it_ends_the_story_at_a_related_list_that_no_prose_follows():
    body = clean_article(LOCAL_PAGE).body

    assert body.endswith("publish attendance and test results each term.")
    assert "Man charged after fire" not in body and "Council delays vote" not in body


def test_it_drops_paywall_support_tags_comment_and_legal_lines():
    body = clean_article(LOCAL_PAGE).body

    for chrome in (
        "free to read",
        "Already a subscriber",
        "Tags:",
        "Support the Lakeside Herald",
        "please consider supporting",
        "Contribute",
        "Subscribe",
        "Your email address",
        "Terms of Use",
        "Privacy Policy",
        "All rights reserved",
        "Share on Facebook",
    ):
        assert chrome not in body, chrome


def test_it_takes_the_headline_that_matches_the_story_not_the_first_short_line():
    article = clean_article(LOCAL_PAGE)

    assert article.title == "School board approves four-day week for rural district"
    assert article.body.startswith("The Pine Ridge school board voted")


def test_it_says_why_each_block_was_kept_or_dropped():
    blocks = clean_article(LOCAL_PAGE).blocks

    reasons = {block.text: block.reason for block in blocks}
    assert reasons["Support the Lakeside Herald"] == "boilerplate: support"
    assert reasons["RELATED STORIES"] == "widget heading"
    assert reasons["Pine Ridge voters reject school building levy"] == "inside a widget"
    assert reasons["Man charged after fire at storage unit"] == "after the article's end"
    assert [block.text for block in blocks] == [line for line in LOCAL_PAGE.split("\n") if line]


# A live page: times, share buttons, a newsletter box and "Key events" between entries.
LIVE_PAGE = "\n".join(
    [
        "We use cookies to improve your experience on our site. By continuing to browse you agree to our use "
        "of cookies.",
        "Accept all",
        "Weather",
        "Sport",
        "Ice storm live: power cuts spread across the valley as freezing rain continues",
        "Please turn on JavaScript in your browser to get a better live experience.",
        "Key events",
        "3h ago Airport suspends all flights",
        "14.05 GMT",
        "Valley Power says 18,000 homes are now without electricity after ice brought down lines in the hill "
        "villages, and crews cannot reach some of them until the roads are gritted.",
        "Share",
        "13.20 GMT",
        "The regional airport has suspended all departures until at least six o'clock this evening while "
        "staff clear ice from the runway and the de-icing rigs are refilled.",
        "Share",
        "Sign up to Morning Briefing",
        "Our morning email breaks down the key stories of the day, telling you what's happening and why it matters",
        "Sign up",
        "12.45 GMT",
        "Schools in the north of the valley closed at noon, and the council asked parents to collect younger "
        "children in person rather than let them walk home on the ice.",
        "Share",
        "Topics",
        "Reuse this content",
        "",
    ]
)


def test_it_keeps_live_entries_and_drops_times_share_buttons_and_sign_up_boxes():
    article = clean_article(LIVE_PAGE)

    assert article.title == "Ice storm live: power cuts spread across the valley as freezing rain continues"
    assert article.body.split("\n\n") == [
        "Valley Power says 18,000 homes are now without electricity after ice brought down lines in the hill "
        "villages, and crews cannot reach some of them until the roads are gritted.",
        "The regional airport has suspended all departures until at least six o'clock this evening while staff "
        "clear ice from the runway and the de-icing rigs are refilled.",
        "Schools in the north of the valley closed at noon, and the council asked parents to collect younger "
        "children in person rather than let them walk home on the ice.",
    ]


def test_it_keeps_a_wire_dateline_dense_closing_paragraphs_jusText_calls_boilerplate_and_the_wire_credit():
    raw = "\n\n".join(
        [
            "Markets",
            "Nickel output cut as Indonesian smelters idle lines",
            "JAKARTA, May 6 (Reuters) - Indonesian nickel smelters have idled at least 14 production lines since "
            "March because ore quotas were issued late, three industry sources told Reuters on Tuesday.",
            "The idled lines could cut output of nickel pig iron by around 10% this quarter, the sources said.",
            "Outlook for Quota Approvals",
            "Ministry officials approved additional ore quotas totalling 240 million tonnes last Friday.",
            "Analysts expect restarts within six weeks, subject to ore deliveries, shipping schedules, weather.",
            "Reporting by Ananda Teresia; Editing by Mark Potter",
        ]
    )

    body = clean_article(raw).body

    assert body.startswith("JAKARTA, May 6 (Reuters) - ")
    assert "Outlook for Quota Approvals" in body
    assert body.split("\n\n")[-2].startswith("Analysts expect restarts within six weeks")
    assert body.split("\n\n")[-1] == "Reporting by Ananda Teresia; Editing by Mark Potter"


def test_it_drops_short_lines_the_page_repeats():
    raw = "\n".join(
        [
            "Opinion",
            "Why the city should keep its night buses",
            "Opinion",
            "Night buses carry nurses, cleaners and bakers to work when nothing else runs, and cutting them would "
            "save the council less than it claims.",
            "Opinion",
            "The council's own figures show that the three night routes cost about 400,000 pounds a year to run.",
        ]
    )

    article = clean_article(raw)

    assert "Opinion" not in article.body
    assert article.title == "Why the city should keep its night buses"


def test_it_takes_a_question_headline_that_reads_like_a_sentence():
    raw = "\n".join(
        [
            "Fact Checks",
            "Politics",
            "Did the Mayor Cut the Fire Budget by Half?",
            "A post shared widely on Sunday claimed that the mayor had halved the city's fire budget, but the "
            "budget documents show a cut of four percent in the fire budget.",
            "The fire budget fell from 41.2 million dollars to 39.5 million dollars between the two years.",
        ]
    )

    article = clean_article(raw)

    assert article.title == "Did the Mayor Cut the Fire Budget by Half?"
    assert article.body.startswith("A post shared widely on Sunday")


# --- warnings and overrides -------------------------------------------------


def test_it_warns_when_most_of_the_pages_prose_is_dropped():
    # Long reader comments under a short story: every comment is prose, and all of it goes after "Comments".
    comments = [
        f"I have lived on this street for {n} years and the traffic has never been as bad as it is this winter."
        for n in range(10, 16)
    ]
    raw = "\n".join(
        [
            "Roadworks on Mill Lane to last until March",
            "Roadworks on Mill Lane will continue until the end of March, the council said on Thursday, two "
            "months later than it had promised residents in the autumn.",
            "Comments",
            *comments,
        ]
    )

    article = clean_article(raw)

    assert article.body.startswith("Roadworks on Mill Lane will continue")
    assert "I have lived on this street" not in article.body
    assert "6 of the page's 7 paragraphs of prose" in article.warning
    assert DROPPED_SENTENCES_WARNING < 6 / 7


def test_it_does_not_warn_when_only_chrome_is_dropped():
    assert clean_article(LOCAL_PAGE).warning == ""


def test_an_editor_can_keep_a_dropped_block_and_drop_a_kept_one():
    article = clean_article(LOCAL_PAGE)
    numbers = {block.text: index for index, block in enumerate(article.blocks)}
    keep_box = numbers["RELATED STORIES"]
    drop_line = numbers["Related concerns about learning time"]

    corrected = clean_article(LOCAL_PAGE, overrides={keep_box: True, drop_line: False})

    assert "RELATED STORIES" in corrected.body
    assert "Related concerns about learning time" not in corrected.body
    assert corrected.blocks[keep_box].reason == "editor"


# --- saved pages ------------------------------------------------------------

SAVED_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour tunnel reopens after six-month repair | Coastline Courier</title>
<meta property="og:title" content="Harbour tunnel reopens after six-month repair">
<meta property="og:site_name" content="Coastline Courier">
<meta property="article:published_time" content="2024-09-17T07:30:00+00:00">
<link rel="canonical" href="https://coastlinecourier.example/news/harbour-tunnel-reopens">
<script>window.dataLayer = [];</script>
</head><body>
<div class="cookie-notice"><p>We use cookies to give you the best experience. By using this site you accept our use
of cookies.</p><button>OK</button></div>
<header><a href="/">Coastline Courier</a><nav><ul><li><a href="/news">News</a></li><li><a href="/sport">Sport</a>
</li><li><a href="/business">Business</a></li></ul></nav></header>
<main><article>
<h1>Harbour tunnel reopens after six-month repair</h1>
<p class="byline">By Jonas Berg</p>
<p>The harbour road tunnel reopened to traffic at five o'clock on Tuesday morning, six months after a leak in its
roof forced the city to close it for repairs.</p>
<p>Engineers replaced 140 metres of the tunnel's waterproof lining and rebuilt the drainage channels on both sides of
the carriageway, the city's transport department said.</p>
<aside class="related"><h3>Related</h3><ul><li><a href="/a">Ferry fares frozen for winter</a></li>
<li><a href="/b">New cycle lane opens on the quay</a></li></ul></aside>
<p>The repairs cost 23 million euros, about a fifth more than first estimated, because the damage to the lining was
worse than the first survey had shown.</p>
<p>Drivers should expect lane closures at night for another three weeks while the lighting is replaced.</p>
<div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div>
</article></main>
<footer><p><a href="/terms">Terms of Use</a> <a href="/privacy">Privacy Policy</a></p>
<p>© 2024 Coastline Courier</p></footer>
</body></html>
"""


def test_it_reads_a_saved_page_body_title_outlet_date_and_address():
    article = clean_html(SAVED_PAGE)

    assert article.title == "Harbour tunnel reopens after six-month repair"
    assert article.outlet == "Coastline Courier"
    assert article.published == datetime.date(2024, 9, 17)
    assert article.url == "https://coastlinecourier.example/news/harbour-tunnel-reopens"
    paragraphs = article.body.split("\n\n")
    assert paragraphs[0].startswith("The harbour road tunnel reopened")
    assert paragraphs[-1].startswith("Drivers should expect lane closures")
    for chrome in ("cookies", "Ferry fares", "Share on", "Terms of Use", "©", "By Jonas Berg", "window.dataLayer"):
        assert chrome not in article.body, chrome


@pytest.mark.parametrize(
    ("raw", "html"),
    [
        (SAVED_PAGE, True),
        ("<!-- saved -->\n<html><body><p>x</p></body></html>", True),
        ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN">', True),
        (LOCAL_PAGE, False),
        ("<b>Bold</b> claims were made by the minister on Monday.", False),
    ],
)
def test_it_tells_a_saved_page_from_scraped_text(raw, html):
    assert looks_like_html(raw) is html


def test_it_keeps_a_live_entrys_heading_under_the_title_above_the_first_entry():
    raw = "\n".join(
        [
            "Home",
            "Budget day live: chancellor raises fuel duty and freezes income tax bands",
            "Last updated: 14:02",
            "13:58",
            "Fuel duty goes up by three pence",
            "The chancellor has confirmed that fuel duty will rise by three pence a litre from April, ending a "
            "freeze that has lasted for more than ten years.",
            "Share",
            "13:41",
            "Income tax thresholds will stay frozen until 2030, which means more people will pay the higher rate "
            "as their wages rise.",
        ]
    )

    article = clean_article(raw)

    assert article.title == "Budget day live: chancellor raises fuel duty and freezes income tax bands"
    assert article.body.startswith("Fuel duty goes up by three pence\n\nThe chancellor has confirmed")
    assert "13:58" not in article.body and "Last updated" not in article.body


def test_it_keeps_a_sentence_of_a_saved_page_that_trafilatura_leaves_out_between_two_paragraphs():
    # trafilatura prunes social embeds; the club's quoted post is part of the story here.
    embed = (
        '<div class="social-embed"><blockquote><p>We will be back on the water next spring, stronger than ever.</p>'
        "</blockquote></div>"
    )
    page = SAVED_PAGE.replace("<aside", embed + "<aside")

    article = clean_html(page)

    reasons = {block.text: block.reason for block in article.blocks}
    assert reasons["We will be back on the water next spring, stronger than ever."] == "sentence inside the article"
    assert "We will be back on the water next spring, stronger than ever." in article.body


def test_it_does_not_bring_a_sign_up_box_back_into_a_saved_pages_body():
    signup = (
        '<div class="newsletter"><div>Let our news meet your inbox. The stories that matter, every weekday.</div>'
        '<form><input placeholder="Your Email Address"><button>Sign Up</button></form>'
        "<p>By signing up you agree to our Terms of Service.</p></div>"
    )
    page = SAVED_PAGE.replace("<p>Drivers should expect", signup + "<p>Drivers should expect")

    body = clean_html(page).body

    assert "inbox" not in body and "By signing up" not in body
    assert body.split("\n\n")[-1].startswith("Drivers should expect lane closures")


def test_it_reads_a_saved_pages_wrapped_lines_as_one_paragraph():
    body = clean_html(SAVED_PAGE).body

    assert (
        "The harbour road tunnel reopened to traffic at five o'clock on Tuesday morning, six months after a leak in "
        "its roof forced the city to close it for repairs."
    ) in body.split("\n\n")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["p", "div", "h1", "li", "a", "span", "script", "nav"]),
            st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=60),
        ),
        max_size=12,
    )
)
def test_it_cleans_any_saved_page_without_raising(elements):
    page = "<!DOCTYPE html><html><body>" + "".join(f"<{t}>{escape(x)}</{t}>" for t, x in elements) + "</body></html>"

    article = clean_html(page)

    assert article.body == normalise(article.body)
    assert all(block.text for block in article.blocks)
