"""Prepare the people `make loadtest` signs in as: accounts, journals and sessions.

Creates (or re-creates) N demo people with a few weeks of journal each, opens a
signed-in session for every one of them directly in the session store (sign-in
throttling is never involved), and writes for scripts/loadtest.lua:

- `sessions.txt`: one "<session key> <CSRF secret>" line per person;
- `log_body.txt`: the urlencoded body of a valid twitch log form (without the CSRF
  token, which the script appends).

Only ever run against a throwaway database: it deletes earlier load-test people.
"""

import secrets
from datetime import UTC, timedelta
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.module_loading import import_string

from journal.forms import TwitchForm
from journal.management.commands.seed_demo import build_journal
from journal.models import TwitchEntry

EMAIL_DOMAIN = "loadtest.invalid"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class Command(BaseCommand):
    help = "Create demo people with journals and signed-in sessions for the load test."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=50, help="How many people (default 50).")
        parser.add_argument("--out", required=True, help="Directory to write the files into.")

    def handle(self, *args, users, out, **options):
        out_dir = Path(out)
        with transaction.atomic():
            people = self.create_people(users)
        sessions = [self.open_session(person) for person in people]
        (out_dir / "sessions.txt").write_text("".join(f"{key} {csrf}\n" for key, csrf in sessions))
        (out_dir / "log_body.txt").write_text(log_form_body(people[0]) + "\n")
        self.stdout.write(f"{len(people)} people ready, files in {out_dir}")

    def create_people(self, count):
        User = get_user_model()
        User.objects.filter(email__endswith="@" + EMAIL_DOMAIN).delete()
        # One hash for everyone: hashing 50 passwords one by one takes longer than the test.
        password = make_password(secrets.token_urlsafe(24))
        today = timezone.localdate()
        people = []
        for number in range(1, count + 1):
            email = f"person{number:03d}@{EMAIL_DOMAIN}"
            person = User.objects.create(username=email, email=email, password=password)
            build_journal(person, today=today, seed=number)
            people.append(person)
        return people

    def open_session(self, person):
        """A signed-in session as Django's login() would leave it, plus a CSRF secret."""
        store = import_string(settings.SESSION_ENGINE + ".SessionStore")()
        store[SESSION_KEY] = str(person.pk)
        store[BACKEND_SESSION_KEY] = MODEL_BACKEND
        store[HASH_SESSION_KEY] = person.get_session_auth_hash()
        store.set_expiry(timedelta(hours=2))
        store.create()
        # Django accepts the unmasked 32-character secret as the form token too.
        return store.session_key, secrets.token_hex(16)


def log_form_body(person) -> str:
    """A urlencoded twitch that the log form accepts, checked against the form itself.

    Its time is a few minutes ago, so it stays valid for the whole run; every person
    is in UTC (the default), so the one body suits them all.
    """
    when = (timezone.now() - timedelta(minutes=10)).astimezone(UTC)
    data = [
        ("occurred_at", f"{when:%Y-%m-%dT%H:%M}"),
        ("location", "calf"),
        ("side", "left"),
        ("duration_preset", "3"),
        ("intensity", "2"),
        ("triggers", "caffeine"),
        ("triggers", "stress"),
        ("notes", "Logged by the load test."),
    ]
    query = QueryDict(mutable=True)
    for name, value in data:
        query.appendlist(name, value)
    form = TwitchForm(data=query, instance=TwitchEntry(user=person))
    if not form.is_valid():
        raise CommandError(f"The load test's twitch no longer fits the log form: {form.errors}")
    return urlencode(data)
