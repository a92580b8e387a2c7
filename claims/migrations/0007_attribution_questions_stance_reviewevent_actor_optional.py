"""Attribution.stance gains "questions" (a quote that asks or doubts a claim neither asserts nor denies it);
ReviewEvent.actor may be empty: the seed record's verdicts are published by the site, not by a person."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0006_input_checks'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='attribution',
            name='stance',
            field=models.CharField(choices=[('asserts', 'Asserts'), ('denies', 'Denies'), ('questions', 'Questions')], default='asserts', max_length=10),
        ),
        migrations.AlterField(
            model_name='historicalattribution',
            name='stance',
            field=models.CharField(choices=[('asserts', 'Asserts'), ('denies', 'Denies'), ('questions', 'Questions')], default='asserts', max_length=10),
        ),
        migrations.AlterField(
            model_name='reviewevent',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='review_events', to=settings.AUTH_USER_MODEL),
        ),
    ]
