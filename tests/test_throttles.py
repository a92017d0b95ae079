"""Throttles: wrong passwords pause per address, per account and per both; sign-up,
reset and confirmation emails are limited per address and per email; every pause says
calmly when to try again."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts import throttles
from tests.support import PASSWORD

pytestmark = pytest.mark.django_db

PAUSED = "To keep this account safe, password checks are paused after several wrong tries."
NOW = datetime.datetime(2026, 5, 4, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """These tests check many passwords; real hashing would dominate their time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def sign_in(client, email, password, address):
    return client.post(
        reverse("login"), {"login": email, "password": password}, REMOTE_ADDR=address
    )


def signed_in_as(client):
    return client.session.get("_auth_user_id")


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (None, "in a minute or so"),
        (1, "in a minute or so"),
        (60, "in a minute or so"),
        (61, "in about 2 minutes"),
        (14 * 60 + 1, "in about 15 minutes"),
        (59 * 60, "in about 59 minutes"),
        (60 * 60, "in about an hour"),
        (89 * 60, "in about an hour"),
        (150 * 60, "in about 2 hours"),
    ],
)
def test_the_wait_is_said_in_plain_words(seconds, words):
    assert throttles.wait_in_words(seconds) == words


def test_twenty_failures_from_one_address_across_twelve_accounts_lock_that_address(
    client, make_user, frozen
):
    people = [make_user(email=f"person{n}@example.com") for n in range(12)]
    for attempt in range(20):
        person = people[attempt % 12]
        response = sign_in(client, person.email, "wrong-password", "10.1.1.1")
        assert PAUSED not in response.content.decode(), attempt

    locked = sign_in(client, people[0].email, PASSWORD, "10.1.1.1")

    assert PAUSED in locked.content.decode()
    assert "Please try again in about 15 minutes." in locked.content.decode()
    assert signed_in_as(client) is None
    # The accounts themselves are not locked: from elsewhere the right password works.
    sign_in(client, people[0].email, PASSWORD, "10.2.2.2")
    assert signed_in_as(client) == str(people[0].pk)


def test_the_address_lock_lifts_when_the_period_is_over(client, make_user, frozen):
    people = [make_user(email=f"person{n}@example.com") for n in range(12)]
    for attempt in range(20):
        sign_in(client, people[attempt % 12].email, "wrong-password", "10.1.1.1")
    frozen.shift(datetime.timedelta(minutes=15, seconds=1))

    sign_in(client, people[0].email, PASSWORD, "10.1.1.1")

    assert signed_in_as(client) == str(people[0].pk)


def test_failures_for_one_account_from_several_addresses_lock_the_account(client, user, frozen):
    for n in range(10):
        sign_in(client, user.email, "wrong-password", f"10.0.{n}.1")

    locked = sign_in(client, user.email, PASSWORD, "10.9.9.9")

    page = locked.content.decode()
    assert locked.status_code == 200
    assert PAUSED in page
    assert "If you have forgotten your password, you can reset it by email now." in page
    assert signed_in_as(client) is None


def test_the_owner_of_a_locked_account_can_still_reset_and_sign_in(client, user, frozen):
    for n in range(10):
        sign_in(client, user.email, "wrong-password", f"10.0.{n}.1")

    client.post(reverse("password_reset"), {"email": user.email}, REMOTE_ADDR="10.9.9.9")
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/key/" in line)
    path = link[link.index("/accounts/") :]
    form = client.get(path, follow=True, REMOTE_ADDR="10.9.9.9")
    new_password = "a-brand-new-password-31"
    client.post(
        form.redirect_chain[-1][0],
        {"password1": new_password, "password2": new_password},
        REMOTE_ADDR="10.9.9.9",
    )
    sign_in(client, user.email, new_password, "10.9.9.9")

    assert signed_in_as(client) == str(user.pk)


def test_failures_for_one_account_from_one_address_lock_that_pair_only(
    client, make_user, user, frozen
):
    other = make_user(email="bob@example.com")
    for _ in range(5):
        sign_in(client, user.email, "wrong-password", "10.3.3.3")

    assert PAUSED in sign_in(client, user.email, PASSWORD, "10.3.3.3").content.decode()
    sign_in(client, other.email, PASSWORD, "10.3.3.3")
    assert signed_in_as(client) == str(other.pk)
    client.logout()
    sign_in(client, user.email, PASSWORD, "10.4.4.4")
    assert signed_in_as(client) == str(user.pk)


def test_an_address_without_an_account_pauses_exactly_like_one_with(client, user, frozen):
    answers = {}
    for email in (user.email, "nobody@example.com"):
        for _ in range(5):
            sign_in(client, email, "wrong-password", "10.5.5.5")
        answers[email] = sign_in(client, email, "wrong-password", "10.5.5.5").content.decode()
    assert PAUSED in answers[user.email]
    assert (
        answers[user.email].replace(user.email, "X")
        == answers["nobody@example.com"]
        .replace("nobody@example.com", "X")
        .replace(  # only the CSRF token differs
            answers["nobody@example.com"].split('name="csrfmiddlewaretoken" value="')[1][:64],
            answers[user.email].split('name="csrfmiddlewaretoken" value="')[1][:64],
        )
    )


def test_a_right_password_does_not_count_against_the_limits(client, user, frozen):
    for _ in range(12):
        sign_in(client, user.email, PASSWORD, "10.6.6.6")
        client.logout()
    sign_in(client, user.email, PASSWORD, "10.6.6.6")
    assert signed_in_as(client) == str(user.pk)


def test_password_change_locks_after_repeated_wrong_passwords(signed_in, user, frozen):
    for _ in range(5):
        response = signed_in.post(
            reverse("password_change"),
            {
                "oldpassword": "wrong-password",
                "password1": "n3w-pass-word!",
                "password2": "n3w-pass-word!",
            },
        )
        assert "That is not your current password." in response.content.decode()

    response = signed_in.post(
        reverse("password_change"),
        {"oldpassword": PASSWORD, "password1": "n3w-pass-word!", "password2": "n3w-pass-word!"},
    )

    assert PAUSED in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_account_deletion_locks_after_repeated_wrong_passwords(signed_in, user, frozen):
    for _ in range(5):
        response = signed_in.post(reverse("account_delete"), {"password": "wrong-password"})
        assert "That is not your password." in response.content.decode()

    response = signed_in.post(reverse("account_delete"), {"password": PASSWORD})

    assert PAUSED in response.content.decode()
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_wrong_passwords_in_settings_pages_pause_signing_in_too(signed_in, user, frozen):
    """One counter: guessing through the deletion form uses up the sign-in tries."""
    for _ in range(5):
        signed_in.post(reverse("account_delete"), {"password": "wrong-password"})
    elsewhere = Client()
    assert PAUSED in sign_in(elsewhere, user.email, PASSWORD, "127.0.0.1").content.decode()


def signup_data(email):
    return {
        "email": email,
        "display_name": "",
        "time_zone": "UTC",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }


def test_sign_up_is_limited_per_address_with_a_calm_page(client, frozen):
    for n in range(10):
        response = client.post(
            reverse("signup"), signup_data(f"p{n}@example.com"), REMOTE_ADDR="10.7.7.7"
        )
        assert response.status_code == 302

    response = client.post(
        reverse("signup"), signup_data("p11@example.com"), REMOTE_ADDR="10.7.7.7"
    )

    assert response.status_code == 429
    page = response.content.decode()
    assert "Several accounts were asked for from here, or for this email address" in page
    assert "please try again in about an hour." in page
    assert response["Retry-After"] == "3600"
    assert get_user_model().objects.count() == 10


def test_sign_up_is_limited_per_email_whatever_its_case_and_address(client, user, frozen):
    variants = ["ADA@example.com", "Ada@Example.com", "ada@EXAMPLE.COM"]
    for n, email in enumerate(variants):
        response = client.post(reverse("signup"), signup_data(email), REMOTE_ADDR=f"10.8.{n}.1")
        assert response.status_code == 302

    response = client.post(
        reverse("signup"), signup_data("aDa@example.com"), REMOTE_ADDR="10.8.9.1"
    )

    assert response.status_code == 429
    # The owner heard once that someone tried: those emails have their own limit.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]


def test_password_reset_is_limited_per_email_whatever_its_case(client, user, frozen):
    for n in range(12):
        email = user.email.upper() if n % 2 else user.email.title()
        client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=f"10.9.{n}.1")
    assert len(mail.outbox) == 3


def test_password_reset_is_limited_per_address_with_a_calm_page(client, frozen):
    for n in range(5):
        response = client.post(
            reverse("password_reset"), {"email": f"p{n}@example.com"}, REMOTE_ADDR="10.10.0.1"
        )
        assert response.status_code == 302

    response = client.post(
        reverse("password_reset"), {"email": "p9@example.com"}, REMOTE_ADDR="10.10.0.1"
    )

    assert response.status_code == 429
    assert "Several password-reset emails were asked for" in response.content.decode()
    assert len(mail.outbox) == 5


def test_confirmation_emails_are_limited_per_email(client, frozen):
    client.post(reverse("signup"), signup_data("new@example.com"))
    assert len(mail.outbox) == 1
    # Signing in before confirming sends the link again, but not more than once in a while.
    for _ in range(4):
        client.post(reverse("login"), {"login": "new@example.com", "password": PASSWORD})
    assert len(mail.outbox) == 1
    frozen.shift(datetime.timedelta(minutes=3, seconds=1))
    client.post(reverse("login"), {"login": "new@example.com", "password": PASSWORD})
    assert len(mail.outbox) == 2


def test_seconds_until_allowed_counts_down_from_the_oldest_hit_that_fills_the_limit(rf, frozen):
    request = rf.post("/", REMOTE_ADDR="10.11.0.1")
    request.user = None
    for _ in range(3):
        throttles.ratelimit.consume(request, app=throttles.APP, action="signup_email", key="k")
        frozen.shift(datetime.timedelta(minutes=10))
    # Three hits at 0, 10 and 20 minutes fill "3 an hour"; the first drops out at 60.
    assert throttles.seconds_until_allowed(request, "signup_email", key="k") == 30 * 60
    assert throttles.seconds_until_allowed(request, "signup_email", key="other") is None
