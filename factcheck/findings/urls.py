"""URLs of a reviewer's answers to pre-flags."""

from django.urls import path

from factcheck.findings import views

urlpatterns = [
    path("suggestions/<int:pk>/accept/", views.accept_suggestion, name="suggestion-accept"),
    path("suggestions/<int:pk>/dismiss/", views.dismiss_suggestion, name="suggestion-dismiss"),
]
