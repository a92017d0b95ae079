"""The installable app in Chromium: installability, the service worker, what it keeps,
and what signing out clears."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from api import views
from api.models import ApiToken
from api.tokens import create_token
from journal.management.commands.seed_demo import build_journal
from journal.models import DailyCheckIn, SymptomEntry, TwitchEntry
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, open_menu
from tests.e2e.test_accessibility_e2e import audit, sign_in
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


CONTROLLED = "() => navigator.serviceWorker.controller !== null"
WORKER_STATE = """async () => {
  const registration = await navigator.serviceWorker.getRegistration();
  if (!registration) return "no registration";
  const worker = registration.installing || registration.waiting || registration.active;
  return worker ? worker.state : "a registration without a worker";
}"""


def controlled(page):
    """Wait until the service worker controls the page (it claims open pages).

    It takes control only once it has stored the whole shell. Beside the other browser
    tests, storing it now and then fails and the page stays without a worker; as for a
    person, the next page load registers it again, so the page is loaded again, twice at
    most, before the test fails with the worker's state.
    """
    for _ in range(3):
        try:
            page.wait_for_function(CONTROLLED, timeout=15_000)
            break
        except PlaywrightTimeoutError:
            page.reload()
    else:
        pytest.fail(f"the service worker never took control: {page.evaluate(WORKER_STATE)}")
    return page.evaluate("() => navigator.serviceWorker.controller.scriptURL")


def sign_out(page):
    """Log out from the phone's menu and wait for the page it leads to."""
    open_menu(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("navigation").get_by_role("link", name="Log in")).to_be_visible()


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
        if route.name == "share_revoke":
            continue  # a button on the page of links for a doctor (POST only)
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
    sign_out(page)
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


@pytest.fixture
def new_york_phone(browser, live_server):
    """A phone in New York. The one console error allowed is the send whose answer the
    test loses on purpose; any other error or script failure fails the test."""
    context = browser.new_context(
        viewport=PHONE, base_url=live_server.url, timezone_id="America/New_York"
    )
    context.set_default_timeout(10_000)
    errors = []
    page = context.new_page()
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert [error for error in errors if "net::ERR_FAILED" not in error] == []


def test_twitches_logged_offline_wait_then_are_written_once_dated_when_felt(new_york_phone, user):
    import datetime
    from zoneinfo import ZoneInfo

    from tests.support import PASSWORD

    new_york = ZoneInfo("America/New_York")
    page = new_york_phone
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/$"))
    controlled(page)

    page.context.set_offline(True)
    page.goto("/log/")
    expect(page.get_by_role("heading", level=1)).to_have_text("No connection just now")
    felt = (datetime.datetime.now(new_york) - datetime.timedelta(hours=2)).replace(
        second=0, microsecond=0
    )
    page.get_by_label("Place").select_option("calf")
    page.get_by_label("Left", exact=True).check()
    page.get_by_label("Strong", exact=True).check()
    page.get_by_label("When").fill(felt.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save", exact=True).click()
    before_again = timezone.now().replace(microsecond=0)
    page.get_by_role("button", name="Again", exact=True).click()
    waiting = page.locator(".queue-panel li")
    expect(waiting).to_have_count(2)
    expect(waiting.first).to_contain_text("Calf, left")
    expect(waiting.first).to_contain_text("waiting to send")
    expect(waiting.nth(1)).to_contain_text("Again")
    offline_until = timezone.now()
    assert not TwitchEntry.objects.exists()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        audit(page, f"the offline page with twitches waiting, {scheme}")

    # The first send reaches the server, but its answer is lost on the way back.
    lost = []

    def lose_first_answer(route):
        if route.request.method == "POST" and not lost:
            lost.append(route.request.headers["idempotency-key"])
            route.fetch()
            route.abort()
        else:
            route.continue_()

    page.context.route("**/api/v1/twitches/", lose_first_answer)
    # The connection is back: the queue is sent by itself, and the lost answer leaves its
    # twitch waiting until the next try, which "Send now" makes at once.
    with page.context.expect_event("requestfailed", lambda request: request.method == "POST"):
        page.context.set_offline(False)
    assert len(lost) == 1
    if waiting.count():
        page.get_by_role("button", name="Send now").click()
    expect(waiting).to_have_count(0)
    expect(page.locator(".queue-message")).to_contain_text("logged without a connection")

    calf, again = TwitchEntry.objects.order_by("occurred_at")
    assert TwitchEntry.objects.count() == 2
    assert (calf.location, calf.side, calf.intensity) == ("calf", "left", 3)
    assert calf.occurred_at == felt
    # "Again" is the twitch before it once more, dated when it was tapped, not sent.
    assert (again.location, again.side, again.intensity) == ("calf", "left", 3)
    assert before_again <= again.occurred_at <= offline_until < again.created_at

    # The queue is empty: going home sends nothing more.
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert TwitchEntry.objects.count() == 2


def queue_a_calf_twitch_then_lose_the_session(page):
    """Log a twitch on the offline page; the session ends while the phone is offline;
    back online, "Send now" finds nobody signed in."""
    from django.contrib.sessions.models import Session

    controlled(page)
    page.context.set_offline(True)
    page.goto("/log/")
    page.get_by_label("Place").select_option("calf")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".queue-panel li")).to_have_count(1)
    Session.objects.all().delete()
    page.context.set_offline(False)
    page.get_by_role("button", name="Send now").click()


def test_a_queue_waits_for_sign_in_when_the_session_ended_then_sends_and_says_so(
    signed_in_page, user
):
    from tests.support import PASSWORD

    page = signed_in_page
    queue_a_calf_twitch_then_lose_the_session(page)
    message = page.locator(".queue-message")
    expect(message).to_contain_text("1 twitch waiting to send: log in to send it")
    assert not TwitchEntry.objects.exists()

    message.get_by_role("link", name="log in to send it").click()
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/$"))
    expect(page.locator(".queue-message")).to_contain_text(
        "Sent 1 twitch logged without a connection."
    )
    assert TwitchEntry.objects.get().location == "calf"

    # Signing out clears the queue with the rest of what the site stored on the device.
    page.evaluate(
        """() => TwitchQueue.add({location: "hand"}, new Date(), "Hand")
                 .then(() => TwitchQueue.all()).then((items) => {
                   items.forEach((item) => { item.problem = "held for the test"; });
                   return Promise.all(items.map((item) => new Promise((done) => {
                     const open = indexedDB.open("twitchlog", 1);
                     open.onsuccess = () => {
                       const tx = open.result.transaction("queue", "readwrite");
                       tx.objectStore("queue").put(item);
                       tx.oncomplete = () => { open.result.close(); done(); };
                     };
                   })));
                 })"""
    )
    assert page.evaluate("() => TwitchQueue.all().then((items) => items.length)") == 1
    sign_out(page)
    assert page.evaluate("() => TwitchQueue.all().then((items) => items.length)") == 0


def test_a_twitch_queued_by_one_person_waits_for_them_and_never_reaches_another(
    signed_in_page, user, other_user
):
    from webapp import owner

    page = signed_in_page  # Ada's phone
    queue_a_calf_twitch_then_lose_the_session(page)
    expect(page.locator(".queue-message")).to_contain_text("log in to send it")

    # Bob signs in on Ada's phone: her twitch is neither sent nor shown, only counted.
    sign_in(page, other_user)
    panel = page.locator(".queue-panel")
    expect(panel).to_contain_text(
        "1 twitch logged on this device by another account is waiting for that account "
        "to log in. It will not go into your journal."
    )
    expect(panel.locator("li")).to_have_count(0)
    expect(panel).not_to_contain_text("Calf")
    expect(panel.get_by_role("button", name="Send now")).to_be_hidden()
    page.reload()
    expect(panel).to_contain_text("waiting for that account to log in")
    assert not TwitchEntry.objects.exists()
    # Were it sent all the same (a page from before this check), the server refuses it.
    csrf = page.request.get("/offline/session/").json()["csrf"]
    answer = page.request.post(
        "/api/v1/twitches/",
        data={"location": "calf"},
        headers={"X-CSRFToken": csrf, "X-Queued-By": owner.mark(user)},
    )
    refused = [answer.status, answer.json()["detail"]]
    assert refused == [403, views.QUEUED_BY_ANOTHER]
    assert not TwitchEntry.objects.exists()

    # Bob's session ends without signing out (which would clear the phone), and Ada signs
    # in again: her twitch goes into her journal, once.
    page.context.clear_cookies()
    sign_in(page, user)
    expect(page.locator(".queue-message")).to_contain_text(
        "Sent 1 twitch logged without a connection."
    )
    expect(page.locator(".queue-panel")).to_be_hidden()
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert TwitchEntry.objects.get(user=user).location == "calf"
    assert not TwitchEntry.objects.filter(user=other_user).exists()


def test_the_offline_page_keeps_no_twitch_when_nobody_has_logged_in_here(page):
    page.goto("/")
    controlled(page)
    page.context.set_offline(True)
    page.goto("/log/")
    expect(page.get_by_role("heading", level=1)).to_have_text("No connection just now")
    expect(page.get_by_text("first log in on this device while you are connected")).to_be_visible()
    expect(page.get_by_role("button", name="Save", exact=True)).to_be_hidden()
    page.context.set_offline(False)
