"""Changelist filters the editors' admin shares: by story state, span label and reviewer, for any row kind."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import QuerySet

from factcheck.articles.models import StoryState
from factcheck.review.models import Label, Span
from factcheck.roles import REVIEWERS


class _SpanFilter(admin.SimpleListFilter):
    # How a span reaches the changelist's row ("article__story" for stories); "" for spans themselves.
    span_to_row = ""

    def _rows(self, queryset: QuerySet, **span_filter) -> QuerySet:
        if not self.span_to_row:
            return queryset.filter(**span_filter)
        # IN (subquery) instead of a JOIN: a story with 200 matching spans stays one row.
        return queryset.filter(pk__in=Span.objects.filter(**span_filter).values(self.span_to_row))


class _ChoicesFilter(admin.SimpleListFilter):
    """Rows whose field holds one of `text_choices`' values; any other value in the URL shows every row."""

    # Not `choices`: SimpleListFilter.choices() renders the links.
    text_choices: type[models.TextChoices]

    def lookups(self, request, model_admin):
        return self.text_choices.choices

    def queryset(self, request, queryset):
        if self.value() in self.text_choices.values:
            return self.matching(queryset, self.value())
        return queryset

    def matching(self, queryset: QuerySet, value: str) -> QuerySet:
        raise NotImplementedError


class _LabelFilter(_ChoicesFilter, _SpanFilter):
    title = "span label"
    parameter_name = "label"
    text_choices = Label

    def matching(self, queryset, value):
        return self._rows(queryset, label=value)


class _ReviewerFilter(_SpanFilter):
    title = "reviewer"
    parameter_name = "reviewer"

    def lookups(self, request, model_admin):
        reviewers = get_user_model().objects.filter(groups__name=REVIEWERS).order_by("username")
        return [(str(user.pk), user.get_username()) for user in reviewers]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return self._rows(queryset, reviewer_id=int(self.value()))
        return queryset


def label_filter(span_to_row: str = "") -> type[admin.SimpleListFilter]:
    return type("LabelFilter", (_LabelFilter,), {"span_to_row": span_to_row})


def reviewer_filter(span_to_row: str = "") -> type[admin.SimpleListFilter]:
    return type("ReviewerFilter", (_ReviewerFilter,), {"span_to_row": span_to_row})


class _StoryStateFilter(_ChoicesFilter):
    title = "story state"
    parameter_name = "story_state"
    text_choices = StoryState
    # How the row reaches its story's state ("story__state" for articles).
    state_path = "story__state"

    def matching(self, queryset, value):
        return queryset.filter(**{self.state_path: value})


def story_state_filter(state_path: str) -> type[admin.SimpleListFilter]:
    return type("StoryStateFilter", (_StoryStateFilter,), {"state_path": state_path})
