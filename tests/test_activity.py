"""The account activity list: each kind of event, with time and address, only the
person's own, for the kept period; `purge_old` removes the rest."""

import csv
import datetime
import io
import re

import pyotp
import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts import activity
from accounts.models import Activity
from api.models import ApiToken
from journal.exports import CSV_COLUMNS
from sharing.models import ShareLink
from tests.support import PASSWORD, confirm_it_is_me, turn_on_authenticator_app

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 5, 4, 9, 0, tzinfo=datetime.UTC)
Kind = Activity.Kind


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def kinds(user):
    return list(Activity.objects.filter(user=user).order_by("id").values_list("kind", flat=True))


def log_in(client, user, password=PASSWORD, address="203.0.113.9"):
    return client.post(
        reverse("login"), {"login": user.email, "password": password}, REMOTE_ADDR=address
    )


@pytest.mark.django_db(transaction=True)
def test_every_kind_of_event_is_listed_with_its_time_and_address(user, frozen):
    client = Client(REMOTE_ADDR="203.0.113.9")
    log_in(client, user, "wrong-password")
    log_in(client, user)
    secret = turn_on_authenticator_app(client)
    confirm_it_is_me(client)
    client.post(reverse("mfa_generate_recovery_codes"))
    client.post(reverse("token_new"), {"name": "Watch", "scope": "read", "expires": "30"})
    client.post(reverse("token_revoke", kwargs={"pk": ApiToken.objects.get(user=user).pk}))
    made = client.post(reverse("share"), {"valid_days": "7"}).content.decode()
    Client(REMOTE_ADDR="192.0.2.77").get(re.search(r"/s/[\w-]{43}/", made).group(0))
    client.post(reverse("share_revoke", kwargs={"pk": ShareLink.objects.get(user=user).pk}))
    new = "another-long-password-88"
    client.post(
        reverse("password_change"), {"oldpassword": PASSWORD, "password1": new, "password2": new}
    )
    client.get(reverse("export_csv"))
    client.get(reverse("export_json"))
    client.get(reverse("report_pdf"))
    upload = SimpleUploadedFile(
        "journal.csv",
        b"type,occurred_at,location,intensity\r\ntwitch,2026-05-01T08:00:00+00:00,calf,2\r\n",
        content_type="text/csv",
    )
    preview = client.post(reverse("import"), {"file": upload})
    token = re.search(r'name="token" value="([^"]+)"', preview.content.decode()).group(1)
    client.post(reverse("import_confirm"), {"token": token})
    other = Client(REMOTE_ADDR="198.51.100.2")
    log_in(other, user, new)
    other.post(reverse("mfa_authenticate"), {"code": "000000"})
    frozen.shift(datetime.timedelta(seconds=95))
    other.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()})
    other.post(reverse("sign_out_others"))
    confirm_it_is_me(other, new)
    frozen.shift(datetime.timedelta(seconds=95))
    code = pyotp.TOTP(secret).now()
    other.post(reverse("mfa_deactivate_totp"), {"password": new, "code": code})
    other.post(reverse("logout"))
    other.post(reverse("password_reset"), {"email": user.email})
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/reset/key/" in line)
    form = other.get(link[link.index("/accounts/") :], follow=True)
    newer = "yet-another-password-99"
    other.post(form.redirect_chain[-1][0], {"password1": newer, "password2": newer})
    log_in(other, user, newer, address="198.51.100.2")

    assert set(kinds(user)) == set(Kind.values)
    page = other.get(reverse("settings")).content.decode()
    for label in Kind.labels:
        assert label.replace("'", "&#x27;") in page, label
    assert "(with password and authenticator code)" in page
    assert "(authenticator app)" in page
    assert "(CSV)" in page
    assert "(JSON)" in page
    assert "(\u201cWatch\u201d, read)" in page
    assert "4 May 2026, 09:0" in page
    assert "203.0.113.9" in page
    assert "198.51.100.2" in page
    assert "192.0.2.77" not in page  # who opened a shared link is not kept


def test_a_wrong_password_is_listed_for_the_account_it_was_meant_for(client, user, frozen):
    log_in(client, user, "wrong-password")
    log_in(client, user, "wrong-password", address="192.0.2.44")
    events = Activity.objects.filter(user=user)
    assert [(e.kind, e.ip_address) for e in events] == [
        (Kind.WRONG_PASSWORD, "192.0.2.44"),
        (Kind.WRONG_PASSWORD, "203.0.113.9"),
    ]


def test_another_persons_events_never_appear(client, user, make_user, frozen):
    bob = make_user(email="bob@example.com")
    Activity.objects.create(
        user=bob, kind=Kind.EXPORTED, detail="bob-only", ip_address="192.0.2.99"
    )
    activity.record(None, Kind.REPORT, user=user, detail="ada-own")
    client.force_login(user)

    page = client.get(reverse("settings")).content.decode()

    assert "ada-own" in page
    assert "bob-only" not in page
    assert "192.0.2.99" not in page
    assert list(activity.recent(user)) == list(Activity.objects.filter(user=user))


@pytest.mark.django_db
def test_the_list_covers_90_days_and_purge_removes_what_is_older(user, frozen):
    old = Activity.objects.create(
        user=user, kind=Kind.SIGNED_IN, created_at=NOW - datetime.timedelta(days=90, seconds=1)
    )
    kept = Activity.objects.create(
        user=user, kind=Kind.SIGNED_IN, created_at=NOW - datetime.timedelta(days=89)
    )

    assert list(activity.recent(user)) == [kept]
    assert activity.purge_old() == 1
    assert list(Activity.objects.all()) == [kept]
    assert not Activity.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db
def test_the_settings_list_reads_in_a_fixed_number_of_queries(
    signed_in, user, django_assert_num_queries
):
    for kind in Kind.values:
        activity.record(None, kind, user=user)
    # session, user, profile; the form's profile; two-step methods; the session list
    # (none recorded for the test client's session); the activity; the API tokens; the
    # person's colours (webapp.Appearance) and their reminder.
    with django_assert_num_queries(9):
        signed_in.get(reverse("settings"))


def test_import_is_recorded_with_what_it_added(signed_in, user):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerow(
        {
            "type": "twitch",
            "occurred_at": "2026-05-01T08:00:00+00:00",
            "location": "calf",
            "intensity": "2",
        }
    )
    upload = SimpleUploadedFile("journal.csv", out.getvalue().encode(), content_type="text/csv")
    preview = signed_in.post(reverse("import"), {"file": upload})
    # Checked and shown, not imported yet.
    assert not Activity.objects.filter(user=user).exists()
    token = re.search(r'name="token" value="([^"]+)"', preview.content.decode()).group(1)
    signed_in.post(reverse("import_confirm"), {"token": token})
    event = Activity.objects.get(user=user)
    assert (event.kind, event.detail) == (Kind.IMPORTED, "1 twitch, 0 symptoms and 0 check-ins")
