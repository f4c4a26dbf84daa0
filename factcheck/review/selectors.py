"""Reading spans: which spans a user may see on a page, with the joins the page needs."""

from django.db.models import QuerySet

from factcheck.articles.models import Article
from factcheck.review.access import visible_span_filter
from factcheck.review.models import Span


def visible_spans(*, article: Article, user) -> QuerySet[Span]:
    """The spans of `article` that `user` may see, in one query.

    The blind phase (factcheck/review/access.py): a reviewer sees only their own spans until
    they submitted their review of the story or an editor opened it for discussion; editors see all.
    """
    return (
        Span.objects.filter(article=article)
        .filter(visible_span_filter(story_id=article.story_id, user=user))
        .select_related("reviewer")
        .order_by("start", "end", "pk")
    )
