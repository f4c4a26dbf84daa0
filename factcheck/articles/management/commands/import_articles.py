"""Import scraped text (.txt) and saved pages (.html) into a story, or write them as a Django fixture.

A file whose cleaning drops more than DROPPED_SENTENCES_WARNING (half) of its paragraphs of prose is held back,
neither stored nor written to the fixture, unless --accept-heavy-cleaning is given: the command says what was
dropped (--show-cleaning prints every line of the raw text with its decision) and exits with status 3, after
importing the other files.
"""

from pathlib import Path

from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from factcheck.articles.cleaning import DROPPED_SENTENCES_WARNING, CleanedArticle, content_hash
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
from factcheck.text import clip

# Left out of the fixture so that regenerating it is byte-identical; loading sets it to "now".
# block_overrides: an editor's corrections, empty on import (the field's default).
FIXTURE_EXCLUDES = {"imported_at", "created_at", "block_overrides"}
# The exit status when a file was held back (the others imported); a refusal (nothing imported) is 1.
HELD_BACK_STATUS = 3
# How many of a held file's dropped paragraphs the report quotes.
REPORT_LINES = 3


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
        parser.add_argument(
            "--accept-heavy-cleaning",
            action="store_true",
            help=(
                f"Store a file even when cleaning drops more than {DROPPED_SENTENCES_WARNING:.0%} of its paragraphs "
                "of prose; without it such a file is held back and the command exits with status 3."
            ),
        )
        parser.add_argument(
            "--show-cleaning",
            action="store_true",
            help="For each file held back or warned about, print every line of its raw text: + kept, - dropped (why).",
        )

    def handle(
        self,
        *args,
        paths,
        story,
        fixture=None,
        new_version=False,
        accept_heavy_cleaning=False,
        show_cleaning=False,
        **options,
    ):
        self.show_cleaning = show_cleaning
        try:
            if fixture:
                held = self._write_fixture(paths, story, Path(fixture), accept=accept_heavy_cleaning)
            else:
                held = self._import(paths, story, new_version=new_version, accept=accept_heavy_cleaning)
        except ResemblesArticle as exc:
            raise CommandError(f"{exc} (--new-version) Nothing was imported.") from exc
        except (ImportRefused, Refused) as exc:
            raise CommandError(f"{exc} Nothing was imported.") from exc
        if held:
            raise CommandError(
                f"{plural(held, 'file')} held back: cleaning dropped more than {DROPPED_SENTENCES_WARNING:.0%} of "
                f"{'its' if held == 1 else 'their'} prose. Compare raw text and body (--show-cleaning, or import it "
                "at the desk: admin > Articles > Import saved pages), then import again with --accept-heavy-cleaning.",
                returncode=HELD_BACK_STATUS,
            )

    def _import(self, paths: list[str], story: str, *, new_version: bool, accept: bool) -> int:
        report = articles_import_files(story_title=story, paths=paths, new_version=new_version, accept=accept)
        for result in report.imported:
            article = result.article
            action = "created  " if result.created else "unchanged"
            self.stdout.write(
                f"{action} {article.source_name}: {article.title!r} "
                f"[{article.outlet or 'outlet unknown'}, {article.published or 'date unknown'}] "
                f"sha256 {article.body_sha256[:12]}"
            )
            if result.warning:
                self._report(article.source_name, article.raw_text, cleaned=None, warning=result.warning)
        for held in report.held:
            self._report(held.source_name, held.raw, cleaned=held.cleaned, warning=held.cleaned.warning)
        created = sum(r.created for r in report.imported)
        self.stdout.write(
            f"{created} created, {len(report.imported) - created} unchanged"
            f"{f', {len(report.held)} held back' if report.held else ''} in story {story!r}."
        )
        warned = sum(bool(r.warning) for r in report.imported)
        if warned:
            self.stdout.write(f"{warned} with a warning: compare their raw text and body in the admin.")
        return len(report.held)

    def _report(self, name: str, raw: str, *, cleaned: CleanedArticle | None, warning: str) -> None:
        """A warned file: the share dropped; held back, its first dropped paragraphs; asked, every line."""
        if cleaned is None:  # stored (accepted): the report is a warning
            self.stdout.write(f"  warning {name}: {warning}")
        else:
            self.stdout.write(f"held back {name}: {warning} Not imported (--accept-heavy-cleaning to import it).")
            for block in cleaned.dropped_prose[:REPORT_LINES]:
                self.stdout.write(f"  dropped: {clip(block.text, 100)} ({block.reason})")
        if self.show_cleaning:
            self.stdout.write(f"  every line of {name} as read: + kept in the body, - dropped (why)")
            for block in (cleaned or clean_raw(raw, name)).blocks:
                self.stdout.write(f"  + {block.text}" if block.kept else f"  - {block.text}  ({block.reason})")

    def _write_fixture(self, paths: list[str], title: str, out: Path, *, accept: bool) -> int:
        story = Story(pk=1, title=title.strip(), slug=slugify(title))
        objects: list = [story]
        seen = set()
        warnings: list[tuple[str, str, CleanedArticle]] = []
        held = 0
        for pk, path in enumerate(collect_article_files(paths), start=1):
            raw = read_article_file(path)
            cleaned = clean_raw(raw, str(path), html=is_html_file(path))
            if cleaned.warning:
                warnings.append((path.name, raw, cleaned))
                if not accept:
                    held += 1
                    continue
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
        for name, raw, cleaned in warnings:
            self._report(name, raw, cleaned=None if accept else cleaned, warning=cleaned.warning)
        return held


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
