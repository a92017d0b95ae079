"""A person signs up, confirms their email, finds their home, logs out and in, and sets
their time zone; Settings lists their sessions and signs the others out."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.conftest import open_menu
from tests.support import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_up_log_out_log_in_and_change_time_zone(new_page, live_server):
    # The browser's own zone becomes the journal's: no choosing at sign-up.
    page = new_page(timezone_id="America/New_York")
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Keep track of muscle twitches")
    page.get_by_role("link", name="Create your journal").click()

    page.get_by_label("Email").fill("mia@example.com")
    page.get_by_label("Your name (optional)").fill("Mia")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Create my journal").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    (message,) = mail.outbox
    link = re.search(r"https?://\S+", message.body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm my address").click()
    page.wait_for_url(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Mia")
    expect(page.get_by_role("status")).to_contain_text("Your email address is confirmed.")
    expect(page.locator("main")).to_contain_text("New York time")

    # On a phone the nav is collapsed behind the menu button.
    open_menu(page)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Create your journal")).to_be_visible()

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("mia@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Mia")

    page.goto("/settings/")
    expect(page.locator("#id_time_zone")).to_have_value("America/New_York")
    # Found by the country's name, and chosen.
    page.get_by_label("Find your time zone").fill("india")
    expect(page.locator("#zone-search-result")).to_contain_text("Asia/Kolkata")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status")).to_contain_text("Your settings are saved.")
    expect(page.locator("#id_time_zone")).to_have_value("Asia/Kolkata")
    expect(page.locator("main")).to_contain_text("mia@example.com")

    stranger = new_page()
    stranger.goto("/settings/")
    expect(stranger).to_have_url(live_server.url + "/accounts/login/?next=/settings/")
    expect(stranger.locator("main")).not_to_contain_text("mia@example.com")
    expect(stranger.locator("main")).not_to_contain_text("Asia/Kolkata")


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/$"))


def test_settings_lists_both_browsers_and_signs_the_other_out(new_page, live_server, user):
    phone = new_page()
    sign_in(phone, user)
    laptop = new_page(viewport={"width": 1280, "height": 800})
    sign_in(laptop, user)

    laptop.goto("/settings/")
    sessions = laptop.locator(".session-list > li")
    expect(sessions).to_have_count(2)
    expect(sessions.first).to_contain_text("this device")
    expect(sessions.first).to_contain_text("Chrome on Linux")
    expect(sessions.nth(1)).to_contain_text("127.0.0.1")
    laptop.get_by_role("button", name="Sign out everywhere else").click()
    expect(laptop.get_by_role("status")).to_contain_text("signed out on every other device")
    expect(sessions).to_have_count(1)

    phone.goto("/settings/")
    expect(phone).to_have_url(live_server.url + "/accounts/login/?next=/settings/")
