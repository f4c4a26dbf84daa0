from django.urls import path

from factcheck.exports import views

urlpatterns = [
    path("exports/", views.export_index, name="export-index"),
    path("exports/verdicts.csv", views.verdicts_csv, name="export-verdicts-csv"),
    path("exports/stories/<slug:slug>/claimreview.jsonld", views.story_claimreview, name="export-claimreview"),
    path("exports/stories/<slug:slug>/annotations.jsonld", views.story_annotations, name="export-annotations"),
]
