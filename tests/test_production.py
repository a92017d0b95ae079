"""Safe production defaults: email that never lands in the log unasked, a warning for a
per-process cache, private pages kept out of caches, messages kept on the server, an
owner-only SQLite file, and `manage.py purge` removing what is past its time."""

import datetime
import io
import os
import stat

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.checks import run_checks
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Activity
from api.models import ApiToken
from api.tokens import create_token
from journal.dbfile import make_private
from journal.models import OneTimeKey, PendingImport, TwitchEntry
from reminders.models import Reminder, ReminderSent
from tests.journal_support import make_twitch, twitch_data
from tests.test_accounts import run_django

pytestmark = pytest.mark.django_db

PRODUCTION = {"DEBUG": "false", "SECRET_KEY": "s" * 50}
NO_EMAIL = (
    "No way to send email is set: set EMAIL_HOST to your mail server, or "
    "EMAIL_BACKEND=console to print emails, password-reset links included, to the log "
    "(for local use only)."
)


def email_backend(env) -> str:
    result = run_django(
        {**PRODUCTION, **env},
        "shell",
        "--verbosity",
        "0",
        "-c",
        "from django.conf import settings; print(settings.EMAIL_BACKEND)",
    )
    return result.stdout.strip() or result.stderr


class TestEmailAtStartUp:
    def test_without_email_settings_start_up_refuses_with_one_sentence(self):
        result = run_django(PRODUCTION, "check")
        assert result.returncode != 0
        assert f"django.core.exceptions.ImproperlyConfigured: {NO_EMAIL}" in result.stderr

    def test_the_console_is_used_only_when_asked_for(self):
        assert email_backend({"EMAIL_BACKEND": "console"}) == (
            "django.core.mail.backends.console.EmailBackend"
        )

    def test_an_email_host_means_smtp(self):
        assert email_backend({"EMAIL_HOST": "smtp.example.org"}) == (
            "django.core.mail.backends.smtp.EmailBackend"
        )

    def test_an_unknown_backend_is_refused(self):
        assert "EMAIL_BACKEND=carrier-pigeon is not known" in email_backend(
            {"EMAIL_BACKEND": "carrier-pigeon"}
        )


class TestPerProcessCacheCheck:
    def ids(self):
        return {message.id for message in run_checks(include_deployment_checks=True)}

    def test_check_deploy_warns_when_the_cache_is_per_process(self, settings):
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
        assert "twitchlog.W001" in self.ids()

    def test_redis_silences_it(self, settings):
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://127.0.0.1:6379/0",
            }
        }
        assert "twitchlog.W001" not in self.ids()

    def test_only_under_deploy(self, settings):
        ids = {message.id for message in run_checks()}
        assert "twitchlog.W001" not in ids


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


class TestPrivatePages:
    @pytest.mark.parametrize(
        "url", ["home", "log", "journal", "trends", "flags", "settings", "export", "report"]
    )
    def test_every_signed_in_page_is_no_store_and_private(self, signed_in, url):
        response = signed_in.get(reverse(url))
        assert response.status_code == 200
        assert {"no-store", "private"} <= directives(response)

    def test_a_redirect_after_saving_is_too(self, signed_in):
        response = signed_in.post(reverse("log"), twitch_data())
        assert {"no-store", "private"} <= directives(response)

    def test_the_api_with_a_token_is_too(self, client, user):
        _, token = create_token(user, "Phone", ApiToken.Scope.READ)
        response = client.get("/api/v1/twitches/", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 200
        assert {"no-store", "private"} <= directives(response)

    def test_public_pages_stay_cacheable(self, client):
        response = client.get(reverse("home"))
        assert "no-store" not in directives(response)


class TestMessages:
    def test_no_cookie_carries_what_was_saved(self, signed_in, user):
        response = signed_in.post(reverse("log"), twitch_data(notes="eyelid"))
        assert "messages" not in response.cookies
        assert all("Saved" not in morsel.value for morsel in response.cookies.values())
        page = signed_in.get(reverse("home"))
        assert "Saved: Left calf" in page.content.decode()
        assert "messages" not in page.cookies


class TestSQLiteFile:
    def test_a_new_file_and_its_folder_are_the_owners_only(self, tmp_path):
        path = tmp_path / "data" / "twitchlog.sqlite3"
        old_umask = os.umask(0o022)
        try:
            make_private({"ENGINE": "django.db.backends.sqlite3", "NAME": path})
        finally:
            os.umask(old_umask)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700

    def test_an_existing_file_keeps_its_mode(self, tmp_path):
        path = tmp_path / "db.sqlite3"
        path.write_bytes(b"")
        path.chmod(0o640)
        make_private({"ENGINE": "django.db.backends.sqlite3", "NAME": path})
        assert stat.S_IMODE(path.stat().st_mode) == 0o640

    def test_the_app_creates_its_database_owner_only_and_in_wal_mode(self, tmp_path):
        path = tmp_path / "new" / "db.sqlite3"
        result = run_django(
            {"DEBUG": "true", "SQLITE_PATH": str(path), "DATABASE_URL": None},
            "shell",
            "--verbosity",
            "0",
            "-c",
            "from django.db import connection; c = connection.cursor(); "
            "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]); "
            "c.execute('PRAGMA busy_timeout'); print(c.fetchone()[0])",
        )
        assert result.stdout.split() == ["wal", "20000"], result.stderr
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


NOW = datetime.datetime(2025, 6, 1, 12, 0, tzinfo=datetime.UTC)


def session_for(user, expire_date):
    """A signed-in session as Django's login writes it (id, backend and password hash)."""
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=expire_date)
    UserSession.objects.create(user=user, ip="192.0.2.1", session_key=store.session_key)
    return store.session_key


def test_purge_removes_what_is_past_its_time_and_nothing_else(user, other_user, settings):
    settings.ACTIVITY_KEEP_DAYS = 90
    settings.ONE_TIME_KEY_DAYS = 30
    day = datetime.timedelta(days=1)
    with time_machine.travel(NOW - 200 * day, tick=False):
        kept_entry = make_twitch(user, NOW - 200 * day)
        create_token(user, "Phone", ApiToken.Scope.WRITE)
    expired = session_for(user, NOW - day)
    live = session_for(other_user, NOW + day)
    Activity.objects.create(user=user, kind="signed_in", created_at=NOW - 91 * day)
    recent = Activity.objects.create(user=user, kind="signed_in", created_at=NOW - 89 * day)
    PendingImport.objects.create(user=user, token="a", created_at=NOW - day, checked="{}")
    fresh = PendingImport.objects.create(
        user=other_user, token="b", created_at=NOW - datetime.timedelta(minutes=5), checked="{}"
    )
    with time_machine.travel(NOW - 31 * day, tick=False):
        OneTimeKey.objects.create(user=user, key="form-old", kind="twitch", entry_id=1)
    with time_machine.travel(NOW - 29 * day, tick=False):
        young = OneTimeKey.objects.create(user=user, key="form-new", kind="twitch", entry_id=2)
    # NOW is noon UTC: midnight at UTC-12, where the day before has just ended, the last.
    Reminder.objects.create(user=user, enabled=True)
    ReminderSent.objects.create(user=user, day=(NOW - day).date())
    reminded = ReminderSent.objects.create(user=other_user, day=NOW.date())

    with time_machine.travel(NOW, tick=False):
        call_command("purge", stdout=(output := io.StringIO()))

    assert output.getvalue().splitlines() == [
        "expired sessions: 1 removed",
        "sign-in records of ended sessions: 1 removed",
        # the 91-day-old sign-in, and the token's creation 200 days ago
        "account activity records: 2 removed",
        "import previews: 1 removed",
        "one-time keys: 1 removed",
        "reminder records: 1 removed",
    ]
    assert list(Session.objects.values_list("session_key", flat=True)) == [live]
    assert not Session.objects.filter(session_key=expired).exists()
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [live]
    assert list(Activity.objects.all()) == [recent]
    assert list(PendingImport.objects.all()) == [fresh]
    assert list(OneTimeKey.objects.all()) == [young]
    assert list(ReminderSent.objects.all()) == [reminded]
    # Nothing else: the people, their entries and tokens stay.
    assert list(TwitchEntry.objects.all()) == [kept_entry]
    assert ApiToken.objects.filter(user=user).count() == 1
    assert Reminder.objects.get(user=user).enabled
    assert set(type(user).objects.values_list("pk", flat=True)) == {user.pk, other_user.pk}
