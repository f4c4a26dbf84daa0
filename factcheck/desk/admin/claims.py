"""Admin for claim groups, their threads and the reviewers' submissions: read-only, with full history."""

from django.contrib import admin
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.timezone import localtime

from factcheck.consensus.models import Comment
from factcheck.desk import selectors
from factcheck.desk.admin_site import AuditedAdmin, ReadOnlyInline, plural
from factcheck.review.models import ClaimGroup, ReviewSubmission


class ReadOnlyAdmin(AuditedAdmin):
    """Decisions and threads are made on the consensus pages, whose services hold the rules and version checks."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class CommentInline(ReadOnlyInline):
    model = Comment
    fields = ("author", "text", "created_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


@admin.register(ClaimGroup)
class ClaimGroupAdmin(ReadOnlyAdmin):
    list_display = (
        "__str__",
        "decide_link",
        "story",
        "status",
        "verdict",
        "figures",
        "decided",
    )
    list_filter = ("status", "label", "final_label", "article__story", "decided_at", "updated_at")
    list_select_related = ("article__story", "decided_by")
    search_fields = ("article__title", "final_note", "article__story__title")
    inlines = [CommentInline]
    history_list_display = ["status", "label", "final_label", "final_note"]

    class Media:
        css = {"all": ["css/workflow-admin.css"]}

    def get_queryset(self, request) -> QuerySet[ClaimGroup]:
        queryset = super().get_queryset(request).defer("article__body", "article__raw_text")
        return selectors.groups_with_figures(queryset)

    @admin.display(description="Decide")
    def decide_link(self, group: ClaimGroup) -> str:
        # Decisions are made on the claim's page, whose service checks the version the editor saw.
        return format_html('<a href="{}">Open the claim</a>', reverse("group-detail", args=[group.pk]))

    @admin.display(description="Story", ordering="article__story__title")
    def story(self, group: ClaimGroup) -> str:
        return group.article.story.title

    @admin.display(description="Spans", ordering="span_count")
    def span_count(self, group: ClaimGroup) -> int:
        return group.span_count

    # Combined cells keep the changelist within 1280 px; the change page shows each field alone.
    @admin.display(description="Verdict", ordering="final_label")
    def verdict(self, group: ClaimGroup) -> str:
        if group.final_label:
            return format_html('{}<br><span class="fc-when">decided</span>', group.get_final_label_display())
        return group.get_label_display() if group.label else "–"

    @admin.display(description="Figures", ordering="span_count")
    def figures(self, group: ClaimGroup) -> str:
        return format_html("{}<br>{}", plural(group.span_count, "span"), plural(group.reviewer_count, "reviewer"))

    @admin.display(description="Decided / updated", ordering="updated_at")
    def decided(self, group: ClaimGroup) -> str:
        return format_html(
            '{}<br><span class="fc-when">{}</span>',
            group.decided_by.get_username() if group.decided_by else "–",
            date_format(localtime(group.updated_at), "Y-m-d H:i"),
        )


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "author", "claim", "created_at")
    list_filter = ("created_at", "group__article__story")
    list_select_related = ("author", "group__article")
    search_fields = ("text", "author__username")

    @admin.display(description="Claim", ordering="group")
    def claim(self, comment: Comment) -> str:
        # The article's title, cut short, and where in it: the whole group name pushed the list past 1280 px.
        group = comment.group
        return format_html(
            '{}<br><span class="fc-when">characters {}–{}</span>',
            Truncator(group.article.title).chars(48),
            group.start,
            group.end,
        )

    def get_queryset(self, request):
        return super().get_queryset(request).defer("group__article__body", "group__article__raw_text")


@admin.register(ReviewSubmission)
class ReviewSubmissionAdmin(ReadOnlyAdmin):
    list_display = ("story", "reviewer", "submitted_at")
    list_filter = ("story", "submitted_at")
    list_select_related = ("story", "reviewer")
