from django.urls import path

from factcheck.review import views

urlpatterns = [
    path("articles/<int:pk>/", views.article_detail, name="article-detail"),
]
