"""The workflow's roles as permissions: Reviewers submit and resume a story, Editors open, approve, send back, reopen."""

from django.db import migrations

from factcheck.roles import EDITORS, REVIEWERS, grant

ROLES = {
    REVIEWERS: ["articles.submit_story"],
    EDITORS: ["articles.approve_story"],
}


def forwards(apps, schema_editor):
    grant(apps, schema_editor, ROLES)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0002_story_consensus_rule"),
        ("review", "0002_roles"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="story",
            options={
                "ordering": ["title"],
                "permissions": [
                    ("submit_story", "Can submit a story for approval or resume its review"),
                    ("approve_story", "Can open, approve, send back or reopen a story"),
                ],
                "verbose_name_plural": "stories",
            },
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
