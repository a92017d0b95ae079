"""Settings, "Apps and shortcuts": create a token (shown once), list tokens with their
last use, revoke one; and the create_api_token command for operators."""

import datetime
import re

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import Activity
from api.models import ApiToken
from api.tokens import TOKEN_PATTERN, create_token, find_token
from tests.journal_support import error_beside, text_of

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 3, 10, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def section(page: str) -> str:
    match = re.search(r'<section class="mt-5" id="apps-and-shortcuts".*?</section>', page, re.S)
    return match.group(0) if match else ""


def test_creating_a_token_shows_it_once_and_it_works_at_once(signed_in, user):
    response = signed_in.post(
        reverse("token_new"), {"name": "iPhone shortcut", "scope": "read+write", "expires": "90"}
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = re.search(r">(tl_[^<]+)</textarea>", response.content.decode()).group(1)
    assert TOKEN_PATTERN.fullmatch(token)
    assert "this is the only time it is shown" in text_of(response.content.decode())
    row = find_token(token)
    assert (row.user, row.name, row.scope) == (user, "iPhone shortcut", "read+write")
    assert row.expires_at == NOW + datetime.timedelta(days=90)
    # Never again: not on the settings page, not in the database.
    assert token not in signed_in.get(reverse("settings")).content.decode()
    assert not ApiToken.objects.filter(digest=token).exists()


def test_the_settings_section_lists_each_token_with_its_last_use(signed_in, user, other_user):
    used, token = create_token(user, "Kitchen button", "read+write")
    create_token(user, "Watch", "read", expires_at=NOW + datetime.timedelta(days=30))
    create_token(other_user, "Bob's phone", "read+write")
    with time_machine.travel(NOW + datetime.timedelta(hours=2), tick=False):
        find_token(token)

    text = text_of(section(signed_in.get(reverse("settings")).content.decode()))

    assert "Apps and shortcuts" in text
    assert "Kitchen button read+write" in text
    assert f"Starts tl_{used.prefix}_" in text
    assert "Last used 10 Mar 2025, 14:00." in text
    assert "Watch read" in text
    assert "Not used yet. Expires 9 Apr 2025." in text
    assert "Bob's phone" not in text


def test_the_settings_section_costs_one_query(signed_in, user, django_assert_num_queries):
    for n in range(3):
        create_token(user, f"Device {n}", "read")
    request = RequestFactory().get("/settings/")
    request.user = user
    template = Template("{% load api_tokens %}{% apps_and_shortcuts %}")
    # The person's tokens.
    with django_assert_num_queries(1):
        html = template.render(Context({"request": request}))
    assert html.count("Revoke") == 3


@pytest.mark.parametrize(
    ("data", "field", "reason"),
    [
        ({"name": "", "scope": "read", "expires": "30"}, "name", "Give the token a name"),
        ({"name": "   ", "scope": "read", "expires": "30"}, "name", "Give the token a name"),
        ({"name": "x" * 81, "scope": "read", "expires": "30"}, "name", "at most 80 characters"),
        (
            {"name": "Phone", "scope": "admin", "expires": "30"},
            "scope",
            "Choose read+write or read",
        ),
        ({"name": "Phone", "scope": "read", "expires": "7"}, "expires", "Choose one of the times"),
    ],
)
def test_a_bad_token_form_comes_back_with_the_reason_beside_the_field(
    signed_in, data, field, reason
):
    response = signed_in.post(reverse("token_new"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert reason in error_beside(page, f"id_{field}")
    assert not ApiToken.objects.exists()
    if data["name"].strip():
        assert f'value="{data["name"]}"' in page


def test_revoking_removes_the_token_and_says_so(signed_in, user):
    row, token = create_token(user, "Old phone", "read+write")
    response = signed_in.post(reverse("token_revoke", kwargs={"pk": row.pk}), follow=True)
    assert response.redirect_chain[-1][0] == reverse("settings") + "#apps-and-shortcuts"
    assert "Revoked \u201cOld phone\u201d. It no longer works." in text_of(
        response.content.decode()
    )
    assert find_token(token) is None
    assert not ApiToken.objects.exists()


def test_making_and_revoking_a_token_are_listed_in_the_account_activity(client, user):
    client.force_login(user)
    client.post(
        reverse("token_new"),
        {"name": "iPhone shortcut", "scope": "read+write", "expires": "90"},
        REMOTE_ADDR="203.0.113.7",
    )
    row = ApiToken.objects.get(user=user)
    client.post(reverse("token_revoke", kwargs={"pk": row.pk}), REMOTE_ADDR="198.51.100.4")

    events = Activity.objects.filter(user=user).order_by("id")
    assert [(e.kind, e.detail, e.ip_address) for e in events] == [
        (Activity.Kind.TOKEN_CREATED, "\u201ciPhone shortcut\u201d, read+write", "203.0.113.7"),
        (Activity.Kind.TOKEN_REVOKED, "\u201ciPhone shortcut\u201d", "198.51.100.4"),
    ]
    page = text_of(client.get(reverse("settings")).content.decode())
    assert "API token created (\u201ciPhone shortcut\u201d, read+write)" in page
    assert "API token revoked (\u201ciPhone shortcut\u201d)" in page


def test_another_persons_token_is_not_revoked_nor_listed(signed_in, user, other_user):
    row, _ = create_token(other_user, "Bob's phone", "read")

    response = signed_in.post(reverse("token_revoke", kwargs={"pk": row.pk}))

    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=row.pk).exists()
    assert not Activity.objects.filter(user=user).exists()
    assert list(Activity.objects.filter(user=other_user).values_list("kind", flat=True)) == [
        Activity.Kind.TOKEN_CREATED
    ]
    assert "Bob's phone" not in signed_in.get(reverse("settings")).content.decode()


def test_a_token_made_on_the_server_is_listed_as_such(user, capsys):
    call_command("create_api_token", user.email, "--name", "Garage", "--scope", "read")
    event = Activity.objects.get(user=user)
    assert (event.kind, event.detail, event.ip_address) == (
        Activity.Kind.TOKEN_CREATED,
        "\u201cGarage\u201d, read, made on the server",
        None,
    )


def test_the_command_prints_a_working_token(user, capsys):
    call_command("create_api_token", "ADA@example.com", "--name", "Garage", "--scope", "read")
    token = capsys.readouterr().out.strip()
    row = find_token(token)
    assert (row.user, row.name, row.scope, row.expires_at) == (user, "Garage", "read", None)


def test_the_command_refuses_an_unknown_person_or_a_bad_name(user):
    with pytest.raises(CommandError, match=r"No account has the email nobody@example\.com"):
        call_command("create_api_token", "nobody@example.com", "--name", "Garage")
    with pytest.raises(CommandError, match="name"):
        call_command("create_api_token", user.email, "--name", " ")
    assert not ApiToken.objects.exists()


def test_making_a_token_asks_to_confirm_it_is_you_after_a_while(client, user, settings):
    client.force_login(user)
    later = NOW + datetime.timedelta(minutes=settings.REAUTHENTICATION_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        shown = client.get(reverse("token_new"))
        posted = client.post(
            reverse("token_new"), {"name": "Phone", "scope": "read", "expires": "30"}
        )
    for response in (shown, posted):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/reauthenticate/")
    assert not ApiToken.objects.exists()
