# Hand-written: chain version 2 (docs/decisions/0004-erasable-audit-chain.md). Events written from
# now on carry a random salt; erasing an account's events keeps the digest and empties the rest.
# Existing events keep version 1 and verify as before.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0014_issue8_actions'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='personal_salt',
            field=models.CharField(blank=True, editable=False, max_length=64, default=''),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='auditevent',
            name='personal_digest',
            field=models.CharField(blank=True, editable=False, max_length=64, default=''),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='auditevent',
            name='erased_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='hash_version',
            field=models.PositiveSmallIntegerField(default=2, editable=False),
        ),
    ]
