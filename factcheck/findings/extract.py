"""Checkable facts of an article (quantities, dates, periods, names) as intervals with offsets into its body.

Pure Python, no Django: the comparison (compare.py) and the bench use it on plain strings.

Why our own grammar rather than a library: dateparser's search_dates returns points without their
granularity or offsets and reads bare counts ("250") as dates; number-parser and pysbd have had no
release since 2023 and 2021, and pysbd's character spans drift on curly quotes. The rules below are
small, offline and each one is tested on text of our own (tests/test_findings_extract.py).
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import date, timedelta

INF = math.inf

# --- sentences -------------------------------------------------------------------------------------------

# A period after these does not end a sentence ("Maj. Gen. Qasem", "Sept. 30").
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "maj", "lt", "col", "sgt", "capt", "cmdr", "adm", "sen", "rep",
    "gov", "pres", "st", "jr", "sr", "no", "inc", "corp", "co", "ltd", "vs", "etc", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "est", "fig", "mt", "ft",
}  # fmt: skip
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|\n+")


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


def split_sentences(body: str) -> list[Sentence]:
    """Sentences with code-point offsets [start, end) into `body`; line breaks always end one.

    A period ends a sentence when the next word starts with a capital or a digit, unless it closes an
    abbreviation ("Gen.") or initials ("U.S."), which news text is full of.
    """
    cuts = []
    for match in _BOUNDARY.finditer(body):
        if match.group().startswith("."):
            before = body[: match.start()]
            word = re.search(r"([A-Za-z]+)$", before)
            if word and (word.group(1).lower() in _ABBREVIATIONS or re.search(r"(?:\b[A-Z]\.)+[A-Z]$", before)):
                continue
            if re.search(r"\b[A-Z]$", before):  # a middle initial: "George W. Bush"
                continue
        cuts.append(match.end())
    sentences: list[Sentence] = []
    begin = 0
    for cut in [*cuts, len(body)]:
        chunk = body[begin:cut]
        lead = len(chunk) - len(chunk.lstrip())
        text = chunk.strip()
        if text:
            start = begin + lead
            sentences.append(Sentence(len(sentences), start, start + len(text), text))
        begin = cut
    return sentences


# --- numbers ---------------------------------------------------------------------------------------------

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a dozen": 12, "a hundred": 100,
    "a thousand": 1000,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_WORD = r"(?:a dozen|a hundred|a thousand|" + "|".join(sorted((w for w in _UNITS if " " not in w), key=len)[::-1]) + ")"
_WORD_NUMBER = (
    rf"{_WORD}(?:[- ]{_WORD})?(?:\s+(?:dozen|hundred|thousand|million|billion)(?:\s+(?:and\s+)?{_WORD}(?:-{_WORD})?)?)*"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
NUMBER = rf"(?:(?:{_DIGITS})(?:\s+(?:million|billion|thousand))?|\b{_WORD_NUMBER}\b)"


def parse_number(text: str) -> float:
    """'2,500' -> 2500, '1.5 million' -> 1500000, 'two hundred and fifty' -> 250, 'twenty-five' -> 25."""
    text = text.strip().lower()
    digits = re.fullmatch(r"([\d,]+(?:\.\d+)?)(?:\s+(million|billion|thousand))?", text)
    if digits:
        value = float(digits.group(1).replace(",", ""))
        return value * _SCALES.get(digits.group(2) or "", 1)
    total, current = 0.0, 0.0
    for word in re.findall(r"a dozen|a hundred|a thousand|[a-z]+", text.replace("-", " ")):
        if word in _UNITS:
            current += _UNITS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "dozen":
            current = max(current, 1) * 12
        elif word in _SCALES:
            total += max(current, 1) * _SCALES[word]
            current = 0
    return total + current


def rounding_margin(text: str, value: float) -> float:
    """Half the unit of the last significant digit: '2,500' may stand for 2,450 to 2,549, '347' is exact.

    Reporters round: '900' and 'over 900' can both be true. Numbers written as words are treated alike.
    """
    if value == 0 or re.search(r"\.\d", text):
        return 0.0
    integer = int(round(value))
    if integer % 10:
        return 0.0
    unit = 1
    while integer % (unit * 10) == 0:
        unit *= 10
    return unit / 2 if integer >= 100 or integer % 10 == 0 and integer > 10 else 0.0


# --- dates -----------------------------------------------------------------------------------------------

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4,
    "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11), "winter": (12, 14)}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_PART = (
    r"(?:(?:the\s+)?(?:end|start|beginning|middle|close|first\s+half|second\s+half)\s+of\s+|early\s+|late\s+|mid-?\s*)"
)
_YEAR = r"(?:19|20)\d\d"
_DURATION_UNITS = {"day": 1 / 30.4375, "week": 7 / 30.4375, "month": 1, "year": 12, "decade": 120}

# Words before a date that say what the date is: when something ends or is due, starts, or happens.
_END_WORDS = r"(?:by|before|until|till|through|thru|no later than|scheduled for|due|deadline of|ends? in|ending in)"
_START_WORDS = r"(?:since|from|starting|starting in|beginning in|as of|effective)"


def _month_days(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _narrow(first: date, last: date, part: str) -> tuple[date, date]:
    """'the end of September' is its last third; 'early 2025' its first third; 'mid-2025' its middle third."""
    part = (part or "").lower().strip()
    if not part:
        return first, last
    days = (last - first).days + 1
    third = max(days // 3, 1)
    if any(word in part for word in ("end", "late", "close", "second half")):
        start = last - timedelta(days=(days // 2 if "half" in part else third) - 1)
        return start, last
    if any(word in part for word in ("start", "beginning", "early", "first half")):
        return first, first + timedelta(days=(days // 2 if "half" in part else third) - 1)
    if "mid" in part or "middle" in part:
        return first + timedelta(days=third), last - timedelta(days=third)
    return first, last


def describe_day_range(low: float, high: float) -> str:
    """A date interval in words, at the coarsest granularity that states it exactly."""
    if low == -INF and high == INF:
        return "any time"
    if low == INF or high == -INF:
        return "beyond any calendar"
    if low == -INF:
        return f"{_day_words(high, end=True)} or earlier"
    if high == INF:
        return f"{_day_words(low)} or later"
    first, last = date.fromordinal(int(low)), date.fromordinal(int(high))
    if first.year == last.year and first.month == 1 and first.day == 1 and last.month == 12 and last.day == 31:
        return str(first.year)
    if (
        (first.year, first.month) == (last.year, last.month)
        and first.day == 1
        and last == _month_days(last.year, last.month)[1]
    ):
        return first.strftime("%B %Y")
    if first == last:
        return f"{first.day} {first.strftime('%B %Y')}"
    return f"{first.day} {first.strftime('%B %Y')} to {last.day} {last.strftime('%B %Y')}"


def _day_words(value: float, end: bool = False) -> str:
    day = date.fromordinal(int(value))
    if day.day == 1 and not end:
        return day.strftime("%B %Y")
    return f"{day.day} {day.strftime('%B %Y')}"


# --- facts -----------------------------------------------------------------------------------------------


@dataclass
class Fact:
    """One checkable statement: a value as an interval [low, high] and what it counts or dates.

    Dates are proleptic ordinals of days (date.toordinal); open bounds are +/- infinity.
    """

    kind: str  # "quantity", "date" or "name"
    start: int
    end: int
    text: str
    low: float
    high: float
    phrase: str  # the interval in words: "between 250 and 350", "September 2028 or later"
    sentence: int
    what: str = ""  # the noun phrase counted, or the event dated
    head: str = ""  # the class of what is counted ("troop", "adviser", "month"...)
    role: str = ""  # dates: "end" (by, until, through), "start" (since, from) or "point"
    place: tuple[str, ...] = ()  # where: the places of its clause, nearest first
    time: str = ""  # quantities: "now" or "later" (will remain, once completed, to ...)
    when: tuple[float, float] | None = None  # quantities: the period a date in the same sentence gives
    # Dates: in a relative clause ("the camp, which opened in 1992, shelters ..."), so it dates no figure.
    aside: bool = False
    phase: int | None = None  # "the second phase" -> 2
    resolved: bool = True
    note: str = ""  # how a relative date was resolved, or why it was not

    def overlaps(self, other: Fact) -> bool:
        return self.low <= other.high and other.low <= self.high


# Counted nouns that count the same thing, in the newsroom's sense; anything else must match word for word.
_NOUN_CLASSES = {
    "troop": "troop", "soldier": "troop", "personnel": "troop", "force": "troop", "servicemember": "troop",
    "service member": "troop", "marine": "troop", "adviser": "adviser", "advisor": "adviser",
    "instructor": "adviser", "trainer": "adviser", "people": "person", "person": "person",
    "civilian": "civilian", "dollar": "dollar", "$": "dollar", "usd": "dollar", "percent": "percent",
    "%": "percent", "per cent": "percent",
}  # fmt: skip
_CURRENCIES = {"$": "dollar", "US$": "dollar", "€": "euro", "£": "pound"}
_IRREGULAR_PLURALS = {"people", "personnel", "staff", "children", "men", "women", "police", "cattle", "sheep", "fish"}
# Words that may sit between a number and what it counts without being it.
_MODIFIERS = {
    "u.s.", "us", "american", "military", "additional", "more", "other", "new", "foreign", "iraqi", "combat",
    "active", "full-time", "coalition", "nato", "british", "french", "uk", "local", "armed", "of", "the",
    "support", "security", "extra", "western", "allied", "its", "their", "such", "regular", "army",
}  # fmt: skip
_STOP = re.compile(
    r"^(?:will|would|are|is|was|were|have|has|had|to|in|at|on|for|from|with|and|or|but|who|which|that|"
    r"remain|stay|stationed|based|deployed|still|near|inside|across|by|as|per|each|a|an)$",
    re.I,
)
_PLACE = re.compile(
    r"\b(?i:in|at|inside|near|across|within|to|from|into|throughout)\s+"
    r"((?:(?:the|neighbou?ring|northern|southern|eastern|western|central|north|south|east|west)\s+)*"
    r"(?:[A-Z][\w’'-]*(?:\s+(?:al-|el-|of\s+)?[A-Z][\w’'-]*)*)(?:\s+(?:air\s*base|airbase|base|airport|province|"
    r"region|city|camp))?)"
)
# "the port of Antwerp", "the Dadaab camp", "nationwide", "in the capital": places named without "in X".
_PLACE_OF = re.compile(
    r"\b(?:port|city|province|region|town|village|state|county|district|island)\s+of\s+([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*)"
)
_FACILITY = re.compile(
    r"\b([A-Z][\w’'-]+(?:\s+(?:al-)?[A-Z][\w’'-]+)*\s+(?:[a-z]+\s+)?(?:air\s*base|base|camp|airport|port|plant|"
    r"mine|dam|museum|hospital|prison|station|factory|bridge|refinery))\b"
)
_POSSESSIVE_PLACE = re.compile(r"\b([A-Z][a-z][\w-]+)(?:'s|’s)\s+(?!(?:[A-Z]|prime|president|minister|leader))")
_GENERIC_PLACES = re.compile(r"\b(nationwide|countrywide|nationally|(?<=the )capital)\b", re.I)
_NOT_PLACES = {"the", "u.s.", "us", "isis", "is", "daesh", "washington", "pentagon"}
_FUTURE = re.compile(
    r"\b(?:will|would|shall|'ll|going to|expected to|set to|due to|planned|plans? to|once|after the|"
    r"is to|are to|would be|remain after)\b",
    re.I,
)
_PHASE = re.compile(r"\b(first|second|third|fourth|final|last|initial)\s+(?:phase|stage|step|round|wave)\b", re.I)
_ORDINALS = {"first": 1, "initial": 1, "second": 2, "third": 3, "fourth": 4}
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,.]*")
_STOPWORDS = {
    "the", "a", "an", "of", "in", "on", "at", "to", "and", "or", "by", "for", "with", "that", "this", "is", "are",
    "was", "were", "be", "been", "will", "would", "has", "have", "had", "it", "its", "as", "from", "than",
    "said", "says", "which", "who", "their", "they", "he", "she", "his", "her", "we", "our", "not", "but",
}  # fmt: skip


def singular(word: str) -> str:
    word = word.lower().replace("advisor", "adviser")
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def _noun_after(body: str, at: int, limit: int) -> tuple[str, str, int]:
    """What a number counts: the noun phrase right after it, its class, and where the phrase ends."""
    phrase_words: list[tuple[str, int]] = []
    for match in re.finditer(r"[A-Za-z$%][\w.$%’'-]*", body[at:limit]):
        if body[at : at + match.start()].strip(" ") and re.search(r"[,;:()“”\"]", body[at : at + match.start()]):
            break
        word = match.group().rstrip(".,") if not re.fullmatch(r"(?:[A-Z]\.)+", match.group()) else match.group()
        if _STOP.match(word) and word.lower() not in ("of",):
            break
        phrase_words.append((word, at + match.start() + len(word)))
        if len(phrase_words) >= 5:
            break
    head, end = "", at
    for word, word_end in phrase_words:
        key = singular(word.lower())
        if key in _NOUN_CLASSES:
            return (
                " ".join(w for w, _ in phrase_words[: phrase_words.index((word, word_end)) + 1]),
                _NOUN_CLASSES[key],
                word_end,
            )
    # A count is of a plural noun: "40 fishing boats" counts boats, "12 miners were" miners.
    candidates = [(w, e) for w, e in phrase_words if w.lower() not in _MODIFIERS and not w[0].isupper()]
    plural = [(w, e) for w, e in candidates if w.lower() in _IRREGULAR_PLURALS or singular(w) != w.lower()]
    for word, word_end in plural[:1] or candidates[:1]:
        head, end = singular(word), word_end
    if not head:
        return "", "", at
    words = [w for w, e in phrase_words if e <= end]
    return " ".join(words), head, end


def _place_of(sentence: Sentence, start: int, end: int) -> tuple[str, ...]:
    """The first place named after the fact in its sentence (else before it): 'Iraq', 'Ain al-Asad Air Base'."""
    candidates = []
    for match in _PLACE.finditer(sentence.text):
        name = match.group(1)
        words = [w for w in re.split(r"\s+", name) if w.lower() not in ("the",)]
        cleaned = " ".join(words)
        if not cleaned or cleaned.lower() in _NOT_PLACES or re.fullmatch(rf"{_MONTH}.*|{_YEAR}.*", cleaned):
            continue
        if cleaned.split()[0] in MONTHS or cleaned.split()[0].lower() in _WEEKDAYS:
            continue
        candidates.append((sentence.start + match.start(1), cleaned))
    for pattern in (_PLACE_OF, _FACILITY, _GENERIC_PLACES, _POSSESSIVE_PLACE):
        for match in pattern.finditer(sentence.text):
            name = match.group(1)
            if name.split()[0].lower() in ("the", "a", "an", "its", "their"):
                name = name.split(None, 1)[-1]
            name = "nationwide" if name.lower() in ("nationwide", "countrywide", "nationally") else name
            candidates.append((sentence.start + match.start(1), name))
    candidates.sort()
    # A place named after the fact in its clause, else one just before it ("troops inside Iraq from 2,500"):
    # a place further away usually belongs to another clause.
    boundary = re.compile(r"[,;:]|\s(?:and|but|while|whereas|with)\s").search(sentence.text, end - sentence.start)
    clause_end = sentence.start + boundary.start() if boundary else sentence.end
    after = [c for c in candidates if end <= c[0] < clause_end]
    before = [c for c in candidates if start - 60 <= c[0] < start]
    # Every place of the clause, the nearest first: "at Ain al-Asad Air Base in western Iraq" is in both.
    chosen = after or before[-1:]
    return tuple(dict.fromkeys(_normal_place(name) for _, name in chosen))


def _normal_place(place: str) -> str:
    words = [w.lower().strip("’'") for w in place.split()]
    directions = {"neighboring", "neighbouring", "northern", "southern", "eastern", "western", "central"}
    directions |= {"north", "south", "east", "west"}
    words = [w for w in words if w not in directions]
    return " ".join(words).replace("airbase", "air base")


def _phase_of(sentence: Sentence) -> int | None:
    match = _PHASE.search(sentence.text)
    if not match:
        return None
    word = match.group(1).lower()
    return 99 if word in ("final", "last") else _ORDINALS[word]


_QUANTITY = re.compile(
    rf"""(?ix)
    (?:
      (?P<between>between\s+(?P<b1>{NUMBER})\s+and\s+(?P<b2>{NUMBER}))
    | (?P<range>(?P<r1>{_DIGITS})\s*(?:-|–|—|to)\s*(?P<r2>{_DIGITS}))
    | (?:(?P<qual>fewer\s+than|less\s+than|under|below|up\s+to|at\s+most|no\s+more\s+than|not\s+more\s+than|
        more\s+than|over|above|at\s+least|no\s+fewer\s+than|no\s+less\s+than|upwards\s+of|in\s+excess\s+of|
        roughly|about|around|approximately|some|nearly|almost|close\s+to|just\s+under|just\s+over|an\s+estimated|
        an?\s+additional|from|to)\s+)?
      (?P<currency>US\$|[$€£])?(?P<value>{NUMBER})
    )
    """
)
_DURATION = re.compile(
    rf"""(?ix)
    (?P<lead>\b(?:by|for|of|within|over|after|in)\s+)?
    (?:(?P<qual>at\s+least|more\s+than|over|up\s+to|at\s+most|nearly|almost|about|roughly|some|less\s+than|
        fewer\s+than|no\s+more\s+than)\s+)?
    (?P<value>{NUMBER}|a|an)\s+(?P<unit>days?|weeks?|months?|years?|decades?)\b(?!\s+(?:ago|old|earlier|later))
    """
)
_DELAY = re.compile(r"\b(?:delay\w*|postpon\w*|push\w*\s+back|extend\w*|prolong\w*|defer\w*)\b", re.I)


def _bounds(qual: str, value: float, margin: float) -> tuple[float, float, str]:
    qual = re.sub(r"\s+", " ", (qual or "").lower())
    if qual in ("fewer than", "less than", "under", "below", "just under"):
        return -INF, value - 1e-9, f"fewer than {value:,.0f}"
    if qual in ("up to", "at most", "no more than", "not more than"):
        return -INF, value, f"at most {value:,.0f}"
    if qual in ("more than", "over", "above", "upwards of", "in excess of", "just over"):
        return value + 1e-9, INF, f"more than {value:,.0f}"
    if qual in ("at least", "no fewer than", "no less than"):
        return value, INF, f"at least {value:,.0f}"
    if qual in ("nearly", "almost", "close to"):
        return value * 0.9, value, f"almost {value:,.0f} (about {value * 0.9:,.0f} to {value:,.0f})"
    if qual in ("roughly", "about", "around", "approximately", "some", "an estimated"):
        spread = max(value * 0.1, margin)
        return value - spread, value + spread, f"about {value:,.0f} ({value - spread:,.0f} to {value + spread:,.0f})"
    if margin:
        words = f"{value:,.0f} (a round figure: {value - margin:,.0f} to {value + margin:,.0f})"
        return value - margin, value + margin, words
    return value, value, f"{value:,.0f}"


def _is_year(text: str) -> bool:
    return bool(re.fullmatch(_YEAR, text.strip()))


def _quantities(body: str, sentence: Sentence, taken: list[tuple[int, int]], dates: list[Fact]) -> list[Fact]:
    facts: list[Fact] = []
    last_head = ("", "")
    text = sentence.text
    for match in _QUANTITY.finditer(text):
        start, end = sentence.start + match.start(), sentence.start + match.end()
        if any(a < end and start < b for a, b in taken):
            continue
        value_text = match.group("value") or match.group("b1") or match.group("r1")
        if match.group("value") and _is_year(match.group("value")):
            continue
        if match.group("range") and (_is_year(match.group("r1")) or _is_year(match.group("r2"))):
            continue
        follows = text[match.end() : match.end() + 2]
        if follows.startswith("-") and not match.group("range"):  # "two-phase", "10-year": an adjective
            continue
        if re.match(r"\s*(?:of\s+(?:the|them|those|its|his|her|their)\b|%)", text[match.end() :]) and not re.match(
            r"\s*%", text[match.end() :]
        ):  # "one of the main", a pronoun, not a count
            continue
        if re.match(r"\s*(?:st|nd|rd|th)\b", text[match.end() :]) or value_text.lower() in ("a", "an"):
            continue
        if not match.group("qual") and re.search(r"\b(?:the|these|those|both|all)\s+$", text[: match.start()], re.I):
            continue  # "the two countries" names a group already known, it does not count one
        qual = (match.group("qual") or "").lower()
        if match.group("between"):
            low, high = parse_number(match.group("b1")), parse_number(match.group("b2"))
            phrase = f"between {low:,.0f} and {high:,.0f}"
        elif match.group("range"):
            low, high = parse_number(match.group("r1")), parse_number(match.group("r2"))
            phrase = f"between {low:,.0f} and {high:,.0f}"
        else:
            value = parse_number(value_text)
            if qual in ("a additional", "an additional", "from", "to"):
                low, high, phrase = _bounds("", value, rounding_margin(value_text, value))
            else:
                low, high, phrase = _bounds(qual, value, rounding_margin(value_text, value))
        what, head, noun_end = _noun_after(body, end, sentence.end)
        if match.group("currency"):
            what, head, noun_end = match.group("currency"), _CURRENCIES[match.group("currency")], end
        if head in ("day", "week", "month", "year", "decade", "time", "percent") and head != "percent":
            continue  # periods are durations, read below
        if not head:
            # "2,500 troops in Iraq and over 900 in Syria": the second number counts what the first did;
            # "the number of troops from 2,500 to 2,000": what was named before.
            number_of = re.search(r"\bnumber\s+of\s+((?:[\w.’'-]+\s+){0,3}?)([a-z]+s)\b", text[: match.start()])
            what, head = last_head
            if number_of and not head:
                what, head = (
                    number_of.group(1) + number_of.group(2),
                    _NOUN_CLASSES.get(singular(number_of.group(2)), singular(number_of.group(2))),
                )
        else:
            last_head = (what, head)
        if not head:
            continue
        before = text[: match.start()]
        time = "later" if _FUTURE.search(text) else "now"
        if qual == "from" or re.search(r"\bfrom\s*$", before):
            time = "now"
        elif (qual == "to" or re.search(r"\bto\s*$", before)) and re.search(rf"\bfrom\s+\S*(?:{NUMBER})", before):
            time = "later"
        facts.append(
            Fact(
                kind="quantity",
                start=start if qual not in ("from", "to", "a additional", "an additional") else start + len(qual) + 1,
                end=max(end, noun_end),
                text="",
                low=low,
                high=high,
                phrase=phrase,
                sentence=sentence.index,
                what=what,
                head=head,
                place=_place_of(sentence, start, end),
                time=time,
                when=next(
                    ((d.low, d.high) for d in dates if d.resolved and d.role in ("point", "covers") and not d.aside),
                    None,
                ),
            )
        )
    return facts


def _resolve_relative(words: str, published: date | None) -> tuple[float, float, str] | None:
    """'last month', 'late last year', 'in December', 'on Monday' against the publication date."""
    words = re.sub(r"\s+", " ", words.lower()).strip()
    if published is None:
        return None
    year = published.year
    part = ""
    part_match = re.match(r"(early|late|mid-?|earlier|later)\s*(.*)", words)
    if part_match:
        part, words = part_match.group(1), part_match.group(2)
    if words in ("last year", "this year", "next year"):
        year += {"last year": -1, "this year": 0, "next year": 1}[words]
        first, last = date(year, 1, 1), date(year, 12, 31)
        if part == "earlier" and words == "this year":
            last = published
        narrowed = _narrow(first, last, part if part in ("early", "late", "mid-", "mid") else "")
        return narrowed[0].toordinal(), narrowed[1].toordinal(), f"{part + ' ' if part else ''}{year}"
    if words in ("last month", "this month", "next month"):
        month = published.month + {"last month": -1, "this month": 0, "next month": 1}[words]
        year += (month - 1) // 12
        month = (month - 1) % 12 + 1
        first, last = _month_days(year, month)
        return first.toordinal(), last.toordinal(), first.strftime("%B %Y")
    if words in ("last week", "this week", "next week"):
        shift = {"last week": -7, "this week": 0, "next week": 7}[words]
        monday = published - timedelta(days=published.weekday()) + timedelta(days=shift)
        return monday.toordinal(), (monday + timedelta(days=6)).toordinal(), f"the week of {monday.isoformat()}"
    if words in ("today", "yesterday", "tomorrow"):
        day = published + timedelta(days={"today": 0, "yesterday": -1, "tomorrow": 1}[words])
        return day.toordinal(), day.toordinal(), day.isoformat()
    season = re.fullmatch(r"(last|this|next) (spring|summer|fall|autumn|winter)", words)
    if season:
        first_month, last_month = _SEASONS[season.group(2)]
        shift = {"last": -1, "this": 0, "next": 1}[season.group(1)]
        season_year = year + shift
        first = date(season_year, first_month, 1)
        end_year, end_month = season_year + (last_month - 1) // 12, (last_month - 1) % 12 + 1
        return first.toordinal(), _month_days(end_year, end_month)[1].toordinal(), f"{season.group(2)} {season_year}"
    if words in MONTHS:
        # A bare month in a report is the latest one up to its publication ("in December" written in January).
        month = MONTHS[words]
        year = published.year if month <= published.month else published.year - 1
        first, last = _month_days(year, month)
        return first.toordinal(), last.toordinal(), first.strftime("%B %Y")
    if words in _WEEKDAYS:
        back = (published.weekday() - _WEEKDAYS.index(words)) % 7
        day = published - timedelta(days=back)
        return day.toordinal(), day.toordinal(), day.isoformat()
    return None


_ABSOLUTE_DATE = re.compile(
    rf"""(?x)
    (?P<part>{_PART})?
    (?:
      (?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTH})\s+(?P<y1>{_YEAR})
    | (?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}}),?\s+(?P<y2>{_YEAR})
    | (?P<m3>{_MONTH}),?\s+(?P<y3>{_YEAR})
    | (?P<season>[Ss]pring|[Ss]ummer|[Ff]all|[Aa]utumn|[Ww]inter)\s+(?:of\s+)?(?P<y5>{_YEAR})
    | (?P<y4>{_YEAR})(?!\d|,\d)
    )
    """
)
_RELATIVE_DATE = re.compile(
    rf"""(?ix)
    (?P<rel>(?:(?:early|late|mid-?|earlier|later)\s*)?(?:last|this|next)\s+(?:year|month|week|spring|summer|fall|autumn|winter)
    | today|yesterday|tomorrow)
    | (?:\b(?:in|on|since|by|until|through|during|last|early|late|mid-|mid)\s+)
      (?P<bare>{_MONTH}|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b(?!\s*\d)
    """
)


def _role(text_before: str) -> str:
    tail = text_before[-40:].lower()
    if re.search(rf"\b{_END_WORDS}\s+(?:the\s+)?(?:{_PART.lower()})?$", tail) or re.search(
        r"\b(?:last|lasts|lasting|run|runs|running|continue|continues)\s+(?:through|until|till)\s+$", tail
    ):
        return "end"
    if re.search(rf"\b{_START_WORDS}\s+(?:the\s+)?$", tail):
        return "start"
    if re.search(r"\bfor\s+(?:the\s+)?$", tail):
        return "covers"  # "a budget for next year": the period a thing is for, not when it happened
    if re.search(r"\b(?:said|says|announced|told|reported|confirmed|stated|added|wrote|declared)\s+(?:\w+\s+)?$", tail):
        return "report"  # "officials said on Wednesday": when it was said, not when it happened
    return "point"


def _dates(body: str, sentence: Sentence, published: date | None) -> list[Fact]:
    facts: list[Fact] = []
    text = sentence.text
    for match in _ABSOLUTE_DATE.finditer(text):
        counted = re.match(r"\s+(?:[a-z]+\s+)?(?:troops|people|soldiers|personnel|advis)", text[match.end() :])
        if match.group("y4") and counted:
            continue  # "2000 troops" is a count
        part = match.group("part") or ""
        if match.group("y1") or match.group("y2"):
            year = int(match.group("y1") or match.group("y2"))
            month = MONTHS[(match.group("m1") or match.group("m2")).lower().rstrip(".")]
            day = int(match.group("d1") or match.group("d2"))
            try:
                first = last = date(year, month, day)
            except ValueError:
                continue
        elif match.group("y3"):
            first, last = _month_days(int(match.group("y3")), MONTHS[match.group("m3").lower().rstrip(".")])
        elif match.group("y5"):
            year = int(match.group("y5"))
            first_month, last_month = _SEASONS[match.group("season").lower()]
            first = date(year, first_month, 1)
            last = _month_days(year + (last_month - 1) // 12, (last_month - 1) % 12 + 1)[1]
        else:
            year = int(match.group("y4"))
            first, last = date(year, 1, 1), date(year, 12, 31)
        first, last = _narrow(first, last, part)
        start, end = sentence.start + match.start(), sentence.start + match.end()
        role = _role(text[: match.start()])
        low, high = first.toordinal(), last.toordinal()
        facts.append(_date_fact(body, sentence, start, end, low, high, role, text[: match.start()]))
    for match in _RELATIVE_DATE.finditer(text):
        group = "rel" if match.group("rel") else "bare"
        words = match.group(group)
        verb_like = words.rstrip(".").lower() in ("may", "march")  # "may" and "march" are verbs too
        if group == "bare" and verb_like and not re.search(r"\bin\s+\S+$", match.group()):
            continue
        start, end = sentence.start + match.start(group), sentence.start + match.end(group)
        if any(f.start <= start < f.end or start <= f.start < end for f in facts):
            continue
        try:
            resolved = _resolve_relative(words.rstrip("."), published)
        except (ValueError, OverflowError):  # "last year" in an article dated year 1
            resolved = None
        role = _role(text[: match.start(group)])
        if resolved is None:
            fact = _date_fact(body, sentence, start, end, -INF, INF, role, text[: match.start(group)])
            fact.resolved = False
            fact.phrase = f"“{words}”"
            fact.note = (
                f"“{words}” is relative and the article has no publication date, so it is left unresolved"
                if published is None
                else f"“{words}” could not be placed in time"
            )
        else:
            low, high, label = resolved
            fact = _date_fact(body, sentence, start, end, low, high, role, text[: match.start(group)])
            fact.note = f"“{words}” read as {label}, counted from the publication date {published.isoformat()}"
        facts.append(fact)
    return facts


def _date_fact(body, sentence, start, end, low, high, role, before) -> Fact:
    phrase = describe_day_range(low, high) if low != -INF or high != INF else ""
    lead = re.search(
        r"(?:\b(?:by|before|until|till|through|since|from|in|on|during|scheduled for)\s+(?:the\s+)?)$", before, re.I
    )
    span_start = sentence.start + lead.start() if lead else start
    clause = before[before.rfind(",") + 1 :] if "," in before else ""
    aside = bool(re.match(r"\s*(?:which|who|that|whose|where)\b", clause))
    return Fact(
        kind="date",
        start=span_start,
        end=end,
        text=body[span_start:end],
        low=low,
        high=high,
        phrase=phrase,
        sentence=sentence.index,
        role=role,
        phase=_phase_of(sentence),
        aside=aside,
    )


def _durations(body: str, sentence: Sentence, dates: list[Fact]) -> tuple[list[Fact], list[tuple[int, int]]]:
    """Periods; a delay 'by at least three years' of a date in the same sentence becomes the new end date."""
    facts, taken = [], []
    text = sentence.text
    for match in _DURATION.finditer(text):
        value_text = match.group("value")
        value = 1.0 if value_text.lower() in ("a", "an") else parse_number(value_text)
        unit = match.group("unit").lower().rstrip("s")
        months = value * _DURATION_UNITS[unit]
        start, end = sentence.start + match.start(), sentence.start + match.end()
        taken.append((start + len(match.group("lead") or ""), end))
        qual = (match.group("qual") or "").lower()
        lead = (match.group("lead") or "").strip().lower()
        low, high, words = _bounds(qual, months, 0.0)
        if unit in ("day", "week"):
            # Months have 28 to 31 days: "60 days" and "two months" are the same period.
            low, high = low * 0.96, high * 1.04
        period_words = f"{(qual + ' ') if qual else ''}{value_text} {match.group('unit')}"
        anchor = _delay_anchor(text, match, dates)
        # The period's words without its lead ("by", "for"), in the sentence it was read from.
        where = {"start": start + len(match.group("lead") or ""), "end": end, "text": "", "sentence": sentence.index}
        if lead == "by" and anchor is not None:
            # "delay ... (scheduled for X) by at least three years": the new end is X moved on by the delay.
            new_low = _add_months(anchor.low, low) if low != -INF else -INF
            new_high = _add_months(anchor.high, high) if high != INF else INF
            fact = Fact(
                kind="date",
                low=new_low,
                high=new_high,
                phrase=f"delayed by {period_words} from {anchor.phrase}, "
                f"i.e. to {describe_day_range(new_low, new_high)}",
                role="end",
                phase=_phase_of(sentence),
                **where,
            )
            facts.append(fact)
            continue
        phrase = f"{period_words} ({_month_words(low, high)})"
        facts.append(
            Fact(kind="quantity", low=low, high=high, phrase=phrase, what=period_words, head="duration", **where)
        )
    return facts, taken


def _delay_anchor(text: str, match: re.Match, dates: list[Fact]) -> Fact | None:
    if not _DELAY.search(text[: match.start()]):
        return None
    resolved = [d for d in dates if d.resolved and d.low != -INF and d.high != INF]
    return resolved[-1] if resolved else None


def _add_months(ordinal: float, months: float) -> float:
    day = date.fromordinal(int(ordinal))
    whole = int(round(months))
    month_index = day.month - 1 + whole
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if not date.min.year <= year <= date.max.year:  # "delayed by 9,999 years": past any calendar
        return INF if year > date.max.year else -INF
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1])).toordinal()


def _month_words(low: float, high: float) -> str:
    def words(value: float) -> str:
        return f"{value / 12:g} years" if value % 12 == 0 else f"{value:.3g} months"

    if low == -INF:
        return f"at most {words(high)}"
    if high == INF:
        return f"at least {words(low)}"
    return words(low) if low == high else f"{words(low)} to {words(high)}"


_NAME = re.compile(r"\b[A-Z][a-z’'-]+(?:\s+(?:al-|bin\s+|de\s+|of\s+)?[A-Z][A-Za-z’'-]+)+")
_NAME_SKIP = {"the", "a", "an", "in", "on", "at", "but", "and", "he", "she", "it", "they", "this", "that", "under"}


def _is_heading(sentence: Sentence) -> bool:
    """A subheading ("Balancing Regional and Domestic Pressures") is no claim: short, title case, no full stop."""
    words = sentence.text.split()
    return (
        len(words) <= 8
        and not re.search(r"[.!?:”\"]$", sentence.text)
        and all(w[0].isupper() or w.lower() in _NAME_SKIP | {"of", "for", "to", "with", "over", "amid"} for w in words)
    )


def _names(sentence: Sentence) -> list[Fact]:
    facts = []
    if _is_heading(sentence):
        return facts
    for match in _NAME.finditer(sentence.text):
        if sentence.text[match.end() : match.end() + 1] == ".":
            continue  # runs into an abbreviation ("Iran’s Maj. Gen."): not a whole name
        words = match.group().split()
        while words and words[0].lower() in _NAME_SKIP | set(MONTHS) | set(_WEEKDAYS):
            words = words[1:]
        if len(words) < 2:
            continue
        name = " ".join(words)
        offset = match.group().index(name)
        start = sentence.start + match.start() + offset
        facts.append(
            Fact(
                kind="name",
                start=start,
                end=start + len(name),
                text=name,
                low=0,
                high=0,
                phrase=name,
                sentence=sentence.index,
                what=name,
            )
        )
    return facts


@dataclass
class Extraction:
    sentences: list[Sentence]
    facts: list[Fact]
    published: date | None


def extract(body: str, published: date | None = None) -> Extraction:
    """Every sentence of `body` and every checkable fact in it, in order of position."""
    sentences = split_sentences(body)
    facts: list[Fact] = []
    for sentence in sentences:
        dates = _dates(body, sentence, published)
        durations, taken = _durations(body, sentence, dates)
        taken += [(d.start, d.end) for d in dates]
        quantities = _quantities(body, sentence, taken, dates)
        found = dates + durations + quantities
        names = [n for n in _names(sentence) if not any(f.start <= n.start < f.end for f in found)]
        for fact in found + names:
            fact.text = body[fact.start : fact.end]
        facts.extend(found + names)
    seen: set[str] = set()
    # A name counts once per article, where it is first written in full.
    facts = [f for f in facts if f.kind != "name" or not (f.text.split()[-1] in seen or seen.add(f.text.split()[-1]))]
    facts.sort(key=lambda f: (f.start, f.end))
    return Extraction(sentences, facts, published)
