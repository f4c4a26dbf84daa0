"""Conflict pre-flags: machine suggestions pointing reviewers at facts on which a story's articles disagree."""
