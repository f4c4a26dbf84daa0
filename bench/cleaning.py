"""How well cleaning keeps the story and drops the chrome on bench/cleaning_eval/, against two baselines.

    .venv/bin/python bench/cleaning.py            # totals
    .venv/bin/python bench/cleaning.py -v         # and each page

For each page and each input (scraped text, saved HTML) it runs, in the same run: our cleaner, "keep
everything" (the whole text as the body, its first line as the title) and jusText alone (its English
stop-list; the first kept heading-like paragraph as the title). It prints the share of must-stay lines
kept, of must-go lines removed and of titles right. Goals on text: >= 97% kept, >= 85% removed, >= 90%
titles; better on HTML. Also: how many pages carry a "too much dropped" warning.
"""

import json
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import justext  # noqa: E402
import lxml.html  # noqa: E402

from factcheck.articles.cleaning import _html_lines, clean_article, clean_html  # noqa: E402

EVAL = Path(__file__).resolve().parent / "cleaning_eval"


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-"}))
    return " ".join(text.split())


@dataclass
class Result:
    title: str
    body: str
    warning: str = ""


def keep_everything_text(raw: str) -> Result:
    lines = [line.strip() for line in raw.split("\n") if line.strip()]
    return Result(lines[0] if lines else "", "\n".join(lines))


def keep_everything_html(raw: str) -> Result:
    return keep_everything_text("\n".join(_html_lines(lxml.html.document_fromstring(raw))))


def _justext(html: str) -> Result:
    paragraphs = [p for p in justext.justext(html, justext.get_stoplist("English")) if not p.is_boilerplate]
    title = next((p.text for p in paragraphs if p.is_heading or not p.text.rstrip().endswith(".")), "")
    return Result(title, "\n".join(p.text for p in paragraphs))


def justext_text(raw: str) -> Result:
    from html import escape

    lines = [line.strip() for line in raw.split("\n") if line.strip()]
    return _justext("<html><body>" + "".join(f"<p>{escape(line)}</p>" for line in lines) + "</body></html>")


def justext_html(raw: str) -> Result:
    return _justext(raw)


def ours_text(raw: str) -> Result:
    cleaned = clean_article(raw)
    return Result(cleaned.title, cleaned.body, cleaned.warning)


def ours_html(raw: str) -> Result:
    cleaned = clean_html(raw)
    return Result(cleaned.title, cleaned.body, cleaned.warning)


def score(result: Result, truth: dict) -> tuple[int, int, int, int, bool]:
    body = norm(result.body)
    body_lines = {norm(line) for line in result.body.split("\n")}
    kept = sum(norm(line) in body for line in truth["must_stay"])
    removed = 0
    for line in truth["must_go"]:
        key = norm(line)
        present = key in body_lines or (len(key.split()) >= 6 and key in body)
        removed += not present
    titles = {norm(truth["title"]), *map(norm, truth.get("title_also", []))}
    return kept, len(truth["must_stay"]), removed, len(truth["must_go"]), norm(result.title) in titles


CLEANERS = {
    "text": {"ours": ours_text, "keep everything": keep_everything_text, "jusText": justext_text},
    "html": {"ours": ours_html, "keep everything": keep_everything_html, "jusText": justext_html},
}


def main(verbose: bool) -> None:
    pages = sorted(EVAL.glob("*.json"))
    print(f"{len(pages)} pages in {EVAL.relative_to(Path.cwd()) if EVAL.is_relative_to(Path.cwd()) else EVAL}\n")
    for kind, cleaners in CLEANERS.items():
        print(f"{kind} input")
        print(f"  {'cleaner':16} {'kept':>16} {'removed':>16} {'titles':>10} {'warned':>7}")
        for name, clean in cleaners.items():
            totals = [0, 0, 0, 0, 0, 0]
            warned = 0
            for page in pages:
                source = page.with_suffix(f".{'txt' if kind == 'text' else 'html'}")
                if not source.exists():
                    continue
                truth = json.loads(page.read_text(encoding="utf-8"))
                result = clean(source.read_text(encoding="utf-8"))
                kept, stay, removed, go, title = score(result, truth)
                warned += bool(result.warning)
                for i, value in enumerate((kept, stay, removed, go, title, 1)):
                    totals[i] += value
                if verbose and name == "ours":
                    print(
                        f"    {page.stem:26} kept {kept:3}/{stay:<3} removed {removed:3}/{go:<3} "
                        f"title {'ok ' if title else 'BAD'} {result.title[:60]!r}{'  WARNED' if result.warning else ''}"
                    )
            kept, stay, removed, go, titles, count = totals
            print(
                f"  {name:16} {kept / stay:6.1%} ({kept:4}/{stay:<4}) {removed / go:6.1%} ({removed:4}/{go:<4}) "
                f"{titles / count:6.1%} {warned:4}/{count}"
            )
        print()


if __name__ == "__main__":
    main(verbose="-v" in sys.argv)
