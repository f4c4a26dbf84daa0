"""What the review-moves panel and the state badge show: one definition for the story page and the desk."""

from dataclasses import dataclass, field

from django.utils.html import format_html
from django.utils.safestring import SafeString

from factcheck.articles.models import Story, StoryState
from factcheck.workflow import transitions


def state_badge(state: str) -> SafeString:
    """A story state as a badge; the app's and the admin's stylesheets both colour it."""
    return format_html('<span class="state state-{0} fc-state fc-state-{0}">{1}</span>', state, StoryState(state).label)


@dataclass
class MovePanel:
    story: Story
    moves: list
    action: str  # where the form posts: the story page's move view or the desk's
    seen_version: int | str
    desk: bool = False
    error: str = ""
    error_field: str | None = None
    reason: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def needs_reason(self) -> bool:
        return any(move.needs_reason for move in self.moves)


def move_panel(*, story: Story, user, action: str, desk: bool = False, **state) -> MovePanel:
    """The moves `user` may make on `story` now, in table order (the order the buttons appear in)."""
    moves = transitions.allowed(story.state, transitions.roles_of(user))
    state.setdefault("seen_version", story.version)
    return MovePanel(story=story, moves=moves, action=action, desk=desk, **state)
