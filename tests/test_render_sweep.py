"""The render sweep: every page of the app, in every state a person can reach, read as a
person reads it.

States: signed out; a new, empty journal; the demo journal; two-step sign-in turned on;
and a red-flag card at each level. In each, every page is opened, every form on it is
sent empty and with bad values, and the PDF's text and both exports are read. What a
person reads (the text, and the attributes read out loud: aria-label, title, alt,
placeholder) must hold no template syntax, no value shown as None, nan, undefined or
[object Object], and no internal code (a rule id, a checklist code C1..C6, a stored
code such as thumb_base).

The pages come from the project's URL patterns (tests/url_walk.py), so a new page is
swept the moment it exists; one with parameters must be described below first, and
test_every_page_is_swept_or_said_why_not names it until it is.
"""

import csv
import datetime
import io
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import resolve, reverse
from pypdf import PdfReader

from api.models import ApiToken
from api.tokens import create_token
from journal import body, rules
from journal.management.commands.seed_demo import build_journal
from journal.management.tools import flag_journals
from journal.models import DailyCheckIn, SymptomEntry, TwitchEntry
from sharing.services import create_link
from tests.support import PASSWORD, confirm_it_is_me, turn_on_authenticator_app
from tests.url_walk import (
    DOWNLOADS,
    OWN_ENTRY_ROUTES,
    OWN_KEY_ROUTES,
    PUBLIC_EXAMPLES,
    PUBLIC_ROUTES,
    own_entry_url,
    project_routes,
)

# A doctor's link: the page and its PDF, opened by token.
SHARED_LINK_ROUTES = {"shared", "shared_pdf"}

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 3, 31, 15, 0, tzinfo=datetime.UTC)
TODAY = NOW.date()
TEMPLATES = Path(settings.BASE_DIR) / "templates"

ROUTES = project_routes()
PAGE_ROUTES = [route for route in ROUTES if not route.is_admin and not route.is_api]

# Addresses that are not pages a person reads, and why.
NOT_PAGES = {
    "healthz": "for load balancers; answers a plain 'ok'",
    "api:schema": "the API's machine-readable description",
    "logout": "signing out; signed in it is a button (swept as the confirm page below)",
    "account_request_reauthentication_code": "confirming by an emailed code is not offered",
    "account_confirm_reauthentication_code": "confirming by an emailed code is not offered",
    "account_confirm_login_code": "signing in by an emailed code is not offered",
    "mfa_login_webauthn": "a passkey's answer during sign-in; needs a browser's passkey",
    "mfa_reauthenticate_webauthn": "confirming with a passkey; needs a browser's passkey",
    "mfa_add_webauthn": "needs a browser's passkey; tests/e2e/test_accessibility_e2e.py",
    "mfa_edit_webauthn": "needs a browser's passkey; tests/e2e/test_accessibility_e2e.py",
    "mfa_remove_webauthn": "needs a browser's passkey; tests/e2e/test_accessibility_e2e.py",
    "remove_passkey": "needs a browser's passkey; tests/e2e/test_accessibility_e2e.py",
    "mfa_list_webauthn": "redirects to the two-step page, which is swept",
    "account_email": "redirects to Settings, which is swept",
    "sign_out_others": "a button on Settings (POST); redirects to Settings",
    "usersessions_list": "redirects to Settings, which is swept",
    "account_set_password": "redirects to the password change, which is swept",
    "token_revoke": "a button on Settings (POST)",
    "share_revoke": "a button on the page of links for a doctor (POST)",
    "twitch_undo": "a button on home (POST)",
    "symptom_undo": "a button on home (POST)",
    "checkin_undo": "a button on home (POST)",
    "twitch_again": "a button on home and the journal (POST)",
    "import_confirm": "a button on the import preview (POST), swept after an import",
    "import_cancel": "a button on the import preview (POST)",
    "mfa_download_recovery_codes": "a text file of the codes the page beside it shows",
}

# What a person must never read.
TEMPLATE_SYNTAX = re.compile(r"\{#|#\}|\{%|%\}|\{\{|\}\}")
EMPTY_VALUES = re.compile(r"\bNone\b|\bnan\b|\bNaN\b|\bundefined\b|\[object Object\]")
# "None" is also an English answer: a label ("None"), or a sentence ("None logged.").
ENGLISH_NONE = re.compile(r"None(?:\.|,? [a-z]|$)")


def _stored_codes() -> set[str]:
    """Every code body.py stores that is not also a plain word (thumb_base, als_mnd)."""
    codes = set()
    for value in vars(body).values():
        if isinstance(value, tuple) and value and all(isinstance(p, tuple) for p in value):
            codes |= {p[0] for p in value if len(p) == 2 and isinstance(p[0], str)}
    return {code for code in codes if "_" in code}


RULE_IDS = {rule.id for rule in rules.RULES}
INTERNAL_CODE = re.compile(
    r"\b(?:"
    + "|".join(sorted(map(re.escape, _stored_codes() | RULE_IDS - {"EYELID"}), key=len)[::-1])
    + r"|C[1-6])\b"
)
# EYELID is also the word a heading may print in capitals; only its use as a code counts.
RULE_ID_EYELID = re.compile(r"\bEYELID\b(?!\s+[A-Z])")


def problems_in(text: str | list[str]) -> list[str]:
    """What is wrong in what a person reads: one text, or the pieces of a page (each
    element's text, each line of a PDF), each problem with a little of its context."""
    pieces = text.splitlines() if isinstance(text, str) else text
    found = []
    for piece in (" ".join(piece.split()) for piece in pieces):
        for pattern, what in (
            (TEMPLATE_SYNTAX, "template syntax"),
            (EMPTY_VALUES, "an empty value"),
            (INTERNAL_CODE, "an internal code"),
        ):
            for match in pattern.finditer(piece):
                if match.group(0) == "None" and match.start() == 0 and ENGLISH_NONE.match(piece):
                    continue
                start = max(match.start() - 40, 0)
                context = piece[start : match.end() + 40]
                found.append(f"{what} {match.group(0)!r} in ...{context}...")
    return found


class _Reader(HTMLParser):
    """The text of a page as people read it, and its forms as they fill them in."""

    READ_ALOUD = ("aria-label", "title", "alt", "placeholder", "aria-valuetext")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.forms: list[Form] = []
        self._skip = 0
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "template"):
            self._skip += 1
        for name in self.READ_ALOUD:
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])
        if tag == "form":
            self.forms.append(
                Form((attrs.get("method") or "get").lower(), attrs.get("action") or "")
            )
        elif self.forms and tag in ("input", "select", "textarea") and attrs.get("name"):
            self.forms[-1].fields.append((tag, attrs.get("type") or "", attrs["name"], attrs))

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)

    @property
    def text(self) -> list[str]:
        return [part for part in self.parts if part.strip()]


@dataclass
class Form:
    method: str
    action: str
    fields: list = field(default_factory=list)

    @property
    def fillable(self) -> list:
        return [
            f
            for f in self.fields
            if f[1] not in ("hidden", "submit", "button", "file") and f[2] != "csrfmiddlewaretoken"
        ]

    def data(self, bad: bool) -> dict:
        """The form sent empty, or with a wrong value in every field a person fills."""
        data = {
            name: attrs.get("value", "") for _, kind, name, attrs in self.fields if kind == "hidden"
        }
        data.pop("csrfmiddlewaretoken", None)
        for tag, kind, name, _ in self.fillable:
            if not bad:
                continue
            data[name] = {
                "date": "2025-02-30",
                "datetime-local": "tomorrow",
                "number": "nan",
                "email": "not an email",
                "checkbox": "maybe",
                "radio": "not-a-choice",
            }.get(kind, "not-a-choice" if tag == "select" else "x" * 3000)
        return data


def read_html(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader


def page_problems(html: str) -> list[str]:
    """Template syntax anywhere outside scripts, and anything wrong in what is read."""
    without_scripts = re.sub(r"<script\b.*?</script>", "", html, flags=re.DOTALL)
    found = [f"template syntax {m.group(0)!r}" for m in TEMPLATE_SYNTAX.finditer(without_scripts)]
    return found + problems_in(read_html(html).text)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


class Sweep:
    """Opens pages with one client and collects what is wrong and which routes it read."""

    def __init__(self, client, state: str):
        self.client = client
        self.state = state
        self.problems: list[str] = []
        self.read: set[str] = set()

    def note(self, where: str, problems: list[str]):
        self.problems += [f"[{self.state}] {where}: {problem}" for problem in problems]

    def check(self, response, where: str):
        content = b"".join(response.streaming_content) if response.streaming else response.content
        kind = response.get("Content-Type", "")
        if kind.startswith("application/pdf"):
            self.note(where, problems_in(pdf_text(content)))
        elif kind.startswith("text/html"):
            self.note(where, page_problems(content.decode()))
        elif kind.startswith("text/csv"):
            self.note(where, export_problems(csv_cells(content.decode())))
        elif kind.startswith("application/json"):
            self.note(where, export_problems(json_values(json.loads(content))))
        else:
            self.note(where, problems_in(content.decode()))
        return content

    def open(self, url: str, *, expect=200, forms=True):
        response = self.client.get(url)
        if response.status_code in (301, 302) and expect == 200:
            self.note(url, [f"answered {response.status_code} to {response['Location']}"])
            return response
        assert response.status_code == expect, (self.state, url, response.status_code)
        if response.status_code == 200:
            self.read.add(resolve(urlsplit(url).path).view_name)
        self.check(response, url)
        if (
            forms
            and response.status_code == 200
            and response.get("Content-Type", "").startswith("text/html")
        ):
            self.send_forms(url, response.content.decode())
        return response

    def send_forms(self, url: str, html: str):
        """Each form a person fills in on the page, sent empty and with bad values."""
        path = urlsplit(url).path
        for form in read_html(html).forms:
            target = urlsplit(form.action).path or path
            if not form.fillable or (target != path and form.method == "post"):
                continue
            for bad in (False, True):
                data = form.data(bad)
                where = f"{url} ({form.method.upper()} {'bad' if bad else 'empty'})"
                if form.method == "post":
                    response = self.client.post(target, data, follow=True)
                else:
                    response = self.client.get(f"{target}?{urlencode(data)}", follow=True)
                # 400: the page back with the problem beside the field.
                assert response.status_code in (200, 400, 429), (self.state, where, response)
                self.check(response, where)

    def read_mail(self):
        for message in mail.outbox:
            self.note(
                f"email {message.subject!r}", problems_in(f"{message.subject}\n{message.body}")
            )
        mail.outbox.clear()

    def done(self):
        assert not self.problems, "\n".join(self.problems)


def csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def json_values(value) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in json_values(item)]
    if isinstance(value, list):
        return [text for item in value for text in json_values(item)]
    return [str(value)] if isinstance(value, str) else []


def export_problems(cells: list[str]) -> list[str]:
    """Exports carry codes on purpose (they are read back by the import); never a value
    written as None, nan or undefined, nor template syntax."""
    return [
        f"{cell!r} in an export"
        for cell in cells
        if EMPTY_VALUES.fullmatch(cell.strip()) or TEMPLATE_SYNTAX.search(cell)
    ]


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def parameterless_pages(*, signed_in: bool) -> list[str]:
    names = [
        route.name
        for route in PAGE_ROUTES
        if not route.params
        and route.name not in NOT_PAGES
        and (route.name in PUBLIC_ROUTES) is not signed_in
    ]
    return (["home"] if signed_in else []) + names


# Pages that answer a signed-in person without two-step sign-in with something else;
# the two-step state opens them.
TWO_STEP_PAGES = {
    "mfa_activate_totp",
    "mfa_generate_recovery_codes",
    "mfa_reauthenticate",
    "mfa_deactivate_totp",
    "mfa_view_recovery_codes",
}
# Signed in, the sign-in pages send the person home.
SIGNED_OUT_ONLY = {"login", "account_login", "signup", "account_signup"}
# Public, but a page only for someone signed in: signing out asks to confirm.
SIGNED_IN_ONLY = {"account_logout"}
# Steps in the middle of signing in, swept in the two-step state when one is under way.
MID_SIGN_IN = {"mfa_authenticate"}


def sweep_signed_in_pages(sweep: Sweep, entries=None):
    for name in parameterless_pages(signed_in=True):
        if name in TWO_STEP_PAGES | MID_SIGN_IN:
            continue
        url = reverse(name)
        if name in SIGNED_OUT_ONLY:
            continue
        response = sweep.client.get(url)
        if response.status_code == 405:
            continue  # a button's target (POST only), not a page
        sweep.open(url)
    if entries:
        for name in sorted(OWN_ENTRY_ROUTES):
            if name in NOT_PAGES:
                continue
            route = next(route for route in ROUTES if route.name == name)
            sweep.open(own_entry_url(route, entries))
    for name in SIGNED_IN_ONLY:
        sweep.open(reverse(name))


def sweep_downloads(sweep: Sweep):
    confirm_it_is_me(sweep.client)
    for name in DOWNLOADS:
        sweep.open(reverse(name))


def test_signed_out(client, user):
    sweep = Sweep(client, "signed out")
    for name in parameterless_pages(signed_in=False):
        if name not in MID_SIGN_IN | SIGNED_IN_ONLY:
            sweep.open(reverse(name))
    for name, kwargs in PUBLIC_EXAMPLES.items():
        # A doctor's link with an unknown token is the 404 page, by design.
        expect = 404 if name in SHARED_LINK_ROUTES else 200
        sweep.open(reverse(name, kwargs=kwargs), expect=expect)
    sweep.open("/no-such-page/", expect=404)
    # The emails: confirming a new address, and resetting a password.
    client.post(
        reverse("signup"),
        {
            "email": "new@example.com",
            "time_zone": "Europe/London",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    client.post(reverse("password_reset"), {"email": user.email})
    assert len(mail.outbox) >= 2
    sweep.read_mail()
    sweep.done()


def test_a_new_empty_journal(client, user):
    client.force_login(user)
    sweep = Sweep(client, "empty journal")
    sweep_signed_in_pages(sweep)
    sweep.open(reverse("journal") + "?kind=symptom&place=calf", forms=False)
    sweep_downloads(sweep)
    # Setting up two-step sign-in, once it is confirmed to be the person.
    sweep.open(reverse("mfa_activate_totp"))
    sweep.read_mail()
    sweep.done()


@pytest.fixture
def demo(user):
    profile = user.profile
    profile.display_name = "Sam"
    profile.time_zone = "Europe/London"
    profile.save()
    build_journal(user, today=TODAY)
    return user


def test_the_demo_journal(client, demo):
    client.force_login(demo)
    entries = {
        "twitch": TwitchEntry.objects.filter(user=demo).first().pk,
        "symptom": SymptomEntry.objects.filter(user=demo).first().pk,
        "checkin": DailyCheckIn.objects.filter(user=demo).first().day,
        "token": create_token(demo, "Watch", ApiToken.Scope.WRITE)[0].pk,
    }
    sweep = Sweep(client, "demo journal")
    sweep_signed_in_pages(sweep, entries)
    sweep.open(reverse("journal") + "?page=2", forms=False)
    for days in ("7", "30", "90", "365", "all"):
        sweep.open(reverse("trends") + f"?range={days}", forms=False)
    # An import, as the preview shows it, then confirmed.
    backup = {
        "format": "twitchlog",
        "version": 2,
        "profile": {"display_name": "Sam Baker", "time_zone": "America/New_York"},
        "twitches": [
            {"occurred_at": "2025-01-05T08:00:00-05:00", "location": "thumb_base", "intensity": 1}
        ],
        "checkins": [{"date": "2025-01-05", "coffee_cups": 2}],
    }
    upload = io.BytesIO(json.dumps(backup).encode())
    upload.name = "backup.json"
    response = client.post(reverse("import"), {"file": upload})
    assert response.status_code == 200
    sweep.check(response, "the import preview")
    token = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert token, read_html(response.content.decode()).text
    token = token.group(1)
    response = client.post(
        reverse("import_confirm"), {"token": token, "replace_profile": "on"}, follow=True
    )
    assert response.status_code == 200
    sweep.check(response, "the export page after an import")
    sweep_downloads(sweep)
    # The demo journal as a doctor opens it from a link.
    today = datetime.date.today()
    _, shared = create_link(None, demo, today - datetime.timedelta(days=90), today, 7)
    stranger = Sweep(Client(), "demo journal, shared")
    stranger.open(f"/s/{shared}/", forms=False)
    stranger.done()
    # Right after logging: the confirmations, the undo bar and "Again".
    for url, data in (
        (
            "/log/",
            {
                "occurred_at": "2025-03-31T14:30",
                "location": "thumb_base",
                "side": "left",
                "duration_preset": "unknown",
                "intensity": "2",
            },
        ),
        (
            "/symptoms/new/",
            {
                "noted_on": "2025-03-31",
                "kind": "numbness_tingling",
                "severity": "1",
                "onset": "gradual",
            },
        ),
        ("/again/", {}),
    ):
        response = client.post(url, data, follow=True)
        assert response.status_code == 200
        sweep.check(response, f"home after POST {url}")
    sweep.read_mail()
    sweep.done()


def test_two_step_sign_in(client, user):
    client.force_login(user)
    turn_on_authenticator_app(client)
    sweep = Sweep(client, "two-step on")
    confirm_it_is_me(client)
    for name in [*sorted(TWO_STEP_PAGES - {"mfa_activate_totp"}), "mfa_index"]:
        sweep.open(reverse(name))
    client.post(reverse("logout"))
    response = client.post(reverse("login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    sweep.open(reverse("mfa_authenticate"))
    sweep.read_mail()
    sweep.done()


@pytest.mark.parametrize("level", flag_journals.LEVELS)
def test_a_flag_card_at_each_level(client, user, level):
    flag_journals.build(user, level, TODAY)
    client.force_login(user)
    sweep = Sweep(client, f"{level} card")
    for name in ("home", "flags", "journal", "trends", "report"):
        response = sweep.open(reverse(name))
        if name in ("home", "flags"):
            assert f'data-level="{level}"' in response.content.decode()
    confirm_it_is_me(client)
    sweep.open(reverse("report_pdf"))
    sweep.done()


def test_the_error_pages():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    problems = []
    for name in ("500.html", "503.html", "429.html", "403_csrf.html", "404.html"):
        problems += [f"{name}: {p}" for p in page_problems(render_to_string(name, request=request))]
    assert not problems, "\n".join(problems)


def test_every_page_is_swept_or_said_why_not():
    """A page added later is swept; one with parameters must be described here first."""
    swept = set(parameterless_pages(signed_in=True)) | set(parameterless_pages(signed_in=False))
    swept |= set(OWN_ENTRY_ROUTES) | set(PUBLIC_EXAMPLES) | set(DOWNLOADS)
    missing = sorted(
        route.name
        for route in PAGE_ROUTES
        if route.name not in swept | NOT_PAGES.keys() | OWN_KEY_ROUTES.keys()
    )
    assert not missing, (
        "not in the render sweep: describe how to reach these pages in "
        f"tests/test_render_sweep.py (or say in NOT_PAGES why they are not pages): {missing}"
    )


@pytest.mark.parametrize(
    "text",
    [
        "{# Logging comes first",
        "Hello, None",
        "2.5 twitches a day, nan",
        "Checked: C4",
        "Where: thumb_base",
        "Flag SPREADING fired",
        "[object Object]",
    ],
)
def test_the_sweep_catches_what_a_person_must_not_read(text):
    assert page_problems(f"<main><p>{text}</p></main>")


def test_the_sweep_reads_attributes_read_aloud_but_not_data_attributes():
    assert page_problems('<button aria-label="Remove numbness_tingling">x</button>')
    assert not page_problems(
        '<section data-rule="SPREADING" data-location="thumb_base">ok</section>'
    )
    assert not page_problems('<script type="application/json">{"a": null, "b": "C4"}</script>')


def test_no_template_has_a_comment_that_spans_lines():
    """{# #} is one line; a longer comment prints itself (use {% comment %})."""
    spanning = []
    for path in TEMPLATES.rglob("*.*"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\{#(?!.*#\})", line):
                spanning.append(f"{path.relative_to(TEMPLATES)}:{number}")
    assert not spanning, f"multi-line {{# #}} comments: {spanning}"
