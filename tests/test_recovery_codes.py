"""Recovery codes stored hashed: nothing in the database gives a code back, the codes
are shown once to the browser that made them, each works once, a new set ends the old
one, and migration 0003 turns seed-based sets into hashed ones."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal import auth as allauth_codes
from allauth.mfa.recovery_codes.internal import flows as allauth_flows
from django.apps import apps as django_apps
from django.contrib.sessions.models import Session
from django.core import serializers
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from accounts import recovery_codes
from accounts.recovery_codes import HashedRecoveryCodes, SeedRecoveryCodes
from tests.support import PASSWORD, confirm_it_is_me, turn_on_authenticator_app

pytestmark = pytest.mark.django_db

RECOVERY_CODES = Authenticator.Type.RECOVERY_CODES


def codes_on(page: str) -> list[str]:
    box = re.search(r'<textarea id="recovery_codes"[^>]*>(.*?)</textarea>', page, re.S)
    return box.group(1).split() if box else []


def shown_codes(client) -> list[str]:
    return codes_on(client.get(reverse("mfa_view_recovery_codes")).content.decode())


def the_set(user) -> Authenticator:
    return Authenticator.objects.get(user=user, type=RECOVERY_CODES)


def signs_in_with(user, code) -> bool:
    client = Client()
    client.post(reverse("login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": code})
    return client.session.get("_auth_user_id") == str(user.pk)


def everything_stored() -> str:
    """Every row of every table, sessions decoded, as one text to search."""
    models = django_apps.get_models()
    rows = [serializers.serialize("json", model.objects.all()) for model in models]
    rows += [str(session.get_decoded()) for session in Session.objects.all()]
    return "\n".join(rows)


def test_allauth_makes_checks_and_shows_codes_with_the_hashed_class():
    assert allauth_codes.RecoveryCodes is HashedRecoveryCodes
    assert allauth_flows.RecoveryCodes is HashedRecoveryCodes
    assert isinstance(Authenticator(type=RECOVERY_CODES, data={}).wrap(), HashedRecoveryCodes)


def test_the_database_holds_no_code_nor_a_seed_to_derive_them(signed_in, user):
    turn_on_authenticator_app(signed_in)
    codes = shown_codes(signed_in)
    assert len(codes) == len(set(codes)) == 10

    data = the_set(user).data
    assert "seed" not in data
    assert "migrated_codes" not in data
    assert len(data["hashes"]) == 10
    assert data["scheme"] == "pbkdf2_sha256"
    stored = everything_stored()
    for code in codes:
        assert code not in stored
        assert recovery_codes.normalised(code) not in stored


def test_a_code_works_once_then_is_refused_and_is_marked_spent(signed_in, user):
    turn_on_authenticator_app(signed_in)
    first, second = shown_codes(signed_in)[:2]

    assert signs_in_with(user, first)
    assert the_set(user).data["used_mask"] == 1
    assert not signs_in_with(user, first)
    # Typed without its dashes, with spaces, a code is the same code.
    assert signs_in_with(user, " " + second.replace("-", " ") + " ")
    assert the_set(user).data["used_mask"] == 0b11
    assert the_set(user).wrap().unused_count == 8


def test_a_wrong_or_short_code_is_refused_without_spending_any(signed_in, user):
    turn_on_authenticator_app(signed_in)
    codes = shown_codes(signed_in)
    wrapper = the_set(user).wrap()
    wrong = "000000000000" if "0000-0000-0000" not in codes else "111111111111"

    assert not wrapper.validate_code(wrong)
    assert not wrapper.validate_code(codes[0][:-1])
    assert not wrapper.validate_code("")
    assert the_set(user).data["used_mask"] == 0


def test_codes_are_shown_once_then_the_page_offers_new_ones(signed_in, user):
    turn_on_authenticator_app(signed_in)
    handed = signed_in.cookies[recovery_codes.COOKIE].value
    codes = shown_codes(signed_in)
    assert len(codes) == 10

    again = signed_in.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert codes_on(again) == []
    assert not any(code in again for code in codes)
    assert "You have 10 unused codes of 10." in again
    assert reverse("mfa_generate_recovery_codes") in again
    # The cookie that carried them is gone, and bringing it back shows nothing.
    assert signed_in.cookies[recovery_codes.COOKIE].value == ""
    signed_in.cookies[recovery_codes.COOKIE] = handed
    replayed = signed_in.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert not any(code in replayed for code in codes)
    assert signed_in.get(reverse("mfa_download_recovery_codes")).status_code == 403


def test_only_the_browser_that_made_the_codes_sees_them(user):
    laptop, phone = Client(), Client()
    laptop.force_login(user)
    turn_on_authenticator_app(laptop)
    phone.force_login(user)

    assert shown_codes(phone) == []
    assert len(shown_codes(laptop)) == 10


def test_the_codes_go_to_the_recovery_code_pages_only_for_minutes(signed_in, settings):
    settings.SESSION_COOKIE_SECURE = True
    turn_on_authenticator_app(signed_in)
    cookie = signed_in.cookies[recovery_codes.COOKIE]

    assert cookie["path"] == reverse("mfa_view_recovery_codes")
    assert cookie["max-age"] == 600
    assert cookie["httponly"]
    assert cookie["secure"]
    assert cookie["samesite"] == "Strict"


def test_new_codes_stop_the_old_ones(signed_in, user):
    turn_on_authenticator_app(signed_in)
    old = shown_codes(signed_in)
    confirm_it_is_me(signed_in)
    page = signed_in.get(reverse("mfa_generate_recovery_codes")).content.decode()
    assert "Your 10 unused old codes then stop working." in page

    response = signed_in.post(reverse("mfa_generate_recovery_codes"))
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    new = shown_codes(signed_in)

    assert len(new) == 10
    assert not set(new) & set(old)
    assert not signs_in_with(user, old[0])
    assert signs_in_with(user, new[0])


def test_seed_based_sets_become_hashed_sets_with_the_same_codes(user):
    """Migration 0003 on a set allauth made from a seed, with its third code spent."""
    row = Authenticator.objects.create(
        user=user,
        type=RECOVERY_CODES,
        data={"seed": SeedRecoveryCodes.generate_seed(), "used_mask": 0b100, "viewed_at": 1.0},
    )
    codes = SeedRecoveryCodes(row).generate_codes()
    module = __import__(
        "accounts.migrations.0003_hash_recovery_codes", fromlist=["hash_seed_based_sets"]
    )

    module.hash_seed_based_sets(django_apps, None)

    row.refresh_from_db()
    assert "seed" not in row.data
    assert row.data["viewed_at"] == 1.0
    assert not any(code in str(row.data) for code in codes)
    wrapper = row.wrap()
    assert not wrapper.validate_code(codes[2])
    assert wrapper.validate_code(codes[0])
    assert not wrapper.validate_code(codes[0])
    assert wrapper.unused_count == 8


@pytest.mark.django_db(transaction=True)
def test_the_migration_runs_from_the_schema_before_it(make_user):
    executor = MigrationExecutor(connection)
    before = [
        ("accounts", "0002_carry_existing_accounts_over"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(before)
        executor.loader.build_graph()
        old_apps = executor.loader.project_state(before).apps
        person = old_apps.get_model("auth", "User").objects.create(username="ada@example.com")
        seed = SeedRecoveryCodes.generate_seed()
        old_apps.get_model("mfa", "Authenticator").objects.create(
            user=person, type=RECOVERY_CODES, data={"seed": seed, "used_mask": 0}
        )
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
    finally:
        MigrationExecutor(connection).migrate(latest)

    row = Authenticator.objects.get(user_id=person.pk)
    assert seed not in str(row.data)
    assert len(row.data["hashes"]) == 10
    expected = SeedRecoveryCodes(Authenticator(data={"seed": seed, "used_mask": 0}))
    assert row.wrap().validate_code(expected.generate_codes()[9])
