"""Accounts: sign-up, log in and out, password reset, settings, and the start-up guard."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from journal.models import Profile
from tests.support import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def run_django(env_overrides, *args):
    """Run manage.py in a fresh interpreter with a controlled environment."""
    unset = {"SECRET_KEY", "DEBUG", "PYTEST_VERSION", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


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
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_sign_up_creates_account_profile_and_signs_in(client):
    response = client.post(
        reverse("signup"),
        {
            "email": "New.Person@Example.com",
            "display_name": "Nia",
            "time_zone": "Europe/Athens",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = get_user_model().objects.get()
    assert user.email == user.username == "new.person@example.com"
    assert Profile.objects.get(user=user).time_zone == "Europe/Athens"
    home = client.get(reverse("home"))
    assert "Hello, Nia" in home.content.decode()


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
    assert "An account with this email already exists" in body
    assert "This password is too short" in body
    assert 'value="Typed name"' in body
    assert get_user_model().objects.count() == 1


def test_profile_is_created_for_every_new_user(django_user_model):
    created = django_user_model.objects.create_user(username="x@example.com", password=PASSWORD)
    assert Profile.objects.filter(user=created, time_zone="UTC").exists()


def test_log_in_with_email_and_see_home(client, user):
    response = client.post(
        reverse("login"), {"username": "ADA@example.com", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Hello, ada@example.com" in response.content.decode()


def test_logout_is_post_only(signed_in):
    assert signed_in.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in signed_in.session
    response = signed_in.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in signed_in.session


def test_password_reset_email_link_sets_a_new_password(client, user):
    client.post(reverse("password_reset"), {"email": user.email})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    new_password = "brand-new-password-77"
    done = client.post(set_url, {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    client.post(reverse("login"), {"username": user.email, "password": new_password})
    assert client.session["_auth_user_id"] == str(user.pk)


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


def test_repeated_failed_logins_lock_out_with_a_clear_message(client, user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": user.email, "password": "wrong"})
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_requests_are_throttled_with_a_clear_message(client, user, settings):
    limit = int(settings.PASSWORD_RESET_RATE.split("/")[0])
    for _ in range(limit):
        assert client.post(reverse("password_reset"), {"email": user.email}).status_code == 302
    response = client.post(reverse("password_reset"), {"email": user.email})
    assert response.status_code == 429
    assert "Please wait a little" in response.content.decode()
    assert len(mail.outbox) == limit


def test_password_reset_throttle_counts_each_email_even_from_many_addresses(client, user, settings):
    limit = int(settings.PASSWORD_RESET_RATE.split("/")[0])
    for n in range(limit):
        client.post(reverse("password_reset"), {"email": user.email}, REMOTE_ADDR=f"10.0.0.{n}")
    response = client.post(reverse("password_reset"), {"email": user.email}, REMOTE_ADDR="10.0.1.1")
    assert response.status_code == 429
    assert len(mail.outbox) == limit
