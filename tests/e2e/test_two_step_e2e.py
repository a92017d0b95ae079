"""Two-step sign-in in Chromium: an authenticator app (the key read off the page, codes
from pyotp), recovery codes good once, and a passkey on Chromium's virtual
authenticator that signs in without a password."""

import re
import time

import pyotp
import pytest
from playwright.sync_api import expect

from tests.support import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def log_out(page):
    page.goto("/accounts/logout/")
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Create your journal").first).to_be_visible()


def log_in_with_password(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def confirm_with_password(page):
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()


def next_code(secret: str) -> str:
    """The code of the next 30-second step, which the server accepts (one step either
    way) and which differs from the one just used: no test waits for the clock."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def test_authenticator_app_then_recovery_codes(signed_in_page, user, live_server):
    page = signed_in_page
    page.goto("/settings/")
    page.get_by_role("link", name="Manage two-step sign-in").click()
    page.get_by_role("link", name="Set up an authenticator app").click()
    confirm_with_password(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    expect(page.locator("figure.totp-qr svg")).to_be_visible()
    secret = page.get_by_label("Key to type instead").input_value()
    page.get_by_label("Authenticator code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    codes = page.get_by_label("Your 10 codes").input_value().split()
    assert len(codes) == 10
    page.get_by_label("I have saved my recovery codes").check()

    log_out(page)
    log_in_with_password(page, user)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your second step")
    page.get_by_label("Code").fill(next_code(secret))
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")

    # A recovery code signs in once...
    log_out(page)
    log_in_with_password(page, user)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/")

    # ...and is refused the second time.
    log_out(page)
    log_in_with_password(page, user)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("main")).to_contain_text("That code is not right.")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))


def test_a_passkey_signs_in_without_a_password(signed_in_page, user, live_server):
    page = signed_in_page
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )

    page.goto("/accounts/2fa/")
    page.get_by_role("link", name="Add a passkey or security key").click()
    confirm_with_password(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a passkey or security key")
    page.get_by_label("Name").fill("This laptop")
    expect(page.get_by_label("Also sign in with it, without a password")).to_be_checked()
    page.get_by_role("button", name="Add it").click()
    # The first method comes with recovery codes, shown once.
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    page.get_by_label("I have saved my recovery codes").check()
    page.goto("/accounts/2fa/webauthn/")
    expect(page.locator("main")).to_contain_text("This laptop")
    expect(page.locator("main")).to_contain_text("signs in without a password")

    log_out(page)
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Use a passkey instead").click()
    page.wait_for_url(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")
    page.goto("/settings/")
    expect(page.locator(".activity-list")).to_contain_text("Signed in (with passkey)")
