from django.urls import path

from factcheck.workflow import views

urlpatterns = [
    path("stories/<slug:slug>/review-state/", views.story_transition_view, name="story-transition"),
]
