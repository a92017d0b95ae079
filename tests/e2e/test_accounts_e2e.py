"""A person signs up, finds their home, logs out and in, and sets their time zone."""

import pytest
from playwright.sync_api import expect

from tests.support import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_up_log_out_log_in_and_change_time_zone(new_page, live_server):
    page = new_page()
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Keep track of muscle twitches")
    page.get_by_role("link", name="Create your journal").click()

    page.get_by_label("Email").fill("mia@example.com")
    page.get_by_label("Your name (optional)").fill("Mia")
    page.get_by_label("Time zone").select_option("Europe/Berlin")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Create my journal").click()

    page.wait_for_url(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Mia")
    expect(page.get_by_role("status")).to_contain_text("Your journal is ready")

    # On a phone the nav is collapsed behind the menu button.
    page.get_by_role("button", name="Show menu").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Create your journal")).to_be_visible()

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("mia@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Mia")

    page.goto("/settings/")
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Berlin")
    page.get_by_label("Time zone").select_option("Asia/Kolkata")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status")).to_contain_text("Your settings are saved.")
    expect(page.get_by_label("Time zone")).to_have_value("Asia/Kolkata")
    expect(page.locator("main")).to_contain_text("mia@example.com")

    stranger = new_page()
    stranger.goto("/settings/")
    expect(stranger).to_have_url(live_server.url + "/accounts/login/?next=/settings/")
    expect(stranger.locator("main")).not_to_contain_text("mia@example.com")
    expect(stranger.locator("main")).not_to_contain_text("Asia/Kolkata")
