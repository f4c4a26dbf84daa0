"""The review flow: an article with the reviewer's highlights."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from factcheck.articles.access import _get_article_for_user


@login_required
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = _get_article_for_user(request, pk)
    return render(request, "review/article.html", {"article": article, "story": article.story})
