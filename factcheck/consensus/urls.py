"""URLs of the consensus screens."""

from django.urls import path

from factcheck.consensus import views

urlpatterns = [
    path("stories/<slug:slug>/consensus/", views.story_consensus, name="story-consensus"),
    path("stories/<slug:slug>/consensus/submit/", views.review_submit, name="review-submit"),
    path("stories/<slug:slug>/consensus/open/", views.discussion_open, name="discussion-open"),
    path("claims/<int:pk>/", views.group_detail, name="group-detail"),
    path("claims/<int:pk>/comments/", views.comment_create, name="comment-create"),
    path("claims/<int:pk>/decide/", views.group_decide, name="group-decide"),
    path("claims/<int:pk>/verdicts/<int:span_pk>/", views.verdict_change, name="verdict-change"),
    path("disputed/", views.disputed_queue, name="disputed-queue"),
]
