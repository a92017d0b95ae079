"""Two-step sign-in: the authenticator app (QR code drawn here, key as text), recovery
codes shown once and good once, passkeys removed only with the password and a code, and
code attempts throttled."""

import datetime
import re

import pyotp
import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from tests.support import PASSWORD, confirm_it_is_me, totp_secret_in, turn_on_authenticator_app

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 5, 4, 9, 0, tzinfo=datetime.UTC)
STEP = datetime.timedelta(seconds=95)  # past the code's window, so a new code shows


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def log_in(client, user, password=PASSWORD):
    return client.post(reverse("login"), {"login": user.email, "password": password})


def recovery_codes_in(page: str) -> list[str]:
    box = re.search(r'<textarea id="recovery_codes"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    return box.split()


def test_the_set_up_page_draws_the_qr_code_here_and_shows_the_key(signed_in, user):
    confirm_it_is_me(signed_in)
    response = signed_in.get(reverse("mfa_activate_totp"))
    page = response.content.decode()

    assert '<svg width="' in page
    assert 'class="segno"' in page
    assert "<title>QR code for your authenticator app</title>" in page
    assert "<img" not in page.split('<figure class="totp-qr')[1].split("</figure>")[0]
    secret = totp_secret_in(page)
    assert len(secret) == 32
    assert "Set up an authenticator app" in page


def test_turning_on_the_app_shows_ten_recovery_codes_once(signed_in, user, frozen):
    turn_on_authenticator_app(signed_in)

    first = signed_in.get(reverse("mfa_view_recovery_codes")).content.decode()
    codes = recovery_codes_in(first)
    assert len(codes) == len(set(codes)) == 10
    assert "they are shown only this once" in first
    again = signed_in.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert 'id="recovery_codes"' not in again
    assert not any(code in again for code in codes)
    assert "You have 10 unused codes of 10." in again


def test_logging_in_then_asks_for_a_code_from_the_app(signed_in, user, frozen):
    secret = turn_on_authenticator_app(signed_in)
    frozen.shift(STEP)
    client = Client()

    response = log_in(client, user)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "That code is not right." in wrong.content.decode()
    client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()})

    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_code_from_the_app_works_once(signed_in, user, frozen):
    secret = turn_on_authenticator_app(signed_in)
    frozen.shift(STEP)
    code = pyotp.TOTP(secret).now()
    first, second = Client(), Client()
    for client in (first, second):
        log_in(client, user)
        client.post(reverse("mfa_authenticate"), {"code": code})
    assert first.session["_auth_user_id"] == str(user.pk)
    assert "_auth_user_id" not in second.session


def test_a_recovery_code_works_once(signed_in, user, frozen):
    turn_on_authenticator_app(signed_in)
    code = recovery_codes_in(signed_in.get(reverse("mfa_view_recovery_codes")).content.decode())[0]
    first, second = Client(), Client()

    log_in(first, user)
    first.post(reverse("mfa_authenticate"), {"code": code})
    log_in(second, user)
    refused = second.post(reverse("mfa_authenticate"), {"code": code})

    assert first.session["_auth_user_id"] == str(user.pk)
    assert "_auth_user_id" not in second.session
    assert "That code is not right." in refused.content.decode()


def test_code_attempts_are_throttled(signed_in, user, frozen):
    secret = turn_on_authenticator_app(signed_in)
    frozen.shift(STEP)
    client = Client()
    log_in(client, user)
    for _ in range(10):
        client.post(reverse("mfa_authenticate"), {"code": "000000"})

    response = client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()})

    assert "password checks are paused after several wrong tries" in response.content.decode()
    assert "Please try again in about 15 minutes." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_turning_the_app_off_needs_the_password_and_a_code(signed_in, user, frozen):
    secret = turn_on_authenticator_app(signed_in)
    frozen.shift(STEP)
    url = reverse("mfa_deactivate_totp")
    confirm_it_is_me(signed_in)
    page = signed_in.get(url).content.decode()
    assert "This field is required" not in page
    assert 'name="password"' in page
    assert 'name="code"' in page

    no_code = signed_in.post(url, {"password": PASSWORD, "code": ""})
    wrong_password = signed_in.post(url, {"password": "not-it", "code": pyotp.TOTP(secret).now()})
    assert "This field is required" in no_code.content.decode()
    assert "That is not your password." in wrong_password.content.decode()
    assert Authenticator.objects.filter(user=user, type="totp").exists()

    frozen.shift(STEP)
    signed_in.post(url, {"password": PASSWORD, "code": pyotp.TOTP(secret).now()})

    assert not Authenticator.objects.filter(user=user).exists()


def test_a_wrong_password_does_not_spend_a_recovery_code(signed_in, user, frozen):
    turn_on_authenticator_app(signed_in)
    code = recovery_codes_in(signed_in.get(reverse("mfa_view_recovery_codes")).content.decode())[0]
    confirm_it_is_me(signed_in)
    signed_in.post(reverse("mfa_deactivate_totp"), {"password": "not-it", "code": code})
    client = Client()
    log_in(client, user)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert client.session["_auth_user_id"] == str(user.pk)


def test_removing_a_passkey_needs_the_password_and_a_code(signed_in, user, frozen):
    secret = turn_on_authenticator_app(signed_in)
    key = Authenticator.objects.create(
        user=user, type=Authenticator.Type.WEBAUTHN, data={"name": "Phone", "credential": {}}
    )
    frozen.shift(STEP)
    confirm_it_is_me(signed_in)
    url = reverse("mfa_remove_webauthn", kwargs={"pk": key.pk})
    assert "Remove \u201cPhone\u201d" in signed_in.get(url).content.decode()

    signed_in.post(url, {"password": PASSWORD, "code": "000000"})
    assert Authenticator.objects.filter(pk=key.pk).exists()
    signed_in.post(url, {"password": PASSWORD, "code": pyotp.TOTP(secret).now()})
    assert not Authenticator.objects.filter(pk=key.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_adding_a_second_step_signs_out_the_other_sessions(user, frozen):
    phone, laptop = Client(), Client()
    for client in (phone, laptop):
        log_in(client, user)
    turn_on_authenticator_app(laptop)
    assert laptop.get(reverse("settings")).status_code == 200
    assert phone.get(reverse("settings"))["Location"].startswith(reverse("login"))


def test_settings_says_whether_two_step_sign_in_is_on(signed_in, user, frozen):
    assert "Off</span> Turn it on" in signed_in.get(reverse("settings")).content.decode()
    turn_on_authenticator_app(signed_in)
    page = signed_in.get(reverse("settings")).content.decode()
    assert "a second step: your authenticator app, recovery codes." in page


def test_a_passkey_signs_in_without_a_password_from_the_log_in_page(client):
    """The browser test registers and uses a real (virtual) passkey; here, the page
    offers it and the passkey sign-in address answers with a challenge."""
    assert "Use a passkey instead" in client.get(reverse("login")).content.decode()
    response = client.get(reverse("mfa_login_webauthn"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert "challenge" in response.json()["request_options"]["publicKey"]


def test_a_code_from_the_app_confirms_it_is_you(frozen, signed_in, user):
    secret = turn_on_authenticator_app(signed_in)
    frozen.shift(datetime.timedelta(minutes=20))
    asked = signed_in.get(reverse("export_csv"))
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    page = signed_in.get(reverse("mfa_reauthenticate")).content.decode()
    assert 'inputmode="numeric"' in page

    signed_in.post(reverse("mfa_reauthenticate"), {"code": pyotp.TOTP(secret).now()})

    assert signed_in.get(reverse("export_csv")).status_code == 200
