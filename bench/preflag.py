"""Pre-flags: every seed suggestion with its reason, precision and recall on a labelled set, and speed.

    .venv/bin/python bench/preflag.py

The labelled sets were written for this bench: stories of three articles with pairs of facts labelled
"conflict" (must be flagged) or "trap" (a difference of scope, rounding or units: must not be). The rules
were corrected after the first run on bench/preflag_cases.json (precision 0.52, recall 0.69 then) and
after the first run on bench/preflag_holdout.json (0.37, 0.83 then), so their figures flatter them;
bench/preflag_holdout2.json was written after the last change and is the honest measure.
Precision counts every conflict the comparison reports on those stories, labelled or not.
Speed: extraction and comparison alone (no database), median of several runs, against a baseline in the
same run, TF-IDF fitted over the same bodies' sentences, which any alignment pays.
"""

import json
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import in_test_database, timed  # noqa: E402  (sets Django up)
from factcheck.findings.compare import CONFLICTING, Doc, preflag  # noqa: E402
from factcheck.findings.extract import split_sentences  # noqa: E402

CASES = ROOT / "bench" / "preflag_cases.json"
HOLDOUT = ROOT / "bench" / "preflag_holdout.json"
UNTOUCHED = ROOT / "bench" / "preflag_holdout2.json"


def seed_suggestions() -> list[Doc]:
    from django.core.management import call_command

    from factcheck.articles.models import Story
    from factcheck.findings.services import story_docs, story_preflag

    call_command("loaddata", "seed", verbosity=0)
    story = Story.objects.get(slug="us-advisers-remain-in-iraq")
    titles = dict(story.articles.values_list("pk", "title"))
    print("== the seed story's suggestions")
    for suggestion in story_preflag(story=story):
        print(f"[{suggestion.kind}] {titles[suggestion.article_id][:50]} [{suggestion.start}:{suggestion.end}]")
        print(f"    {suggestion.reason}")
    SEED.extend(story_docs(story=story))


SEED: list[Doc] = []


def quality(path: Path, name: str) -> None:
    print(f"== quality on the {name} ({path.relative_to(ROOT)})")
    stories = json.loads(path.read_text())["stories"]
    found = missed = false_alarms = traps_flagged = traps = 0
    for story in stories:
        published = date.fromisoformat(story["published"]) if story.get("published") else None
        docs = [Doc(i, f"#{i}", body, published) for i, body in enumerate(story["articles"])]
        flagged = set()
        for finding in preflag(docs):
            if finding.kind == CONFLICTING:
                for other in finding.counterparts:
                    flagged.add(frozenset({(finding.doc_id, finding.quote), (other.doc_id, other.quote)}))
        matched = set()
        for pair in story["pairs"]:
            hits = {
                pair_found
                for pair_found in flagged
                if any(
                    all(
                        any(doc == want[0] and want[1] in quote for doc, quote in [side])
                        for side, want in zip(order, (pair["a"], pair["b"]), strict=True)
                    )
                    for order in _orders(pair_found)
                )
            }
            if pair["label"] == "conflict":
                if hits:
                    found += 1
                    matched |= hits
                else:
                    missed += 1
                    print(f"  missed in {story['title']!r}: {pair['a']} vs {pair['b']}")
            else:
                traps += 1
                if hits:
                    traps_flagged += 1
                    print(f"  trap flagged in {story['title']!r}: {pair['a']} vs {pair['b']}")
        for extra in flagged - matched:
            false_alarms += 1
            sides = sorted(extra)
            print(f"  unlabelled conflict in {story['title']!r}: {sides[0]} vs {sides[-1]}")
    precision = found / (found + false_alarms) if found + false_alarms else 1.0
    recall = found / (found + missed) if found + missed else 1.0
    print(f"  labelled conflicts found {found} of {found + missed}; traps flagged {traps_flagged} of {traps}")
    print(f"  reported conflicts that are not labelled ones: {false_alarms}")
    print(f"  precision {precision:.2f}   recall {recall:.2f}")


def _orders(pair):
    sides = list(pair)
    return [sides, sides[::-1]] if len(sides) == 2 else [sides * 2]


def _fifty() -> list[Doc]:
    """50 articles: the five seed bodies ten times, each copy with its figures and years shifted."""
    docs = []
    for copy in range(10):
        for doc in SEED:
            body = doc.body.replace("2025", str(2025 + copy % 3)).replace("2,500", f"2,{500 + 10 * copy}")
            docs.append(Doc(len(docs), f"#{len(docs)}", body, doc.published))
    return docs


def baseline(docs: list[Doc]) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    sentences = [s.text for doc in docs for s in split_sentences(doc.body)]
    TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).fit_transform(sentences)


def speed() -> None:
    print("== speed: extraction and comparison (median wall time)")
    for name, docs, goal, repeat in (("5 articles (seed)", SEED, 1.0, 7), ("50 articles", _fifty(), 10.0, 3)):
        ours = timed(lambda docs=docs: preflag(docs), repeat)
        base = timed(lambda docs=docs: baseline(docs), repeat)
        print(
            f"  {name:18} {ours:6.3f} s   goal < {goal:4.1f} s {'met' if ours < goal else 'MISSED'}"
            f"   baseline TF-IDF {base:6.3f} s   ratio {ours / base:5.1f}x"
        )


def main() -> None:
    in_test_database(seed_suggestions)
    quality(CASES, "tuning set: the rules were corrected after its first run")
    quality(HOLDOUT, "second set: held out for one run (0.37/0.83), then used to correct the rules")
    quality(UNTOUCHED, "third set: written after the last rule change and never used to change one")
    speed()


if __name__ == "__main__":
    main()
