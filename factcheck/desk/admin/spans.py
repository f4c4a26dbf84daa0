"""Admin for spans and their evidence: editors read reviewers' work; it is theirs to change only while open."""

from django.contrib import admin
from django.db import models
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX

from factcheck.desk.admin_site import AuditedAdmin, ReadOnlyInline, StaleEditGuard
from factcheck.desk.filters import reviewer_filter, story_state_filter
from factcheck.exports.resources import VerdictResource
from factcheck.review.models import Evidence, Span
from factcheck.review.services import span_update
from factcheck.text import clip
from factcheck.workflow.panels import state_badge


class EvidenceInline(ReadOnlyInline):
    model = Evidence
    fk_name = "span"
    fields = ("article", "start", "end", "quote")


class GroupStatusFilter(admin.ChoicesFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "claim group"


@admin.register(Span)
class SpanAdmin(ExportMixin, StaleEditGuard, AuditedAdmin):
    # Export: the verdict CSV's columns (factcheck/exports/columns.py) for the filtered changelist.
    resource_classes = [VerdictResource]
    export_formats = [CSV, XLSX]
    # A note is kept as typed, leading tabs and spaces included, as on the reviewers' pages.
    formfield_overrides = {models.TextField: {"strip": False}}
    list_display = (
        "short_quote",
        "label",
        "article_title",
        "story",
        "story_state",
        "reviewer",
        "group_status",
        "updated_at",
    )
    list_filter = (
        "label",
        "article__story",
        story_state_filter("article__story__state"),
        reviewer_filter(),
        ("group__status", GroupStatusFilter),
        "updated_at",
    )
    list_select_related = ("article__story", "reviewer", "group")
    search_fields = ("quote", "note", "article__title", "reviewer__username")
    readonly_fields = (
        "article",
        "reviewer",
        "start",
        "end",
        "quote",
        "prefix",
        "suffix",
        "group",
        "created_at",
        "updated_at",
    )
    fields = ("label", "note", "seen_token", *readonly_fields)
    inlines = [EvidenceInline]
    history_list_display = ["label", "note"]

    class Media:
        css = {"all": ["css/workflow-admin.css"]}

    def get_queryset(self, request):
        # Rows show titles, never the texts: leave the article bodies in the database.
        return super().get_queryset(request).defer("article__body", "article__raw_text")

    def has_add_permission(self, request) -> bool:
        # A span is a reviewer's selection in the article page; the desk reads and corrects, it does not mark.
        return False

    def edit_token(self, span: Span) -> str:
        return span.updated_at.isoformat()

    def has_change_permission(self, request, obj: Span | None = None) -> bool:
        # Work under approval or approved is frozen for everyone, here as on the reviewers' pages.
        if obj is not None and not obj.article.story.is_open_for_review:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj: Span, form, change: bool) -> None:
        # The same rules as the reviewers' pages; evidence is left as it is (None).
        obj._history_user = request.user
        span_update(span=obj, user=request.user, label=obj.label, note=obj.note)

    @admin.display(description="Quote")
    def short_quote(self, span: Span) -> str:
        return clip(span.quote, 80)

    @admin.display(description="Article", ordering="article__title")
    def article_title(self, span: Span) -> str:
        return clip(span.article.title, 48)

    @admin.display(description="Story", ordering="article__story__title")
    def story(self, span: Span) -> str:
        return span.article.story.title

    @admin.display(description="Story state", ordering="article__story__state")
    def story_state(self, span: Span) -> str:
        return state_badge(span.article.story.state)

    @admin.display(description="Group", ordering="group__status")
    def group_status(self, span: Span) -> str:
        return span.group.get_status_display() if span.group else "–"
