"""Moving claim groups and the blind phase from consensus to review keeps every row (review/0004-0005)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import restore_roles

BEFORE = [("consensus", "0004_claimgroup_votes"), ("review", "0003_span_group"), ("articles", "0003_workflow_roles")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_move_keeps_groups_submissions_discussions_comments_and_permissions():
    restore_roles()  # an earlier transactional test's flush may have emptied the groups
    leaf = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = migrate(BEFORE)
        user = old.get_model("auth", "User").objects.create(username="mover")
        editors = old.get_model("auth", "Group").objects.get(name="Editors")
        story = old.get_model("articles", "Story").objects.create(title="Moved", slug="moved", state="in_review")
        article = old.get_model("articles", "Article").objects.create(
            story=story, title="A", raw_text="Some text.", body="Some text.", body_sha256="x" * 64
        )
        group = old.get_model("consensus", "ClaimGroup").objects.create(
            article=article, start=0, end=4, status="disputed", votes="1:consistent", final_note="kept"
        )
        old.get_model("review", "Span").objects.create(
            article=article, reviewer=user, start=0, end=4, quote="Some", label="consistent", group=group
        )
        old.get_model("consensus", "Comment").objects.create(group=group, author=user, text="A thread")
        old.get_model("consensus", "ReviewSubmission").objects.create(story=story, reviewer=user)
        old.get_model("consensus", "Discussion").objects.create(story=story, opened_by=user)

        new = migrate(leaf)
        moved = new.get_model("review", "ClaimGroup").objects.get(pk=group.pk)
        assert (moved.status, moved.votes, moved.final_note) == ("disputed", "1:consistent", "kept")
        assert new.get_model("review", "Span").objects.get().group_id == group.pk
        assert new.get_model("consensus", "Comment").objects.get().group_id == group.pk
        assert new.get_model("review", "ReviewSubmission").objects.filter(story_id=story.pk).count() == 1
        assert new.get_model("review", "Discussion").objects.filter(story_id=story.pk).count() == 1
        # The Editors keep their grant, now on review's content type.
        perms = new.get_model("auth", "Permission").objects.filter(group__pk=editors.pk, codename="view_claimgroup")
        assert list(perms.values_list("content_type__app_label", flat=True)) == ["review"]
        assert "review_claimgroup" in connection.introspection.table_names()
        assert "consensus_claimgroup" not in connection.introspection.table_names()
    finally:
        migrate(leaf)
