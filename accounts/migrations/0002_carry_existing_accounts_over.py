"""Carry accounts made before allauth over.

- Each existing person's email address is recorded as verified (they signed up with it
  and have been signing in with it), so they sign in as before.
- Sessions from before end: everyone signs in once more, and every session from then on
  is one the session list shows and "sign out everywhere else" can end.
- django-axes' tables go: their sign-in records (addresses, emails) are no longer read
  or deleted by anything.
"""

from django.db import migrations


def verify_existing_emails(apps, schema_editor):
    User = apps.get_model("auth", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    taken = {email.lower() for email in EmailAddress.objects.values_list("email", flat=True)}
    has_address = set(EmailAddress.objects.values_list("user_id", flat=True))
    new = []
    for user in User.objects.order_by("pk").iterator():
        email = (user.email or user.username or "").strip().lower()
        if "@" not in email or user.pk in has_address or email in taken:
            continue
        taken.add(email)
        new.append(EmailAddress(user_id=user.pk, email=email, verified=True, primary=True))
    EmailAddress.objects.bulk_create(new, batch_size=500)


def end_sessions_from_before(apps, schema_editor):
    apps.get_model("sessions", "Session").objects.all().delete()


def drop_axes_tables(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    cascade = " CASCADE" if connection.vendor == "postgresql" else ""
    for table in sorted(name for name in tables if name.startswith("axes_")):
        schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(table)}{cascade}")
    schema_editor.execute("DELETE FROM django_migrations WHERE app = 'axes'")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("account", "0009_emailaddress_unique_primary_email"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(verify_existing_emails, migrations.RunPython.noop),
        migrations.RunPython(end_sessions_from_before, migrations.RunPython.noop),
        migrations.RunPython(drop_axes_tables, migrations.RunPython.noop),
    ]
