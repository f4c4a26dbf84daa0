"""URLs of the review flow: the article page, the compare view and the span writes."""

from django.urls import include, path

from factcheck.review import views

article = [
    path("", views.article_detail, name="article-detail"),
    path("raw/", views.article_raw, name="article-raw"),
    path("compare/", views.article_compare, name="article-compare"),
    path("spans/", views.post_span, name="span-create"),
]

span = [
    path("edit/", views.edit_span, name="span-update"),
    path("delete/", views.delete_span, name="span-delete"),
]

urlpatterns = [
    path("articles/<int:pk>/", include(article)),
    path("spans/<int:pk>/", include(span)),
]
