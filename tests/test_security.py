"""Every URL of the project, walked: strangers are sent to log in (or refused by the
API), and one person can never see or change another's journal, through a page or
through the API with their own token.

The routes come from Django's own URL resolver (tests/url_walk.py), so a page added
later is walked too; a new URL with parameters fails here until it is described.
"""

import datetime
import gzip
import io
import json
import re
from decimal import Decimal
from urllib.parse import unquote

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import int_to_base36
from pypdf import PdfReader

from api.models import ApiToken
from api.tokens import create_token
from journal.models import DailyCheckIn, Profile, SymptomEntry, TwitchEntry, TwitchTrigger
from sharing.services import create_link
from tests.support import PASSWORD
from tests.url_walk import (
    ACCOUNT_ANSWERS,
    API_OBJECT_ROUTES,
    DOWNLOADS,
    OWN_ENTRY_ROUTES,
    OWN_KEY_ROUTES,
    PUBLIC_EXAMPLES,
    PUBLIC_ROUTES,
    admin_url,
    own_entry_url,
    project_routes,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 3, 10, 12, 0, tzinfo=datetime.UTC)
YESTERDAY = datetime.date(2025, 3, 9)
# Words only the first person's journal holds: none may reach anyone else.
A_NAME = "Aurelia Quistgaard"
A_NOTE = "aurelia-private-note-7c1e"

ROUTES = project_routes()
JOURNAL_ROUTES = [route for route in ROUTES if not route.is_admin and not route.is_api]
API_ROUTES = [route for route in ROUTES if route.is_api]
API_LIST_ROUTES = [route for route in API_ROUTES if not route.params]
ADMIN_ROUTES = [route for route in ROUTES if route.is_admin]
SIGNED_IN_ROUTES = [
    route
    for route in JOURNAL_ROUTES
    if route.name not in PUBLIC_ROUTES | OWN_ENTRY_ROUTES.keys() | OWN_KEY_ROUTES.keys()
]
# Every page a signed-in person sees: the above, and the home page (public when signed out).
PERSONAL_PAGES = [route for route in JOURNAL_ROUTES if route.name == "home"] + SIGNED_IN_ROUTES

# Posts that the owner's own entry would accept, so that a 404 for anyone else is
# the ownership check at work and not a form error.
VALID_CHANGES = {
    "twitch": {
        "occurred_at": "2025-03-09T08:15",
        "location": "thigh_front",
        "side": "right",
        "intensity": "3",
        "duration_preset": "unknown",
        "notes": "changed by someone else",
    },
    "symptom": {
        "noted_on": "2025-03-08",
        "kind": "cramps",
        "severity": "3",
        "onset": "gradual",
        "notes": "changed by someone else",
    },
    "checkin": {"day": "2025-03-09", "sleep_hours": "3", "notes": "changed by someone else"},
    "token": {},
    "share": {},
}
EDIT_ROUTES = {"twitch_edit": "twitch", "symptom_edit": "symptom", "checkin_day": "checkin"}


# Addresses that only take a form's POST: a GET is 405 whoever asks.
POST_ONLY = {"twitch_undo", "symptom_undo", "checkin_undo", "token_revoke", "share_revoke"}


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """These tests make many accounts; real password hashing would dominate their time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def person_a(make_user):
    """The first person, with one of each kind of entry, each holding a private note."""
    aurelia = make_user(email="aurelia@example.com", time_zone="Europe/Paris", display_name=A_NAME)
    twitch = TwitchEntry.objects.create(
        user=aurelia,
        occurred_at=NOW - datetime.timedelta(days=1),
        location="calf",
        side="left",
        intensity=2,
        notes=A_NOTE,
    )
    twitch.set_triggers(["caffeine", "stress"])
    symptom = SymptomEntry.objects.create(
        user=aurelia, noted_on=YESTERDAY, kind="cramps", location="calf", notes=A_NOTE
    )
    DailyCheckIn.objects.create(
        user=aurelia, day=YESTERDAY, sleep_hours=Decimal("6.5"), stress=4, notes=A_NOTE
    )
    token, aurelia.token = create_token(aurelia, "Aurelia's watch", ApiToken.Scope.WRITE)
    aurelia.entries = {
        "twitch": twitch.pk,
        "symptom": symptom.pk,
        "checkin": YESTERDAY,
        "token": token.pk,
        "share": create_link(None, aurelia, YESTERDAY, YESTERDAY, valid_days=7, note=A_NOTE)[0].pk,
    }
    return aurelia


@pytest.fixture
def person_b(make_user):
    bruno = make_user(email="bruno@example.com", display_name="Bruno")
    _, bruno.token = create_token(bruno, "Bruno's phone", ApiToken.Scope.WRITE)
    return bruno


def snapshot(person):
    """Everything stored about `person`, to show that nothing of it changed."""
    return {
        "account": list(get_user_model().objects.filter(pk=person.pk).values()),
        "profile": list(Profile.objects.filter(user=person).values()),
        "twitches": list(TwitchEntry.objects.filter(user=person).values()),
        "triggers": list(TwitchTrigger.objects.filter(entry__user=person).values()),
        "symptoms": list(SymptomEntry.objects.filter(user=person).values()),
        "checkins": list(DailyCheckIn.objects.filter(user=person).values()),
        "tokens": list(ApiToken.objects.filter(user=person).values()),
    }


def response_text(response) -> str:
    """What a person would read in the response: the page, the file, or the PDF's text."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return content.decode()


def without_csrf_tokens(response) -> str:
    """The page without its CSRF tokens, which differ on every render."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def is_login_redirect(response, login_path="/accounts/login/") -> bool:
    return response.status_code == 302 and response["Location"].startswith(login_path + "?next=")


def test_every_url_with_parameters_is_described_for_these_tests():
    described = OWN_ENTRY_ROUTES.keys() | OWN_KEY_ROUTES.keys() | PUBLIC_EXAMPLES.keys()
    undescribed = [
        str(route) for route in JOURNAL_ROUTES if route.params and route.name not in described
    ]
    undescribed += [
        str(route) for route in API_ROUTES if route.params and route.name not in API_OBJECT_ROUTES
    ]
    assert not undescribed, f"describe these in tests/url_walk.py: {undescribed}"
    assert all(route.name for route in JOURNAL_ROUTES + API_ROUTES), "every URL needs a name"
    # Only allauth's two email links are patterns; both are public and described.
    assert {route.name for route in JOURNAL_ROUTES if route.is_regex} <= PUBLIC_EXAMPLES.keys()
    assert not [route for route in API_ROUTES if route.is_regex]
    # The walk really does see the whole project, the admin included.
    names = {route.name for route in ROUTES}
    assert {"home", "log", "journal", "admin:index", "mfa_index", "login"} <= names
    assert set(OWN_ENTRY_ROUTES) <= names
    assert set(API_OBJECT_ROUTES) <= names
    assert set(DOWNLOADS) <= names


@pytest.mark.parametrize("route", SIGNED_IN_ROUTES, ids=str)
def test_anonymous_requests_to_personal_pages_go_to_log_in_and_change_nothing(
    client, person_a, route
):
    url = reverse(route.name)
    before = snapshot(person_a)
    for response in (client.get(url), client.post(url, VALID_CHANGES["twitch"])):
        assert is_login_redirect(response) or response.status_code in (404, 405), (
            route,
            response.status_code,
        )
        if response.status_code == 302:
            assert unquote(response["Location"]) == f"/accounts/login/?next={url}"
    assert snapshot(person_a) == before


@pytest.mark.parametrize("name", sorted(OWN_ENTRY_ROUTES))
def test_anonymous_requests_for_an_entry_go_to_log_in_and_change_nothing(client, person_a, name):
    route = next(route for route in ROUTES if route.name == name)
    url = own_entry_url(route, person_a.entries)
    before = snapshot(person_a)
    kind = OWN_ENTRY_ROUTES[name][0]
    for response in (client.get(url), client.post(url, VALID_CHANGES[kind])):
        assert is_login_redirect(response) or response.status_code in (404, 405)
        assert A_NOTE not in response.content.decode()
    assert snapshot(person_a) == before


# Pages that send a visitor elsewhere: log out (nobody to sign out) goes home, and the
# steps in the middle of signing in go back to log in. Every other public page opens.
PUBLIC_GET_STATUS = {
    "logout": 302,
    "account_logout": 302,
    "account_confirm_login_code": 302,
    "mfa_authenticate": 302,
    "mfa_login_webauthn": 302,
    # A made-up token opens nothing.
    "shared": 404,
    "shared_pdf": 404,
}


@pytest.mark.parametrize("route", [r for r in JOURNAL_ROUTES if r.name in PUBLIC_ROUTES], ids=str)
def test_public_pages_open_without_signing_in_and_show_nobodys_data(client, person_a, route):
    response = client.get(reverse(route.name, kwargs=PUBLIC_EXAMPLES.get(route.name, {})))
    assert response.status_code == PUBLIC_GET_STATUS.get(route.name, 200)
    text = response.content.decode()
    assert A_NAME not in text
    assert A_NOTE not in text
    assert "aurelia@example.com" not in text


def test_a_password_reset_link_that_is_not_real_is_refused(client, person_a):
    uidb36 = int_to_base36(person_a.pk)
    url = reverse(
        "account_reset_password_from_key", kwargs={"uidb36": uidb36, "key": "set-password"}
    )
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert response.context["token_fail"] is True
    assert b'name="password1"' not in response.content


@pytest.mark.parametrize("route", ADMIN_ROUTES, ids=str)
def test_the_admin_is_closed_to_visitors_and_to_people_who_are_not_staff(
    client, person_a, person_b, route
):
    url = admin_url(route)
    if route.name in PUBLIC_ROUTES:
        assert client.get(url).status_code in (200, 302, 405)
        return
    anonymous = client.get(url)
    client.force_login(person_b)
    not_staff = client.get(url)
    for response in (anonymous, not_staff):
        assert is_login_redirect(response, "/admin/login/"), (route, response.status_code)
        assert A_NOTE not in response.content.decode()


@pytest.mark.parametrize("name", sorted(OWN_ENTRY_ROUTES))
def test_another_persons_entry_is_a_404_and_nothing_changes(client, person_a, person_b, name):
    route = next(route for route in ROUTES if route.name == name)
    url = own_entry_url(route, person_a.entries)
    kind = OWN_ENTRY_ROUTES[name][0]
    before = snapshot(person_a)
    client.force_login(person_b)

    got, posted = client.get(url), client.post(url, VALID_CHANGES[kind])

    assert got.status_code == (405 if name in POST_ONLY else 404)
    assert posted.status_code == 404
    for response in (got, posted):
        assert A_NOTE not in response.content.decode()
        assert A_NAME not in response.content.decode()
    assert snapshot(person_a) == before


@pytest.mark.parametrize("name", sorted(OWN_ENTRY_ROUTES))
def test_another_persons_entry_looks_exactly_like_one_that_does_not_exist(
    client, person_a, person_b, name
):
    """The 404 must not even reveal that the entry exists."""
    route = next(route for route in ROUTES if route.name == name)
    kind, param = OWN_ENTRY_ROUTES[name]
    missing = {
        "twitch": 999_999,
        "symptom": 999_999,
        "checkin": datetime.date(2001, 1, 1),
        "token": 999_999,
        "share": 999_999,
    }
    client.force_login(person_b)
    theirs = client.post(own_entry_url(route, person_a.entries))
    nobodys = client.post(reverse(name, kwargs={param: missing[kind]}))
    assert theirs.status_code == nobodys.status_code == 404
    assert without_csrf_tokens(theirs) == without_csrf_tokens(nobodys)


@pytest.mark.parametrize("name", sorted(OWN_ENTRY_ROUTES))
def test_the_owner_reaches_each_of_their_entries(client, person_a, name):
    """The control for the 404s above: the same addresses work for the owner."""
    route = next(route for route in ROUTES if route.name == name)
    client.force_login(person_a)
    response = client.get(own_entry_url(route, person_a.entries))
    # Undo and revoke are buttons (POST only); every other address shows a page.
    assert response.status_code == (405 if name in POST_ONLY else 200)


@pytest.mark.parametrize("name", sorted(EDIT_ROUTES))
def test_the_owner_can_save_the_same_change_that_is_refused_to_anyone_else(client, person_a, name):
    route = next(route for route in ROUTES if route.name == name)
    client.force_login(person_a)
    response = client.post(own_entry_url(route, person_a.entries), VALID_CHANGES[EDIT_ROUTES[name]])
    assert response.status_code == 302
    kind = EDIT_ROUTES[name]
    model = {"twitch": TwitchEntry, "symptom": SymptomEntry, "checkin": DailyCheckIn}[kind]
    assert model.objects.get(user=person_a).notes == "changed by someone else"


@pytest.mark.parametrize("route", PERSONAL_PAGES, ids=str)
def test_signed_in_pages_and_downloads_hold_only_the_persons_own_data(
    client, person_a, person_b, route
):
    url = reverse(route.name)
    before = snapshot(person_a)
    client.force_login(person_b)

    response = client.get(url)

    if route.name in ACCOUNT_ANSWERS:
        status, goes_to = ACCOUNT_ANSWERS[route.name]
        assert response.status_code == status, (route, response.status_code)
        if goes_to:
            assert response["Location"].split("?")[0] == goes_to
    else:
        # 405: an address that only takes a form's POST (logging again, importing).
        assert response.status_code in (200, 405), (route, response.status_code)
    if route.name in DOWNLOADS:
        assert response["Content-Type"].startswith(DOWNLOADS[route.name])
    text = response_text(response)
    assert A_NAME not in text
    assert A_NOTE not in text
    assert "aurelia@example.com" not in text
    # An empty or half-filled post by the second person never touches the first's data.
    client.post(url, {"notes": "x", "file": "", "password": ""})
    assert snapshot(person_a) == before


@pytest.fixture
def a_passkey(person_a):
    return Authenticator.objects.create(
        user=person_a,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": "Aurelia's phone", "credential": {}},
    )


@pytest.mark.parametrize("name", sorted(OWN_KEY_ROUTES))
def test_another_persons_passkey_is_a_404_and_stays(client, person_a, person_b, a_passkey, name):
    client.force_login(person_b)
    # Confirm it is them first, so that what answers is the ownership check.
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    url = reverse(name, kwargs={OWN_KEY_ROUTES[name]: a_passkey.pk})
    for response in (client.get(url), client.post(url, {"name": "mine now", "password": PASSWORD})):
        assert response.status_code == 404, (name, response.status_code)
        assert "Aurelia" not in response.content.decode()
    a_passkey.refresh_from_db()
    assert a_passkey.data["name"] == "Aurelia's phone"


def test_the_second_persons_own_journal_is_what_they_see(client, person_a, person_b):
    """The control for the test above: the pages do show the signed-in person's data."""
    TwitchEntry.objects.create(
        user=person_b, occurred_at=NOW, location="hand", notes="bruno-own-note"
    )
    client.force_login(person_b)
    assert "bruno-own-note" in client.get(reverse("journal")).content.decode()
    assert "bruno-own-note" in response_text(client.get(reverse("export_csv")))


def test_looking_up_another_persons_twitch_is_one_query_filtered_by_person(
    client, person_a, person_b, django_assert_num_queries
):
    url = reverse("twitch_edit", kwargs={"pk": person_a.entries["twitch"]})
    client.force_login(person_b)
    # The session, the signed-in person, their profile (time zone), then the twitch
    # looked up by id AND person, which finds nothing.
    with django_assert_num_queries(4), CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 404
    lookup = queries.captured_queries[-1]["sql"]
    assert "journal_twitchentry" in lookup
    assert '"user_id" = ' in lookup.replace("`", '"')


def test_pages_are_compressed_with_random_padding_against_breach(client, person_a):
    client.force_login(person_a)
    response = client.get(reverse("journal"), HTTP_ACCEPT_ENCODING="gzip, br")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    # Django's padding: a random-length name in the gzip header (the FNAME flag).
    assert response.content[3] & gzip.FNAME
    assert A_NOTE in gzip.decompress(response.content).decode()


# The API: the same walk with tokens. Each person's token reaches only their own journal.

API_CHANGES = {
    "twitch": {"location": "thigh_front", "notes": "changed by someone else"},
    "symptom": {"kind": "weakness", "notes": "changed by someone else"},
    "checkin": {"sleep_hours": 3, "notes": "changed by someone else"},
}


def api_call(client, method: str, url: str, token: str | None = None, data=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    if method == "get":
        return client.get(url, **headers)
    body = json.dumps(data) if data is not None else None
    return getattr(client, method)(url, data=body, content_type="application/json", **headers)


def api_object_urls(person):
    for route in API_ROUTES:
        if route.name in API_OBJECT_ROUTES:
            yield route, own_entry_url(route, person.entries)


@pytest.mark.parametrize("route", API_ROUTES, ids=str)
def test_the_api_refuses_anyone_without_a_token_and_changes_nothing(client, person_a, route):
    url = own_entry_url(route, person_a.entries) if route.params else reverse(route.name)
    before = snapshot(person_a)
    for method in ("get", "post", "patch", "delete"):
        response = api_call(client, method, url, data={"notes": "x"})
        assert response.status_code == 401, (route, method, response.status_code)
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
        assert A_NOTE not in response.content.decode()
    assert snapshot(person_a) == before


@pytest.mark.parametrize("name", sorted(API_OBJECT_ROUTES))
def test_another_persons_token_finds_nothing_at_each_api_address_and_changes_nothing(
    client, person_a, person_b, name
):
    route = next(route for route in API_ROUTES if route.name == name)
    kind, param = API_OBJECT_ROUTES[name]
    url = own_entry_url(route, person_a.entries)
    missing = {"twitch": 999_999, "symptom": 999_999, "checkin": datetime.date(2001, 1, 1)}
    nobodys = reverse(name, kwargs={param: missing[kind]})
    before = snapshot(person_a)

    for method, data in (("get", None), ("patch", API_CHANGES[kind]), ("delete", None)):
        theirs = api_call(client, method, url, person_b.token, data)
        absent = api_call(client, method, nobodys, person_b.token, data)
        assert theirs.status_code == absent.status_code == 404, (method, theirs.status_code)
        # Exactly the answer for an entry that does not exist: nothing leaks its existence.
        assert theirs.json() == absent.json()
        assert A_NOTE not in theirs.content.decode()

    assert snapshot(person_a) == before


@pytest.mark.parametrize("name", sorted(API_OBJECT_ROUTES))
def test_the_owners_token_reaches_and_changes_each_api_address(client, person_a, name):
    """The control for the 404s above: the same addresses and changes work for the owner."""
    route = next(route for route in API_ROUTES if route.name == name)
    kind, _ = API_OBJECT_ROUTES[name]
    url = own_entry_url(route, person_a.entries)
    assert A_NOTE in api_call(client, "get", url, person_a.token).content.decode()
    changed = api_call(client, "patch", url, person_a.token, API_CHANGES[kind])
    assert changed.status_code == 200, changed.content
    assert changed.json()["notes"] == "changed by someone else"


@pytest.mark.parametrize("route", API_LIST_ROUTES, ids=str)
def test_api_answers_hold_only_the_token_persons_own_data(client, person_a, person_b, route):
    url = reverse(route.name)
    before = snapshot(person_a)

    response = api_call(client, "get", url, person_b.token)

    # 405: an address that only takes a POST (logging the last twitch again).
    assert response.status_code in (200, 405), (route, response.status_code)
    text = response_text(response)
    assert A_NAME not in text
    assert A_NOTE not in text
    assert "aurelia@example.com" not in text
    # A post by the second person (valid or not) never touches the first's data.
    api_call(client, "post", url, person_b.token, {"location": "hand", "notes": "bruno"})
    assert snapshot(person_a) == before


def test_another_persons_token_cannot_be_revoked_or_used_for_the_first(client, person_a, person_b):
    """Revoking goes by the person signed in; a token is only ever its owner's."""
    client.force_login(person_b)
    url = reverse("token_revoke", kwargs={"pk": person_a.entries["token"]})
    assert client.post(url).status_code == 404
    listed = api_call(client, "get", reverse("api:twitch-list"), person_a.token).json()
    assert [entry["notes"] for entry in listed["results"]] == [A_NOTE]
