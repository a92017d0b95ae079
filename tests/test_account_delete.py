"""Deleting an account: a password confirmation, then nothing of the person remains."""

from datetime import UTC, date, datetime

import pytest
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import Activity
from journal.models import DailyCheckIn, Profile, SymptomEntry, TwitchEntry, TwitchTrigger
from tests.support import PASSWORD

pytestmark = pytest.mark.django_db

User = get_user_model()


def fill_journal(user, label):
    entry = TwitchEntry.objects.create(
        user=user, occurred_at=datetime(2026, 3, 1, 9, tzinfo=UTC), location="calf", notes=label
    )
    entry.set_triggers(["caffeine", "stress"])
    SymptomEntry.objects.create(user=user, noted_on=date(2026, 3, 2), kind="cramps", notes=label)
    DailyCheckIn.objects.create(user=user, day=date(2026, 3, 3), stress=2, notes=label)


def account_records(user):
    """What the account side keeps about a person: activity, a session, a two-step method."""
    Activity.objects.create(user=user, kind=Activity.Kind.SIGNED_IN, ip_address="10.0.0.1")
    UserSession.objects.create(user=user, ip="10.0.0.1", session_key=f"s{user.pk}", user_agent="x")
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "S"})


def rows_pointing_at(user_id, entry_ids):
    """Every row in the project's tables that belongs to the person, by table."""
    found = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is User:
                count = model.objects.filter(**{field.attname: user_id}).count()
                if count:
                    found[model.__name__] = count
    triggers = TwitchTrigger.objects.filter(entry_id__in=entry_ids).count()
    if triggers:
        found["TwitchTrigger"] = triggers
    return found


def test_delete_page_explains_what_goes_and_offers_an_export_first(
    signed_in, django_assert_num_queries
):
    # session, user, profile (time zone middleware).
    with django_assert_num_queries(3):
        response = signed_in.get(reverse("account_delete"))
    page = response.content.decode()
    assert "every twitch, symptom and daily check-in you have logged" in page
    assert "This cannot be undone:" in page
    assert f'href="{reverse("export_json")}" download>Download your journal as JSON</a>' in page
    assert 'autocomplete="current-password"' in page
    assert "Delete my account and all my data</button>" in page


def test_visitors_are_asked_to_log_in(client):
    response = client.get(reverse("account_delete"))
    assert response["Location"] == "/accounts/login/?next=/account/delete/"


def test_settings_and_export_pages_link_to_deletion(signed_in):
    link = f'href="{reverse("account_delete")}">Delete my account</a>'
    assert link in signed_in.get(reverse("settings")).content.decode()
    assert link in signed_in.get(reverse("export")).content.decode()


def test_a_wrong_password_deletes_nothing_and_says_so_beside_the_field(user, signed_in):
    fill_journal(user, "mine")

    response = signed_in.post(reverse("account_delete"), {"password": "not-my-password"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "That is not your password. Nothing has been deleted; please try again." in page
    assert 'class="invalid-feedback"' in page
    assert User.objects.filter(pk=user.pk).exists()
    assert TwitchEntry.objects.filter(user=user).count() == 1
    assert signed_in.get(reverse("export")).status_code == 200


def test_an_empty_password_is_asked_for(user, signed_in):
    response = signed_in.post(reverse("account_delete"), {"password": ""})
    assert "This field is required." in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()


def test_deleting_erases_every_row_of_the_person_and_no_one_elses(user, other_user, signed_in):
    fill_journal(user, "mine")
    fill_journal(other_user, "theirs")
    account_records(user)
    account_records(other_user)
    user_id = user.pk
    entry_ids = list(TwitchEntry.objects.filter(user=user).values_list("id", flat=True))
    assert rows_pointing_at(user_id, entry_ids) == {
        "Profile": 1,
        "TwitchEntry": 1,
        "SymptomEntry": 1,
        "DailyCheckIn": 1,
        "TwitchTrigger": 2,
        "EmailAddress": 1,
        "Activity": 1,
        "UserSession": 1,
        "Authenticator": 1,
    }

    response = signed_in.post(reverse("account_delete"), {"password": PASSWORD}, follow=True)

    assert response.redirect_chain == [(reverse("home"), 302)]
    page = response.content.decode()
    assert "Your account and everything in your journal have been deleted." in page
    assert "Keep track of muscle twitches, calmly." in page  # the visitor's landing page
    assert not User.objects.filter(pk=user_id).exists()
    assert rows_pointing_at(user_id, entry_ids) == {}
    for model in (Activity, UserSession, Authenticator):
        assert model.objects.filter(user=other_user).count() == 1
    # The other person's journal is untouched.
    assert Profile.objects.filter(user=other_user).exists()
    assert list(TwitchEntry.objects.filter(user=other_user).values_list("notes", flat=True)) == [
        "theirs"
    ]
    assert TwitchTrigger.objects.filter(entry__user=other_user).count() == 2
    assert SymptomEntry.objects.filter(user=other_user).count() == 1
    assert DailyCheckIn.objects.filter(user=other_user).count() == 1
    # Signed out: the journal's pages now ask to log in.
    assert signed_in.get(reverse("export"))["Location"] == "/accounts/login/?next=/export/"


def test_the_deleted_persons_password_no_longer_signs_in(user, signed_in, client):
    signed_in.post(reverse("account_delete"), {"password": PASSWORD})

    response = client.post(
        reverse("login"), {"login": user.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "That email address and password do not match an account." in (response.content.decode())
