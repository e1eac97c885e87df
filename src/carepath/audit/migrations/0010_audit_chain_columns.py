# Hand-written: the hash chain's columns (nullable until 0011 fills them), its head row and the
# record of verification runs. 0012 makes the chain columns required once every event has them.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0009_referral_actions'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='occurred_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('account.signup', 'Signed up'), ('auth.login', 'Logged in'), ('auth.login_failed', 'Failed login'), ('auth.locked_out', 'Locked out after repeated failures'), ('auth.logout', 'Logged out'), ('auth.password_changed', 'Changed password'), ('auth.password_reset', 'Reset password by email link'), ('account.role_changed', 'Role changed'), ('system.demo_loaded', 'Demo data loaded'), ('assessment.saved', 'Check-in saved'), ('assessment.viewed', 'Check-in viewed'), ('assessment.exported', 'Check-in exported'), ('risk_flag.raised', 'Risk flag raised'), ('risk_flag.reviewed', 'Risk flag reviewed'), ('consent.risk_alerts', 'Consent to risk alerts changed'), ('safety_plan.saved', 'Safety plan saved'), ('safety_plan.exported', 'Safety plan exported'), ('rules.loaded', 'Stepped-care rules loaded'), ('recommendation.saved', 'Recommendation saved'), ('directory.hsds_imported', 'Directory data imported (HSDS)'), ('directory.record_created', 'Directory record created'), ('directory.record_changed', 'Directory record changed'), ('directory.record_deleted', 'Directory record deleted'), ('episode.started', 'Episode of support started'), ('episode.session_recorded', 'Session recorded in an episode'), ('episode.ended', 'Episode of support ended'), ('episode.reminder_sent', 'Check-in reminder sent'), ('report.outcomes_read', 'Programme outcomes report read'), ('matching.supporter_profile_saved', 'Peer supporter profile saved'), ('matching.professional_profile_saved', 'Professional profile saved'), ('matching.wishes_saved', 'Matching wishes saved'), ('referral.requested', 'Contact requested'), ('referral.status_changed', 'Referral status changed'), ('referral.contact_logged', 'Contact logged'), ('hand_off.asked', 'Hand-off to a professional asked'), ('hand_off.consent_viewed', 'Hand-off consent screen viewed'), ('hand_off.agreed', 'Hand-off agreed; snapshot shared'), ('hand_off.declined', 'Hand-off declined; nothing shared'), ('hand_off.snapshot_viewed', 'Shared hand-off snapshot viewed'), ('account.token_created', 'API token created'), ('account.token_revoked', 'API token revoked'), ('audit.trail_read', 'Audit trail read')], db_index=True, max_length=64),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='actor_ref',
            field=models.CharField(blank=True, editable=False, max_length=64, default=''),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='auditevent',
            name='actor_role',
            field=models.CharField(blank=True, editable=False, max_length=32, default=''),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='auditevent',
            name='sequence',
            field=models.PositiveBigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='previous_hash',
            field=models.CharField(editable=False, max_length=64, default=''),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='auditevent',
            name='hash',
            field=models.CharField(editable=False, max_length=64, default=''),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='auditevent',
            name='hash_version',
            field=models.PositiveSmallIntegerField(default=1, editable=False),
        ),
        migrations.CreateModel(
            name='AuditChainHead',
            fields=[
                ('id', models.PositiveSmallIntegerField(default=1, editable=False, primary_key=True, serialize=False)),
                ('sequence', models.PositiveBigIntegerField(default=0)),
                ('hash', models.CharField(default='0000000000000000000000000000000000000000000000000000000000000000', max_length=64)),
            ],
            options={
                'verbose_name': 'audit chain head',
            },
        ),
        migrations.CreateModel(
            name='AuditChainCheck',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('checked_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ('intact', models.BooleanField()),
                ('events', models.PositiveBigIntegerField(default=0)),
                ('last_sequence', models.PositiveBigIntegerField(default=0)),
                ('last_hash', models.CharField(blank=True, max_length=64)),
                ('problem', models.TextField(blank=True)),
            ],
            options={
                'verbose_name': 'audit chain check',
                'ordering': ['-checked_at', '-id'],
            },
        ),
    ]
