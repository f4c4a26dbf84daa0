"""Align the facts of a story's articles and say where they conflict, agree or stand alone, with a reason.

Pure Python (scikit-learn, rapidfuzz), no Django. Two facts are compared only when they speak of the
same thing: their sentences align (TF-IDF over words and character n-grams, plus the words just before
each fact, compared with rapidfuzz) and their scope matches (what is counted, where, when, which phase).
A difference of scope is never a conflict.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from rapidfuzz import fuzz
from sklearn.feature_extraction.text import TfidfVectorizer

from factcheck.findings.extract import Extraction, Fact, describe_day_range, extract, singular

CONFLICTING, CONSISTENT, UNSUPPORTED = "conflicting", "consistent", "unsupported"

# Alignment needed before two facts are compared; tuned on the synthetic set in bench/, not on the seed.
# Deadlines and start dates are few and comparable; dates of events need closer sentences.
ALIGN_MIN = {"quantity": 0.3, "end": 0.25, "start": 0.25, "point": 0.45, "covers": 0.45, "report": math.inf}
# The sentence says the date is the plan as it was ("originally scheduled", "had planned") or as revised.
_ORIGINAL = re.compile(
    r"\b(?:originally|initially|had planned|previous\w*|original|first (?:planned|scheduled|set)|at first)\b", re.I
)
_REVISED = re.compile(r"\b(?:now|new|revised|instead|pushed back to)\b", re.I)
# Words that name one kind of event, whatever the story: two facts dating "the drawdown" and "the
# withdrawal" date the same kind of thing even when their sentences share few words. General newsroom
# vocabulary, not any one story's.
_EVENT_FAMILIES = {
    name: re.compile(pattern, re.I)
    for name, pattern in {
        "withdrawal": r"\b(?:withdr[ae]w\w*|drawdown|draw(?:s|ing)? down|pull(?:s|ed|ing)? (?:out|back)|pullout|"
        r"exit\w*|reduc\w+|scal\w+ back|cut\w* back|hand\w* over|handover|leav\w+|evacuat\w+|departure)\b",
        "deployment": r"\b(?:deploy\w*|station\w*|sen[dt]\w* (?:in )?(?:troops|forces)|reinforce\w*|surge)\b",
        "mission": r"\b(?:mission\w*|operation\w*|campaign\w*)\b",
        "agreement": r"\b(?:agreement|deal|accord|treaty|pact|memorandum|sign\w*)\b",
        "protest": r"\b(?:march\w*|rall\w+|protest\w*|demonstrat\w+|strike)\b",
        "accident": r"\b(?:collaps\w*|crash\w*|sank|sink\w*|sunk|derail\w*|explo\w+|struck|quake|earthquake)\b",
        "election": r"\b(?:election\w*|vote\w*|voting|poll\w*|ballot\w*|referendum)\b",
        "ceasefire": r"\b(?:cease-?fire|truce|armistice)\b",
        "attack": r"\b(?:attack\w*|strike\w*|raid\w*|bomb\w*|assault\w*|shell\w*|shooting)\b",
        "casualties": r"\b(?:kill\w*|died|dead|death\w*|fatalit\w+|casualt\w+|injur\w+|wounded)\b",
        "opening": r"\b(?:(?:re-?)?open\w*|launch\w*|inaugurat\w+|unveil\w*|start\w*|begin\w*|began|begun|"
        r"commenc\w*)\b",
        "closure": r"\b(?:clos\w+|shut\w*|suspend\w*|halt\w*)\b",
        "arrest": r"\b(?:arrest\w*|detain\w*|custody|charged|indict\w*)\b",
        "money": r"\b(?:cost\w*|price\w*|budget\w*|fund\w*|spend\w*|paid|pay\w*|fine\w*|\$)",
        "construction": r"\b(?:build\w*|built|construct\w*|complet\w+|finish\w*|rebuil\w+)\b",
    }.items()
}
RECENT_DAYS = 31
_ANAPHORA = re.compile(r"^(?:The|This|That|These|Those|It|Its|They|Their|He|She|His|Her|Such)\b")


@dataclass(frozen=True)
class Doc:
    id: int
    label: str  # how a reason names the article
    body: str
    published: date | None = None


@dataclass(frozen=True)
class Counterpart:
    doc_id: int
    start: int
    end: int
    quote: str


@dataclass
class Finding:
    kind: str
    doc_id: int
    start: int
    end: int
    quote: str
    reason: str
    counterparts: list[Counterpart] = field(default_factory=list)


@dataclass
class _Item:
    doc: Doc
    fact: Fact
    row: int  # the fact's sentence in the similarity matrix
    window: str  # the words just before the fact: what it dates or counts
    events: frozenset[str] = frozenset()  # the kinds of event those words name
    plan: str = ""  # "original" or "revised" when the sentence says which plan a date belongs to


def _events(text: str) -> frozenset[str]:
    return frozenset(name for name, pattern in _EVENT_FAMILIES.items() if pattern.search(text))


def _nearest_events(before: str) -> frozenset[str]:
    """The kind of event named closest before a date: "the ferry, which sank near Mwanza, had been
    built in 1998" dates the building, not the sinking."""
    last_end, found = -1, frozenset()
    for name, pattern in _EVENT_FAMILIES.items():
        for match in pattern.finditer(before):
            if match.end() > last_end:
                last_end, found = match.end(), frozenset({name})
            elif match.end() == last_end:
                found |= {name}
    return found


# "Spending on schools will rise to €310 million": what a sum or a share is of.
_TOPIC = re.compile(r"\b(?:on|for|of|to)\s+(?:the\s+|its\s+|their\s+|new\s+)*([a-z]{3,})\b")
_UNIT_HEADS = {"dollar", "euro", "pound", "percent"}


def _topic(item: _Item) -> str:
    if item.fact.head not in _UNIT_HEADS:
        return ""
    found = _TOPIC.findall(item.window)
    return singular(found[-1]) if found else ""


def _contexts(doc: Doc, extraction: Extraction) -> list[str]:
    """Each sentence's text for alignment; a short or anaphoric one ("The second phase ...") with its predecessor."""
    texts = []
    for sentence in extraction.sentences:
        text = sentence.text
        if sentence.index and (len(text.split()) < 12 or _ANAPHORA.match(text)):
            text = extraction.sentences[sentence.index - 1].text + " " + text
        texts.append(text)
    return texts


def _similarity(texts: list[str]) -> np.ndarray:
    if len(texts) < 2:
        return np.ones((len(texts), len(texts)))
    words = TfidfVectorizer(ngram_range=(1, 2), stop_words="english", sublinear_tf=True, min_df=1)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=1)
    try:
        w = words.fit_transform(texts)
    except ValueError:  # nothing but stop words
        w = None
    c = chars.fit_transform(texts)
    sim = (c @ c.T).toarray()
    if w is not None:
        sim = 0.5 * sim + 0.5 * (w @ w.T).toarray()
    return sim


def _names(text: str) -> set[str]:
    return {m.lower() for m in re.findall(r"(?<!^)(?<![.!?]\s)\b[A-Z][\w’'-]{2,}", text)}


def _window(body: str, fact: Fact, sentence_start: int) -> str:
    return " ".join(body[sentence_start : fact.start].split()[-8:])


def _same_scope(a: Fact, b: Fact, phases: int) -> bool:
    """Whether two facts could be about the same thing: a difference of scope says they are not."""
    if a.kind != b.kind:
        return False
    if a.kind == "quantity":
        if a.head != b.head:
            return False  # what is counted: troops are not advisers
        if a.place and b.place and not set(a.place) & set(b.place):
            return False  # where: a country is not one of its bases
        # when: a figure now is not one expected after a drawdown
        return not (a.time and b.time and a.time != b.time)
    if a.kind == "date":
        if not (a.resolved and b.resolved):
            return False  # "last month" without a publication date could be any month
        if a.role != b.role:
            return False  # a deadline is not the date of an event or a start
        # the first phase's end is not the second's ("final" is the last numbered one)
        return not (a.phase and b.phase and a.phase != b.phase and {a.phase, b.phase} != {phases, 99})
    return False  # names are only checked for a counterpart


def _different_times(a: _Item, b: _Item) -> bool:
    """Figures of different dates ("last year it sheltered 250,000"; "it shelters 120,000") are no conflict.

    A figure with no date of its own is taken as of the month around its article's publication: news."""
    spans = []
    for item in (a, b):
        when = item.fact.when
        if when is None and item.fact.time == "now" and item.doc.published:
            day = item.doc.published.toordinal()
            when = (day - RECENT_DAYS, day + RECENT_DAYS)
        spans.append(when)
    first, second = spans
    return bool(first and second and (first[1] < second[0] or second[1] < first[0]))


def _same_event(a: _Item, b: _Item) -> bool:
    """Two dates of the same kind of event, of the same plan: a mission's end is not a withdrawal's.

    A date of an event ("in 1974") is compared only when both name the same kind of event: a story
    dates many events, and two years of two different ones are no conflict."""
    if a.events and b.events and not a.events & b.events:
        return False
    if a.fact.role in ("point", "covers") and not a.events & b.events:
        return False
    # A date of the plan as it was is compared only with another of the plan as it was: the other
    # articles' dates may be of the plan as it is now.
    return a.plan == b.plan or {a.plan, b.plan} == {"", "revised"}


def _final_phase(fact: Fact, phases: int) -> bool:
    return fact.phase is None or fact.phase == 99 or fact.phase >= phases


def _conflict(a: Fact, b: Fact, phases: int) -> bool:
    if a.overlaps(b):
        return False
    if a.kind == "date" and a.role == "end" and (_final_phase(a, phases) != _final_phase(b, phases)):
        # A phase before the last ends before the whole does: only the whole ending first is impossible.
        part, whole = (a, b) if not _final_phase(a, phases) else (b, a)
        return whole.high < part.low
    return True


def _story_phases(extractions: list[Extraction], bodies: list[str]) -> int:
    """How many phases the story's plan has: the highest ordinal any article names, or 'a two-phase plan'."""
    most = 1
    for extraction in extractions:
        for fact in extraction.facts:
            if fact.phase and fact.phase != 99:
                most = max(most, fact.phase)
    words = {"two": 2, "three": 3, "four": 4, "2": 2, "3": 3, "4": 4}
    for body in bodies:
        for match in re.finditer(r"\b(two|three|four|2|3|4)[- ](?:phase|stage|step)\b", body, re.I):
            most = max(most, words[match.group(1).lower()])
    return most


def _claim(item: _Item) -> str:
    """The fact with the words that lead to it, as the article has them: “the second phase would last through 2026”."""
    words = item.window.split()[-6:]
    lead = " ".join(words)
    return ("…" if len(item.window.split()) > 6 else "") + (lead + " " if lead else "") + item.fact.text


def _says(item: _Item) -> str:
    fact = item.fact
    said = f"{item.doc.label} says “{_claim(item)}”"
    value = _value(item)
    if value and value not in fact.text:
        said += f" ({value})"
    if fact.note:
        said += f"; {fact.note}"
    return said


def _value(item: _Item) -> str:
    fact = item.fact
    if fact.kind == "quantity" and fact.head not in ("duration", "person", "dollar", "euro", "pound", "percent"):
        return f"{fact.phrase} {fact.head}s"
    return fact.phrase


def _relation(a: _Item, b: _Item) -> str:
    """Why two intervals cannot both hold, in words: which lies wholly before or below the other."""
    low, high = (a, b) if a.fact.high < b.fact.low else (b, a)
    if a.fact.kind == "date":
        first = describe_day_range(low.fact.low, low.fact.high)
        return f"{first} comes before {describe_day_range(high.fact.low, high.fact.high)}"
    return f"{_value(low)} is less than {_value(high)}"


@dataclass
class AlignedFact:
    """A date or quantity of one article, as the story's pictures show it: its value, what it is about,
    and the other facts (by index in the story's list) it agrees or conflicts with."""

    doc_id: int
    kind: str  # "date" or "quantity"
    start: int
    end: int
    quote: str
    sentence: str
    low: float
    high: float
    value: str  # the interval in words: "250-350 advisers", "September 2028 or later"
    topic: str  # what it counts or dates: "advisers", "withdrawal: end"
    status: str = ""  # its suggestion's kind, if any
    conflicts: list[int] = field(default_factory=list)
    agrees: list[int] = field(default_factory=list)


@dataclass
class Analysis:
    findings: list[Finding]
    facts: list[AlignedFact]


_ROLE_WORDS = {"end": "ends by", "start": "starts", "point": "date", "covers": "period", "report": "reported"}


def _topic_of(item: _Item) -> str:
    fact = item.fact
    if fact.kind == "quantity":
        what = fact.head if fact.head in _UNIT_HEADS or fact.head == "duration" else f"{fact.head}s"
        return what + (f" in {fact.place[0]}" if fact.place else "") + (" (later)" if fact.time == "later" else "")
    role = _ROLE_WORDS.get(fact.role, fact.role or "date")
    if item.events:
        return f"{sorted(item.events)[0]}: {role}"
    # No kind of event named: the words leading to the date say what it dates.
    lead = " ".join(re.sub(r"[^\w’' -]", " ", item.window).split()[-4:])
    return f"{role}: …{lead}" if lead else role


def preflag(docs: list[Doc]) -> list[Finding]:
    """Every suggestion for a story's articles, in article order then position."""
    return analyse(docs).findings


def analyse(docs: list[Doc]) -> Analysis:
    """The suggestions, and every date and quantity with the facts it was aligned with, for the pictures."""
    extractions = [extract(doc.body, doc.published) for doc in docs]
    phases = _story_phases(extractions, [doc.body for doc in docs])
    texts, items = [], []
    for doc, extraction in zip(docs, extractions, strict=True):
        base = len(texts)
        texts.extend(_contexts(doc, extraction))
        for fact in extraction.facts:
            sentence = extraction.sentences[fact.sentence]
            window = _window(doc.body, fact, sentence.start)
            after = " ".join(doc.body[fact.end : sentence.end].split()[:4]) if fact.kind == "quantity" else ""
            if fact.kind == "date":
                # The clause of the date names its event ("..., had been built in 1998"), else the nearest one.
                events = _events(window.rsplit(",", 1)[-1]) or _nearest_events(window)
            else:
                # A count's event may come before or after it: "killed 4,300 people", "275,000 people marched".
                events = _events(window) | _events(after)
            if not events and fact.sentence and _ANAPHORA.match(sentence.text):
                # "The second phase would last through 2026": the phase of what the sentence before named.
                events = _events(extraction.sentences[fact.sentence - 1].text)
            # Which plan a date belongs to is said just before it: "first scheduled for May, now by June".
            lead = " ".join(doc.body[sentence.start : fact.start].split()[-14:])
            plan = "revised" if fact.phrase.startswith("delayed by") or _REVISED.search(window) else ""
            plan = plan or ("original" if _ORIGINAL.search(lead) else "")
            items.append(_Item(doc, fact, base + fact.sentence, window, events, plan))
    sim = _similarity(texts) if texts else np.zeros((0, 0))
    names = [_names(text) for text in texts]
    families = [{name for name, pattern in _EVENT_FAMILIES.items() if pattern.search(text)} for text in texts]

    by_key: dict[tuple, list[_Item]] = defaultdict(list)
    for item in items:
        if item.fact.kind == "quantity":
            by_key[("quantity", item.fact.head)].append(item)
        elif item.fact.kind == "date":
            by_key[("date", item.fact.role)].append(item)

    conflicts: dict[int, list[_Item]] = defaultdict(list)
    agrees: dict[int, list[_Item]] = defaultdict(list)
    seen_elsewhere: set[int] = set()
    for group in by_key.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if a.doc.id == b.doc.id:
                    continue
                score = _alignment(a, b, sim, names, families)
                if score < ALIGN_MIN[a.fact.role or a.fact.kind]:
                    continue
                same = _same_scope(a.fact, b.fact, phases)
                if same and a.fact.kind == "date":
                    same = _same_event(a, b)
                if same and a.fact.kind == "quantity":
                    # "22 people arrested" and "275,000 people marched" count different people.
                    same = not _different_times(a, b) and not (a.events and b.events and not a.events & b.events)
                    topics = _topic(a), _topic(b)
                    same = same and not (all(topics) and topics[0] != topics[1])
                if not same:
                    # Spoken of elsewhere, differently: not unsupported, and not a conflict either.
                    seen_elsewhere.update((id(a), id(b)))
                    continue
                if _conflict(a.fact, b.fact, phases):
                    conflicts[id(a)].append(b)
                    conflicts[id(b)].append(a)
                elif a.fact.overlaps(b.fact):
                    agrees[id(a)].append(b)
                    agrees[id(b)].append(a)

    findings = []
    lower_bodies = {doc.id: doc.body.lower() for doc in docs}
    for item in items:
        fact = item.fact
        key = id(item)
        if conflicts[key]:
            others = conflicts[key]
            relations = "; ".join(_relation(item, other) for other in others)
            reason = (
                "; ".join([_says(item)] + [_says(other) for other in others])
                + f". They cannot all be true of the same thing ({relations})."
            )
            findings.append(_finding(CONFLICTING, item, others, reason))
        elif agrees[key]:
            others = agrees[key]
            reason = "; ".join([_says(item)] + [_says(other) for other in others]) + ". These agree."
            if len(others) == 1 and _value(item) != _value(others[0]):
                reason = reason[:-1] + " within their ranges."
            findings.append(_finding(CONSISTENT, item, others, reason))
        elif (
            len(docs) > 1  # with one article, everything would be "unsupported": say nothing
            and key not in seen_elsewhere
            and _checkable(fact)
            and not _mentioned_elsewhere(item, docs, lower_bodies)
        ):
            reason = _says(item) + ", and no other article of the story gives this figure, date or name."
            findings.append(_finding(UNSUPPORTED, item, [], reason))
    return Analysis(findings, _aligned(items, extractions, docs, conflicts, agrees, findings))


def _aligned(items, extractions, docs, conflicts, agrees, findings) -> list[AlignedFact]:
    kinds = {(f.doc_id, f.start, f.end): f.kind for f in findings}
    sentences = {doc.id: extraction.sentences for doc, extraction in zip(docs, extractions, strict=True)}
    kept = [item for item in items if item.fact.kind in ("date", "quantity")]
    index = {id(item): n for n, item in enumerate(kept)}
    facts = []
    for item in kept:
        fact = item.fact
        value = describe_day_range(fact.low, fact.high) if fact.kind == "date" else _value(item)
        facts.append(
            AlignedFact(
                doc_id=item.doc.id,
                kind=fact.kind,
                start=fact.start,
                end=fact.end,
                quote=fact.text,
                sentence=sentences[item.doc.id][fact.sentence].text,
                low=fact.low,
                high=fact.high,
                value=value if fact.resolved else f"{fact.text} (unresolved)",
                topic=_topic_of(item),
                status=kinds.get((item.doc.id, fact.start, fact.end), ""),
                conflicts=sorted(index[id(o)] for o in conflicts[id(item)] if id(o) in index),
                agrees=sorted(index[id(o)] for o in agrees[id(item)] if id(o) in index),
            )
        )
    return facts


def _alignment(a: _Item, b: _Item, sim: np.ndarray, names: list[set[str]], families: list[set[str]]) -> float:
    """How surely two facts speak of the same thing: their sentences, shared names and events, lead-in words."""
    score = float(sim[a.row, b.row])
    score += min(len(names[a.row] & names[b.row]), 3) * 0.04
    score += min(len(families[a.row] & families[b.row]), 2) * 0.12
    if a.window and b.window:
        score += 0.1 * fuzz.token_set_ratio(a.window.lower(), b.window.lower()) / 100
    # What the fact itself is about: the same place for a count, the same event named just before a date.
    if a.fact.place and b.fact.place and set(a.fact.place) & set(b.fact.place):
        score += 0.15
    if a.events & b.events:
        score += 0.1
    return score


def _checkable(fact: Fact) -> bool:
    if fact.kind == "date":
        return fact.resolved and not math.isinf(fact.low) and not math.isinf(fact.high)
    if fact.kind == "quantity":
        return fact.head != "duration" or fact.low > 0
    return fact.kind == "name"


def _mentioned_elsewhere(item: _Item, docs: list[Doc], bodies: dict[int, str]) -> bool:
    """Another article names the same person or place, or writes the same figure or date."""
    fact = item.fact
    if fact.kind == "name":
        last = fact.text.split()[-1].lower()
        needles = [fact.text.lower(), last] if len(last) > 3 else [fact.text.lower()]
    elif fact.kind == "date":
        needles = [describe_day_range(fact.low, fact.high).lower()]
    else:
        needles = [n for n in re.findall(r"\d[\d,.]*", fact.text)] or [fact.text.lower()]
    return any(any(needle in body for needle in needles) for doc_id, body in bodies.items() if doc_id != item.doc.id)


def _finding(kind: str, item: _Item, others: list[_Item], reason: str) -> Finding:
    fact = item.fact
    counterparts = [Counterpart(o.doc.id, o.fact.start, o.fact.end, o.fact.text) for o in others]
    return Finding(kind, item.doc.id, fact.start, fact.end, fact.text, reason, counterparts)
