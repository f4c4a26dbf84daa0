"""Build bench/cleaning_eval/ (saved pages, their scraped text and what must stay or go) from real and written pages.

Run once by hand; the output is committed as data, and bench/cleaning.py only reads it.

    python bench/cleaning_eval_build.py /path/to/article-extraction-benchmark

Real pages come from Zyte's article-extraction-benchmark (MIT licence, https://github.com/scrapinghub/
article-extraction-benchmark): saved pages with a hand-checked article body. It is neither trafilatura's nor
jusText's own evaluation set. Written pages (bench/cleaning_eval/src/) cover what it lacks: live pages, wire
copy, cookie banners, paywall prompts and "Related" boxes in the middle of a story. There, the lines that must
stay carry data-eval="body" and the lines left unjudged data-eval="skip"; both are removed from the output.

For each page: NAME.html (the page without its scripts, styles and comments, JSON-LD kept), NAME.txt (what a
scraper that copies the visible text gets: one line per block) and NAME.json (title, lines that must stay,
lines that must go). A line is judged only when it is clear: must stay if it is a sentence of the body (at
least five words), must go if none of it is in the body; short or partly shared lines are left out.
"""

import gzip
import json
import re
import sys
import unicodedata
from pathlib import Path

import lxml.html
from lxml import etree

OUT = Path(__file__).resolve().parent / "cleaning_eval"
SRC = OUT / "src"

# Real pages: benchmark file hash -> (our name, kind, the headline as the page shows it).
REAL = {
    "5fa3154e": ("guardian-news", "news"),
    "70cb2d5b": ("bbc-news-1", "news"),
    "c7e39ac4": ("bbc-news-2", "news"),
    "42aad16b": ("aljazeera-news", "news"),
    "57d46c9d": ("reuters-wire", "wire"),
    "82b6d780": ("ap-hosted-wire-1", "wire"),
    "e7994d55": ("ap-hosted-wire-2", "wire"),
    "961bd85c": ("therepublic-ap-wire", "wire"),
    "ef4e67b6": ("cnn-news", "news"),
    "7a457a4f": ("nbcnews-news", "news"),
    "2c46804d": ("cbsnews-news", "news"),
    "156770d6": ("thehill-news", "news"),
    "92101975": ("sky-news", "news"),
    "c58aa507": ("usatoday-news", "news"),
    "098bb3e9": ("latimes-news", "news"),
    "7dfc3e35": ("foxnews-news", "news"),
    "c13b9c0e": ("spokesman-news", "news"),
    "9e8c9f08": ("politifact-factcheck", "news"),
    "8380689f": ("snopes-factcheck", "news"),
    "1ee91d1f": ("polygraph-factcheck", "news"),
    "3f65af7b": ("nj-news", "news"),
    "39d5c43b": ("deccanherald-news", "news"),
    "360c732d": ("cityam-news", "news"),
    "ad9e9e59": ("givewell-blog", "blog"),
    "0e014df6": ("antijunecleaver-blog", "blog"),
    "55bb6340": ("dealbreaker-blog", "blog"),
    "30b771a4": ("morebikes-blog", "blog"),
    "ad826691": ("9to5mac-blog", "blog"),
    "1ace8c85": ("techcrunch-news", "news"),
    "e1c7023e": ("physorg-news", "news"),
}

BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "br", "button", "caption", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "label", "li", "main", "nav", "ol", "option", "p", "pre", "section", "select", "summary",
    "table", "td", "textarea", "th", "tr", "ul",
}  # fmt: skip
DROP_TAGS = ("script", "style", "noscript", "iframe", "svg", "template", "link", "object", "embed", "canvas")


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-"}))
    return " ".join(text.split())


def strip_page(html: str) -> lxml.html.HtmlElement:
    doc = lxml.html.document_fromstring(html)
    for element in list(doc.iter(*DROP_TAGS)):
        if element.tag == "script" and element.get("type") == "application/ld+json":
            continue
        element.drop_tree()
    for comment in list(doc.iter(etree.Comment)):
        comment.drop_tree()
    for element in doc.iter():
        if isinstance(element.tag, str):
            for attribute in ("style", "onclick", "onload", "srcset", "data-src", "data-srcset"):
                element.attrib.pop(attribute, None)
    return doc


def hidden(element) -> bool:
    return element.get("hidden") is not None or element.get("aria-hidden") == "true" or element.tag == "head"


def text_lines(doc) -> list[str]:
    """The visible text, one line per block, as a browser's copy or a simple scraper gives it."""
    parts: list[str] = []

    def walk(element):
        # A line break inside HTML text is a space, as a browser shows it; block elements start lines.
        tail = (element.tail or "").replace("\n", " ")
        if not isinstance(element.tag, str) or hidden(element) or element.tag == "script":
            parts.append(tail)
            return
        block = element.tag in BLOCK_TAGS
        if block:
            parts.append("\n")
        parts.append((element.text or "").replace("\n", " "))
        for child in element:
            walk(child)
        if block:
            parts.append("\n")
        parts.append(tail)

    body = doc.find("body")
    walk(body if body is not None else doc)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return [line for line in lines if line]


def judge(lines: list[str], body_paragraphs: list[str], skip: set[str], title: str) -> tuple[list[str], list[str]]:
    body = norm(" ".join(body_paragraphs))
    body_grams = set(_grams(body))
    keep: list[str] = []
    drop: list[str] = []
    for line in lines:
        key = norm(line)
        if key == norm(title) or key in skip:
            continue
        # A standfirst or a long caption above the story: some call it article text, some do not.
        if not keep and key not in body and len(key.split()) >= 12:
            continue
        if key in body:
            if len(key.split()) >= 5:
                keep.append(line)
        elif not body_grams & set(_grams(key)) and (len(key) >= 4 or key not in body):
            drop.append(line)
    return keep, drop


def _grams(text: str, size: int = 3) -> list[tuple[str, ...]]:
    words = text.split()
    if len(words) < size:
        return [tuple(words)] if words else []
    return [tuple(words[i : i + size]) for i in range(len(words) - size + 1)]


# Pages whose <h1> is the site's logo or the blog's name: the headline as a reader sees it.
TITLES = {
    "givewell-blog": "A grant to Evidence Action Beta to prototype, test, and scale promising programs",
}
# Pages whose og:title belongs to another post (a stale share card): not a right answer.
OTHER_OG_TITLE = {"antijunecleaver-blog"}
_SITE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,40}$")


def headline(doc) -> str:
    h1 = [" ".join(h.text_content().split()) for h in doc.iter("h1")]
    h1 = [h for h in h1 if len(h.split()) >= 3]
    return h1[0] if h1 else (declared_titles(doc) or [""])[0]


def declared_titles(doc) -> list[str]:
    """og:title and <title> without the site's name: other right answers for the headline."""
    found = [m.get("content", "") for m in doc.iter("meta") if m.get("property") == "og:title"]
    found += [t.text_content() for t in doc.iter("title")]
    titles = []
    for title in found:
        title = " ".join(title.split())
        while _SITE_SUFFIX.search(title):
            title = _SITE_SUFFIX.sub("", title)
        if len(title.split()) >= 3 and title not in titles:
            titles.append(title)
    return titles


def write(name: str, kind: str, doc, title: str, body_paragraphs: list[str], skip: set[str], source: str) -> None:
    html = lxml.html.tostring(doc, encoding="unicode", doctype="<!DOCTYPE html>")
    html = re.sub(r"\n\s*\n+", "\n", html)
    lines = text_lines(doc)
    keep, drop = judge(lines, body_paragraphs, skip, title)
    # Half the scrapes separate blocks with a blank line, half with a single line break, as scrapers do.
    separator = "\n\n" if sum(map(ord, name)) % 2 else "\n"
    (OUT / f"{name}.html").write_text(html + "\n", encoding="utf-8")
    (OUT / f"{name}.txt").write_text(separator.join(lines) + "\n", encoding="utf-8")
    also = [] if name in OTHER_OG_TITLE else [t for t in declared_titles(doc) if norm(t) != norm(title)]
    sidecar = {"kind": kind, "source": source, "title": title, "title_also": also, "must_stay": keep, "must_go": drop}
    (OUT / f"{name}.json").write_text(json.dumps(sidecar, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{name:28} {kind:6} stay {len(keep):3}  go {len(drop):3}  title {title[:70]!r}")


def build_real(benchmark: Path) -> None:
    truth = json.loads((benchmark / "ground-truth.json").read_text(encoding="utf-8"))
    for prefix, (name, kind) in REAL.items():
        digest = next(key for key in truth if key.startswith(prefix))
        raw = gzip.decompress((benchmark / "html" / f"{digest}.html.gz").read_bytes()).decode("utf-8", "replace")
        doc = strip_page(raw)
        paragraphs = [p for p in truth[digest]["articleBody"].split("\n") if p.strip()]
        write(name, kind, doc, TITLES.get(name) or headline(doc), paragraphs, set(), truth[digest]["url"])


def build_written() -> None:
    for path in sorted(SRC.glob("*.html")):
        doc = strip_page(path.read_text(encoding="utf-8"))
        paragraphs = [" ".join(e.text_content().split()) for e in doc.iter() if e.get("data-eval") == "body"]
        skip = {norm(e.text_content()) for e in doc.iter() if e.get("data-eval") == "skip"}
        for element in doc.iter():
            element.attrib.pop("data-eval", None)
        kind = path.stem.split("-")[-1]
        write(path.stem, kind, doc, headline(doc), paragraphs, skip, "written for this set, modelled on real sites")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        build_real(Path(sys.argv[1]))
    build_written()
