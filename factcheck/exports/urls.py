"""URLs of the exports (editors) and of the public fact-check pages (everyone)."""

from django.urls import include, path

from factcheck.exports import public, views

story_exports = [
    path("claimreview.jsonld", views.story_claimreview, name="export-claimreview"),
    path("annotations.jsonld", views.story_annotations, name="export-annotations"),
]

# Public: no login. The published fact-check, its earlier versions, and its articles' text as published.
factcheck = [
    path("", public.factcheck_page, name="factcheck-page"),
    path("v<int:number>/", public.factcheck_version, name="factcheck-version"),
    path("articles/<int:article_id>.txt", public.factcheck_article_text, name="factcheck-article-text"),
    path(
        "v<int:number>/articles/<int:article_id>.txt",
        public.factcheck_version_article_text,
        name="factcheck-version-article-text",
    ),
]

urlpatterns = [
    path("exports/", views.export_index, name="export-index"),
    path("exports/verdicts.csv", views.verdicts_csv, name="export-verdicts-csv"),
    path("exports/stories/<slug:slug>/", include(story_exports)),
    path("factchecks/<slug:slug>/", include(factcheck)),
]
