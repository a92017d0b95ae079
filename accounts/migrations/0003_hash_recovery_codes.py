"""Recovery codes kept as hashes: every set made before (a seed from which allauth
derives the codes) becomes a set of hashes of the same codes, with the same ones spent.

People keep the codes they saved; the seed is gone from the database. A set not yet
shown can no longer be (only the browser that makes a set sees its codes): its owner
makes a new one, which the page offers. Going back leaves the hashed sets as they
are: the seeds cannot be had back.
"""

import time

from django.db import migrations

from accounts.recovery_codes import SeedRecoveryCodes, hashed_set


def hash_seed_based_sets(apps, schema_editor):
    Authenticator = apps.get_model("mfa", "Authenticator")
    for row in Authenticator.objects.filter(type="recovery_codes").order_by("pk").iterator():
        data = row.data
        if "hashes" in data:
            continue
        old = SeedRecoveryCodes(row)
        if "migrated_codes" in data:
            # Codes carried over from another library: a list of the unused ones.
            new = hashed_set(old.get_unused_codes())
        else:
            new = hashed_set(old.generate_codes(), used_mask=data.get("used_mask", 0))
        new["viewed_at"] = data.get("viewed_at") or time.time()
        row.data = new
        row.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_carry_existing_accounts_over"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [
        migrations.RunPython(hash_seed_based_sets, migrations.RunPython.noop),
    ]
