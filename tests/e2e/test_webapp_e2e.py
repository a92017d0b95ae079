"""The installable app in Chromium: installability, the service worker, what it keeps,
and what signing out clears."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from api.models import ApiToken
from api.tokens import create_token
from journal.management.commands.seed_demo import build_journal
from journal.models import DailyCheckIn, SymptomEntry, TwitchEntry
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.url_walk import (
    ACCOUNT_ANSWERS,
    DOWNLOADS,
    OWN_ENTRY_ROUTES,
    PUBLIC_ROUTES,
    own_entry_url,
    project_routes,
)

pytestmark = pytest.mark.django_db(transaction=True)

CACHED = """async () => {
  const kept = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      kept.push({cache: name, url: new URL(request.url).pathname,
                 type: response.headers.get("Content-Type") || "",
                 body: await response.text()});
    }
  }
  return kept;
}"""


def controlled(page):
    """Wait until the service worker controls the page (it claims open pages)."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    return page.evaluate("() => navigator.serviceWorker.controller.scriptURL")


def test_chromium_finds_the_app_installable_and_the_worker_controls_the_page(
    browser, live_server, tmp_path
):
    # Chromium offers no installing in a private window, which a plain context is: the
    # check runs in a browser profile of its own, as a phone's browser has.
    context = browser.browser_type.launch_persistent_context(
        tmp_path, executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, base_url=live_server.url
    )
    try:
        page = context.new_page()
        page.goto("/")
        assert controlled(page) == live_server.url + "/sw.js"
        cdp = context.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["url"] == live_server.url + "/manifest.webmanifest"
        assert manifest["errors"] == []
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    finally:
        context.close()


def test_the_offline_page_answers_for_any_page_without_a_connection(signed_in_page):
    page = signed_in_page
    controlled(page)
    page.context.set_offline(True)
    page.goto("/journal/")
    expect(page.get_by_role("heading", level=1)).to_have_text("No connection just now")
    page.context.set_offline(False)
    page.goto("/journal/")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("No connection just now")


def test_no_signed_in_page_is_kept_and_signing_out_clears_the_caches(signed_in_page, user):
    page = signed_in_page
    build_journal(user, today=timezone.localdate())
    entries = {
        "twitch": TwitchEntry.objects.filter(user=user).first().pk,
        "symptom": SymptomEntry.objects.filter(user=user).first().pk,
        "checkin": DailyCheckIn.objects.filter(user=user).first().day,
        "token": create_token(user, "Phone", ApiToken.Scope.READ)[0].pk,
    }
    controlled(page)
    visited = []
    for route in project_routes():
        if route.is_admin or route.is_api or route.name in DOWNLOADS:
            continue
        if route.name in ("logout", "account_logout") or ACCOUNT_ANSWERS.get(route.name):
            continue
        if route.name in OWN_ENTRY_ROUTES:
            url = own_entry_url(route, entries)
        elif route.params or (route.name in PUBLIC_ROUTES and route.name != "home"):
            continue
        else:
            url = reverse(route.name)
        if page.request.get(url, max_redirects=0).status == 200:
            page.goto(url)
            visited.append(url)
    assert {"/", "/log/", "/journal/", "/trends/", "/flags/", "/settings/"} <= set(visited)

    kept = page.evaluate(CACHED)
    assert kept, "the worker kept the app shell"
    pages = [item for item in kept if item["type"].startswith("text/html")]
    assert [item["url"] for item in pages] == ["/offline/"]
    for item in kept:
        assert item["url"] == "/offline/" or item["url"].startswith("/static/"), item["url"]
        assert user.email not in item["body"]
        assert "csrfmiddlewaretoken" not in item["body"]

    # Something of the person's on this device, as the offline queue would be.
    page.evaluate(
        """async () => (await caches.open("left-by-ada")).put("/mine", new Response("x"))"""
    )
    page.goto("/")
    page.get_by_role("button", name="Show menu").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/$"))
    expect(page.get_by_role("navigation").get_by_role("link", name="Log in")).to_be_visible()
    assert not page.evaluate("""async () => await caches.has("left-by-ada")""")
    # The page registers the worker again, with the shell alone.
    controlled(page)
    assert all(item["url"] != "/mine" for item in page.evaluate(CACHED))


def test_the_again_shortcut_opens_home_with_again_in_focus(signed_in_page, user):
    from tests.journal_support import make_twitch

    make_twitch(user, timezone.now(), location="calf")
    page = signed_in_page
    page.goto("/journal/")
    page.goto("/#again")
    expect(page.get_by_role("button", name=re.compile(r"^Again"))).to_be_focused()
