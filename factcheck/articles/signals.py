"""Signals the articles layer sends, so apps above it can react to an import without being imported here."""

from django.db import connection, transaction
from django.dispatch import Signal

from factcheck.articles.models import Story

# Sent with story=<Story> once an import that created articles has been committed.
articles_imported = Signal()


def announce_import(*, story: Story) -> None:
    """Send `articles_imported` for the story after the commit, once per transaction however many rows it
    imported: the CSV import stores one article per row, and each receiver (pre-flags) reads the whole story."""
    pending = [func for _sids, func, _robust in connection.run_on_commit]
    if any(getattr(func, "announces_story", None) == story.pk for func in pending):
        return

    def send() -> None:
        articles_imported.send(sender=Story, story=story)

    send.announces_story = story.pk
    transaction.on_commit(send)
