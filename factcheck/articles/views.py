"""Reading pages: the story list, a story with its articles, an article's raw text."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from factcheck.articles.access import _get_article_for_user, _get_story_for_user, can_read
from factcheck.articles.models import Story


@login_required
def story_list(request: HttpRequest) -> HttpResponse:
    stories = (
        Story.objects.annotate(article_count=Count("articles")).order_by("title")
        if can_read(request.user)
        else Story.objects.none()
    )
    return render(request, "articles/story_list.html", {"stories": stories})


@login_required
def story_detail(request: HttpRequest, slug: str) -> HttpResponse:
    story = _get_story_for_user(request, slug)
    articles = story.articles.order_by("published", "pk")
    return render(request, "articles/story_detail.html", {"story": story, "articles": articles})


@login_required
def article_raw(request: HttpRequest, pk: int) -> HttpResponse:
    article = _get_article_for_user(request, pk)
    return HttpResponse(article.raw_text, content_type="text/plain; charset=utf-8")
