"""Write the verdict CSV (the same bytes as the download), or a story's ClaimReview / Web Annotation JSON-LD."""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from factcheck.articles.models import StoryState
from factcheck.exports import annotations, claimreview
from factcheck.exports.csvstream import csv_chunks
from factcheck.exports.publishing import published_claim_reviews
from factcheck.exports.selectors import ALL_STATES, FILTERS, FilterError, export_spans, parse_filters

FORMATS = ("csv", "claimreview", "annotations")


class Command(BaseCommand):
    help = (
        "Export verdicts as CSV (approved stories by default), streamed with constant memory; "
        "or, with --format claimreview|annotations and --story, a story's JSON-LD."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")
        parser.add_argument("--format", choices=FORMATS, default="csv")
        # None when left out: an option given with an empty value is refused, as the download refuses it.
        parser.add_argument("--story", help="The story's slug.")
        parser.add_argument(
            "--state",
            help=f"Stories in this state ({', '.join(StoryState.values)}) or '{ALL_STATES}'. Default: approved.",
        )
        parser.add_argument("--since", help="Verdicts last changed on or after this day (YYYY-MM-DD).")
        parser.add_argument("--until", help="Verdicts last changed on or before this day (YYYY-MM-DD).")
        parser.add_argument("--excel", action="store_true", help="Start the CSV with a UTF-8 BOM, for Excel.")
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "FACTCHECK_SITE_URL", "http://localhost:8000"),
            help="The site's address, for the links in the JSON-LD.",
        )

    def handle(self, *args, output=None, format="csv", excel=False, **options):
        given = {name: options[name] for name in FILTERS if options.get(name) is not None}
        try:
            filters = parse_filters(given)
        except FilterError as exc:
            raise CommandError(str(exc)) from exc
        if format == "csv":
            chunks = csv_chunks(export_spans(filters), excel=excel)
        else:
            if filters.story is None:
                raise CommandError(f"--format {format} writes one story: give its slug with --story.")
            try:
                if format == "claimreview":
                    document = published_claim_reviews(story=filters.story, base_url=options["base_url"])
                else:
                    document = annotations.story_annotations(story=filters.story, base_url=options["base_url"])
            except claimreview.NotPublishable as exc:
                raise CommandError(str(exc)) from exc
            chunks = iter([claimreview.dumps(document).encode("utf-8")])
        self._write(chunks, output)

    def _write(self, chunks, output: str | None) -> None:
        if not output:
            out = sys.stdout.buffer
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            return
        path = Path(output)
        partial = path.with_name(path.name + ".part")
        try:
            with partial.open("wb") as out:
                for chunk in chunks:
                    out.write(chunk)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        # The file appears whole or not at all: a failed export never leaves half a CSV behind.
        partial.replace(path)
        self.stderr.write(f"wrote {path}")
