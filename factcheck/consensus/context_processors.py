"""The disputed queue's link and count in the navigation, for editors only and only when a page shows it."""

from functools import cached_property

from django.http import HttpRequest

from factcheck.consensus import selectors
from factcheck.review.access import is_editor


class DisputedNav:
    def __init__(self, user):
        self.user = user

    @cached_property
    def show(self) -> bool:
        return is_editor(self.user)

    @cached_property
    def count(self) -> int:
        # One COUNT on the (status, created_at) index, run only when the navigation is rendered.
        return selectors.disputed_groups().count() if self.show else 0


def disputed_nav(request: HttpRequest) -> dict:
    return {"disputed_nav": DisputedNav(request.user)}
