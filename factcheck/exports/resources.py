"""django-import-export resources for the admin: verdicts out (the CSV columns), articles in (the import's cleaning).

VerdictResource has one field per column of columns.py and reads its rows through the same one query
as the streaming CSV, so the admin's CSV or XLSX carries exactly the same cells (formula-safe) for the
spans the changelist shows. Unlike the streaming download, django-import-export builds the whole file
in memory: it suits the filtered selections an editor makes in the admin; the whole archive goes
through /exports/verdicts.csv or `manage.py export_verdicts`.

ArticleImportResource takes a CSV with the columns story, title, outlet, url, date, text and stores
each row through factcheck.articles.services (clean_raw, article_import): the same cleaning as
`manage.py import_articles`. A row is refused, with a message naming the column, when its text is
empty or nothing is left once cleaned, its date is not a date, its story is missing, or the same
clean text is already in that story (or earlier in the file).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from import_export import fields, resources

from factcheck.articles.cleaning import content_hash
from factcheck.articles.models import Article
from factcheck.articles.services import ImportRefused, article_import, clean_raw, story_get_or_create
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


class ArticleImportResource(resources.ModelResource):
    """Articles from a CSV (story, title, outlet, url, date, text), cleaned like `import_articles`."""

    # The attributes are what the preview shows once a row is read; import_instance sets them.
    story = fields.Field(attribute="story", column_name="story")
    title = fields.Field(attribute="title", column_name="title")
    outlet = fields.Field(attribute="outlet", column_name="outlet")
    url = fields.Field(attribute="url", column_name="url")
    date = fields.Field(attribute="published", column_name="date")
    text = fields.Field(attribute="body", column_name="text")

    class Meta:
        model = Article
        name = "Articles from CSV (story, title, outlet, url, date, text)"
        fields = ARTICLE_COLUMNS
        import_order = ARTICLE_COLUMNS
        force_init_instance = True  # every row is a new article; duplicates are refused, not updated
        clean_model_instances = False  # import_instance checks everything the import rules require
        skip_diff = False
        use_transactions = True  # the preview runs the real import and is rolled back

    def before_import(self, dataset, **kwargs):
        missing = [name for name in ("story", "text") if name not in (dataset.headers or [])]
        if missing:
            # Empty the rows too: import-export goes on reading them after this refusal, and rows without
            # a header row (a blank first line) would fail there instead of showing this message.
            dataset.wipe()
            raise ValidationError(
                f"The file needs the columns {', '.join(ARTICLE_COLUMNS)}; "
                f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing."
            )
        self._seen: dict[tuple[str, str], int] = {}

    def import_instance(self, instance: Article, row, **kwargs) -> None:
        errors: dict[str, str] = {}
        story_title = (row.get("story") or "").strip()
        if not story_title:
            errors["story"] = "Give the story's title (a new title creates the story)."
        published = None
        raw_date = (row.get("date") or "").strip()
        if raw_date:
            try:
                published = dt.date.fromisoformat(raw_date)
            except ValueError:
                errors["date"] = f"{raw_date!r} is not a date; write it as YYYY-MM-DD, e.g. 2025-01-31."
        raw = row.get("text") or ""
        row_number = kwargs.get("row_number")
        source = f"row {row_number}" if row_number else "this row"
        body = ""
        try:
            body = clean_raw(raw, f"The text of {source}").body
        except ImportRefused as exc:
            errors["text"] = str(exc)
        if body and story_title:
            duplicate = self._duplicate(story_title, body, row_number)
            if duplicate:
                errors["text"] = duplicate
        if errors:
            raise ValidationError(errors)
        instance.title = (row.get("title") or "").strip()
        instance.outlet = (row.get("outlet") or "").strip()
        instance.url = (row.get("url") or "").strip()
        instance.published = published
        instance.raw_text = raw
        instance.body = body
        instance._story_title = story_title

    def _duplicate(self, story_title: str, body: str, row_number) -> str:
        digest = content_hash(body)
        earlier = self._seen.get((story_title.casefold(), digest))
        if earlier is not None:
            return f"The same text is already in row {earlier} of this file."
        self._seen[(story_title.casefold(), digest)] = row_number
        existing = Article.objects.filter(story__slug=slugify(story_title)[:300], body_sha256=digest).first()
        if existing is not None:
            return f"The story already has this text, as the article {existing.title!r}."
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
            )
        except ImportRefused as exc:
            raise ValidationError({"text": str(exc)}) from exc
        saved = imported.article
        instance.pk, instance.story, instance.title = saved.pk, saved.story, saved.title
        instance.outlet, instance.published, instance.body_sha256 = saved.outlet, saved.published, saved.body_sha256

    def dehydrate_text(self, article: Article) -> str:
        # The preview shows what cleaning left, not the whole article.
        body = article.body or ""
        return f"{len(body)} characters once cleaned: {body[:120]}{'…' if len(body) > 120 else ''}" if body else ""
