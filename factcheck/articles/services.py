"""Importing articles: read a file, clean it, store it once (its content hash says if it is new)."""

from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from factcheck.articles.cleaning import CleanedArticle, clean_article, content_hash
from factcheck.articles.models import Article, Story


class ImportRefused(ValueError):
    """A file or text that cannot become an article; the message says why, for a person."""


def read_article_file(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ImportRefused(f"{path}: no such file.") from exc
    except OSError as exc:
        raise ImportRefused(f"{path}: cannot be read ({exc.strerror}).") from exc
    if b"\x00" in data:
        raise ImportRefused(f"{path}: looks like a binary file, not plain text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            f"{path}: is not UTF-8 text (bad byte at position {exc.start}). Save it as UTF-8 and try again."
        ) from exc
    return text


def collect_article_files(paths: list[str]) -> list[Path]:
    """Expand folders to their .txt files, in name order; refuse missing paths before anything is read."""
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix == ".txt")
            if not found:
                raise ImportRefused(f"{path}: the folder has no .txt files.")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise ImportRefused(f"{path}: no such file or folder.")
    return files


def clean_raw(raw: str, source: str) -> CleanedArticle:
    if not raw.strip():
        raise ImportRefused(f"{source}: is empty.")
    cleaned = clean_article(raw)
    if not cleaned.body:
        raise ImportRefused(f"{source}: no article text is left once navigation and boilerplate are removed.")
    return cleaned


@dataclass(frozen=True)
class Imported:
    article: Article
    created: bool


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
        return Imported(existing, created=False)
    article = Article(
        story=story,
        title=(title or cleaned.title or source_name or "Untitled")[:500],
        outlet=outlet or cleaned.outlet,
        published=published or cleaned.published,
        url=url,
        source_name=source_name,
        raw_text=raw,
        body=cleaned.body,
    )
    try:
        article.full_clean(exclude=["story", "body_sha256"])
    except ValidationError as exc:
        raise ImportRefused(f"{source_name or 'the text'}: {'; '.join(exc.messages)}") from exc
    article.save()
    return Imported(article, created=True)


@transaction.atomic
def articles_import_files(*, story_title: str, paths: list[str]) -> list[Imported]:
    """Read and check every file first, so one bad file stores nothing at all."""
    files = collect_article_files(paths)
    texts = [(path, raw, clean_raw(raw, str(path))) for path, raw in ((p, read_article_file(p)) for p in files)]
    story = story_get_or_create(title=story_title)
    return [
        article_import(story=story, raw=raw, source_name=path.name, cleaned=cleaned) for path, raw, cleaned in texts
    ]
