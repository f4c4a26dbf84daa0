"""Admin for stories and articles: the editors' queue of stories, their review moves, and the import check."""

import json
import re
from contextlib import suppress

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from import_export.admin import ImportMixin
from import_export.formats.base_formats import CSV

from factcheck.articles.cleaning import DROPPED_SENTENCES_WARNING
from factcheck.articles.models import Article, Story, StoryState
from factcheck.articles.services import (
    HeldBack,
    ImportRefused,
    ImportReport,
    article_clean_preview,
    article_reclean,
    articles_import_uploads,
    decode_uploads,
)
from factcheck.articles.signals import announce_import
from factcheck.consensus.agreement import Agreement
from factcheck.consensus.glance import story_glance
from factcheck.desk import selectors
from factcheck.desk.admin_site import AuditedAdmin, ReadOnlyInline, StaleEditGuard, count_column, plural
from factcheck.desk.filters import label_filter, reviewer_filter, story_state_filter
from factcheck.exports.models import Publication
from factcheck.exports.resources import NOT_UTF8, ArticleImportResource
from factcheck.refusals import Refused, refusal
from factcheck.review.access import reviewers
from factcheck.review.models import ClaimGroup, Span
from factcheck.workflow.panels import MovePanel, move_panel, state_badge
from factcheck.workflow.services import (
    StaleStory,
    TransitionRefused,
    stories_assign,
    stories_transition,
    story_transition,
)

SEEN_VERSION = "seen_version_%s"
# The uploads this editor previewed and may still confirm (the confirm form names them): CSV files and the
# saved pages held for a decision, both kept in django-import-export's temporary storage meanwhile.
PENDING_IMPORTS = "factcheck-pending-imports"
PENDING_KEPT = 10
# Said when a previewed upload was removed from the temporary storage before the editor confirmed it.
FILE_GONE = "This file is no longer kept on the server: upload it again."
# The share of prose cleaning may drop before an upload is held back, as the previews print it.
DROPPED_LIMIT = f"{DROPPED_SENTENCES_WARNING:.0%}"
# A keep/drop radio of cleaning_blocks.html: "block-3", or "file2-block-3" / "row4-block-3" when several
# articles share one form (the saved pages' preview names a file by its place, the CSV preview by its row).
_CHOICE = re.compile(r"(?:(?P<owner>(?:file|row)[0-9]{1,6})-)?block-(?P<index>[0-9]{1,6})")


def posted_choices(post) -> dict[str, dict[int, bool]]:
    """An editor's keep (true) or drop (false) per block, by article ("" on a page of one article)."""
    choices: dict[str, dict[int, bool]] = {}
    for key, value in post.items():
        match = _CHOICE.fullmatch(key)
        if match and value in ("keep", "drop"):
            choices.setdefault(match["owner"] or "", {})[int(match["index"])] = value == "keep"
    return choices


def remember_pending(request: HttpRequest, name: str) -> None:
    pending = request.session.get(PENDING_IMPORTS, [])[-(PENDING_KEPT - 1) :]
    request.session[PENDING_IMPORTS] = [*pending, name]


def forget_pending(request: HttpRequest, name: str) -> bool:
    """Take `name` off this editor's pending imports; False if it was not there (not prepared here, or done)."""
    pending = request.session.get(PENDING_IMPORTS, [])
    if name not in pending:
        return False
    request.session[PENDING_IMPORTS] = [n for n in pending if n != name]
    return True


def discard(storage) -> None:
    """Remove a pending upload from the temporary storage; gone already (another tab took it) is fine."""
    with suppress(OSError):
        storage.remove()


def block_rows(held: HeldBack) -> list[tuple]:
    """cleaning_blocks.html's rows for a held text: each line, what it is now, what cleaning decided alone."""
    return [
        (index, block, held.automatic.blocks[index].kept)
        for index, block in enumerate(held.cleaned.blocks)
        if block.text.strip()
    ]


def flagged_files(texts: list[tuple[str, str, str, HeldBack]], accepted) -> list[dict]:
    """held_article.html's `file` for each text cleaning alone would hold back: (the value its tick sends, the
    prefix of its radios, its heading, the text)."""
    return [
        {
            "item": item,
            "accept": value,
            "accepted": value in accepted,
            "prefix": prefix,
            "heading": heading,
            "blocks": block_rows(item),
            "page_text": "\n".join(block.text for block in item.cleaned.blocks),
            "first_dropped": item.cleaned.dropped_prose[:3],
        }
        for value, prefix, heading, item in texts
    ]


def when(moment) -> str:
    return date_format(localtime(moment), "Y-m-d H:i")


def alpha_cell(agreement: Agreement | None) -> str:
    agreement = agreement or selectors.NO_AGREEMENT
    if agreement.alpha is None:
        return format_html('<span class="fc-alpha fc-alpha-none" title="{}">–</span>', agreement.summary)
    return format_html(
        '<span class="fc-alpha fc-alpha-{}" title="{}">{}</span>',
        agreement.level,
        agreement.summary,
        f"{agreement.alpha:.2f}",
    )


class ReviewFigures:
    """Count columns and an alpha per row, each loaded for the whole page at once, not row by row."""

    # One "Review" cell for the four counts keeps the changelists within 1280 px; each count stays
    # sortable by its own column on the change page's figures and by this one (spans).
    COLUMNS = ("review_figures", "alpha")

    span_count = count_column("span_count", "Spans")
    reviewer_count = count_column("reviewer_count", "Reviewers")
    disputed_count = count_column("disputed_count", "Disputed")
    consensus_count = count_column("consensus_count", "Consensus")

    @admin.display(description="Review", ordering="span_count")
    def review_figures(self, row) -> str:
        return format_html(
            '<span class="fc-figs">{} · {}<br>{} disputed · {} agreed</span>',
            plural(row.span_count, "span"),
            plural(row.reviewer_count, "reviewer"),
            row.disputed_count,
            row.consensus_count,
        )

    def row_agreements(self, pks: list[int]) -> dict:
        raise NotImplementedError

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # The page's rows are fetched here once (the template reuses them): alpha for all of them in one query.
        rows = list(changelist.result_list)
        figures = self.row_agreements([row.pk for row in rows])
        for row in rows:
            row.agreement = figures.get(row.pk)
        return changelist

    @admin.display(description="Alpha")
    def alpha(self, row) -> str:
        if not hasattr(row, "agreement"):  # a change page: one row, one query
            row.agreement = self.row_agreements([row.pk]).get(row.pk)
        return alpha_cell(row.agreement)


class NamedBlankFilter(admin.AllValuesFieldListFilter):
    """A blank value gets a name: an empty link is unreadable and fails the accessibility audit."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            yield {**choice, "display": "(none)"} if choice["display"] == "" else choice


class QueueChangeList(ChangeList):
    """Stories in the editors' queue order (ready for approval first) until a column is clicked."""

    def get_ordering(self, request, queryset):
        ordering = super().get_ordering(request, queryset)
        return ordering if ORDER_VAR in self.params else ["queue", *ordering]


class ArticleInline(ReadOnlyInline):
    """Read-only here: an article is edited on its own page, where the stale-edit guard covers it."""

    model = Article
    fields = ("title", "outlet", "published", "url")
    show_change_link = True


@admin.register(Story)
class StoryAdmin(ReviewFigures, StaleEditGuard, AuditedAdmin):
    list_display = (
        "title",
        "state_column",
        "article_count",
        *ReviewFigures.COLUMNS,
        "last_change",
        "approved_by",
    )
    list_filter = (
        "state",
        label_filter("article__story"),
        reviewer_filter("article__story"),
        "created_at",
        "approved_at",
    )
    list_select_related = ("approved_by",)
    search_fields = ("title", "slug", "state_reason", "articles__title", "articles__outlet")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = (
        "state_display",
        "state_reason",
        "version",
        "approved_by",
        "approved_at",
        "created_at",
        "figures",
    )
    fields = ("title", "slug", "reviewers", "due_date", "quorum", "majority", "seen_token", *readonly_fields)
    inlines = [ArticleInline]
    actions = ["approve_selected", "request_changes", "assign_reviewers", "assign_all_reviewers"]
    history_list_display = ["state", "state_reason", "version"]
    change_form_template = "admin/articles/story/change_form.html"

    class Media:
        css = {"all": ["css/workflow-admin.css", "css/pictures.css"]}

    def get_queryset(self, request):
        stories = super().get_queryset(request).annotate(queue=selectors.QUEUE_ORDER)
        return selectors.stories_with_figures(stories)

    def get_changelist(self, request, **kwargs):
        return QueueChangeList

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "reviewers":
            # Only reviewers are offered, as plain checkboxes: the admin's two-box filter widget fails the
            # accessibility audit (aria attributes on its search label); "Assign all reviewers" is the shortcut.
            kwargs["queryset"] = reviewers()
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj: Story | None = None):
        # The consensus rule of a story under approval or approved stays what the reviewers worked to.
        if obj is not None and not obj.is_open_for_review:
            return (*self.readonly_fields, "quorum", "majority")
        return self.readonly_fields

    def edit_token(self, story: Story) -> str:
        return str(story.version)

    def save_model(self, request, obj: Story, form, change: bool) -> None:
        if change:
            # An edit is a change too: an approval prepared on the page before it must be refused.
            # The guard compared it with the locked row, so +1 here is the row's next version.
            obj.version += 1
        super().save_model(request, obj, form, change)

    # -- columns -------------------------------------------------------------------------------

    @admin.display(description="State")
    def state_display(self, story: Story) -> str:
        return state_badge(story.state)

    @admin.display(description="State", ordering="queue")
    def state_column(self, story: Story) -> str:
        # The version the editor saw travels with a bulk action, in the changelist's own form.
        return format_html(
            '{}<input type="hidden" name="{}" value="{}">',
            state_badge(story.state),
            SEEN_VERSION % story.pk,
            story.version,
        )

    article_count = count_column("article_count", "Articles")

    def row_agreements(self, pks: list[int]) -> dict:
        return {pk: figures.story for pk, figures in selectors.story_agreements(pks).items()}

    @admin.display(description="Last change", ordering="last_change_at")
    def last_change(self, story: Story) -> str:
        if story.last_change_at is None:
            return "–"
        return format_html(
            '<time datetime="{}" title="{}">{}</time><br><span class="fc-when">{}</span>',
            story.last_change_at.isoformat(),
            story.last_change_reason or "",
            when(story.last_change_at),
            story.last_change_by or "system",
        )

    @admin.display(description="Articles and their figures")
    def figures(self, story: Story) -> str:
        if story.pk is None:
            return "–"
        articles = selectors.articles_with_figures(story.articles.order_by("published", "pk"))
        agreement = selectors.story_agreements([story.pk]).get(story.pk)
        rows = format_html_join(
            "",
            '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
            (
                (
                    reverse("admin:articles_article_change", args=[a.pk]),
                    a.title,
                    a.outlet,
                    a.span_count,
                    a.reviewer_count,
                    a.disputed_count,
                    a.consensus_count,
                    alpha_cell(agreement.for_article(a.pk) if agreement else None),
                )
                for a in articles
            ),
        )
        return format_html(
            '<table class="fc-figures"><thead><tr><th>Article</th><th>Outlet</th><th>Spans</th><th>Reviewers</th>'
            "<th>Disputed</th><th>Consensus</th><th>Alpha</th></tr></thead><tbody>{}</tbody>"
            '<tfoot><tr><th colspan="6">The whole story</th><td>{}</td></tr></tfoot></table>',
            rows,
            alpha_cell(agreement.story if agreement else None),
        )

    # -- review moves: the change page's buttons and the bulk actions ---------------------------

    def get_urls(self):
        urls = super().get_urls()
        move = self.admin_site.admin_view(self.transition_view)
        return [path("<path:object_id>/transition/", move, name="articles_story_transition"), *urls]

    def _panel_context(self, request: HttpRequest, story: Story, **state) -> MovePanel:
        action = reverse("admin:articles_story_transition", args=[story.pk])
        return move_panel(story=story, user=request.user, action=action, desk=True, **state)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        story = self.get_object(request, object_id)
        if story is not None:
            articles = list(story.articles.only("pk", "title", "outlet", "published").order_by("published", "pk"))
            extra_context = {
                **(extra_context or {}),
                "workflow": self._panel_context(request, story),
                "glance": story_glance(story=story, articles=articles),
                # Each approval is a published version; the newest is the story's public page.
                "publications": list(
                    Publication.objects.filter(story=story).select_related("approved_by").order_by("-number")
                ),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def transition_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        story = get_object_or_404(Story, pk=object_id) if object_id.isdigit() else None
        if story is None or not self.has_view_or_change_permission(request, story):
            return HttpResponse("No such story.", status=404)
        change_url = reverse("admin:articles_story_change", args=[story.pk])
        if request.method != "POST":
            return HttpResponseRedirect(change_url)
        target = request.POST.get("target", "")
        reason = request.POST.get("reason", "")
        try:
            moved = story_transition(
                story=story,
                user=request.user,
                target=target,
                seen_version=request.POST.get("seen_version"),
                reason=reason,
            )
        except TransitionRefused as exc:
            story.refresh_from_db()
            context = {
                **self.admin_site.each_context(request),
                "title": f"Could not change “{story.title}”",
                "opts": self.model._meta,
                "original": story,
                "change_url": change_url,
                "stale": isinstance(exc, StaleStory),
                "workflow": self._panel_context(
                    request,
                    story,
                    error=exc.message,
                    error_field=exc.field,
                    reason=reason,
                    # A stale page must be reloaded; other refusals may be retried with the version seen.
                    seen_version=request.POST.get("seen_version", "")
                    if not isinstance(exc, StaleStory)
                    else story.version,
                ),
            }
            return TemplateResponse(request, "admin/workflow/transition_refused.html", context, status=refusal(exc)[0])
        self.log_change(request, moved, moved.history.latest().history_change_reason)
        self.message_user(request, f"“{moved.title}” is now {moved.get_state_display().lower()}.", messages.SUCCESS)
        return HttpResponseRedirect(change_url)

    def _seen_versions(self, request: HttpRequest) -> dict[int, str]:
        return {
            int(key.removeprefix("seen_version_")): value
            for key, value in request.POST.items()
            if key.startswith("seen_version_") and key.removeprefix("seen_version_").isdigit()
        }

    def _report(self, request: HttpRequest, result, verb: str) -> None:
        for story in result.moved:
            self.log_change(request, story, story.history.latest().history_change_reason)
        if result.moved:
            names = ", ".join(f"“{s.title}”" for s in result.moved)
            self.message_user(
                request, f"{verb} {len(result.moved)} stor{'y' if len(result.moved) == 1 else 'ies'}: {names}."
            )
        for story, message in result.refused:
            self.message_user(request, f"Not changed: “{story.title}”: {message}", messages.ERROR)

    @admin.action(description="Approve selected stories")
    def approve_selected(self, request: HttpRequest, queryset):
        result = stories_transition(
            stories=list(queryset),
            user=request.user,
            target=StoryState.APPROVED,
            seen_versions=self._seen_versions(request),
        )
        self._report(request, result, "Approved")

    @admin.action(description="Request changes on selected stories (with one reason)")
    def request_changes(self, request: HttpRequest, queryset):
        stories = list(queryset)
        seen = self._seen_versions(request)
        reason = request.POST.get("reason", "")
        error = ""
        if "apply" in request.POST:
            if reason.strip():
                result = stories_transition(
                    stories=stories,
                    user=request.user,
                    target=StoryState.CHANGES_REQUESTED,
                    seen_versions=seen,
                    reason=reason,
                )
                self._report(request, result, "Sent back")
                return None
            error = "Give a reason: the reviewers will see it on the story page."
        chosen = [(story, seen.get(story.pk, "")) for story in stories]
        return self._action_page(
            request,
            "request_changes",
            "Request changes",
            chosen,
            status=400 if error else 200,
            reason=reason,
            error=error,
        )

    def _action_page(self, request: HttpRequest, action: str, title: str, stories, *, status: int = 200, **fields):
        """A bulk action's own page (admin/workflow/<action>.html): `stories` as (story, seen version or None)."""
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "stories": stories,
            "action": action,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            **fields,
        }
        return TemplateResponse(request, f"admin/workflow/{action}.html", context, status=status)

    # -- assignment: who reviews which story -----------------------------------------------------

    def _assign(self, request: HttpRequest, stories: list[Story], users, due_date=None) -> None:
        try:
            made = stories_assign(stories=stories, users=users, editor=request.user, due_date=due_date)
        except (Refused, ValidationError) as exc:
            self.message_user(request, refusal(exc)[1], messages.ERROR)
            return
        names = ", ".join(u.get_username() for u in users) or "nobody"
        for story in stories:
            self.log_change(request, story, f"Assigned {names}")
        self.message_user(
            request,
            f"Assigned {names} to {len(stories)} stor{'y' if len(stories) == 1 else 'ies'}"
            f" ({made} new assignment{'s' if made != 1 else ''}).",
        )

    @admin.action(description="Assign all reviewers to selected stories")
    def assign_all_reviewers(self, request: HttpRequest, queryset):
        self._assign(request, list(queryset), list(reviewers()))

    @admin.action(description="Assign reviewers to selected stories (choose whom, and a due date)")
    def assign_reviewers(self, request: HttpRequest, queryset):
        stories = list(queryset)
        everyone = list(reviewers())
        chosen = request.POST.getlist("reviewer")
        due = request.POST.get("due_date", "").strip()
        error = ""
        if "apply" in request.POST:
            users = [u for u in everyone if str(u.pk) in chosen]
            due_date = parse_date(due) if due else None
            if due and due_date is None:
                error = "Give the due date as YYYY-MM-DD, or leave it empty."
            elif not users:
                error = "Choose at least one reviewer."
            else:
                self._assign(request, stories, users, due_date)
                return None
        return self._action_page(
            request,
            "assign_reviewers",
            "Assign reviewers",
            [(story, None) for story in stories],
            reviewers=everyone,
            chosen=chosen,
            due_date=due,
            error=error,
        )


class SpanInline(ReadOnlyInline):
    model = Span
    fk_name = "article"
    fields = ("quote", "start", "end", "label", "reviewer", "note", "group_status")
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewer", "group")

    @admin.display(description="Claim group")
    def group_status(self, span: Span) -> str:
        if span.group is None:
            return "–"
        label = span.group.get_final_label_display() or span.group.get_label_display()
        return f"{span.group.get_status_display()}{f' ({label})' if label else ''}"


class ClaimGroupInline(ReadOnlyInline):
    model = ClaimGroup
    fields = ("quote", "start", "end", "status", "label", "final_label", "reviewer_count", "decided_by")
    show_change_link = True
    verbose_name = "claim group"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article", "decided_by")

    @admin.display(description="Text")
    def quote(self, group: ClaimGroup) -> str:
        return group.article.body[group.start : group.end]


@admin.register(Article)
class ArticleAdmin(ImportMixin, ReviewFigures, StaleEditGuard, AuditedAdmin):
    # Import: a CSV of articles, cleaned like `manage.py import_articles` (factcheck/exports/resources.py).
    resource_classes = [ArticleImportResource]
    import_formats = [CSV]
    import_export_change_list_template = "admin/articles/article/change_list.html"  # plus saved pages
    list_display = (
        "title",
        "story_with_state",
        *ReviewFigures.COLUMNS,
        "last_change",
        "source",
    )
    list_filter = (
        "story",
        story_state_filter("story__state"),
        label_filter("article"),
        reviewer_filter("article"),
        "published",
        ("outlet", NamedBlankFilter),
    )
    list_select_related = ("story",)
    search_fields = ("title", "outlet", "body", "story__title")
    # The story and body stay as imported: spans and claim groups point into this body of this story.
    readonly_fields = ("story", "story_state", "alpha", "body_sha256", "imported_at", "source_name", "import_check")
    fields = ("story", "story_state", "title", "outlet", "url", "published", "seen_token", *readonly_fields[2:])
    inlines = [SpanInline, ClaimGroupInline]
    history_list_display = ["title", "outlet", "published"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    class Media:
        css = {"all": ["css/workflow-admin.css"]}

    # -- the CSV import: only an upload this editor previewed here may be confirmed -------------------

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        confirm = context.get("confirm_form")
        if confirm is not None and confirm.initial.get("import_file_name"):
            remember_pending(request, confirm.initial["import_file_name"])
        self._flagged_rows(context, accepted=frozenset())
        return response

    def _flagged_rows(self, context: dict, *, accepted: frozenset[str]) -> None:
        """The rows cleaning would hold back, for the preview: raw text beside clean body, tick, lines."""
        rows = getattr(context.get("result"), "flagged_rows", [])
        context["limit"] = DROPPED_LIMIT
        context["flagged"] = flagged_files(
            [(str(number), f"row{number}-", f"Row {number}: “{item.cleaned.title}”", item) for number, item, _ in rows],
            accepted,
        )

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        request = kwargs.get("request")
        if request is not None and "import_file_name" in request.POST:  # confirming, or previewing again
            kwargs["accepted_rows"] = {
                int(value) for value in request.POST.getlist("accept") if re.fullmatch(r"[0-9]{1,6}", value)
            }
            kwargs["row_choices"] = {
                int(owner.removeprefix("row")): chosen
                for owner, chosen in posted_choices(request.POST).items()
                if owner.startswith("row")
            }
            # A row that no longer passes (a story approved meanwhile, a forged choice) stores nothing at all.
            kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def process_import(self, request, **kwargs):
        # The confirm form names a format and a file on the server: anything but what this editor's own
        # preview prepared would be a 500, or would read and delete another file of the temp folder.
        fmt, name = request.POST.get("format", ""), request.POST.get("import_file_name", "")
        if not re.fullmatch(r"[0-9]{1,3}", fmt) or int(fmt) >= len(self.get_import_formats()):
            return HttpResponseBadRequest("Choose one of the offered file formats and upload the file again.")
        if "again" in request.POST and name in request.session.get(PENDING_IMPORTS, []):
            return self._preview_again(request, int(fmt), name)
        if not forget_pending(request, name):
            return HttpResponseBadRequest(
                "This import was not prepared here, or it was confirmed already: upload the file again."
            )
        try:
            return super().process_import(request, **kwargs)
        except FileNotFoundError:  # the temporary folder was emptied since the preview
            return HttpResponseBadRequest(FILE_GONE)

    def _preview_again(self, request: HttpRequest, fmt: int, name: str) -> HttpResponse:
        """The CSV preview once more, with the editor's ticks and keep/drop choices; nothing is stored."""
        confirm_form = self.create_confirm_form(request)
        if not confirm_form.is_valid():
            return HttpResponseBadRequest("This import was not prepared here: upload the file again.")
        input_format = self.get_import_formats()[fmt](encoding=self.from_encoding)
        storage = self.get_tmp_storage_class()(
            name=name,
            encoding=None if input_format.is_binary() else self.from_encoding,
            read_mode=input_format.get_read_mode(),
            **self.get_tmp_storage_class_kwargs(),
        )
        try:
            dataset = input_format.create_dataset(storage.read())
        except OSError:
            forget_pending(request, name)
            return HttpResponseBadRequest(FILE_GONE)
        resource = self.choose_import_resource_class(confirm_form, request)(
            **self.get_import_resource_kwargs(request, form=confirm_form)
        )
        result = resource.import_data(
            dataset,
            dry_run=True,
            raise_errors=False,
            file_name=confirm_form.cleaned_data.get("original_file_name"),
            user=request.user,
            **self.get_import_data_kwargs(request=request, form=confirm_form),
        )
        failed = result.has_errors() or result.has_validation_errors()
        context = {
            **self.get_import_context_data(),
            **self.admin_site.each_context(request),
            "title": "Import",
            "opts": self.model._meta,
            "result": result,
            "confirm_form": confirm_form,
            "import_error_display": self.import_error_display,
        }
        self._flagged_rows(context, accepted=frozenset(request.POST.getlist("accept")))
        return TemplateResponse(request, [self.import_template_name], context, status=400 if failed else 200)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # Rolled back (rollback_on_validation_errors): say why, with the preview's own lists.
            context = {
                **self.admin_site.each_context(request),
                "title": "Nothing was imported",
                "opts": self.model._meta,
                "result": result,
                "import_error_display": self.import_error_display,
            }
            return TemplateResponse(request, [self.import_template_name], context, status=400)
        held = getattr(result, "held_rows", [])
        if held:
            names = "; ".join(f"row {number} (“{item.cleaned.title}”): {item.cleaned.warning}" for number, item in held)
            self.message_user(
                request,
                f"Not imported, as you did not accept them: {names} Upload the file again to import them.",
                messages.WARNING,
            )
        return super().process_result(result, request)

    def has_add_permission(self, request) -> bool:
        # Articles come in through import_articles, which cleans them and refuses duplicates.
        return False

    def add_data_read_fail_error_to_form(self, form, exc: Exception) -> None:
        # django-import-export names the Python exception; the editor needs to know what to do instead.
        if isinstance(exc, UnicodeError):
            message = NOT_UTF8
        else:
            message = "This file could not be read as CSV: save it as CSV UTF-8 (comma-separated) and import it again."
        form.add_error("import_file", message)

    def save_model(self, request, obj: Article, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and {"title", "outlet", "published"} & set(form.changed_data):
            # Pre-flags name articles by title and outlet and read "last year" against the publication
            # date, and the story page's pictures draw a lane per article in date order: recompute both
            # after the commit, as after an import.
            announce_import(story=obj.story)

    def has_change_permission(self, request, obj: Article | None = None) -> bool:
        # The title, outlet and link of an article are part of a published result: frozen with the story.
        # A POST reloads the article, so a form opened before the approval is refused too (403).
        if obj is not None and obj.story.is_frozen:
            return False
        return super().has_change_permission(request, obj)

    def get_queryset(self, request):
        queryset = selectors.articles_with_figures(super().get_queryset(request))
        if request.resolver_match and request.resolver_match.url_name == "articles_article_changelist":
            # A list shows titles: leave the texts (often long) in the database.
            queryset = queryset.defer("raw_text", "body")
        return queryset

    @admin.display(description="Story state", ordering="story__state")
    def story_state(self, article: Article) -> str:
        return state_badge(article.story.state)

    @admin.display(description="Story", ordering="story__title")
    def story_with_state(self, article: Article) -> str:
        # The story and its state in one cell, so the changelist fits 1280 px.
        return format_html("{}<br>{}", article.story.title, state_badge(article.story.state))

    @admin.display(description="Source", ordering="outlet")
    def source(self, article: Article) -> str:
        published = date_format(article.published, "Y-m-d") if article.published else ""
        return format_html('{}<br><span class="fc-when">{}</span>', article.outlet or "–", published)

    def row_agreements(self, pks: list[int]) -> dict:
        return selectors.article_agreements(pks)

    @admin.display(description="Last change", ordering="last_span_change_at")
    def last_change(self, article: Article) -> str:
        latest = max(filter(None, [article.last_change_at, article.last_span_change_at]), default=None)
        if latest is None:
            return "–"
        return format_html('<time datetime="{}">{}</time>', latest.isoformat(), when(latest))

    @admin.display(description="Import check: raw text beside the clean body")
    def import_check(self, article: Article) -> str:
        side_by_side = render_to_string(
            "admin/articles/article/side_by_side.html",
            {
                "left_caption": "Raw text, as imported",
                "left_text": article.raw_text,
                "right_caption": "Clean body, what spans point into",
                "right_text": article.body,
            },
        )
        return format_html(
            '<p><a class="fc-button" href="{}">Correct the cleaning block by block</a></p>{}',
            reverse("admin:articles_article_cleaning", args=[article.pk]),
            side_by_side,
        )

    # -- correcting the cleaning: keep or drop each block of the raw text, preview, then apply ---------

    def get_urls(self):
        cleaning = self.admin_site.admin_view(self.cleaning_view)
        pages = self.admin_site.admin_view(self.import_pages_view)
        return [
            path("import-pages/", pages, name="articles_article_import_pages"),
            path("<path:object_id>/cleaning/", cleaning, name="articles_article_cleaning"),
            *super().get_urls(),
        ]

    def import_pages_view(self, request: HttpRequest) -> HttpResponse:
        """Saved pages or text files into a story, through the import command's own service.

        Files whose cleaning drops too much wait, with nothing stored, on a preview where the editor sees each
        one's raw text beside its clean body and accepts it or corrects it; the others import at once.
        """
        if not self.has_import_permission(request):
            return HttpResponse("Only editors import articles.", status=403)
        context = {
            **self.admin_site.each_context(request),
            "title": "Import saved pages",
            "opts": self.model._meta,
            "stories": Story.objects.order_by("title").values_list("title", flat=True),
            "story_title": request.POST.get("story", ""),
        }
        if request.method != "POST":
            return TemplateResponse(request, "admin/articles/article/import_pages.html", context)
        if "pending" in request.POST:
            return self._decide_pages(request, context, request.POST["pending"])
        new_version = request.POST.get("new_version") == "1"
        try:
            texts = decode_uploads([(upload.name, upload.read()) for upload in request.FILES.getlist("files")])
            report = articles_import_uploads(
                story_title=context["story_title"], texts=texts, new_version=new_version, wait_if_held=True
            )
        except Refused as exc:  # a file the import refuses, or a story under approval or approved
            context["error"] = exc.message
            return TemplateResponse(request, "admin/articles/article/import_pages.html", context, status=exc.status)
        if report.held:
            bundle = {"story": context["story_title"], "new_version": new_version, "files": texts}
            storage = self.get_tmp_storage_class()(read_mode="rb", **self.get_tmp_storage_class_kwargs())
            storage.save(json.dumps(bundle).encode("utf-8"))
            remember_pending(request, storage.name)
            return self._held_pages(request, context, storage.name, texts, report, accepted=frozenset())
        return self._imported_pages(request, context, report)

    def _imported_pages(self, request: HttpRequest, context: dict, report: ImportReport) -> HttpResponse:
        for item in report.imported:
            if item.created:
                self.log_addition(request, item.article, "Imported from a saved page")
        context.update(imported=report.imported, left_out=report.held)
        return TemplateResponse(request, "admin/articles/article/import_pages.html", context)

    def _held_pages(self, request, context, pending, texts, report, *, accepted, status=200) -> HttpResponse:
        """The preview: what will be imported, and each held text's lines and two versions, nothing stored."""
        place = {name: index for index, (name, _raw) in enumerate(texts)}
        flagged = {item.source_name for item in report.flagged}
        context.update(
            title="Import saved pages: check before importing",
            pending=pending,
            ready=[item for item in report.imported if item.article.source_name not in flagged],
            limit=DROPPED_LIMIT,
            flagged=flagged_files(
                [
                    (
                        item.source_name,
                        f"file{place[item.source_name]}-",
                        f"{item.source_name}: “{item.cleaned.title or 'no title found'}”",
                        item,
                    )
                    for item in report.flagged
                ],
                accepted,
            ),
        )
        return TemplateResponse(request, "admin/articles/article/import_pages_preview.html", context, status=status)

    def _decide_pages(self, request: HttpRequest, context: dict, pending: str) -> HttpResponse:
        """The preview's answer: preview again with the editor's choices, import, or cancel."""
        if pending not in request.session.get(PENDING_IMPORTS, []):
            return HttpResponseBadRequest(
                "These files were not previewed here, or they were imported or cancelled already: send them again."
            )
        storage = self.get_tmp_storage_class()(name=pending, read_mode="rb", **self.get_tmp_storage_class_kwargs())
        try:
            bundle = json.loads(storage.read())
            story_title, new_version = str(bundle["story"]), bundle["new_version"] is True
            texts = [(str(name), str(raw)) for name, raw in bundle["files"]]
        except (OSError, TypeError, ValueError, KeyError):
            forget_pending(request, pending)
            return HttpResponseBadRequest("These files are no longer kept on the server: send them again.")
        context["story_title"] = story_title
        if "cancel" in request.POST:
            forget_pending(request, pending)
            discard(storage)
            context["cancelled"] = True
            return TemplateResponse(request, "admin/articles/article/import_pages.html", context)
        names = [name for name, _raw in texts]
        posted = posted_choices(request.POST)
        choices = {name: posted.get(f"file{index}", {}) for index, name in enumerate(names)}
        accepted = frozenset(request.POST.getlist("accept")) & set(names)
        # Only the Import button imports; anything else (Enter in the form, a stray post) previews again.
        again = "again" in request.POST or "import" not in request.POST
        if not again:
            # Taken off first: a second click on Import finds nothing to confirm.
            forget_pending(request, pending)
        batch = {"story_title": story_title, "texts": texts, "new_version": new_version, "accepted": accepted}
        try:
            report = articles_import_uploads(**batch, choices=choices, preview=again)
        except Refused as exc:
            retry = None
            if again:
                # A choice that fits no line of its text (a forged block number): the preview without it, and why.
                with suppress(Refused):
                    retry = articles_import_uploads(**batch, preview=True)
            if retry is None:  # the files themselves no longer pass (the story was approved meanwhile)
                forget_pending(request, pending)
                discard(storage)
                context["error"] = f"{exc.message} Nothing was imported; send the files again."
                return TemplateResponse(request, "admin/articles/article/import_pages.html", context, status=exc.status)
            context["error"] = exc.message
            return self._held_pages(request, context, pending, texts, retry, accepted=accepted, status=exc.status)
        if again:
            return self._held_pages(request, context, pending, texts, report, accepted=accepted)
        discard(storage)
        return self._imported_pages(request, context, report)

    def cleaning_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        article = self.get_object(request, object_id) if object_id.isdigit() else None
        if article is None or not self.has_view_permission(request, article):
            return HttpResponse("No such article.", status=404)
        change_url = reverse("admin:articles_article_change", args=[article.pk])
        automatic = article_clean_preview(article=article, overrides={})
        overrides = article.block_overrides
        if request.method == "POST":
            # Only the choices that differ from the automatic decision are stored as overrides.
            overrides = {
                index: keep
                for index, keep in posted_choices(request.POST).get("", {}).items()
                if index < len(automatic.blocks) and keep != automatic.blocks[index].kept
            }
        error, status = "", 200
        if request.method == "POST" and "apply" in request.POST:
            # A frozen story's article is refused by article_reclean itself, with "reopen the story first".
            if not self.has_change_permission(request, article) and not article.story.is_frozen:
                return HttpResponse("Only editors may change an article.", status=403)
            try:
                article_reclean(article=article, overrides=overrides)
            except Refused as exc:
                error, status = exc.message, exc.status
            else:
                self.log_change(request, article, "Cleaning corrected block by block")
                self.message_user(request, "The clean body was made again from the raw text with your choices.")
                return HttpResponseRedirect(change_url)
        try:
            preview = article_clean_preview(article=article, overrides=overrides)
        except ImportRefused as exc:
            preview, error, status = automatic, exc.message, exc.status
        blocks = [
            (index, block, automatic.blocks[index].kept)
            for index, block in enumerate(preview.blocks)
            if block.text.strip()
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": f"Cleaning of “{article.title}”",
            "opts": self.model._meta,
            "original": article,
            "change_url": change_url,
            "blocks": blocks,
            "preview": preview,
            "unchanged": preview.body == article.body,
            "frozen": article.spans.exists(),
            "story_frozen": article.story.is_frozen,
            "error": error,
        }
        return TemplateResponse(request, "admin/articles/article/cleaning.html", context, status=status)
