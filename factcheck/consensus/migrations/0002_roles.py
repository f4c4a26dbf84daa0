"""Reviewers submit reviews and discuss groups; Editors also adjudicate groups."""

from django.db import migrations

from factcheck.roles import EDITORS, REVIEWERS, crud, grant

DISCUSS = ["consensus.view_claimgroup", "consensus.view_comment", "consensus.add_comment"]
SUBMIT = ["consensus.view_reviewsubmission", "consensus.add_reviewsubmission"]
ROLES = {
    REVIEWERS: DISCUSS + SUBMIT,
    EDITORS: DISCUSS + SUBMIT + ["consensus.change_claimgroup", "consensus.delete_reviewsubmission"],
}


def forwards(apps, schema_editor):
    grant(apps, schema_editor, ROLES)


class Migration(migrations.Migration):
    dependencies = [("consensus", "0001_initial"), ("review", "0002_roles")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
