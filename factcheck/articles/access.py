"""Who may see what: one lookup per object kind, so no view can forget a check."""

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from factcheck.articles.models import Article, Story
from factcheck.roles import EDITORS


def is_editor(user) -> bool:
    # Asked several times per request (the admin site, the nav, the views): one query per user object.
    if not hasattr(user, "_is_editor"):
        user._is_editor = user.is_active and (user.is_superuser or user.groups.filter(name=EDITORS).exists())
    return user._is_editor


def can_read(user) -> bool:
    return user.is_active and user.has_perm("articles.view_story")


def _get_story_for_user(request: HttpRequest, slug: str) -> Story:
    if not can_read(request.user):
        raise Http404("No such story.")
    return get_object_or_404(Story, slug=slug)


def _get_article_for_user(request: HttpRequest, pk: int) -> Article:
    if not can_read(request.user):
        raise Http404("No such article.")
    return get_object_or_404(Article.objects.select_related("story"), pk=pk)
