"""Claim groups and the blind phase (submitted reviews, discussions) move from consensus to review.

Only Django's picture of the models moves here: the tables stay as they are (db_table keeps their names
until 0005 renames them), so no row is copied or lost. Review no longer depends on consensus: spans,
their groups and the blind phase are one layer, the threads and decisions above it.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0003_workflow_roles'),
        ('consensus', '0004_claimgroup_votes'),
        ('review', '0003_span_group'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ClaimGroup',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('start', models.PositiveIntegerField()),
                        ('end', models.PositiveIntegerField()),
                        ('status', models.CharField(choices=[('single', 'Single'), ('consensus', 'Consensus'), ('disputed', 'Disputed')], default='single', max_length=12)),
                        ('label', models.CharField(blank=True, choices=[('consistent', 'Consistent'), ('conflicting', 'Conflicting'), ('unsupported', 'Unsupported')], help_text='Consensus label, if any.', max_length=16)),
                        ('reviewer_count', models.PositiveSmallIntegerField(default=0)),
                        ('votes', models.TextField(blank=True, editable=False)),
                        ('final_label', models.CharField(blank=True, choices=[('consistent', 'Consistent'), ('conflicting', 'Conflicting'), ('unsupported', 'Unsupported')], max_length=16)),
                        ('final_note', models.TextField(blank=True)),
                        ('decided_at', models.DateTimeField(blank=True, null=True)),
                        ('version', models.PositiveIntegerField(default=1)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('article', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='claim_groups', to='articles.article')),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'consensus_claimgroup',
                        'indexes': [models.Index(fields=['article', 'start'], name='group_article_start'), models.Index(fields=['status', 'created_at'], name='group_status_created')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('end__gt', models.F('start')), ('start__gte', 0)), name='group_start_before_end'), models.CheckConstraint(condition=models.Q(('status__in', ['single', 'consensus', 'disputed'])), name='group_status_valid'), models.CheckConstraint(condition=models.Q(('final_label', ''), ('final_label__in', ['consistent', 'conflicting', 'unsupported']), _connector='OR'), name='group_final_label_valid')],
                        'ordering': ['article', 'start', 'end', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalClaimGroup',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('start', models.PositiveIntegerField()),
                        ('end', models.PositiveIntegerField()),
                        ('status', models.CharField(choices=[('single', 'Single'), ('consensus', 'Consensus'), ('disputed', 'Disputed')], default='single', max_length=12)),
                        ('label', models.CharField(blank=True, choices=[('consistent', 'Consistent'), ('conflicting', 'Conflicting'), ('unsupported', 'Unsupported')], help_text='Consensus label, if any.', max_length=16)),
                        ('reviewer_count', models.PositiveSmallIntegerField(default=0)),
                        ('votes', models.TextField(blank=True, editable=False)),
                        ('final_label', models.CharField(blank=True, choices=[('consistent', 'Consistent'), ('conflicting', 'Conflicting'), ('unsupported', 'Unsupported')], max_length=16)),
                        ('final_note', models.TextField(blank=True)),
                        ('decided_at', models.DateTimeField(blank=True, null=True)),
                        ('version', models.PositiveIntegerField(default=1)),
                        ('created_at', models.DateTimeField(blank=True, editable=False)),
                        ('updated_at', models.DateTimeField(blank=True, editable=False)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('article', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='articles.article')),
                        ('decided_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'consensus_historicalclaimgroup',
                        'verbose_name': 'historical claim group',
                        'verbose_name_plural': 'historical claim groups',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='ReviewSubmission',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('submitted_at', models.DateTimeField(auto_now_add=True)),
                        ('reviewer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='submissions', to=settings.AUTH_USER_MODEL)),
                        ('story', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='submissions', to='articles.story')),
                    ],
                    options={
                        'db_table': 'consensus_reviewsubmission',
                        'constraints': [models.UniqueConstraint(fields=('story', 'reviewer'), name='submission_once_per_reviewer')],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalReviewSubmission',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('submitted_at', models.DateTimeField(blank=True, editable=False)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('reviewer', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('story', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='articles.story')),
                    ],
                    options={
                        'db_table': 'consensus_historicalreviewsubmission',
                        'verbose_name': 'historical review submission',
                        'verbose_name_plural': 'historical review submissions',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Discussion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('opened_at', models.DateTimeField(auto_now_add=True)),
                        ('opened_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('story', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='discussion', to='articles.story')),
                    ],
                    options={
                        'db_table': 'consensus_discussion',
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalDiscussion',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('opened_at', models.DateTimeField(blank=True, editable=False)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('opened_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('story', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='articles.story')),
                    ],
                    options={
                        'db_table': 'consensus_historicaldiscussion',
                        'verbose_name': 'historical discussion',
                        'verbose_name_plural': 'historical discussions',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AlterField(
                    model_name='span',
                    name='group',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='spans', to='review.claimgroup'),
                ),
                migrations.AlterField(
                    model_name='historicalspan',
                    name='group',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='review.claimgroup'),
                ),
            ],
            database_operations=[],
        ),
    ]
