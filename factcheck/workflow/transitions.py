"""The review workflow's one state machine: which state may become which, and whose move it is.

States belong to the story, not to each article. Consensus groups, agreement figures and the
editor's approval are all judgements about a story's *set* of articles checked against each other:
an article is only "consistent" or "conflicting" relative to the others, so approving one article
while another of the same story is still being argued over would approve half a comparison.
One state per story also gives reviewers a single thing to submit and editors a single thing to
approve or send back, with one reason.

The table below is the only place the rules live; services.story_transition() enforces it, the
admin and the reviewers' story page only ask it which buttons to show. A small table of our own
beats a library here: six transitions, two roles, and the version check must be one conditional
UPDATE that we write ourselves anyway (django-fsm-2 would add a field type and decorators without
removing that code).
"""

from dataclasses import dataclass
from enum import StrEnum

from factcheck.articles.models import StoryState
from factcheck.refusals import Conflict, Refused

SUBMIT = "articles.submit_story"
APPROVE = "articles.approve_story"


class Role(StrEnum):
    REVIEWER = "reviewer"
    EDITOR = "editor"


@dataclass(frozen=True)
class Transition:
    name: str
    source: StoryState
    target: StoryState
    role: Role
    label: str  # the button's text
    needs_reason: bool = False
    # The reason of the previous send-back stays visible while reviewers rework the story.
    keeps_reason: bool = False

    @property
    def css(self) -> str:
        return "danger" if self.needs_reason else "primary"


S = StoryState
TRANSITIONS: tuple[Transition, ...] = (
    Transition("open", S.DRAFT, S.IN_REVIEW, Role.EDITOR, "Open for review"),
    Transition("submit", S.IN_REVIEW, S.READY, Role.REVIEWER, "Submit for approval"),
    Transition("approve", S.READY, S.APPROVED, Role.EDITOR, "Approve"),
    Transition("request_changes", S.READY, S.CHANGES_REQUESTED, Role.EDITOR, "Request changes", needs_reason=True),
    Transition("resume", S.CHANGES_REQUESTED, S.IN_REVIEW, Role.REVIEWER, "Resume review", keeps_reason=True),
    Transition("reopen", S.APPROVED, S.IN_REVIEW, Role.EDITOR, "Reopen", needs_reason=True),
)
_BY_MOVE = {(t.source, t.target): t for t in TRANSITIONS}


class TransitionRefused(Refused):
    """A move the workflow does not allow now; the message says why, for a person. Nothing was changed."""


class StaleStory(TransitionRefused, Conflict):
    """Someone changed the story after the page was opened."""

    MESSAGE = "Someone changed this story since you opened it; reload the page and try again. Nothing was changed."

    def __init__(self):
        super().__init__(self.MESSAGE)


def roles_of(user) -> frozenset[Role]:
    """A user's roles come from permissions (granted to the groups by articles/0003_workflow_roles).

    has_perm answers from the permission cache the access checks already filled, so asking costs no query.
    """
    if user is None or not user.is_active or not user.is_authenticated:
        return frozenset()
    roles = set()
    if user.has_perm(SUBMIT):
        roles.add(Role.REVIEWER)
    if user.has_perm(APPROVE):
        roles.add(Role.EDITOR)
    return frozenset(roles)


def find(source: str, target: str) -> Transition | None:
    return _BY_MOVE.get((source, target))


def allowed(state: str, roles: frozenset[Role]) -> list[Transition]:
    """The moves these roles may make from `state`, in table order (the order buttons appear in)."""
    return [t for t in TRANSITIONS if t.source == state and t.role in roles]


def check(*, state: str, target: str, roles: frozenset[Role], reason: str = "") -> Transition:
    """The transition from `state` to `target` if `roles` may make it with this reason; else TransitionRefused."""
    if target not in S.values:
        raise TransitionRefused(f"“{target}” is not a review state.")
    transition = find(state, target)
    if transition is None:
        raise TransitionRefused(
            f"A story that is “{S(state).label.lower()}” cannot be moved to “{S(target).label.lower()}”."
        )
    if transition.role not in roles:
        raise TransitionRefused(f"“{transition.label}” is for {transition.role}s only.")
    if transition.needs_reason and not reason.strip():
        raise TransitionRefused(
            f"Give a reason to {transition.label.lower()}: the reviewers will see it on the story page.",
            field="reason",
        )
    return transition
