"""The account activity lists API tokens made and revoked: two more kinds."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_hash_recovery_codes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='activity',
            name='activity_kind_known',
        ),
        migrations.AlterField(
            model_name='activity',
            name='kind',
            field=models.CharField(choices=[('signed_in', 'Signed in'), ('wrong_password', 'Wrong password entered'), ('wrong_code', 'Wrong two-step code entered'), ('password_changed', 'Password changed'), ('password_reset', 'Password reset from an emailed link'), ('factor_added', 'Two-step sign-in method added'), ('factor_removed', 'Two-step sign-in method removed'), ('recovery_codes', 'New recovery codes made'), ('others_signed_out', 'Other devices signed out'), ('exported', 'Journal downloaded'), ('report', "Doctor's summary downloaded"), ('imported', 'Entries imported'), ('token_created', 'API token created'), ('token_revoked', 'API token revoked')], max_length=24),
        ),
        migrations.AddConstraint(
            model_name='activity',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['signed_in', 'wrong_password', 'wrong_code', 'password_changed', 'password_reset', 'factor_added', 'factor_removed', 'recovery_codes', 'others_signed_out', 'exported', 'report', 'imported', 'token_created', 'token_revoked'])), name='activity_kind_known'),
        ),
    ]
