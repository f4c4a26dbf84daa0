"""Importing articles: read a file (scraped text or a saved page), clean it, store it once (its content hash
says if it is new); re-cleaning an article whose body is not yet anchored by spans.

Never cut short silently: a text whose cleaning drops more than DROPPED_SENTENCES_WARNING of its paragraphs of
prose is held back (HeldBack), not stored, unless the import accepts it by name, or the editor's keep/drop
choices for its blocks bring the dropped share under that line.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from factcheck.articles.cleaning import (
    CleanedArticle,
    clean_article,
    clean_html,
    content_hash,
    looks_like_html,
)
from factcheck.articles.models import Article, Story, check_not_frozen
from factcheck.articles.signals import announce_import
from factcheck.refusals import Refused

# Files the import reads: scraped text, or a page saved from a browser ("Save page as... HTML only").
TEXT_SUFFIXES = frozenset({".txt"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)


class ImportRefused(Refused, ValueError):
    """A file or text that cannot become an article; the message says why, for a person."""


class ResemblesArticle(ImportRefused):
    """A new text under the title or source URL of an article of the story: a new version only if the editor says so."""


def read_article_file(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ImportRefused(f"{path}: no such file.") from exc
    except OSError as exc:
        raise ImportRefused(f"{path}: cannot be read ({exc.strerror}).") from exc
    return decode_article_bytes(data, path)


def decode_article_bytes(data: bytes, path: Path) -> str:
    """A file's text (a path on disk or an upload's name): UTF-8, or the charset a saved page declares."""
    if b"\x00" in data:
        raise ImportRefused(f"{path}: looks like a binary file, not plain text.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # A saved page says its own encoding; plain text has no such label, so only UTF-8 is trusted.
        declared = _META_CHARSET.search(data[:4096]) if path.suffix.lower() in HTML_SUFFIXES else None
        if declared:
            try:
                return data.decode(declared.group(1).decode("ascii"))
            except (LookupError, UnicodeDecodeError):
                pass
        raise ImportRefused(
            f"{path}: is not UTF-8 text (bad byte at position {exc.start}). Save it as UTF-8 and try again."
        ) from exc


def collect_article_files(paths: list[str]) -> list[Path]:
    """Expand folders to their .txt and .html files, in name order; refuse missing paths before anything is read."""
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            suffixes = TEXT_SUFFIXES | HTML_SUFFIXES
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in suffixes)
            if not found:
                raise ImportRefused(f"{path}: the folder has no .txt or .html files.")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise ImportRefused(f"{path}: no such file or folder.")
    return files


def clean_raw(
    raw: str,
    source: str,
    *,
    html: bool | None = None,
    overrides: Mapping[int, bool] | None = None,
    title: str | None = None,
) -> CleanedArticle:
    """Clean text or a saved page (`html`; None: judged from the text itself), refusing what leaves no body.

    `title`: the article's title when the source gives it apart from the text; no line is dropped as a headline.
    """
    if not raw.strip():
        raise ImportRefused(f"{source}: is empty.")
    if html is None:
        html = looks_like_html(raw)
    clean = clean_html if html else clean_article
    cleaned = clean(raw, overrides=overrides, title=title)
    if not cleaned.body:
        raise ImportRefused(f"{source}: no article text is left once navigation and boilerplate are removed.")
    return cleaned


def is_html_file(path: Path) -> bool:
    return path.suffix.lower() in HTML_SUFFIXES


@dataclass(frozen=True)
class Imported:
    article: Article
    created: bool
    # The cleaning's warning (a large share of the page's prose dropped); empty when all looks well.
    warning: str = ""


@dataclass(frozen=True)
class HeldBack:
    """A text whose cleaning dropped more than DROPPED_SENTENCES_WARNING of its prose: not stored until an editor
    has seen its raw text beside the clean body and accepted it, or corrected the cleaning block by block."""

    source_name: str
    raw: str
    # With the editor's overrides, if any; `automatic` is what cleaning decided alone.
    cleaned: CleanedArticle
    automatic: CleanedArticle
    overrides: Mapping[int, bool]


@dataclass(frozen=True)
class ImportReport:
    """What an import stored (or, in a preview, would store) and what it held back."""

    imported: list[Imported]
    held: list[HeldBack]
    # False for a preview, or when the import waited because a text was held back: nothing was stored.
    stored: bool = True
    # Every text cleaning alone would hold back, whether still held or now accepted or corrected (the preview's).
    flagged: list[HeldBack] = field(default_factory=list)


def overrides_from_choices(automatic: CleanedArticle, choices: Mapping) -> dict[int, bool]:
    """An editor's keep (true) or drop (false) per block number, checked; only those that differ from what
    cleaning decided alone are overrides."""
    checked = _checked_overrides(choices, len(automatic.blocks))
    return {index: keep for index, keep in checked.items() if automatic.blocks[index].kept != keep}


def _story_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise ImportRefused("The story needs a title.")
    return title


def story_get_or_create(*, title: str) -> Story:
    title = _story_title(title)
    slug = slugify(title)[:300] or "story"
    story, _ = Story.objects.get_or_create(slug=slug, defaults={"title": title})
    return story


def article_import(
    *,
    story: Story,
    raw: str,
    source_name: str = "",
    url: str = "",
    title: str = "",
    outlet: str = "",
    published=None,
    cleaned: CleanedArticle | None = None,
    new_version: bool = False,
    overrides: Mapping[int, bool] | None = None,
) -> Imported:
    """Store one article; the same clean body in the same story is not stored twice.

    `cleaned` is `clean_raw(raw)` when the caller has it already (checked before anything is stored), made
    with the editor's `overrides` (block number: keep), which are stored with the article.
    A new text whose title or source URL is that of an article of the story is refused as a likely
    re-scrape of it, unless the editor says it is a `new_version`. Nothing is added to a story under
    approval or approved (StoryFrozen).
    """
    cleaned = cleaned or clean_raw(raw, source_name or "the text")
    existing = Article.objects.filter(story=story, body_sha256=content_hash(cleaned.body)).first()
    if existing is not None:
        return Imported(existing, created=False, warning=cleaned.warning)
    check_not_frozen(story)
    article = Article(
        story=story,
        title=(title or cleaned.title or source_name or "Untitled")[:500],
        outlet=outlet or cleaned.outlet,
        published=published or cleaned.published,
        url=url or cleaned.url,
        source_name=source_name,
        raw_text=raw,
        body=cleaned.body,
        block_overrides={str(index): keep for index, keep in sorted((overrides or {}).items())},
    )
    # A title the text really has (not the "Untitled" stand-in) or an address says which article it is.
    named = bool(title or cleaned.title or source_name)
    if not new_version and (named or article.url):
        resembling = resembling_article(story=story, title=article.title if named else "", url=article.url)
        if resembling is not None:
            raise ResemblesArticle(resembles_message(source_name or "the text", *resembling))
    try:
        article.full_clean(exclude=["story", "body_sha256"])
    except ValidationError as exc:
        raise ImportRefused(f"{source_name or 'the text'}: {'; '.join(exc.messages)}") from exc
    article.save()
    announce_import(story=story)
    return Imported(article, created=True, warning=cleaned.warning)


def resembling_article(*, story: Story, title: str, url: str) -> tuple[Article, str] | None:
    """An article of `story` with the same title (ignoring case and spacing) or the same source URL, and which."""
    wanted = " ".join(title.split()).casefold()
    for other in Article.objects.filter(story=story).only("pk", "title", "url", "source_name"):
        if url and other.url == url:
            return other, "source URL"
        if wanted and " ".join(other.title.split()).casefold() == wanted:
            return other, "title"
    return None


def resembles_message(source: str, twin: Article, what: str) -> str:
    return (
        f"{source}: its text is new, but it has the {what} of the article {twin.title!r} already in the story "
        f"(#{twin.pk}, imported from {twin.source_name or 'an earlier import'}). If it is a corrected or updated "
        f"version of that article, import it as a new version; otherwise give it its own {what}."
    )


def articles_import_files(
    *, story_title: str, paths: list[str], new_version: bool = False, accept: bool = False
) -> ImportReport:
    """Read and check every file first, so one bad file stores nothing at all. A file whose cleaning drops too
    much is held back, and the others stored, unless `accept` says to store them all."""
    files = collect_article_files(paths)
    return _import_texts(
        story_title,
        [(path, read_article_file(path)) for path in files],
        new_version=new_version,
        accept=lambda name: accept,
    )


def decode_uploads(uploads: list[tuple[str, bytes]]) -> list[tuple[str, str]]:
    """Files sent to the desk, (name, content) each, as (name, text): saved pages or text, all or nothing."""
    if not uploads:
        raise ImportRefused("Choose at least one file: saved pages (.html) or plain text (.txt).")
    texts: list[tuple[str, str]] = []
    for name, data in uploads:
        path = Path(Path(name).name or "upload")
        if path.suffix.lower() not in TEXT_SUFFIXES | HTML_SUFFIXES:
            raise ImportRefused(f"{path}: only saved pages (.html, .htm) and plain text (.txt) can be imported.")
        if any(path.name == other for other, _ in texts):
            # The desk names each file's choices and acceptance by its name.
            raise ImportRefused(f"{path}: two files have this name; rename one and send them again.")
        texts.append((path.name, decode_article_bytes(data, path)))
    return texts


def articles_import_uploads(
    *,
    story_title: str,
    texts: list[tuple[str, str]],
    new_version: bool = False,
    accepted: frozenset[str] = frozenset(),
    choices: Mapping[str, Mapping] | None = None,
    preview: bool = False,
    wait_if_held: bool = False,
) -> ImportReport:
    """Store decoded uploads (see decode_uploads) in a story, all or nothing.

    A text whose cleaning drops too much is held back unless its name is in `accepted`; `choices` are the
    editor's keep/drop per block for a name (stored as the article's overrides where they differ from the
    cleaning). With `preview`, nothing is stored: the import runs, every refusal is raised as it would be, and
    the transaction is rolled back; the report says what would be stored and what is held back. With
    `wait_if_held`, the same happens only when a text is held back: otherwise everything is stored.
    """
    return _import_texts(
        story_title,
        [(Path(name), raw) for name, raw in texts],
        new_version=new_version,
        accept=accepted.__contains__,
        choices=choices or {},
        preview=preview,
        wait_if_held=wait_if_held,
    )


@transaction.atomic
def _import_texts(
    story_title: str,
    files: list[tuple[Path, str]],
    *,
    new_version: bool = False,
    accept: Callable[[str], bool],
    choices: Mapping[str, Mapping] | None = None,
    preview: bool = False,
    wait_if_held: bool = False,
) -> ImportReport:
    _story_title(story_title)
    texts = []
    for path, raw in files:
        automatic = clean_raw(raw, str(path), html=is_html_file(path))
        overrides = overrides_from_choices(automatic, (choices or {}).get(path.name) or {})
        cleaned = clean_raw(raw, str(path), html=is_html_file(path), overrides=overrides) if overrides else automatic
        texts.append((path, raw, automatic, overrides, cleaned))
    report = ImportReport([], [])
    story = None  # made (if new) only when a text is stored: holding every text back stores nothing
    for path, raw, automatic, overrides, cleaned in texts:
        held = bool(cleaned.warning) and not accept(path.name)
        if automatic.warning or cleaned.warning:
            report.flagged.append(HeldBack(path.name, raw, cleaned, automatic, overrides))
        if held:
            report.held.append(report.flagged[-1])
            if not (preview or wait_if_held):
                continue
        # In a preview a held text is imported too, and rolled back, so that its refusals show now.
        story = story or story_get_or_create(title=story_title)
        imported = article_import(
            story=story,
            raw=raw,
            source_name=path.name,
            cleaned=cleaned,
            new_version=new_version,
            overrides=overrides,
        )
        if not held:
            report.imported.append(imported)
    if preview or (wait_if_held and report.held):
        transaction.set_rollback(True)
        return ImportReport(report.imported, report.held, stored=False, flagged=report.flagged)
    return report


def _checked_overrides(overrides: Mapping, blocks: int) -> dict[int, bool]:
    checked: dict[int, bool] = {}
    for key, keep in overrides.items():
        try:
            index = int(key)
        except (TypeError, ValueError):
            raise ImportRefused(f"Block {key!r} is not a block number.") from None
        if not 0 <= index < blocks:
            raise ImportRefused(f"Block {index} does not exist: the raw text has {blocks} blocks (0 to {blocks - 1}).")
        if not isinstance(keep, bool):
            raise ImportRefused(f"Block {index}: say keep (true) or drop (false), not {keep!r}.")
        checked[index] = keep
    return checked


def article_clean_preview(*, article: Article, overrides: Mapping | None = None) -> CleanedArticle:
    """What cleaning the article's raw text gives, with the editor's stored overrides or the given ones.

    Writes nothing: the admin shows its `.blocks` (each with kept and reason) beside the current body.
    """
    overrides = article.block_overrides if overrides is None else overrides
    blocks = len(clean_raw(article.raw_text, article.source_name or "the raw text").blocks)
    return clean_raw(
        article.raw_text, article.source_name or "the raw text", overrides=_checked_overrides(overrides, blocks)
    )


@transaction.atomic
def article_reclean(*, article: Article, overrides: Mapping | None = None) -> CleanedArticle:
    """Clean the raw text again, with an editor's per-block keep (true) or drop (false) overrides, and store
    the new body and the overrides. `overrides` replaces the stored ones; None keeps them.

    Refused once the article has spans (their offsets point into the body), when nothing would be left, and
    when another article of the story already has the same body (the content hash is unique per story).
    """
    article = Article.objects.select_for_update().get(pk=article.pk)
    check_not_frozen(article.story)
    if article.spans.exists():
        raise ImportRefused("This article already has highlighted spans; its body can no longer change.")
    cleaned = article_clean_preview(article=article, overrides=overrides)
    digest = content_hash(cleaned.body)
    if Article.objects.filter(story=article.story, body_sha256=digest).exclude(pk=article.pk).exists():
        raise ImportRefused("Another article of this story already has exactly this body.")
    if overrides is not None:
        article.block_overrides = {
            str(index): keep for index, keep in sorted(_checked_overrides(overrides, len(cleaned.blocks)).items())
        }
    article.body = cleaned.body
    article.full_clean(exclude=["story", "body_sha256"])
    article.save()
    # A new body moves every offset: the story's pre-flags are recomputed as after an import.
    announce_import(story=article.story)
    return cleaned
