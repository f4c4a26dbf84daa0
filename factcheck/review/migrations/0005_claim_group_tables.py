"""Give the moved tables review's names, and move their content types (so their permissions, granted to
the Reviewers and Editors groups, and the admin's log entries follow them)."""

from django.db import migrations

MOVED = (
    "claimgroup",
    "historicalclaimgroup",
    "reviewsubmission",
    "historicalreviewsubmission",
    "discussion",
    "historicaldiscussion",
)


def move_content_types(apps, schema_editor, source="consensus", target="review"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model in MOVED:
        old = ContentType.objects.filter(app_label=source, model=model).first()
        if old is None:
            continue
        new = ContentType.objects.filter(app_label=target, model=model).first()
        if new is None:
            old.app_label = target
            old.save(update_fields=["app_label"])
            continue
        # Both exist (permissions were made for the new state already): carry the grants over, then drop the old.
        for perm in Permission.objects.filter(content_type=old):
            twin = Permission.objects.filter(content_type=new, codename=perm.codename).first()
            if twin is not None:
                twin.group_set.add(*perm.group_set.all())
                twin.user_set.add(*perm.user_set.all())
        old.delete()


def move_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="review", target="consensus")


class Migration(migrations.Migration):

    dependencies = [
        ('consensus', '0005_claim_groups_moved_to_review'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('review', '0004_move_claim_groups_from_consensus'),
    ]

    operations = [
        migrations.AlterModelTable(name='claimgroup', table=None),
        migrations.AlterModelTable(name='historicalclaimgroup', table=None),
        migrations.AlterModelTable(name='reviewsubmission', table=None),
        migrations.AlterModelTable(name='historicalreviewsubmission', table=None),
        migrations.AlterModelTable(name='discussion', table=None),
        migrations.AlterModelTable(name='historicaldiscussion', table=None),
        migrations.RunPython(move_content_types, move_back),
    ]
