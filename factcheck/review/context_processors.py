"""The user's roles for every template, from the access module: the top bar shows exactly what the views allow."""

from functools import cached_property

from django.http import HttpRequest

from factcheck.review import access


class Roles:
    """Asked lazily: a page that never shows the top bar asks nothing."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def editor(self) -> bool:
        return access.is_editor(self.user)

    @cached_property
    def reviewer(self) -> bool:
        return access.is_reviewer(self.user)


def roles(request: HttpRequest) -> dict:
    return {"roles": Roles(request.user)}
