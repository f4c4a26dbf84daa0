"""django-import-export resources for the admin: verdicts out (the CSV columns), articles in (the import's cleaning).

VerdictResource has one field per column of columns.py and reads its rows through the same one query
as the streaming CSV, so the admin's CSV or XLSX carries exactly the same cells (formula-safe) for the
spans the changelist shows. Unlike the streaming download, django-import-export builds the whole file
in memory: it suits the filtered selections an editor makes in the admin; the whole archive goes
through /exports/verdicts.csv or `manage.py export_verdicts`.

ArticleImportResource takes a CSV with the columns story, title, outlet, url, date, text (and an optional
new_version) and stores each row through factcheck.articles.services (clean_raw, article_import): the same
cleaning as `manage.py import_articles`, except that the title is the title column's and no line of the text
is dropped as a headline. The preview shows the raw text, the clean body and every line cleaning dropped, with
why. A row is refused, with a message under its column, when its text is empty or nothing is left once
cleaned, its title, story, date or url is missing or malformed, the story is ready for approval or approved,
the same clean text is already in that story (or earlier in the file), or a new text has the title or url of
an article of the story and is not marked as a new version.

A row whose cleaning drops more than DROPPED_SENTENCES_WARNING of its prose is held back (skipped, never stored)
unless the confirmation accepts it (`accepted_rows`, row numbers) or the editor's keep/drop choices for its
lines (`row_choices`, row number: block number: keep) bring the share under that line; the result lists every
such row in `flagged_rows` (row number, the services' HeldBack, held or not) for the preview to show.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.text import slugify
from import_export import fields, resources

from factcheck.articles.cleaning import content_hash, normalise
from factcheck.articles.models import Article, Story, StoryFrozen
from factcheck.articles.services import (
    HeldBack,
    ImportRefused,
    article_import,
    clean_raw,
    overrides_from_choices,
    resembles_message,
    resembling_article,
    story_get_or_create,
)
from factcheck.exports.columns import COLUMNS, HEADERS, verdict_rows
from factcheck.review.models import Span


class _VerdictRows(resources.Resource):
    @classmethod
    def get_display_name(cls) -> str:
        # The admin's export form names the resource; only ModelResource provides this.
        return cls._meta.name

    def get_queryset(self):
        return Span.objects.all()

    def iter_queryset(self, queryset):
        # The changelist's queryset may carry the admin's annotations and ordering; only which spans
        # it selects matters here, so it becomes a subquery of the one export query.
        spans = Span.objects.filter(pk__in=queryset.order_by().values("pk"))
        for cells in verdict_rows(spans):
            yield dict(zip(HEADERS, cells, strict=True))


class _VerdictMeta:
    name = "Verdicts (the CSV columns)"
    export_order = HEADERS


# One field per column, made from COLUMNS so that the admin can never drift from the CSV.
VerdictResource = type(
    "VerdictResource",
    (_VerdictRows,),
    {
        "__doc__": "The verdict CSV's columns, for the spans the admin's changelist selects.",
        "__module__": __name__,
        "Meta": _VerdictMeta,
        **{column.key: fields.Field(attribute=column.key, column_name=column.key) for column in COLUMNS},
    },
)


ARTICLE_COLUMNS = ("story", "title", "outlet", "url", "date", "text")
REQUIRED_COLUMNS = ("story", "title", "text")
# Optional: "yes" lets a new text in under the title or URL of an article already in the story.
NEW_VERSION_COLUMN = "new_version"
YES = frozenset({"1", "y", "yes", "true", "x", "on"})
NOT_UTF8 = (
    "This file is not UTF-8 text, so its accents and symbols would be garbled: "
    "save it as UTF-8 (in Excel: CSV UTF-8) and import it again. Nothing was imported."
)


class _ShownField(fields.Field):
    """A preview-only column: what import_instance noted on the row's article, empty before it ran."""

    def get_value(self, instance):
        return getattr(instance, self.attribute, "")


def _cleaning_report(raw: str, cleaned) -> str:
    """The preview's account of cleaning: how much of the raw text is kept and every line dropped, with why."""
    dropped = [block for block in cleaned.blocks if not block.kept]
    head = f"{len(cleaned.body)} characters kept of {len(raw)}"
    if not dropped:
        return f"{head}; every line kept."
    lines = "\n".join(f"− {clip_line(block.text)} ({block.reason})" for block in dropped)
    return f"{head}; {len(dropped)} line{'s' if len(dropped) != 1 else ''} dropped:\n{lines}"


def clip_line(text: str, limit: int = 100) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ArticleImportResource(resources.ModelResource):
    """Articles from a CSV (story, title, outlet, url, date, text), cleaned like `import_articles`."""

    # The attributes are what the preview shows once a row is read; import_instance sets them.
    story = fields.Field(attribute="story", column_name="story")
    title = fields.Field(attribute="title", column_name="title")
    outlet = fields.Field(attribute="outlet", column_name="outlet")
    url = fields.Field(attribute="url", column_name="url")
    date = fields.Field(attribute="published", column_name="date")
    text = fields.Field(attribute="raw_text", column_name="text")
    # The preview puts the clean body and what cleaning dropped beside the raw text.
    body = _ShownField(attribute="_preview_body", column_name="clean body (what spans point into)")
    cleaning = _ShownField(attribute="_preview_cleaning", column_name="cleaning")

    class Meta:
        model = Article
        name = "Articles from CSV (story, title, outlet, url, date, text; optional new_version)"
        fields = (*ARTICLE_COLUMNS, "body", "cleaning")
        import_order = (*ARTICLE_COLUMNS, "body", "cleaning")
        force_init_instance = True  # every row is a new article; duplicates are refused, not updated
        clean_model_instances = False  # import_instance checks everything the import rules require
        skip_diff = False
        use_transactions = True  # the preview runs the real import and is rolled back

    def before_import(self, dataset, **kwargs):
        headers = [(name or "").strip() for name in (dataset.headers or [])]
        missing = [name for name in REQUIRED_COLUMNS if name not in headers]
        if missing:
            # Empty the rows too: import-export goes on reading them after this refusal, and rows without
            # a header row (a blank first line) would fail there instead of showing this message.
            dataset.wipe()
            raise ImportRefused(
                f"The file's first line must name its columns: {', '.join(ARTICLE_COLUMNS)} "
                f"(and optionally {NEW_VERSION_COLUMN}). The column{'s' if len(missing) > 1 else ''} "
                f"{' and '.join(repr(m) for m in missing)} {'is' if len(missing) == 1 else 'are'} missing"
                f"{'; it has ' + ', '.join(repr(h) for h in headers if h) if any(headers) else ''}."
            )
        self._seen: dict[tuple[str, str], int] = {}
        self._flagged: list[tuple[int, HeldBack, bool]] = []

    def after_import(self, dataset, result, **kwargs):
        result.flagged_rows = self._flagged
        result.held_rows = [(number, item) for number, item, held in self._flagged if held]

    def skip_row(self, instance, original, row, import_validation_errors=None) -> bool:
        # A held row is neither stored nor counted: the preview shows it, the confirmation's message names it.
        return not import_validation_errors and getattr(instance, "_held", False)

    def get_user_visible_fields(self):
        # The columns a file has; the clean body and the cleaning report are the preview's own.
        return [field for field in self.get_import_fields() if not isinstance(field, _ShownField)]

    def import_instance(self, instance: Article, row, **kwargs) -> None:
        errors: dict[str, str] = {}
        row_number = kwargs.get("row_number")
        cell = {name: (row.get(name) or "").strip() for name in ("story", "title", "outlet", "url", "date")}
        if not cell["story"]:
            errors["story"] = "Give the story's title (a new title creates the story)."
        if not cell["title"]:
            errors["title"] = "Give the article's title: the text is stored whole, no line of it is taken as one."
        published = None
        if cell["date"]:
            try:
                published = dt.date.fromisoformat(cell["date"])
            except ValueError:
                errors["date"] = f"{cell['date']!r} is not a date; write it as YYYY-MM-DD, e.g. 2025-01-31."
        if cell["url"]:
            try:
                URLValidator(schemes=["http", "https"])(cell["url"])
            except ValidationError:
                errors["url"] = (
                    f"{clip_line(cell['url'], 60)!r} is not a web address; "
                    "write it in full, e.g. https://example.com/news/story."
                )
        new_version = (row.get(NEW_VERSION_COLUMN) or "").strip().casefold() in YES
        raw = row.get("text") or ""
        source = f"row {row_number}" if row_number else "this row"
        cleaned = automatic = None
        overrides: dict[int, bool] = {}
        try:
            cleaned = automatic = clean_raw(raw, f"The text of {source}", title=cell["title"])
            overrides = overrides_from_choices(automatic, kwargs.get("row_choices", {}).get(row_number, {}))
            if overrides:
                cleaned = clean_raw(raw, f"The text of {source}", title=cell["title"], overrides=overrides)
        except ImportRefused as exc:
            errors["text"] = str(exc)
        story = Story.objects.filter(slug=slugify(cell["story"])[:300]).first() if cell["story"] else None
        if story is not None and story.is_frozen:
            errors["story"] = StoryFrozen(story.state).message
        if cleaned is not None and cell["story"] and "text" not in errors:
            duplicate = self._duplicate(cell["story"], raw, cleaned.body, row_number)
            if duplicate:
                errors["text"] = duplicate
            elif story is not None and not new_version:
                resembling = resembling_article(story=story, title=cell["title"], url=cell["url"])
                if resembling is not None:
                    twin, what = resembling
                    errors["url" if what == "source URL" else "title"] = (
                        resembles_message(f"The text of {source}", twin, what)
                        + f" (put yes in a {NEW_VERSION_COLUMN} column)."
                    )
        if errors:
            raise ValidationError(errors)
        instance.title = cell["title"]
        instance.outlet = cell["outlet"]
        instance.url = cell["url"]
        instance.published = published
        instance.raw_text = raw
        instance.body = cleaned.body
        instance._preview_body = cleaned.body
        instance._preview_cleaning = _cleaning_report(raw, cleaned)
        instance._story_title = cell["story"]
        instance._new_version = new_version
        instance._overrides = overrides
        instance._held = bool(cleaned.warning) and row_number not in kwargs.get("accepted_rows", ())
        if automatic.warning or cleaned.warning:
            held = HeldBack(f"row {row_number}", raw, cleaned, automatic, overrides)
            self._flagged.append((row_number, held, instance._held))

    def _duplicate(self, story_title: str, raw: str, body: str, row_number) -> str:
        digest = content_hash(body)
        earlier = self._seen.get((story_title.casefold(), digest))
        if earlier is not None:
            return f"The same text is already in row {earlier} of this file."
        self._seen[(story_title.casefold(), digest)] = row_number
        # The same clean body, or the same raw text (imported by the command, which may clean it otherwise).
        same_raw = normalise(raw)
        for title, body_sha256, stored_raw in Article.objects.filter(
            story__slug=slugify(story_title)[:300]
        ).values_list("title", "body_sha256", "raw_text"):
            if body_sha256 == digest or normalise(stored_raw) == same_raw:
                return f"The story already has this text, as the article {title!r}."
        return ""

    def save_instance(self, instance: Article, is_create, row, **kwargs) -> None:
        # The dry run (the preview) stores too, inside the transaction django-import-export rolls back.
        try:
            story = story_get_or_create(title=instance._story_title)
            imported = article_import(
                story=story,
                raw=instance.raw_text,
                source_name=f"admin import, row {kwargs.get('row_number', '?')}",
                url=instance.url,
                title=instance.title,
                outlet=instance.outlet,
                published=instance.published,
                cleaned=clean_raw(instance.raw_text, "the text", title=instance.title, overrides=instance._overrides),
                new_version=instance._new_version,
                overrides=instance._overrides,
            )
        except StoryFrozen as exc:
            raise ValidationError({"story": exc.message}) from exc
        except ImportRefused as exc:
            raise ValidationError({"text": str(exc)}) from exc
        saved = imported.article
        instance.pk, instance.story, instance.title = saved.pk, saved.story, saved.title
        instance.outlet, instance.published, instance.body_sha256 = saved.outlet, saved.published, saved.body_sha256
