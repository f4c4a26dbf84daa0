"""Import scraped text (.txt) and saved pages (.html) into a story, or write them as a Django fixture."""

from pathlib import Path

from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from factcheck.articles.cleaning import content_hash
from factcheck.articles.models import Article, Story
from factcheck.articles.services import (
    ImportRefused,
    ResemblesArticle,
    articles_import_files,
    clean_raw,
    collect_article_files,
    is_html_file,
    read_article_file,
)
from factcheck.refusals import Refused

# Left out of the fixture so that regenerating it is byte-identical; loading sets it to "now".
# block_overrides: an editor's corrections, empty on import (the field's default).
FIXTURE_EXCLUDES = {"imported_at", "created_at", "block_overrides"}


class Command(BaseCommand):
    help = (
        "Import .txt and .html files (or folders of them) into a story. Importing the same text twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files or folders of .txt and .html files.")
        parser.add_argument("--story", required=True, help="The story's title (created if new).")
        parser.add_argument(
            "--fixture",
            metavar="OUT.json",
            help="Write a fixture of the story and its articles instead of touching the database.",
        )
        parser.add_argument(
            "--new-version",
            action="store_true",
            help="Accept a new text whose title or source URL is that of an article already in the story.",
        )

    def handle(self, *args, paths, story, fixture=None, new_version=False, **options):
        try:
            if fixture:
                self._write_fixture(paths, story, Path(fixture))
                return
            results = articles_import_files(story_title=story, paths=paths, new_version=new_version)
        except ResemblesArticle as exc:
            raise CommandError(f"{exc} (--new-version) Nothing was imported.") from exc
        except (ImportRefused, Refused) as exc:
            raise CommandError(f"{exc} Nothing was imported.") from exc
        for result in results:
            article = result.article
            action = "created  " if result.created else "unchanged"
            self.stdout.write(
                f"{action} {article.source_name}: {article.title!r} "
                f"[{article.outlet or 'outlet unknown'}, {article.published or 'date unknown'}] "
                f"sha256 {article.body_sha256[:12]}"
            )
            if result.warning:
                self.stdout.write(f"  warning {article.source_name}: {result.warning}")
        created = sum(r.created for r in results)
        self.stdout.write(f"{created} created, {len(results) - created} unchanged in story {story!r}.")
        warned = sum(bool(r.warning) for r in results)
        if warned:
            self.stdout.write(f"{warned} with a warning: compare their raw text and body in the admin.")

    def _write_fixture(self, paths: list[str], title: str, out: Path) -> None:
        story = Story(pk=1, title=title.strip(), slug=slugify(title))
        objects: list = [story]
        seen = set()
        warnings: list[str] = []
        for pk, path in enumerate(collect_article_files(paths), start=1):
            raw = read_article_file(path)
            cleaned = clean_raw(raw, str(path), html=is_html_file(path))
            if cleaned.warning:
                warnings.append(f"  warning {path.name}: {cleaned.warning}")
            digest = content_hash(cleaned.body)
            if digest in seen:
                continue
            seen.add(digest)
            objects.append(
                Article(
                    pk=pk,
                    story=story,
                    title=cleaned.title or path.name,
                    outlet=cleaned.outlet,
                    published=cleaned.published,
                    url=cleaned.url,
                    source_name=path.name,
                    raw_text=raw,
                    body=cleaned.body,
                    body_sha256=digest,
                )
            )
        fields = {
            f.name
            for model in (Story, Article)
            for f in model._meta.concrete_fields
            if not f.primary_key and f.name not in FIXTURE_EXCLUDES
        }
        text = serializers.serialize("json", objects, indent=2, fields=sorted(fields))
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n", encoding="utf-8")
        self.stdout.write(f"wrote {out} ({len(objects) - 1} articles in story {title!r})")
        for warning in warnings:
            self.stdout.write(warning)
