"""URL map: reading pages, the review flow, accounts and the admin."""

from django.contrib import admin
from django.urls import include, path

from factcheck.articles import views as articles

urlpatterns = [
    path("", articles.story_list, name="story-list"),
    path("stories/<slug:slug>/", articles.story_detail, name="story-detail"),
    path("articles/<int:pk>/raw/", articles.article_raw, name="article-raw"),
    path("", include("factcheck.review.urls")),
    path("", include("factcheck.consensus.urls")),
    path("", include("factcheck.workflow.urls")),
    path("", include("factcheck.exports.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
