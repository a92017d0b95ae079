"""Sessions the person controls: kept or not on this device, ended when idle, listed in
Settings and signed out elsewhere; a stale sign-in confirms before sensitive downloads."""

import datetime

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from accounts import sessions
from tests.support import PASSWORD

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 5, 4, 9, 0, tzinfo=datetime.UTC)
FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
EDGE_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0"
)
CHROME_LINUX = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.mark.parametrize(
    ("user_agent", "device"),
    [
        (FIREFOX_ANDROID, "Firefox on Android"),
        (SAFARI_IPHONE, "Safari on iPhone"),
        (EDGE_WINDOWS, "Edge on Windows"),
        (CHROME_LINUX, "Chrome on Linux"),
        ("curl/8.5.0", "Unknown browser"),
        ("", "Unknown browser"),
    ],
)
def test_a_session_is_named_after_its_browser_and_system(user_agent, device):
    assert sessions.device_name(user_agent) == device


def sign_in(client, user, *, remember=False, agent=CHROME_LINUX, address="10.0.0.1"):
    data = {"login": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "on"
    response = client.post(reverse("login"), data, HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    assert response.status_code == 302, response.content.decode()
    return client


def test_keep_me_signed_in_keeps_the_session_for_the_idle_time(client, user):
    sign_in(client, user, remember=True)
    assert not client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == 30 * 24 * 3600


def test_without_keep_me_signed_in_the_session_ends_with_the_browser(client, user):
    sign_in(client, user)
    assert client.session.get_expire_at_browser_close()
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"]
    assert not cookie["expires"]


def test_a_session_in_use_is_renewed_and_an_idle_one_ends(client, user, frozen):
    sign_in(client, user, remember=True)
    first_expiry = client.session.get_expiry_date()

    frozen.shift(datetime.timedelta(days=29))
    assert client.get(reverse("settings")).status_code == 200
    renewed = client.session.get_expiry_date()
    assert renewed - first_expiry == datetime.timedelta(days=29)

    frozen.shift(datetime.timedelta(days=30, seconds=1))
    assert client.get(reverse("settings"))["Location"].startswith(reverse("login"))


def test_settings_lists_each_session_with_device_time_and_address(user, frozen):
    phone = sign_in(Client(), user, agent=FIREFOX_ANDROID, address="203.0.113.7")
    frozen.shift(datetime.timedelta(hours=2))
    laptop = sign_in(Client(), user, agent=EDGE_WINDOWS, address="198.51.100.4")

    page = laptop.get(reverse("settings"), HTTP_USER_AGENT=EDGE_WINDOWS).content.decode()

    assert 'Edge on Windows</strong> <span class="badge text-bg-primary">this device' in page
    assert "Firefox on Android" in page
    assert "203.0.113.7" in page
    assert "198.51.100.4" in page
    assert "Last seen 4 May 2026, 09:00" in page
    assert "Sign out everywhere else" in page
    assert phone.get(reverse("settings")).status_code == 200


def test_sign_out_everywhere_else_ends_the_other_sessions_only(user, make_user):
    phone = sign_in(Client(), user, agent=FIREFOX_ANDROID)
    laptop = sign_in(Client(), user, agent=EDGE_WINDOWS)
    someone_else = sign_in(Client(), make_user(email="bob@example.com"))

    response = laptop.post(reverse("sign_out_others"), follow=True)

    assert "You are now signed out on every other device and browser." in response.content.decode()
    assert phone.get(reverse("settings"))["Location"].startswith(reverse("login"))
    assert laptop.get(reverse("settings")).status_code == 200
    assert someone_else.get(reverse("settings")).status_code == 200
    assert UserSession.objects.filter(user=user).count() == 1


def test_changing_the_password_signs_out_the_other_sessions(user):
    phone = sign_in(Client(), user, agent=FIREFOX_ANDROID)
    laptop = sign_in(Client(), user, agent=EDGE_WINDOWS)
    new = "another-long-password-88"

    laptop.post(
        reverse("password_change"), {"oldpassword": PASSWORD, "password1": new, "password2": new}
    )

    assert laptop.get(reverse("settings")).status_code == 200
    assert phone.get(reverse("settings"))["Location"].startswith(reverse("login"))
    assert UserSession.objects.filter(user=user).count() == 1


def test_a_session_from_the_test_client_counts_as_just_signed_in(signed_in):
    assert signed_in.get(reverse("export_csv")).status_code == 200


@pytest.mark.parametrize(
    "url",
    ["/report.pdf", "/export/journal.csv", "/export/journal.json", "/account/delete/"],
)
def test_sensitive_pages_ask_to_confirm_when_the_sign_in_is_older_than_15_minutes(
    client, user, frozen, url
):
    sign_in(client, user)
    frozen.shift(datetime.timedelta(minutes=14))
    assert client.get(url).status_code == 200

    frozen.shift(datetime.timedelta(minutes=2))
    asked = client.get(url)
    assert asked.status_code == 302
    assert asked["Location"].startswith(reverse("account_reauthenticate"))

    confirmed = client.post(asked["Location"], {"password": PASSWORD}, follow=False)
    assert confirmed["Location"] == url
    assert client.get(url).status_code == 200


def test_deletion_confirmed_after_a_stale_sign_in_goes_ahead(client, user, frozen):
    sign_in(client, user)
    frozen.shift(datetime.timedelta(minutes=20))
    asked = client.post(reverse("account_delete"), {"password": PASSWORD})
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    client.post(asked["Location"], {"password": PASSWORD})
    assert not type(user).objects.filter(pk=user.pk).exists()


def test_download_links_go_by_the_password_page_when_the_sign_in_is_stale(client, user, frozen):
    sign_in(client, user)
    assert 'href="/export/journal.csv" download' in client.get(reverse("export")).content.decode()
    frozen.shift(datetime.timedelta(minutes=16))
    page = client.get(reverse("export")).content.decode()
    assert 'href="/export/journal.csv" download' not in page
    assert 'href="/export/journal.csv"' in page
    assert "you will be asked for your password first" in page
