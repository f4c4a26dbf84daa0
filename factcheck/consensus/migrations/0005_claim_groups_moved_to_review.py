"""Claim groups, submissions and discussions now belong to review (review/0004): forget them here.

State only: the tables are review's now, and comments point at the same rows as before.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('consensus', '0004_claimgroup_votes'),
        ('review', '0004_move_claim_groups_from_consensus'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='comment',
                    name='group',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='comments', to='review.claimgroup'),
                ),
                migrations.AlterField(
                    model_name='historicalcomment',
                    name='group',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='review.claimgroup'),
                ),
                migrations.DeleteModel(name='HistoricalClaimGroup'),
                migrations.DeleteModel(name='HistoricalReviewSubmission'),
                migrations.DeleteModel(name='HistoricalDiscussion'),
                migrations.DeleteModel(name='ReviewSubmission'),
                migrations.DeleteModel(name='Discussion'),
                migrations.DeleteModel(name='ClaimGroup'),
            ],
            database_operations=[],
        ),
    ]
