"""URLs of the story pages and the reviewers' review moves."""

from django.urls import path

from factcheck.workflow import views

urlpatterns = [
    path("", views.story_list, name="story-list"),
    path("stories/<slug:slug>/", views.story_detail, name="story-detail"),
    path("stories/<slug:slug>/review-state/", views.story_move, name="story-transition"),
]
