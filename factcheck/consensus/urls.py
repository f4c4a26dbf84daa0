"""URLs of the consensus screens."""

from django.urls import path

from factcheck.consensus import views

urlpatterns = [
    path("stories/<slug:slug>/consensus/", views.story_consensus, name="story-consensus"),
    path("stories/<slug:slug>/consensus/submit/", views.end_blind_phase, {"how": "submit"}, name="review-submit"),
    path("stories/<slug:slug>/consensus/open/", views.end_blind_phase, {"how": "discuss"}, name="discussion-open"),
    path("claims/<int:pk>/", views.group_detail, name="group-detail"),
    path("claims/<int:pk>/comments/", views.post_comment, name="comment-create"),
    path("claims/<int:pk>/decide/", views.decide_group, name="group-decide"),
    path("claims/<int:pk>/verdicts/<int:span_pk>/", views.change_verdict, name="verdict-change"),
    path("disputed/", views.disputed_queue, name="disputed-queue"),
]
