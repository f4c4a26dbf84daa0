"""Importing articles: read a file (scraped text or a saved page), clean it, store it once (its content hash
says if it is new); re-cleaning an article whose body is not yet anchored by spans."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from factcheck.articles.cleaning import CleanedArticle, clean_article, clean_html, content_hash, looks_like_html
from factcheck.articles.models import Article, Story
from factcheck.articles.signals import announce_import
from factcheck.refusals import Refused

# Files the import reads: scraped text, or a page saved from a browser ("Save page as... HTML only").
TEXT_SUFFIXES = frozenset({".txt"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)


class ImportRefused(Refused, ValueError):
    """A file or text that cannot become an article; the message says why, for a person."""


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
    raw: str, source: str, *, html: bool | None = None, overrides: Mapping[int, bool] | None = None
) -> CleanedArticle:
    """Clean text or a saved page (`html`; None: judged from the text itself), refusing what leaves no body."""
    if not raw.strip():
        raise ImportRefused(f"{source}: is empty.")
    if html is None:
        html = looks_like_html(raw)
    cleaned = clean_html(raw, overrides=overrides) if html else clean_article(raw, overrides=overrides)
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


def story_get_or_create(*, title: str) -> Story:
    title = title.strip()
    if not title:
        raise ImportRefused("The story needs a title.")
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
) -> Imported:
    """Store one article; the same clean body in the same story is not stored twice.

    `cleaned` is `clean_raw(raw)` when the caller has it already (checked before anything is stored).
    """
    cleaned = cleaned or clean_raw(raw, source_name or "the text")
    existing = Article.objects.filter(story=story, body_sha256=content_hash(cleaned.body)).first()
    if existing is not None:
        return Imported(existing, created=False, warning=cleaned.warning)
    article = Article(
        story=story,
        title=(title or cleaned.title or source_name or "Untitled")[:500],
        outlet=outlet or cleaned.outlet,
        published=published or cleaned.published,
        url=url or cleaned.url,
        source_name=source_name,
        raw_text=raw,
        body=cleaned.body,
    )
    try:
        article.full_clean(exclude=["story", "body_sha256"])
    except ValidationError as exc:
        raise ImportRefused(f"{source_name or 'the text'}: {'; '.join(exc.messages)}") from exc
    article.save()
    announce_import(story=story)
    return Imported(article, created=True, warning=cleaned.warning)


@transaction.atomic
def articles_import_files(*, story_title: str, paths: list[str]) -> list[Imported]:
    """Read and check every file first, so one bad file stores nothing at all."""
    files = collect_article_files(paths)
    return _import_texts(story_title, [(path, read_article_file(path)) for path in files])


def articles_import_uploads(*, story_title: str, uploads: list[tuple[str, bytes]]) -> list[Imported]:
    """The same for files sent to the desk, (name, content) each: text or saved pages, all or nothing."""
    if not uploads:
        raise ImportRefused("Choose at least one file: saved pages (.html) or plain text (.txt).")
    files = []
    for name, data in uploads:
        path = Path(Path(name).name or "upload")
        if path.suffix.lower() not in TEXT_SUFFIXES | HTML_SUFFIXES:
            raise ImportRefused(f"{path}: only saved pages (.html, .htm) and plain text (.txt) can be imported.")
        files.append((path, decode_article_bytes(data, path)))
    return _import_texts(story_title, files)


@transaction.atomic
def _import_texts(story_title: str, files: list[tuple[Path, str]]) -> list[Imported]:
    texts = [(path, raw, clean_raw(raw, str(path), html=is_html_file(path))) for path, raw in files]
    story = story_get_or_create(title=story_title)
    return [
        article_import(story=story, raw=raw, source_name=path.name, cleaned=cleaned) for path, raw, cleaned in texts
    ]


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
