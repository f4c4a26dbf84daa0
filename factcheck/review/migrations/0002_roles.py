"""Reviewers read stories and manage their own spans; Editors also edit stories and articles."""

from django.db import migrations

from factcheck.roles import EDITORS, REVIEWERS, crud, grant

READ = ["articles.view_story", "articles.view_article"]
SPANS = crud("review", "span") + crud("review", "evidence")
ROLES = {
    REVIEWERS: READ + SPANS,
    EDITORS: READ + SPANS + crud("articles", "story", ("add", "change")) + crud("articles", "article", ("add", "change")),
}


def forwards(apps, schema_editor):
    grant(apps, schema_editor, ROLES)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("review", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
