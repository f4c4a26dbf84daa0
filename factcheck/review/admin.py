"""Admin for spans and their evidence."""

from django.contrib import admin
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin

from factcheck.exports.resources import VerdictResource
from factcheck.review.models import Evidence, Span


class EvidenceInline(admin.TabularInline):
    model = Evidence
    fk_name = "span"
    fields = ("article", "start", "end", "quote")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Span)
class SpanAdmin(ExportMixin, SimpleHistoryAdmin):
    # Export: the verdict CSV's columns (factcheck/exports/columns.py) for the filtered changelist.
    resource_classes = [VerdictResource]
    export_formats = [CSV, XLSX]
    list_display = ("short_quote", "label", "article", "reviewer", "start", "end", "updated_at")
    list_filter = ("label", "article__story", "reviewer", "updated_at")
    list_select_related = ("article", "reviewer")
    search_fields = ("quote", "note", "article__title", "reviewer__username")
    readonly_fields = (
        "article",
        "reviewer",
        "start",
        "end",
        "quote",
        "prefix",
        "suffix",
        "created_at",
        "updated_at",
    )
    inlines = [EvidenceInline]

    @admin.display(description="Quote")
    def short_quote(self, span: Span) -> str:
        return span.quote if len(span.quote) <= 80 else span.quote[:79] + "…"
