"""Grouping spans into claims: the rule, its independence from arrival order, and stored groups keeping identity."""

import random

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.consensus.models import Comment
from factcheck.review import grouping
from factcheck.review.grouping import Item, cluster, linked, overlap_ratio, regroup_article
from factcheck.review.models import ClaimGroup, Span
from factcheck.review.services import span_delete, span_update
from tests.factories import discuss, find, mark, mark_range, trimmed

ranges = st.tuples(st.integers(0, 200), st.integers(1, 60)).map(lambda t: (t[0], t[0] + t[1]))
span_lists = st.lists(ranges, min_size=0, max_size=25)


def partition(groups) -> set[frozenset]:
    return {frozenset(group) for group in groups}


def test_overlap_is_shared_characters_over_the_union_or_the_shorter_span():
    assert overlap_ratio((0, 10), (5, 15)) == 5 / 15
    assert overlap_ratio((0, 10), (5, 15), "shorter") == 5 / 10
    assert overlap_ratio((0, 100), (40, 60), "shorter") == 1.0
    assert overlap_ratio((0, 10), (10, 20)) == overlap_ratio((0, 10), (10, 20), "shorter") == 0
    assert linked((0, 10), (0, 10), 1.0) and not linked((0, 10), (10, 20), 0.0)
    assert linked((0, 10), (2, 10), 0.5) and not linked((0, 10), (6, 10), 0.5)


def test_a_claim_never_chains_through_a_third_span():
    items = [Item("a", 0, 10, "alice"), Item("b", 3, 13, "bob"), Item("c", 6, 16, "carol"), Item("far", 100, 110)]
    # a~b and b~c (10/16 and 7/13 shared... under union only b~c's neighbours pass 0.5), a and c share 4/16.
    groups = cluster(items, 0.5, "union")
    assert ["far"] in groups and ["a", "b", "c"] not in groups
    # With a stricter rule no pair is close enough (7/13 shared at best).
    assert cluster(items, 0.6, "union") == [["a"], ["b"], ["c"], ["far"]]


def test_a_reviewers_sentence_and_the_words_inside_it_are_separate_claims():
    sentence = Item("alice-sentence", 0, 100, "alice")
    words = [Item("alice-bravo", 10, 15, "alice"), Item("alice-housing", 40, 47, "alice")]
    bob = Item("bob-bravo", 10, 15, "bob")
    groups = cluster([sentence, *words, bob])
    # Bob's word goes with alice's same word (exact match beats the word inside her sentence).
    assert groups == [["alice-sentence"], ["alice-bravo", "bob-bravo"], ["alice-housing"]]


def test_best_overlap_wins_when_two_spans_of_one_reviewer_compete():
    bob = Item("bob", 0, 20, "bob")
    close, loose = Item("alice-close", 2, 20, "alice"), Item("alice-loose", 0, 12, "alice")
    assert cluster([loose, bob, close], 0.5, "union") == [["alice-loose"], ["bob", "alice-close"]]


def test_a_phrase_inside_a_longer_span_is_the_same_claim_by_default_but_not_under_union():
    clause, phrase = Item("clause", 0, 110), Item("phrase", 87, 110)
    assert cluster([clause, phrase]) == [["clause", "phrase"]]
    assert cluster([clause, phrase], 0.5, "union") == [["clause"], ["phrase"]]


def test_the_rule_comes_from_the_settings(settings):
    items = [Item("a", 0, 10), Item("b", 5, 15)]
    settings.FACTCHECK_GROUP_OVERLAP = "union"
    settings.FACTCHECK_GROUP_MIN_OVERLAP = 0.3
    assert cluster(items) == [["a", "b"]]
    settings.FACTCHECK_GROUP_MIN_OVERLAP = 0.5
    assert cluster(items) == [["a"], ["b"]]
    settings.FACTCHECK_GROUP_OVERLAP = "shorter"
    assert cluster(items) == [["a", "b"]]
    settings.FACTCHECK_GROUP_OVERLAP = "longest"
    with pytest.raises(ValueError, match="FACTCHECK_GROUP_OVERLAP"):
        cluster(items)


thresholds = st.sampled_from([0.0, 0.3, 0.5, 0.8, 1.0])
measures = st.sampled_from(["shorter", "union"])


@given(spans=span_lists, seed=st.randoms(use_true_random=False), threshold=thresholds, measure=measures)
def test_groups_do_not_depend_on_the_order_spans_arrive_in(spans, seed, threshold, measure):
    items = [Item(index, start, end) for index, (start, end) in enumerate(spans)]
    shuffled = items[:]
    seed.shuffle(shuffled)
    assert cluster(shuffled, threshold, measure) == cluster(items, threshold, measure)


owned_spans = st.lists(st.tuples(ranges, st.sampled_from(["alice", "bob", "carol", "dan"])), max_size=25)


@given(spans=owned_spans, seed=st.randoms(use_true_random=False), threshold=thresholds, measure=measures)
def test_reviewers_groups_do_not_depend_on_the_order_spans_arrive_in(spans, seed, threshold, measure):
    items = [Item(index, start, end, owner) for index, ((start, end), owner) in enumerate(spans)]
    shuffled = items[:]
    seed.shuffle(shuffled)
    assert cluster(shuffled, threshold, measure) == cluster(items, threshold, measure)


@given(spans=owned_spans, threshold=thresholds, measure=measures)
def test_a_group_holds_one_span_per_reviewer_and_every_pair_in_it_is_linked(spans, threshold, measure):
    items = [Item(index, start, end, owner) for index, ((start, end), owner) in enumerate(spans)]
    groups = cluster(items, threshold, measure)
    assert sorted(key for group in groups for key in group) == list(range(len(items)))
    for group in groups:
        owners = [items[key].owner for key in group]
        assert len(owners) == len(set(owners))
        for a in group:
            for b in group:
                if a != b:
                    assert linked((items[a].start, items[a].end), (items[b].start, items[b].end), threshold, measure)


@given(spans=owned_spans, threshold=thresholds, measure=measures)
def test_no_two_groups_could_still_be_joined(spans, threshold, measure):
    """The greedy pass stops only when every further join would break a rule (it is not lazily fragmented)."""
    items = [Item(index, start, end, owner) for index, ((start, end), owner) in enumerate(spans)]
    groups = cluster(items, threshold, measure)
    for one in groups:
        for other in groups:
            if one is other:
                continue
            owners_differ = not {items[k].owner for k in one} & {items[k].owner for k in other}
            all_linked = all(
                linked((items[a].start, items[a].end), (items[b].start, items[b].end), threshold, measure)
                for a in one
                for b in other
            )
            assert not (owners_differ and all_linked)


@pytest.fixture
def article(story):
    return story.articles.get(source_name__startswith="004")


DATE = "originally scheduled for September 2025, by at least three years"


def test_overlapping_spans_of_two_reviewers_form_one_disputed_group(article, alice, bob):
    first = mark(article, alice, "originally scheduled for September 2025, by at least three years", "conflicting")
    second = mark(article, bob, "September 2025, by at least three years", "consistent")
    first.refresh_from_db()
    second.refresh_from_db()
    group = ClaimGroup.objects.get()
    assert first.group == second.group == group
    assert (group.status, group.reviewer_count, group.label) == ("disputed", 2, "")
    assert (group.start, group.end) == (first.start, first.end)


def test_agreeing_reviewers_form_a_consensus_and_a_lone_span_is_single(article, alice, bob):
    mark(article, alice, "by at least three years", "conflicting")
    mark(article, bob, "by at least three years", "conflicting")
    mark(article, bob, "mounting security challenges", "unsupported")
    statuses = list(ClaimGroup.objects.order_by("start").values_list("status", "label", "reviewer_count"))
    assert statuses == [("consensus", "conflicting", 2), ("single", "", 1)]


def test_a_story_quorum_and_majority_change_the_outcome(article, alice, bob, carol):
    story = article.story
    story.quorum, story.majority = 3, 0.5
    story.save()
    mark(article, alice, "by at least three years", "conflicting")
    mark(article, bob, "by at least three years", "conflicting")
    assert ClaimGroup.objects.get().status == "disputed"
    mark(article, carol, "by at least three years", "consistent")
    group = ClaimGroup.objects.get()
    assert (group.status, group.label) == ("consensus", "conflicting")


def test_a_group_with_a_thread_keeps_its_identity_when_its_spans_change(article, alice, bob):
    first = mark(article, alice, "by at least three years", "conflicting")
    mark(article, bob, "at least three years", "consistent")
    group = ClaimGroup.objects.get()
    discuss(group, alice, "The other articles say September 2025 stands.")
    # Alice replaces her span with a wider one: the claim is the same, so is the group and its thread.
    span_delete(span=first, user=first.reviewer)
    wider = "the planned withdrawal of US forces, originally scheduled for September 2025, by at least three years"
    mark(article, alice, wider, "conflicting")
    mark(article, alice, "mounting security challenges", "unsupported")
    group.refresh_from_db()
    assert set(Span.objects.filter(group=group).values_list("quote", "reviewer__username")) == {
        (wider, "alice"),
        ("at least three years", "bob"),
    }
    assert (group.status, group.comments.count()) == ("disputed", 1)
    assert ClaimGroup.objects.count() == 2


def test_when_a_group_splits_its_thread_stays_with_most_of_its_spans(article, alice, bob, carol, erin):
    mark(article, alice, "by at least three years", "conflicting")
    mark(article, bob, "at least three years", "consistent")
    clause = "originally scheduled for September 2025, by at least three years"
    mark(article, carol, clause, "conflicting")
    # Both short spans lie inside carol's clause: one claim of three reviewers, which gets a thread...
    group = ClaimGroup.objects.get()
    assert group.reviewer_count == 3
    discuss(group, erin, "Is this one claim or two?")
    # ...then alice marks the date inside the clause, a closer match for carol's clause than the delay
    # (best overlap first): carol goes with alice's date, and the thread stays with the delay's two spans.
    mark(article, alice, "originally scheduled for September 2025", "consistent")
    group.refresh_from_db()
    assert group.comments.count() == 1
    assert set(group.spans.values_list("quote", flat=True)) == {"by at least three years", "at least three years"}
    date = ClaimGroup.objects.exclude(pk=group.pk).get()
    assert set(date.spans.values_list("quote", flat=True)) == {clause, "originally scheduled for September 2025"}


def test_a_group_left_without_spans_keeps_its_thread_and_is_taken_back(article, alice, bob):
    first = mark(article, alice, "by at least three years", "conflicting")
    second = mark(article, bob, "by at least three years", "consistent")
    group = ClaimGroup.objects.get()
    discuss(group, bob, "Why conflicting?")
    span_delete(span=first, user=first.reviewer)
    span_delete(span=second, user=second.reviewer)
    group.refresh_from_db()
    assert (group.reviewer_count, group.status) == (0, "single")
    assert Comment.objects.get().group == group
    again = mark(article, bob, "at least three years", "consistent")
    again.refresh_from_db()
    assert again.group_id == group.pk


def test_a_group_with_nothing_on_it_is_deleted_when_its_spans_go(article, alice):
    span = mark(article, alice, "by at least three years", "conflicting")
    span_delete(span=span, user=span.reviewer)
    assert not ClaimGroup.objects.exists()


def test_a_decided_group_keeps_its_decision_when_a_reviewer_changes_their_verdict(article, alice, bob, erin):
    from factcheck.consensus.services import group_decide

    first = mark(article, alice, "by at least three years", "conflicting")
    mark(article, bob, "by at least three years", "consistent")
    group = ClaimGroup.objects.get()
    group_decide(
        group=group, editor=erin, final_label="conflicting", final_note="Other reports say 2026.", version=group.version
    )
    span_update(span=first, user=first.reviewer, label="consistent", note="Convinced by bob.")
    group.refresh_from_db()
    assert (group.status, group.label, group.final_label, group.decided_by) == (
        "consensus",
        "consistent",
        "conflicting",
        erin,
    )
    assert list(first.history.order_by("history_date").values_list("label", flat=True)) == ["conflicting", "consistent"]


PHRASES = [
    "delay the planned withdrawal of US forces",
    "the planned withdrawal of US forces, originally scheduled for September 2025",
    "originally scheduled for September 2025",
    "September 2025, by at least three years",
    "by at least three years",
    "at least three years due to mounting security challenges",
    "mounting security challenges in the region",
    "Iraqi sources revealed",
]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    picks=st.lists(
        st.tuples(
            st.sampled_from(PHRASES),
            st.sampled_from(["alice", "bob", "carol"]),
            st.sampled_from(["consistent", "conflicting"]),
        ),
        min_size=1,
        max_size=10,
        unique_by=lambda pick: (pick[0], pick[1]),
    ),
    seed=st.integers(0, 10_000),
)
def test_stored_groups_do_not_depend_on_the_order_spans_are_saved_in(article, alice, bob, carol, picks, seed):
    users = {"alice": alice, "bob": bob, "carol": carol}

    def stored_partition(order):
        with transaction.atomic():
            for text, who, label in order:
                mark(article, users[who], text, label)
            groups = {}
            for group_id, text, who in Span.objects.values_list("group_id", "quote", "reviewer__username"):
                groups.setdefault(group_id, set()).add((text, who))
            summary = sorted(
                (sorted(groups[g.pk]), g.status, g.label, g.reviewer_count) for g in ClaimGroup.objects.all()
            )
            transaction.set_rollback(True)
        return summary

    shuffled = picks[:]
    random.Random(seed).shuffle(shuffled)
    assert stored_partition(picks) == stored_partition(shuffled)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    picks=st.lists(
        st.tuples(st.sampled_from(PHRASES), st.sampled_from(["alice", "bob", "carol"])),
        min_size=1,
        max_size=10,
        unique=True,
    ),
    drop=st.integers(0, 9),
)
def test_stored_groups_are_the_rules_groups_whatever_the_database(article, alice, bob, carol, picks, drop):
    """Saved one by one (each write regrouping only its chain), then one deleted: the stored groups are
    exactly what the pure rule gives for those spans, which reads no database; a full regroup agrees."""
    users = {"alice": alice, "bob": bob, "carol": carol}
    with transaction.atomic():
        spans = [mark(article, users[who], text, "consistent") for text, who in picks]
        gone = spans[drop % len(spans)]
        span_delete(span=gone, user=gone.reviewer)
        rows = list(Span.objects.values_list("group_id", "quote", "reviewer__username", "start", "end"))
        stored = partition(
            [[(q, who) for g, q, who, _, _ in rows if g == group_id] for group_id in {row[0] for row in rows}]
        )
        expected = partition(cluster([Item((q, who), start, end, who) for _, q, who, start, end in rows]))
        regroup_article(article=article)
        again = list(Span.objects.values_list("group_id", "quote", "reviewer__username"))
        transaction.set_rollback(True)
    assert stored == expected
    assert {(q, who): g for g, q, who in again} == {(q, who): g for g, q, who, _, _ in rows}


def test_a_chain_reaching_past_the_first_read_is_still_regrouped_whole(article, alice, bob, carol, erin, monkeypatch):
    """With a window of one character every write reads its chain (and the groups with it) in several
    widenings: the stored groups are still the rule's, and a group with a thread is still taken back."""
    monkeypatch.setattr(grouping, "CHAIN_WINDOW", 1)
    reviewers = [alice, bob, carol]
    spans = [mark(article, reviewers[i % 3], text, "consistent") for i, text in enumerate(PHRASES)]
    mark(article, bob, "originally scheduled for September 2025", "conflicting")
    threaded = spans[4]  # "by at least three years"
    discuss(Span.objects.get(pk=threaded.pk).group, erin, "Which report says three?")
    span_delete(span=threaded, user=threaded.reviewer)
    span_delete(span=spans[1], user=spans[1].reviewer)
    again = mark(article, threaded.reviewer, "by at least three years", "conflicting")
    rows = list(Span.objects.values_list("group_id", "pk", "reviewer_id", "start", "end"))
    stored = partition([[pk for g, pk, *_ in rows if g == group_id] for group_id in {row[0] for row in rows}])
    assert stored == partition(cluster([Item(pk, start, end, who) for _, pk, who, start, end in rows]))
    assert Span.objects.get(pk=again.pk).group.comments.exists()


def test_a_verdict_saved_regroups_only_its_neighbourhood(article, alice, bob):
    far = mark(article, alice, "Iraqi sources revealed", "consistent")
    mark(article, bob, "by at least three years", "conflicting")
    span = mark(article, alice, "by at least three years", "consistent")
    # Put the far group out of step by hand: a regrouping that reached it would set it right.
    ClaimGroup.objects.filter(spans=far).update(status="disputed")
    span_update(span=span, user=alice, label="conflicting", note="")
    assert ClaimGroup.objects.get(spans=span).status == "consensus"
    assert ClaimGroup.objects.get(spans=far).status == "disputed"
    regroup_article(article=article)
    assert ClaimGroup.objects.get(spans=far).status == "single"


def test_regrouping_twice_changes_nothing(article, alice, bob):
    mark(article, alice, "by at least three years", "conflicting")
    mark(article, bob, "at least three years", "consistent")
    before = list(ClaimGroup.objects.values_list("pk", "version", "status"))
    regroup_article(article=article)
    assert list(ClaimGroup.objects.values_list("pk", "version", "status")) == before


def test_changing_the_storys_rule_recomputes_its_groups(article, alice, bob, django_capture_on_commit_callbacks):
    mark(article, alice, "by at least three years", "conflicting")
    mark(article, bob, "by at least three years", "conflicting")
    assert ClaimGroup.objects.get().status == "consensus"
    story = article.story
    story.quorum = 3
    with django_capture_on_commit_callbacks(execute=True):
        story.save()
    assert ClaimGroup.objects.get().status == "disputed"
    # A save that does not touch the rule (a workflow state change, say) leaves the groups alone.
    versions = list(ClaimGroup.objects.values_list("version", flat=True))
    story.state = "in_review"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        story.save(update_fields=["state"])
    assert callbacks == [] and list(ClaimGroup.objects.values_list("version", flat=True)) == versions


def test_the_regroup_command_applies_a_changed_rule_and_keeps_threads(article, alice, bob, settings):
    from io import StringIO

    from django.core.management import CommandError, call_command

    mark(article, alice, "by at least three years", "conflicting")
    mark(
        article,
        bob,
        "delay the planned withdrawal of US forces, originally scheduled for September 2025, by at least three years",
        "consistent",
    )
    group = ClaimGroup.objects.get()
    discuss(group, bob, "Same plan")
    settings.FACTCHECK_GROUP_OVERLAP = "union"
    out = StringIO()
    call_command("regroup", story=article.story.slug, stdout=out)
    assert "1 -> 2 claim groups" in out.getvalue()
    group.refresh_from_db()
    assert group.comments.count() == 1 and group.reviewer_count == 1
    with pytest.raises(CommandError, match="No story"):
        call_command("regroup", story="nope")


def _history_matches_the_stored_groups() -> None:
    """Each group's history: one row per version ("+" then "~"), the last one the group as stored."""
    tracked = [field.attname for field in ClaimGroup.history.model.tracked_fields]
    for group in ClaimGroup.objects.all():
        rows = list(group.history.order_by("history_id").values(*tracked, "history_type"))
        assert [row.pop("history_type") for row in rows] == ["+"] + ["~"] * (group.version - 1)
        assert [row["version"] for row in rows] == list(range(1, group.version + 1))
        assert rows[-1] == {name: getattr(group, name) for name in tracked}


def test_each_group_a_save_creates_or_changes_gets_one_history_row_as_it_was_stored(article, alice, bob, carol):
    # The rows are built from the regrouping's own objects, not read back: they must still be the stored groups.
    mark(article, alice, "by at least three years", "conflicting")
    mark(article, bob, "originally scheduled for September 2025", "consistent")
    mark(article, bob, "by at least three years", "conflicting")
    wide = mark(article, carol, "September 2025, by at least three years", "unsupported")
    span_update(span=wide, user=carol, label="conflicting", note="")
    span_delete(span=wide, user=carol)
    assert ClaimGroup.objects.count() == 2
    _history_matches_the_stored_groups()


def test_a_decision_landing_while_a_save_regroups_is_in_the_groups_history(article, alice, bob, erin, monkeypatch):
    from factcheck.consensus.services import group_decide

    first = mark(article, alice, "by at least three years", "conflicting")
    mark(article, bob, "by at least three years", "consistent")
    group = ClaimGroup.objects.get()
    read_chain = grouping.overlap_chain

    def decision_lands_after_the_read(**where):
        chain = read_chain(**where)  # the group as it was before the decision
        group_decide(group=group, editor=erin, final_label="consistent", final_note="Checked.", version=group.version)
        return chain

    monkeypatch.setattr(grouping, "overlap_chain", decision_lands_after_the_read)
    span_update(span=first, user=alice, label="consistent", note="")
    group.refresh_from_db()
    assert (group.status, group.label, group.final_label, group.decided_by, group.version) == (
        "consensus",
        "consistent",
        "consistent",
        erin,
        4,  # marked, joined by bob, decided, regrouped
    )
    _history_matches_the_stored_groups()


def test_a_write_reads_only_the_spans_linked_to_it_through_other_reviewers(article, alice, bob):
    """A reviewer's own sentence and the words she marked inside it never link to each other, so a save on
    one word does not regroup the rest; the same sentence marked by another reviewer reaches them all."""
    sentence = mark(article, alice, DATE, "consistent")
    year = mark(article, alice, "September 2025", "conflicting")
    mark(article, alice, "by at least three years", "unsupported")
    bobs = mark(article, bob, "by at least three years", "consistent")
    start, end = find(article, "originally scheduled")

    def read(who, start, end):
        chain = grouping.overlap_chain(article=article, start=start, end=end, reviewer_id=who.pk)
        return sorted((row.reviewer_id, article.body[row.start : row.end]) for row in chain.rows.values())

    assert read(alice, start, end) == []  # only her own spans overlap those words
    assert read(alice, year.start, year.end) == []
    everything = [
        (alice.pk, "September 2025"),
        (alice.pk, "by at least three years"),
        (alice.pk, DATE),
        (bob.pk, "by at least three years"),
    ]
    assert read(bob, sentence.start, sentence.end) == sorted(everything)
    # From bob's words: alice's same words and her sentence around them, not her "September 2025" beside them.
    assert read(alice, bobs.start, bobs.end) == sorted(everything[1:])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.one_of(
            st.tuples(st.just("mark"), st.integers(0, 2), st.integers(0, 240), st.integers(3, 60)),
            st.tuples(st.just("delete"), st.integers(0, 30)),
        ),
        min_size=1,
        max_size=14,
    ),
    window=st.sampled_from([1, 40, 400]),
)
def test_marks_and_deletions_at_random_places_leave_the_rules_groups(
    article, alice, bob, carol, steps, window, monkeypatch
):
    """Ranges of our own choosing, dense and nested, by three reviewers, some deleted again, with read windows
    small enough to widen: after each write the stored groups are the pure rule's for the spans left."""
    monkeypatch.setattr(grouping, "CHAIN_WINDOW", window)
    reviewers = [alice, bob, carol]
    with transaction.atomic():
        for step in steps:
            if step[0] == "mark":
                _, who, start, length = step
                start, end = trimmed(article.body, start, start + length)
                if start < end:
                    mark_range(article, reviewers[who], start, end, "consistent")
            else:
                spans = list(Span.objects.order_by("pk"))
                if spans:
                    gone = spans[step[1] % len(spans)]
                    span_delete(span=gone, user=gone.reviewer)
            rows = list(Span.objects.values_list("group_id", "pk", "reviewer_id", "start", "end"))
            stored = partition([[pk for g, pk, *_ in rows if g == group_id] for group_id in {row[0] for row in rows}])
            assert stored == partition(cluster([Item(pk, start, end, who) for _, pk, who, start, end in rows]))
        transaction.set_rollback(True)
