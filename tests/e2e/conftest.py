"""The browser suite: Playwright driving Debian's Chromium against the live app.

Without /usr/bin/chromium the suite is skipped with a hint, except under CI=true,
where a missing browser fails the run.
"""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


def open_menu(page):
    """Open the phone's collapsed menu and wait until it has finished opening.

    While the menu slides open, its links are laid out inside a clipped box that the
    browser may scroll to show the one asked for; a click there can press on one link
    and let go over another, and then nothing happens. Bootstrap adds `show` only once
    the slide is over.
    """
    page.get_by_role("button", name="Show menu").click()
    from playwright.sync_api import expect

    expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, the browser suite's database is a file, as in production.

    An in-memory test database is one connection that every thread of the live server
    shares, so two requests at once (the offline queue sending while the page loads)
    trip over each other's transactions: "database table is locked", answered 503. A
    file gives each thread its own connection with the app's busy timeout, WAL and
    immediate transactions, so a second writer waits its turn as it does for real.
    """
    from django.db import connections

    settings = connections["default"].settings_dict
    if settings["ENGINE"] == "django.db.backends.sqlite3":
        path = tmp_path_factory.mktemp("e2e-db") / "twitchlog.sqlite3"
        settings.setdefault("TEST", {})["NAME"] = str(path)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = (
            "Chromium is not installed: run `apt-get install -y chromium` "
            "to enable the browser tests."
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the live server's
    # database calls are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    from playwright.sync_api import expect

    # An assertion waits as long as an action does (10 s, set on every context): on a
    # busy machine a sign-out's redirect can take longer than the default 5 s.
    expect.set_options(timeout=10_000)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open pages in fresh browser contexts; console errors fail the test.

    A page answered 400 on purpose (a form sent back with its problems, such as an
    import's) makes the browser log its status as an error: that line alone, for that
    page's own address, is expected.
    """
    contexts, errors, refused_pages = [], [], set()

    def on_response(response):
        if response.status == 400 and response.request.is_navigation_request():
            refused_pages.add(response.url)

    def on_console(msg):
        if msg.type != "error":
            return
        status_of_refused_page = (
            msg.text.startswith(
                "Failed to load resource: the server responded with a status of 400"
            )
            and msg.location.get("url") in refused_pages
        )
        if not status_of_refused_page:
            errors.append(msg.text)

    def make(viewport=PHONE, **options):
        context = browser.new_context(viewport=viewport, base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("response", on_response)
        page.on("console", on_console)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        return page

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"console errors: {errors}"


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def signed_in_page(new_page, live_server, user):
    """A phone-sized page signed in as `user` through the real login form."""
    from tests.support import PASSWORD

    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/")
    return page
