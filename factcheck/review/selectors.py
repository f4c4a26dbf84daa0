"""Reading spans: which spans a user may see on a page, with the joins the page needs."""

from django.db.models import QuerySet

from factcheck.articles.models import Article
from factcheck.review.models import Span


def visible_spans(*, article: Article, user) -> QuerySet[Span]:
    """The spans of `article` that `user` may see.

    The blind phase lives here: until consensus opens a story to a reviewer, they see only their own.
    """
    return Span.objects.filter(article=article, reviewer=user).select_related("reviewer").order_by("start", "end", "pk")
