"""axe-core, run inside Chromium on every page, signed out and signed in with demo data.

The pages come from the project's URL patterns (tests/url_walk.py), so a new page is
checked as soon as it exists. Each page must have no WCAG 2.x A/AA violation and
none of axe's best-practice rules either, in its first state, with its form errors
showing, and with the phone's menu open. Charts must carry a text alternative.

axe-core comes from npm (`npm ci`, pinned in package.json). Without it the module is
skipped locally with that hint; under CI=true it fails instead.
"""

import json
import os
import re
from datetime import date
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from api.models import ApiToken
from api.tokens import create_token
from journal.management.commands.seed_demo import build_journal
from journal.models import DailyCheckIn, SymptomEntry, TwitchEntry
from sharing.services import create_link
from tests.e2e.conftest import LAPTOP, PHONE, open_menu
from tests.support import PASSWORD
from tests.url_walk import (
    ACCOUNT_ANSWERS,
    DOWNLOADS,
    OWN_ENTRY_ROUTES,
    PUBLIC_EXAMPLES,
    PUBLIC_ROUTES,
    own_entry_url,
    project_routes,
)

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.fixture(autouse=True)
def _axe_installed():
    """axe-core comes from npm: without it these checks skip locally and fail under CI."""
    if not AXE.exists():
        hint = "axe-core is not installed: run `npm ci` to enable the accessibility checks."
        if os.environ.get("CI") == "true":
            pytest.fail(hint, pytrace=False)
        pytest.skip(hint)


ROUTES = project_routes()
# Two-step pages that exist only once a method is set up (or are not offered at all):
# test_two_step_pages_pass_axe walks them in that state.
NOT_SET_UP = {name for name, (status, _) in ACCOUNT_ANSWERS.items() if status in (403, 404)}
# The home page is public, but signed in it is the person's own page.
SIGNED_IN_PAGES = ["home"] + [
    route.name
    for route in ROUTES
    if not route.is_admin
    and route.name not in PUBLIC_ROUTES
    and route.name not in DOWNLOADS
    and route.name not in NOT_SET_UP
    and not route.is_api
    and not route.params
]


def audit(page, where: str):
    """Run axe on the page as it is now; fail with a readable list of violations.

    Colours still easing from one theme to the other (a CSS transition) are waited for,
    so the contrast is read as the person sees it once the page is still."""
    page.evaluate(
        """() => Promise.allSettled(document.getAnimations()
                 .filter(a => a instanceof CSSTransition).map(a => a.finished))"""
    )
    page.evaluate(AXE.read_text())
    results = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: "tag", values: tags},
                                      resultTypes: ["violations"]})""",
        AXE_TAGS,
    )
    problems = [
        f"{violation['id']} ({violation['impact']}): {violation['help']}\n"
        + "\n".join(
            f"    {node['target']}: {node['failureSummary'].splitlines()[-1].strip()}"
            for node in violation["nodes"][:5]
        )
        for violation in results["violations"]
    ]
    assert not problems, f"axe on {where}:\n" + "\n".join(problems)


def assert_charts_have_text(page, where: str):
    """Every chart canvas is an image with a name that says what it shows."""
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll("canvas")]
              .filter(c => c.getAttribute("role") !== "img"
                           || !(c.getAttribute("aria-label") || "").trim())
              .map(c => c.id || c.outerHTML.slice(0, 60))"""
    )
    assert not unnamed, f"charts without a text alternative on {where}: {unnamed}"


def visit_and_audit(page, url: str):
    response = page.goto(url)
    assert response.ok, f"{url} answered {response.status}"
    # Charts are drawn after load; axe must see the finished page.
    page.wait_for_load_state("networkidle")
    audit(page, url)
    assert_charts_have_text(page, url)


@pytest.fixture
def demo_user(user):
    """The signed-in person, with ten weeks of demo journal behind them."""
    profile = user.profile
    profile.display_name = "Sam"
    profile.time_zone = "Europe/London"
    profile.save()
    build_journal(user, today=timezone.localtime(timezone.now(), profile.tz).date())
    return user


@pytest.fixture
def entries(demo_user):
    """Real entries of the person, to open their edit and delete pages."""
    return {
        "twitch": TwitchEntry.objects.filter(user=demo_user).first().pk,
        "symptom": SymptomEntry.objects.filter(user=demo_user).first().pk,
        "checkin": DailyCheckIn.objects.filter(user=demo_user).first().day,
        "token": create_token(demo_user, "Demo watch", ApiToken.Scope.WRITE)[0].pk,
        "share": create_link(None, demo_user, date(2025, 1, 1), date(2025, 1, 31), 7)[0].pk,
    }


@pytest.fixture
def error_page(browser, live_server):
    """A phone-sized page for answers that are errors on purpose (404, 429).

    The browser logs such a status as a console error; that line alone is expected
    here, while any script error still fails the test.
    """
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    errors = []
    page = context.new_page()
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    status_lines = re.compile(r"^Failed to load resource: .* status of (404|429) ")
    assert not [error for error in errors if not status_lines.match(error)], errors


# Not walked: logout, /healthz and the API schema (no page), the admin (Django's own, for
# staff), and the files a browser installs the app from. The API documentation is
# walked: Swagger UI is drawn by then.
VISITOR_WALK_SKIPS = {"logout", "healthz", "api:schema", "admin:login", "admin:logout"} | {
    "manifest",
    "service_worker",
    "offline_session",
    # A shared link needs a real token: tests/e2e/test_sharing_e2e.py audits its pages.
    "shared",
    "shared_pdf",
}


def test_every_page_for_visitors_passes_axe(page, live_server, user):
    for name in sorted(PUBLIC_ROUTES - VISITOR_WALK_SKIPS):
        visit_and_audit(page, reverse(name, kwargs=PUBLIC_EXAMPLES.get(name, {})))


def test_visitor_forms_with_their_errors_pass_axe(page, live_server, user):
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".invalid-feedback, .alert-danger").first).to_be_visible()
    audit(page, "the login form, empty")

    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill("not an email")
    page.get_by_role("button", name="Create my journal").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    audit(page, "the sign-up form with errors")


def test_the_paused_sign_in_and_the_limit_page_pass_axe(error_page, user):
    page = error_page
    page.goto("/accounts/login/")
    for _ in range(6):
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Log in").click()
    expect(page.locator("main")).to_contain_text("password checks are paused")
    audit(page, "the log-in form, paused")

    for _ in range(6):
        page.goto("/accounts/password/reset/")
        page.get_by_label("Email").fill(user.email)
        page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Please wait a little")
    audit(page, "the page a request limit answers with")


VIRTUAL_AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
    "automaticPresenceSimulation": True,
}


def test_two_step_pages_pass_axe(new_page, live_server, user):
    import pyotp

    laptop = new_page(viewport=LAPTOP)
    sign_in(laptop, user)
    visit_and_audit(laptop, "/accounts/2fa/")
    laptop.goto("/accounts/2fa/totp/activate/")
    audit(laptop, "the confirm-it-is-you page")
    laptop.get_by_label("Password").fill(PASSWORD)
    laptop.get_by_role("button", name="Confirm").click()
    audit(laptop, "the authenticator app set-up page")
    secret = laptop.get_by_label("Key to type instead").input_value()
    laptop.get_by_label("Authenticator code").fill("000000")
    laptop.get_by_role("button", name="Turn on").click()
    expect(laptop.locator(".invalid-feedback").first).to_be_visible()
    audit(laptop, "the authenticator app set-up page with an error")
    laptop.get_by_label("Authenticator code").fill(pyotp.TOTP(secret).now())
    laptop.get_by_role("button", name="Turn on").click()
    expect(laptop.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    audit(laptop, "the recovery codes, shown once")
    laptop.get_by_label("I have saved my recovery codes").check()
    # A passkey made by Chromium's virtual authenticator, for the pages that list,
    # rename and remove one.
    cdp = laptop.context.new_cdp_session(laptop)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": VIRTUAL_AUTHENTICATOR})
    laptop.goto("/accounts/2fa/webauthn/add/")
    laptop.get_by_role("button", name="Add it").click()
    expect(laptop.get_by_role("status")).to_contain_text("Your key is added.")
    key = Authenticator.objects.get(user=user, type=Authenticator.Type.WEBAUTHN)
    for url in (
        f"/accounts/2fa/webauthn/keys/{key.pk}/edit/",
        f"/accounts/2fa/webauthn/keys/{key.pk}/remove/",
        "/accounts/2fa/",
        "/accounts/2fa/recovery-codes/",
        "/accounts/2fa/recovery-codes/generate/",
        "/accounts/2fa/totp/deactivate/",
        "/accounts/2fa/webauthn/",
        "/accounts/2fa/webauthn/add/",
        "/accounts/2fa/reauthenticate/",
        "/settings/",
    ):
        visit_and_audit(laptop, url)

    phone = new_page(viewport=PHONE)
    phone.goto("/accounts/login/")
    phone.get_by_label("Email").fill(user.email)
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Log in").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your second step")
    audit(phone, "the second step of logging in")
    phone.get_by_label("Code").fill("000000")
    phone.get_by_role("button", name="Log in").click()
    expect(phone.locator(".invalid-feedback").first).to_be_visible()
    audit(phone, "the second step with an error")


def test_a_missing_page_passes_axe(error_page):
    page = error_page
    response = page.goto("/no-such-page/")
    assert response.status == 404
    audit(page, "the 404 page")


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_every_signed_in_page_passes_axe_with_demo_data(signed_in_page, entries, name):
    page = signed_in_page
    url = reverse(name)
    answer = page.request.get(url, max_redirects=0)
    if answer.status == 405:
        # A button's target (POST only), not a page.
        return
    visit_and_audit(page, url)


@pytest.mark.parametrize("name", sorted(OWN_ENTRY_ROUTES))
def test_every_entry_page_passes_axe(signed_in_page, entries, name):
    page = signed_in_page
    route = next(route for route in ROUTES if route.name == name)
    url = own_entry_url(route, entries)
    if page.request.get(url, max_redirects=0).status == 405:
        return
    visit_and_audit(page, url)


def test_the_journal_pages_pass_axe_on_a_laptop_and_with_the_phone_menu_open(
    new_page, live_server, demo_user
):
    laptop = new_page(viewport=LAPTOP)
    sign_in(laptop, demo_user)
    for url in ("/", "/journal/", "/trends/", "/flags/", "/log/"):
        visit_and_audit(laptop, url)

    phone = new_page(viewport=PHONE)
    sign_in(phone, demo_user)
    open_menu(phone)
    expect(phone.get_by_role("button", name="Log out")).to_be_visible()
    audit(phone, "the phone's open menu")


def test_entry_forms_with_errors_pass_axe_and_name_each_error(signed_in_page, entries):
    page = signed_in_page
    for url in ("/log/", "/symptoms/new/", "/checkin/?day=2001-01-01"):
        page.goto(url)
        # Emptying the date (or time) is enough to be refused.
        page.locator("main form input[type=date], main form input[type=datetime-local]").first.fill(
            ""
        )
        page.locator("main form [type=submit]").first.click()
        invalid = page.locator("[aria-invalid=true]")
        expect(invalid.first).to_be_visible()
        audit(page, f"{url} with errors")
        # Each field in error points to its message, so a screen reader reads it out.
        for field in invalid.all():
            described = field.get_attribute("aria-describedby") or ""
            messages = [
                page.locator(f"#{ident}").inner_text() for ident in described.split() if ident
            ]
            assert any(text.strip() for text in messages), (url, field.get_attribute("name"))

    page.goto("/export/")
    page.get_by_label("File to import").set_input_files(
        {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hello"}
    )
    page.get_by_role("button", name="Import file").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    audit(page, "the import form with an error")

    page.goto("/account/delete/")
    page.get_by_label("Your password").fill("not the password")
    page.get_by_role("button", name=re.compile("Delete", re.IGNORECASE)).click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    audit(page, "the account deletion form with an error")


def test_the_body_map_is_reached_with_the_tab_key(signed_in_page):
    page = signed_in_page
    page.goto("/log/")
    skip = page.get_by_role("link", name="Skip the body map and choose the place from a list")
    skip.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.getAttribute('role'),"
        " document.activeElement.classList.contains('body-area')]"
    )
    assert focused == ["button", True]
    page.keyboard.press("Enter")
    chosen = page.evaluate("() => document.activeElement.dataset.location")
    expect(page.locator("#id_location")).to_have_value(chosen)
    expect(page.locator("#place-chosen")).to_contain_text("Chosen:")


def sign_in(page, person):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/$"))


def test_the_check_in_and_the_import_preview_pass_axe_on_a_phone_and_a_laptop(
    new_page, live_server, demo_user, entries
):
    backup = json.dumps(
        {
            "format": "twitchlog",
            "version": 2,
            "profile": {"display_name": "Sam Baker", "time_zone": "America/New_York"},
            "twitches": [
                {"occurred_at": "2026-01-05T08:00:00-05:00", "location": "calf", "intensity": 1}
            ],
            "checkins": [{"date": "2026-01-05", "coffee_cups": 2}],
        }
    ).encode()
    for viewport, answer in ((PHONE, "Cancel"), (LAPTOP, "Import")):
        page = new_page(viewport=viewport)
        sign_in(page, demo_user)
        width = viewport["width"]
        visit_and_audit(page, "/checkin/")
        visit_and_audit(page, f"/checkin/{entries['checkin']}/")

        page.goto("/export/")
        page.get_by_label("File to import").set_input_files(
            {"name": "backup.json", "mimeType": "application/json", "buffer": backup}
        )
        page.get_by_role("button", name="Import file").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Check before importing")
        audit(page, f"the import preview, {width} wide")
        page.get_by_role("button", name=answer, exact=True).click()
        expect(page.get_by_role("status")).to_be_visible()
        audit(page, f"the export page after pressing {answer}, {width} wide")


def test_axe_finds_a_planted_problem(page, live_server):
    """The check itself works: an image without a text alternative is reported."""
    page.goto("/accounts/login/")
    page.evaluate(
        """() => { const img = document.createElement("img");
                   img.src = "/static/img/favicon.svg";
                   document.querySelector("main").append(img); }"""
    )
    with pytest.raises(AssertionError, match="image-alt"):
        audit(page, "a page with a planted problem")


def test_apps_and_shortcuts_pass_axe_from_creating_a_token_to_revoking_it(signed_in_page):
    page = signed_in_page
    page.goto("/settings/apps/tokens/new/")
    page.get_by_role("button", name="Create token").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    audit(page, "the token form with an error")

    page.get_by_label("Name").fill("iPhone shortcut")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_label(re.compile("iPhone shortcut"))).to_have_value(re.compile(r"^tl_"))
    audit(page, "the new token, shown once")

    page.get_by_role("link", name="Done").click()
    section = page.locator("#apps-and-shortcuts")
    expect(section).to_contain_text("iPhone shortcut")
    audit(page, "Settings with a token listed")
    section.get_by_role("button", name="Revoke iPhone shortcut").click()
    expect(page.get_by_role("alert")).to_contain_text("Revoked")
    expect(section).to_contain_text("You have no tokens yet.")


def test_every_page_passes_axe_in_the_dark_theme(new_page, live_server, demo_user, entries):
    """Dark, both ways in: a visitor's device set to dark, and the person's choice in
    Settings (on a device set to light, so the choice is what darkens the pages)."""
    from webapp.models import Appearance

    visitor = new_page(color_scheme="dark")
    for name in sorted(PUBLIC_ROUTES - VISITOR_WALK_SKIPS):
        visit_and_audit(visitor, reverse(name, kwargs=PUBLIC_EXAMPLES.get(name, {})))
    expect(visitor.locator("html")).to_have_attribute("data-bs-theme", "dark")

    Appearance.objects.create(user=demo_user, theme="dark")
    page = new_page(color_scheme="light")
    sign_in(page, demo_user)
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
    for name in SIGNED_IN_PAGES:
        url = reverse(name)
        if page.request.get(url, max_redirects=0).status != 405:
            visit_and_audit(page, url)
    for name in sorted(OWN_ENTRY_ROUTES):
        route = next(route for route in ROUTES if route.name == name)
        url = own_entry_url(route, entries)
        if page.request.get(url, max_redirects=0).status != 405:
            visit_and_audit(page, url)
    open_menu(page)
    audit(page, "the phone's open menu, dark")

    # The flag card at its most urgent, where white ink sits on red.
    SymptomEntry.objects.create(
        user=demo_user,
        noted_on=timezone.localdate(timezone.now(), demo_user.profile.tz),
        kind="speech",
        onset="sudden",
    )
    for url in ("/", "/flags/"):
        visit_and_audit(page, url)
        expect(page.locator("section.flag-card")).to_have_attribute("data-level", "emergency")


def test_the_setting_wins_over_a_dark_device_and_device_follows_it(new_page, demo_user):
    from webapp.models import Appearance

    Appearance.objects.create(user=demo_user, theme="light")
    page = new_page(color_scheme="dark")
    sign_in(page, demo_user)
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "light")
    page.goto("/settings/")
    page.get_by_label("As my device is set").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status")).to_contain_text("Your settings are saved.")
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
    # The device turns light at dawn: the open page follows without a reload.
    page.emulate_media(color_scheme="light")
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "light")


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_home_log_journal_settings_and_sign_up_pass_axe_at_both_widths(
    new_page, live_server, demo_user, entries, viewport
):
    """The pages as they are after logging: the undo bar, Again naming its twitch, the
    place search, the journal's entries that open their edit page, the zone search."""
    visitor = new_page(viewport=viewport)
    for url in ("/", "/accounts/signup/", "/accounts/login/"):
        visit_and_audit(visitor, url)

    page = new_page(viewport=viewport)
    sign_in(page, demo_user)
    page.goto("/log/")
    page.get_by_label("Find a place").fill("left calf")
    expect(page.locator("#place-search-result")).to_contain_text("Left calf")
    audit(page, "/log/ with a place found by typing")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("button", name="Undo")).to_be_visible()
    audit(page, "home with the undo bar")
    for url in (
        "/journal/",
        f"/twitches/{entries['twitch']}/edit/",
        f"/symptoms/{entries['symptom']}/edit/",
        f"/checkin/{entries['checkin']}/",
        "/settings/",
    ):
        visit_and_audit(page, url)
    page.get_by_label("Find your time zone").fill("new york")
    expect(page.locator("#zone-search-result")).to_contain_text("America/New York")
    audit(page, "Settings with a time zone found by typing")
