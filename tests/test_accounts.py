"""Accounts: sign-up with a confirmed email, log in and out, password reset, settings,
the start-up guard, and answers that never tell whether an address has an account."""

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.urls import reverse

from journal.models import Profile
from tests.journal_support import text_of
from tests.support import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db

NEW_PERSON = {
    "email": "New.Person@Example.com",
    "display_name": "Nia",
    "time_zone": "Europe/Athens",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


def run_django(env_overrides, *args):
    """Run manage.py in a fresh interpreter with a controlled environment."""
    unset = {
        "SECRET_KEY",
        "DEBUG",
        "PYTEST_VERSION",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "EMAIL_HOST",
        "EMAIL_BACKEND",
        "REDIS_URL",
    }
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(env_overrides)
    env = {name: value for name, value in env.items() if value is not None}  # None: unset
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def link_in(message) -> str:
    """The path of the first link in an email."""
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def page_text(response) -> str:
    """A page as text, without the parts that differ on every request (CSRF tokens)."""
    html = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_start_up_refused_without_secret_key_when_debug_is_off():
    result = run_django({"DEBUG": "false"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set: set the SECRET_KEY environment variable" in result.stderr


def test_start_up_allowed_without_secret_key_in_debug():
    result = run_django({"DEBUG": "true"}, "check")
    assert result.returncode == 0, result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = run_django(
        {
            "DEBUG": "false",
            "SECRET_KEY": "k" * 20 + "-production-like-secret-" + "z9" * 20,
            "SECURE_SSL": "true",
            "ALLOWED_HOSTS": "twitchlog.example.org",
            "EMAIL_HOST": "smtp.example.org",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_re_authentication_and_idle_times_come_from_the_environment():
    result = run_django(
        {"DEBUG": "true", "REAUTHENTICATION_MINUTES": "5", "SESSION_IDLE_DAYS": "7"},
        "shell",
        "--verbosity",
        "0",
        "-c",
        "from django.conf import settings as s; "
        "print(s.ACCOUNT_REAUTHENTICATION_TIMEOUT, s.SESSION_COOKIE_AGE)",
    )
    assert result.stdout.split() == ["300", str(7 * 24 * 3600)], result.stderr


def test_defaults_ask_again_after_15_minutes_and_end_idle_sessions_after_30_days(settings):
    assert settings.REAUTHENTICATION_MINUTES == 15
    assert settings.ACCOUNT_REAUTHENTICATION_TIMEOUT == 15 * 60
    assert settings.SESSION_COOKIE_AGE == 30 * 24 * 3600


def test_sign_up_confirms_the_email_before_the_first_sign_in(client):
    response = client.post(reverse("signup"), NEW_PERSON)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = get_user_model().objects.get()
    assert user.email == user.username == "new.person@example.com"
    assert Profile.objects.get(user=user).time_zone == "Europe/Athens"
    assert "_auth_user_id" not in client.session
    assert "Check your email" in client.get(response["Location"]).content.decode()
    # Signing in before confirming sends the person back to their email.
    refused = client.post(reverse("login"), {"login": user.email, "password": PASSWORD})
    assert refused["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    (message,) = mail.outbox[:1]
    assert message.to == ["new.person@example.com"]
    assert message.subject == "TwitchLog: Confirm your email address"
    confirm_page = client.get(link_in(message))
    assert "Confirm my address" in confirm_page.content.decode()
    confirmed = client.post(link_in(message), follow=True)

    assert EmailAddress.objects.get(user=user).verified
    assert client.session["_auth_user_id"] == str(user.pk)
    assert "Hello, Nia" in confirmed.content.decode()


def test_the_sign_up_form_keeps_the_time_zone_it_is_given(client):
    """The hook a browser-filled time zone field uses: `time_zone` becomes the profile's."""
    client.post(reverse("signup"), {**NEW_PERSON, "time_zone": "Pacific/Chatham"})
    assert Profile.objects.get().time_zone == "Pacific/Chatham"


def test_sign_up_errors_keep_input_beside_the_field(client, user):
    response = client.post(
        reverse("signup"),
        {
            "email": user.email,
            "display_name": "Typed name",
            "time_zone": "Asia/Kolkata",
            "password1": "short",
            "password2": "short",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "This password is too short" in body
    assert 'value="Typed name"' in body
    assert "already" not in body
    assert get_user_model().objects.count() == 1


def test_sign_up_answers_alike_for_a_known_and_an_unknown_email(client, user):
    known = client.post(reverse("signup"), {**NEW_PERSON, "email": user.email.upper()})
    known_page = client.get(known["Location"])
    unknown = client.post(reverse("signup"), {**NEW_PERSON, "email": "nobody@example.com"})
    unknown_page = client.get(unknown["Location"])

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known_page.status_code == unknown_page.status_code == 200
    assert page_text(known_page) == page_text(unknown_page)
    # The inboxes tell: the owner learns someone tried, the newcomer gets a link.
    to_owner, to_newcomer = mail.outbox
    assert to_owner.to == [user.email]
    assert "That address already has an account, so nothing new was made." in to_owner.body
    assert "/accounts/password/reset/" in to_owner.body
    assert to_newcomer.to == ["nobody@example.com"]
    assert "/accounts/confirm-email/" in to_newcomer.body
    assert get_user_model().objects.filter(email__iexact=user.email).count() == 1


def test_password_reset_answers_alike_for_a_known_and_an_unknown_email(client, user):
    known = client.post(reverse("password_reset"), {"email": user.email})
    known_page = client.get(known["Location"])
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    unknown_page = client.get(unknown["Location"])

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert page_text(known_page) == page_text(unknown_page)
    to_owner, to_stranger = mail.outbox
    assert "/accounts/password/reset/key/" in to_owner.body
    assert "No account uses this address, so there is nothing to reset." in to_stranger.body


def test_log_in_with_email_in_any_case_and_see_home(client, user):
    response = client.post(
        reverse("login"), {"login": "ADA@example.com", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert ">Hello</h1>" in response.content.decode()


def test_log_in_form_uses_the_words_the_browser_tests_rely_on(client):
    page = client.get(reverse("login")).content.decode()
    assert re.search(r'for="id_login"[^>]*>\s*Email', page)
    assert re.search(r'for="id_password"[^>]*>\s*Password', page)
    assert "Keep me signed in on this device" in page
    assert ">Log in</button>" in page
    assert "Use a passkey instead" in page


def test_a_wrong_password_says_so_without_telling_whether_the_account_exists(client, user):
    wrong = client.post(reverse("login"), {"login": user.email, "password": "wrong-password"})
    unknown = client.post(reverse("login"), {"login": "nobody@example.com", "password": "x"})
    message = "That email address and password do not match an account."
    assert message in wrong.content.decode()
    assert message in unknown.content.decode()


def test_log_out_asks_on_get_and_signs_out_on_post(signed_in):
    page = signed_in.get(reverse("logout"))
    assert page.status_code == 200
    assert "Log out?" in page.content.decode()
    assert "_auth_user_id" in signed_in.session
    response = signed_in.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in signed_in.session


def test_password_reset_email_link_sets_a_new_password(client, user):
    client.post(reverse("password_reset"), {"email": user.email})
    (message,) = mail.outbox
    assert message.to == [user.email]
    form_page = client.get(link_in(message), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    new_password = "brand-new-password-77"
    done = client.post(set_url, {"password1": new_password, "password2": new_password})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    client.post(reverse("login"), {"login": user.email, "password": new_password})
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_made_up_reset_link_is_refused_calmly(client, user):
    response = client.get("/accounts/password/reset/key/1-made-up/", follow=True)
    assert "This link no longer works" in response.content.decode()


def test_the_admin_signs_in_through_the_same_page(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_email_address_management_is_not_offered(signed_in):
    assert signed_in.get("/accounts/email/")["Location"] == reverse("settings")


def test_settings_page_changes_time_zone_and_name(signed_in, user):
    page = signed_in.get(reverse("settings"))
    assert 'name="time_zone"' in page.content.decode()
    response = signed_in.post(
        reverse("settings"),
        {"display_name": "Ada L.", "time_zone": "America/New_York", "date_of_birth": ""},
        follow=True,
    )
    assert "Your settings are saved." in response.content.decode()
    user.profile.refresh_from_db()
    assert (user.profile.display_name, user.profile.time_zone) == ("Ada L.", "America/New_York")


def test_settings_rejects_an_unknown_time_zone(signed_in, user):
    response = signed_in.post(reverse("settings"), {"display_name": "", "time_zone": "Mars/Base"})
    assert "Select a valid choice" in response.content.decode()
    user.profile.refresh_from_db()
    assert user.profile.time_zone == "UTC"


def test_settings_requires_sign_in(client):
    response = client.get(reverse("settings"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_profile_is_created_for_every_new_user(django_user_model):
    created = django_user_model.objects.create_user(username="x@example.com", password=PASSWORD)
    assert Profile.objects.filter(user=created, time_zone="UTC").exists()


MIGRATION = importlib.import_module("accounts.migrations.0002_carry_existing_accounts_over")


def test_accounts_from_before_keep_signing_in_with_their_address_confirmed(
    client, django_user_model
):
    from django.apps import apps

    older = django_user_model.objects.create_user(
        username="old@example.com", email="Old@Example.com", password=PASSWORD
    )
    no_email = django_user_model.objects.create_user(username="admin", password=PASSWORD)

    MIGRATION.verify_existing_emails(apps, None)

    address = EmailAddress.objects.get(user=older)
    assert (address.email, address.verified, address.primary) == ("old@example.com", True, True)
    assert not EmailAddress.objects.filter(user=no_email).exists()
    client.post(reverse("login"), {"login": "old@example.com", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(older.pk)


def test_sessions_from_before_end_cleanly(signed_in, user):
    from django.apps import apps

    MIGRATION.end_sessions_from_before(apps, None)

    assert not Session.objects.exists()
    assert signed_in.get(reverse("settings"))["Location"].startswith(reverse("login"))


@pytest.mark.django_db(transaction=True)
def test_the_old_sign_in_throttles_tables_are_dropped():
    from django.apps import apps

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE axes_accessattempt (id integer PRIMARY KEY, username text)")
    with connection.schema_editor() as editor:
        MIGRATION.drop_axes_tables(apps, editor)
    with connection.cursor() as cursor:
        assert "axes_accessattempt" not in connection.introspection.table_names(cursor)


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("America/New_York", "America/New_York"),
        # What some browsers still report: the old or alias name of a zone.
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("US/Eastern", "America/New_York"),
        ("Europe/Kiev", "Europe/Kyiv"),
        # No zone people live by, or none at all (JavaScript off): UTC, changeable later.
        ("Factory", "UTC"),
        ("Mars/Base", "UTC"),
        ("", "UTC"),
    ],
)
def test_sign_up_takes_the_browsers_time_zone_as_its_canonical_name(client, sent, kept):
    page = client.get(reverse("signup")).content.decode()
    assert re.search(r'<input type="hidden" name="time_zone"[^>]*id="id_time_zone"', page)
    assert "js/signup.js" in page
    client.post(reverse("signup"), {**NEW_PERSON, "time_zone": sent})
    assert Profile.objects.get().time_zone == kept


def test_settings_offers_canonical_zones_only_shown_with_spaces_and_a_search(signed_in):
    page = signed_in.get(reverse("settings")).content.decode()
    offered = re.findall(r'<option value="([^"]+)"', page)
    assert offered[0] == "UTC"
    assert {"Europe/London", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"} <= set(offered)
    assert not {"Factory", "GB-Eire", "W-SU", "US/Eastern", "Asia/Calcutta", "localtime"} & set(
        offered
    )
    assert len(offered) < 450  # of the 598 raw names
    assert ">America/New York</option>" in page
    assert 'data-country="India"' in page
    assert 'id="zone-search"' in page
    assert "js/settings.js" in page


def test_settings_shows_a_zone_saved_under_an_old_name_as_the_zone_it_is(signed_in, user):
    user.profile.time_zone = "Asia/Calcutta"
    user.profile.save()
    page = signed_in.get(reverse("settings")).content.decode()
    assert re.search(r'<option value="Asia/Kolkata"[^>]* selected', page)


def test_home_names_the_time_zone_as_a_place_and_greets_without_the_email(client, make_user):
    person = make_user(email="ben.ux@example.com", time_zone="America/New_York")
    client.force_login(person)
    body = text_of(client.get("/").content.decode())
    assert "New York time" in body
    assert "America/New_York" not in body
    assert "ben.ux" not in body.split("Hello")[1][:20]
    assert "Hello" in body


@pytest.mark.parametrize(
    "data",
    [
        {"login": "", "password": ""},
        {"login": "ada", "password": "x"},
        {"login": "ada@example.com", "password": "not the password"},
        {"login": "nobody@example.com", "password": "x"},
    ],
)
def test_log_in_errors_speak_of_the_email_never_a_username(client, user, data):
    body = text_of(client.post(reverse("login"), data).content.decode())
    assert "username" not in body.lower()
