"""Signals the workflow sends, so layers above it (exports) can act on a move without the workflow importing them."""

from django.dispatch import Signal

# Sent inside the approval's transaction, after the story row says approved: story, user, approved_at.
# A receiver that fails undoes the approval, so a story is never approved without what it publishes.
story_approved = Signal()
