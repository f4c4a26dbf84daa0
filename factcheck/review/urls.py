"""URLs of the review flow: the article page, the compare view and the span writes."""

from django.urls import path

from factcheck.review import views

urlpatterns = [
    path("articles/<int:pk>/", views.article_detail, name="article-detail"),
    path("articles/<int:pk>/raw/", views.article_raw, name="article-raw"),
    path("articles/<int:pk>/compare/", views.article_compare, name="article-compare"),
    path("articles/<int:pk>/spans/", views.post_span, name="span-create"),
    path("spans/<int:pk>/edit/", views.edit_span, name="span-update"),
    path("spans/<int:pk>/delete/", views.delete_span, name="span-delete"),
]
