"""Admin for stories and articles."""

from django.contrib import admin
from django.db.models import Count
from import_export.admin import ImportMixin
from import_export.formats.base_formats import CSV
from simple_history.admin import SimpleHistoryAdmin

from factcheck.articles.models import Article, Story
from factcheck.exports.resources import ArticleImportResource


class ArticleInline(admin.TabularInline):
    model = Article
    fields = ("title", "outlet", "published", "url")
    show_change_link = True
    extra = 0


@admin.register(Story)
class StoryAdmin(SimpleHistoryAdmin):
    list_display = ("title", "state", "article_count", "approved_by", "created_at")
    list_filter = ("state",)
    list_select_related = ("approved_by",)
    search_fields = ("title", "slug")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("version", "approved_by", "approved_at", "created_at")
    inlines = [ArticleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description="Articles", ordering="article_count")
    def article_count(self, story: Story) -> int:
        return story.article_count


@admin.register(Article)
class ArticleAdmin(ImportMixin, SimpleHistoryAdmin):
    # Import: a CSV of articles, cleaned like `manage.py import_articles` (factcheck/exports/resources.py).
    resource_classes = [ArticleImportResource]
    import_formats = [CSV]
    list_display = ("title", "story", "outlet", "published", "span_count", "imported_at")
    list_filter = ("story", "outlet", "published")
    list_select_related = ("story",)
    search_fields = ("title", "outlet", "body")
    date_hierarchy = "published"
    readonly_fields = ("body_sha256", "imported_at", "source_name", "raw_text")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(span_count=Count("spans"))

    @admin.display(description="Spans", ordering="span_count")
    def span_count(self, article: Article) -> int:
        return article.span_count
