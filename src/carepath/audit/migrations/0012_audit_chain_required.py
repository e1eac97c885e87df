# Hand-written: every event now has its place in the chain (0011), so the chain columns become
# required and the sequence number unique, which no two writers can then share.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0011_chain_existing_events'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='sequence',
            field=models.PositiveBigIntegerField(editable=False, unique=True),
        ),
    ]
