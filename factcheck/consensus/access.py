"""Who may open a claim group: one lookup, so no consensus view can forget the blind phase."""

from django.db.models import OuterRef
from django.http import Http404, HttpRequest

from factcheck.articles.access import can_read
from factcheck.consensus.models import ClaimGroup
from factcheck.consensus.selectors import group_detail, unblinded_q


def _get_group_for_user(request: HttpRequest, pk: int) -> ClaimGroup:
    """The group, if the user may read it and is past the blind phase of its story; else 404.

    A reviewer still reviewing blind gets the same 404 as for a group that does not exist, so a
    guessed id tells them nothing about the others' spans.
    """
    user = request.user
    if not (can_read(user) and user.has_perm("consensus.view_claimgroup")):
        raise Http404("No such claim.")
    group = group_detail(pk=pk).filter(unblinded_q(story_id=OuterRef("article__story_id"), user=user)).first()
    if group is None:
        raise Http404("No such claim.")
    return group
