"""The story page's pictures: the timeline, the outlets-by-facts table and the possible conflicts, from stored facts."""

import re

import pytest
from django.urls import reverse

from factcheck.articles.models import Article
from factcheck.findings.models import StoryFact, StoryPictures
from factcheck.findings.services import story_preflag
from tests.factories import find, make_story, mark, mark_range, seed_story, wide_story


@pytest.fixture
def flagged(story):
    story_preflag(story=story)
    return story


def _mark(html: str, article_id: int, quote_start: int) -> str:
    found = re.search(
        rf'<a href="[^"]*" class="mark ([^"]*)" data-fact="\d+" data-article="{article_id}" '
        rf'data-start="{quote_start}"',
        html,
    )
    assert found, f"no timeline mark at {article_id}:{quote_start}"
    return found.group(1)


def _fact(story, quote: str) -> StoryFact:
    return StoryFact.objects.get(story=story, quote=quote)


def test_the_seed_timeline_draws_both_pairs_as_conflicts(client, alice, flagged):
    client.force_login(alice)
    html = client.get(flagged.get_absolute_url()).content.decode()
    for left, right in [
        ("by September 2023", "by the end of September 2025"),
        ("through 2026", "at least three years"),
    ]:
        a, b = _fact(flagged, left), _fact(flagged, right)
        assert _mark(html, a.article_id, a.start) == "k-conflicting" == _mark(html, b.article_id, b.start)
        assert f"“{left}” and “{right}” cannot both hold" in html or f"“{right}” and “{left}” cannot both hold" in html
    assert 'class="link k-conflicting"' in html and "<title>" in html


def test_a_timeline_mark_opens_the_article_at_its_passage(client, alice, flagged):
    fact = _fact(flagged, "by September 2023")
    client.force_login(alice)
    html = client.get(flagged.get_absolute_url()).content.decode()
    assert f'href="/articles/{fact.article_id}/#at-{fact.start}-{fact.end}" class="mark k-conflicting"' in html
    assert fact.article.body[fact.start : fact.end] == "by September 2023"


def test_the_table_marks_conflicting_and_unsupported_cells(client, alice, flagged):
    client.force_login(alice)
    html = client.get(flagged.get_absolute_url()).content.decode()
    table = html[html.index('<table class="facts-table">') : html.index("</table>")]
    body = table.index("<tbody>")
    first_row = table[body : table.index("</tr>", body)]
    assert first_row.count('class="k-conflicting"') >= 3 and "September 2023" in first_row
    assert 'class="k-unsupported"' in table and "not said" in table
    assert "What it is about" in table


def test_the_possible_conflicts_link_each_pair_to_the_compare_view(client, alice, flagged):
    a, b = _fact(flagged, "by September 2023"), _fact(flagged, "by the end of September 2025")
    client.force_login(alice)
    html = client.get(flagged.get_absolute_url()).content.decode()
    left, right = sorted([a, b], key=lambda f: f.index)
    assert f"/articles/{left.article_id}/compare/?with={right.article_id}#at-{left.start}-{left.end}" in html


def test_a_blind_reviewer_sees_only_their_own_spans_on_the_timeline(client, alice, bob, flagged):
    article = _fact(flagged, "by September 2023").article
    start, end = find(article, "by September 2023")
    span = mark(article, bob, "by September 2023", "conflicting")
    client.force_login(alice)
    assert (
        f'#at-{span.start}-{span.end}" class="span-mark"' not in client.get(flagged.get_absolute_url()).content.decode()
    )
    client.force_login(bob)
    html = client.get(flagged.get_absolute_url()).content.decode()
    assert f'href="/articles/{article.pk}/#at-{start}-{end}" class="span-mark"' in html and "bob: Conflicting" in html


def test_the_cached_pictures_follow_a_new_pre_flag_and_a_new_span(client, alice, story):
    client.force_login(alice)
    assert "No dated claims yet" in client.get(story.get_absolute_url()).content.decode()
    story_preflag(story=story)
    assert 'class="mark k-conflicting"' in client.get(story.get_absolute_url()).content.decode()
    fact = _fact(story, "by September 2023")
    mark(fact.article, alice, "by September 2023", "conflicting")
    assert "alice: Conflicting" in client.get(story.get_absolute_url()).content.decode()


def test_a_new_span_is_drawn_without_rebuilding_the_cached_pictures(client, alice, flagged, django_assert_num_queries):
    client.force_login(alice)
    url = flagged.get_absolute_url()
    client.get(url)
    fact = _fact(flagged, "through 2026")
    mark(fact.article, alice, "through 2026", "conflicting")
    # The session with its user and permissions, story, articles, the facts' stamp, the spans: no facts read again.
    with django_assert_num_queries(5):
        html = client.get(url).content.decode()
    assert f'href="/articles/{fact.article_id}/#at-{fact.start}-{fact.end}" class="span-mark"' in html


def test_a_story_never_flagged_says_so_instead_of_a_picture(client, alice, story):
    client.force_login(alice)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "No dated claims yet" in html and "No facts were compared yet" in html


def _pictures(html: str) -> str:
    return html[html.index('<section class="pictures"') :]


@pytest.mark.django_db
def test_the_story_page_of_fifty_articles_and_five_hundred_facts_reads_its_drawn_pictures(
    client, alice, django_assert_num_queries
):
    story = wide_story(50)
    story_preflag(story=story)
    assert StoryFact.objects.filter(story=story).count() >= 500
    assert StoryPictures.objects.filter(story=story).exists()
    client.force_login(alice)
    # The session with its user and permissions, story, articles, when the pictures were drawn, the reader's visible
    # spans, and the first time the HTML pre-flagging drew; no fact is read.
    with django_assert_num_queries(6):
        response = client.get(story.get_absolute_url())
    with django_assert_num_queries(5):
        again = client.get(story.get_absolute_url()).content.decode()
    html = response.content.decode()
    assert _pictures(again) == _pictures(html)
    assert (
        html.count('class="mark ')
        == StoryFact.objects.filter(story=story, kind="date").exclude(low=None, high=None).count()
    )
    assert html.count("<tr") > 5 and 'class="link k-conflicting"' in html


@pytest.mark.django_db
def test_pictures_drawn_for_other_articles_are_drawn_again_from_the_facts(client, alice, django_assert_num_queries):
    story = wide_story(8)
    story_preflag(story=story)
    client.force_login(alice)
    drawn = _pictures(client.get(story.get_absolute_url()).content.decode())
    first = story.articles.order_by("published", "pk").first()
    Article.objects.filter(pk=first.pk).update(outlet="Renamed Courier")  # edited, not pre-flagged again
    # As before, then when the facts were computed and the facts themselves: the stored pictures name
    # the old outlet, so they are built again; the next view finds what that one built in the cache.
    with django_assert_num_queries(7):
        html = _pictures(client.get(story.get_absolute_url()).content.decode())
    with django_assert_num_queries(6):
        again = _pictures(client.get(story.get_absolute_url()).content.decode())
    assert again == html != drawn
    # Its lane, its column and the conflicts it is in name it; nothing else changed.
    assert "Renamed Courier" not in drawn and html.replace("Renamed Courier", "Outlet 1") == drawn


@pytest.mark.django_db
@pytest.mark.parametrize("make", [seed_story, lambda: wide_story(12)], ids=["seed", "wide"])
def test_pictures_built_from_the_facts_are_byte_for_byte_the_ones_the_pre_flag_drew(
    client, alice, make, django_assert_num_queries
):
    story = make()
    story_preflag(story=story)
    # A span of the reader's over a dated claim: its triangle is placed from the marks' positions too.
    fact = StoryFact.objects.filter(story=story, kind="date").exclude(low=None, high=None).order_by("index").first()
    mark_range(fact.article, alice, fact.start, fact.end, "conflicting")
    client.force_login(alice)
    url = story.get_absolute_url()
    drawn = _pictures(client.get(url).content.decode())
    # As if drawn by an older markup version: the same articles and facts, so the same pictures.
    StoryPictures.objects.filter(story=story).update(key="drawn by an older markup")
    with django_assert_num_queries(7):  # the facts are read: built from them, not read as drawn
        built = _pictures(client.get(url).content.decode())
    assert 'class="span-mark"' in drawn and 'class="mark ' in drawn
    assert built == drawn


def test_an_outlet_edited_in_the_desk_is_drawn_again_with_the_pre_flags(
    client, alice, erin, flagged, django_capture_on_commit_callbacks, django_assert_num_queries
):
    article = flagged.articles.order_by("published", "pk").last()
    client.force_login(erin)
    url = reverse("admin:articles_article_change", args=[article.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in ("title", "url", "published", "seen_token")}
    data["outlet"] = "The Renamed Courier"
    data.update({f"{p}-{k}": 0 for p in ("spans", "claim_groups") for k in ("TOTAL_FORMS", "INITIAL_FORMS")})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    client.force_login(alice)
    with django_assert_num_queries(6):  # drawn for the articles as they are now: read, not built
        html = _pictures(client.get(flagged.get_absolute_url()).content.decode())
    assert html.count("The Renamed Courier") >= 2  # its lane and its column


def test_every_text_the_pictures_place_is_escaped(client, alice):
    bodies = [
        'The <b>bridge</b> & "tunnel" will close by March 2026 for repairs, the city said.',
        "The <b>bridge</b> & 'tunnel' will close by March 2027 for repairs, officials said.",
    ]
    story = make_story("Escaped pictures", bodies=bodies)
    outlets = ['<i>Daily & "Co"</i>', "<script>x</script>"]
    for article, outlet in zip(story.articles.order_by("pk"), outlets, strict=True):
        Article.objects.filter(pk=article.pk).update(outlet=outlet)
    story_preflag(story=story)
    client.force_login(alice)
    html = _pictures(client.get(story.get_absolute_url()).content.decode())
    assert "<b>" not in html and "<i>" not in html and "<script>" not in html
    assert "The &lt;b&gt;bridge&lt;/b&gt; &amp; &quot;tunnel&quot; will close by March 2026" in html  # a mark's title
    assert "&#x27;tunnel&#x27;" in html
    assert html.count("&lt;i&gt;Daily &amp; &quot;Co&quot;&lt;/i&gt;") >= 2  # its lane and its column
    assert html.count("&lt;script&gt;x&lt;/script&gt;") >= 2
