"""URL map: the story pages, the review flow, consensus, exports, accounts and the desk (admin)."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("factcheck.workflow.urls")),
    path("", include("factcheck.review.urls")),
    path("", include("factcheck.consensus.urls")),
    path("", include("factcheck.findings.urls")),
    path("", include("factcheck.exports.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
