"""`make screenshots`: a PNG of every page, in every state worth looking at, 390 and 1280
wide, in one folder (SCREENSHOTS_OUT, default ./screenshots), named
<page>--<state>--<width>.png; and the pages people open at night in dark mode, at phone
width (<page>--<state>-dark--390.png).

The app runs on a throwaway SQLite database in a temporary folder (nothing of yours is
read or touched) with: the demo journal (ten weeks, from the one generator) and a link
for a doctor to it, a new empty journal, and a small journal whose red-flag card is at
each level. Pages are drawn by Debian's Chromium (/usr/bin/chromium) through Playwright.
Look at every one before calling a screen done: a person sees these, not the tests.
"""

import asyncio
import datetime
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDTHS = {390: 844, 1280: 800}
PHONE_WIDTH = 390
# Pages drawn at once.
PARALLEL = int(os.environ.get("SCREENSHOTS_PARALLEL", "4"))


async def _submit(page):
    async with page.expect_navigation():
        await page.locator("main form [type=submit]").first.click()


async def _empty_time_and_submit(page):
    await page.locator(
        "main form input[type=date], main form input[type=datetime-local]"
    ).first.fill("")
    await _submit(page)


async def _bad_log_in(page):
    await page.get_by_label("Email").fill("ben.ux@example.com")
    await page.get_by_label("Password").fill("not the password")
    await _submit(page)


async def _bad_sign_up(page):
    await page.get_by_label("Email").fill("not an email")
    await page.locator("#id_password1").fill("short")
    await _submit(page)


async def _bad_check_in(page):
    await page.get_by_label("Cups of coffee").fill("400")
    await page.get_by_label("Sleep (hours)").fill("30")
    await _submit(page)


async def _find_left_calf(page):
    await page.get_by_label("Find a place").fill("left calf")


async def _log_a_twitch(page):
    await page.get_by_role("button", name="Left calf", exact=True).first.click()
    async with page.expect_navigation():
        await page.get_by_role("button", name="Save").click()


async def _find_a_zone(page):
    await page.get_by_label("Find your time zone").fill("new york")


async def _make_a_share_link(page):
    """Make a link for a doctor: the page then shows it with its QR code, once. Making one
    asks for the password of a sign-in older than a few minutes, as it would anyone."""
    await page.get_by_label("Note for your doctor (optional)").fill(
        "Mostly my left calf, worse after poor sleep."
    )
    await _submit(page)
    if "/reauthenticate/" in page.url:
        await page.get_by_label("Password").fill(DEMO_EMAIL[::-1])
        await _submit(page)
        await page.goto("/share/")
        await page.get_by_label("Note for your doctor (optional)").fill(
            "Mostly my left calf, worse after poor sleep."
        )
        await _submit(page)
    await page.locator(".share-qr-code").wait_for()


async def _open_menu(page):
    toggle = page.get_by_role("button", name="Show menu")
    if await toggle.is_visible():
        await toggle.click()
        await page.wait_for_timeout(400)


# (page, state, person, address, what to do there first). Person None is signed out.
SHOTS = [
    ("landing", "signed-out", None, "/", None),
    ("login", "signed-out", None, "/accounts/login/", None),
    ("login", "wrong-password", None, "/accounts/login/", _bad_log_in),
    ("signup", "signed-out", None, "/accounts/signup/", None),
    ("signup", "errors", None, "/accounts/signup/", _bad_sign_up),
    ("password-reset", "signed-out", None, "/accounts/password/reset/", None),
    # The error pages as the app sends them with DEBUG off (this server runs with it on).
    ("not-found", "signed-out", None, "error:404.html", None),
    ("server-error", "signed-out", None, "error:500.html", None),
    ("too-many-requests", "signed-out", None, "error:429.html", None),
    ("api-docs", "signed-out", None, "/api/docs/", None),
    ("home", "empty", "new", "/", None),
    ("journal", "empty", "new", "/journal/", None),
    ("trends", "empty", "new", "/trends/", None),
    ("flags", "empty", "new", "/flags/", None),
    ("report", "empty", "new", "/report/", None),
    ("export", "empty", "new", "/export/", None),
    ("log", "empty", "new", "/log/", None),
    ("checkin", "empty", "new", "/checkin/", None),
    ("home", "demo", "demo", "/", None),
    ("home", "menu-open", "demo", "/", _open_menu),
    ("home", "just-logged", "demo", "/log/", _log_a_twitch),
    ("log", "demo", "demo", "/log/", None),
    ("log", "found-left-calf", "demo", "/log/", _find_left_calf),
    ("log", "errors", "demo", "/log/", _empty_time_and_submit),
    ("journal", "demo", "demo", "/journal/", None),
    ("journal", "nothing-matches", "demo", "/journal/?kind=symptom&place=tongue", None),
    ("trends", "demo", "demo", "/trends/", None),
    ("trends", "demo-90-days", "demo", "/trends/?range=90", None),
    ("flags", "demo", "demo", "/flags/", None),
    ("report", "demo", "demo", "/report/", None),
    ("export", "demo", "demo", "/export/", None),
    ("settings", "demo", "demo", "/settings/", None),
    ("settings", "zone-search", "demo", "/settings/", _find_a_zone),
    ("checkin", "demo", "demo", "/checkin/", None),
    ("checkin", "errors", "demo", "/checkin/?day=2001-01-01", _bad_check_in),
    ("symptom", "new", "demo", "/symptoms/new/", None),
    ("symptom", "errors", "demo", "/symptoms/new/", _empty_time_and_submit),
    ("twitch-edit", "demo", "demo", "{twitch_edit}", None),
    ("symptom-edit", "demo", "demo", "{symptom_edit}", None),
    ("twitch-delete", "confirm", "demo", "{twitch_delete}", None),
    ("account-delete", "demo", "demo", "/account/delete/", None),
    ("password-change", "demo", "demo", "/accounts/password/change/", None),
    ("two-step", "off", "demo", "/accounts/2fa/", None),
    ("token", "new", "demo", "/settings/apps/tokens/new/", None),
    ("logout", "confirm", "demo", "/accounts/logout/", None),
    ("share", "demo", "demo", "/share/", None),
    ("share", "link-made", "demo", "/share/", _make_a_share_link),
    # What the doctor sees, signed out, through the demo journal's link.
    ("doctor-view", "demo", None, "{shared}", None),
] + [
    (page, f"{level}-card", level, address, None)
    for level in ("info", "routine", "soon", "prompt", "emergency")
    for page, address in (("home", "/"), ("flags", "/flags/"))
]
# Shots that change the journal (a twitch logged, a link made) go last, after the pages
# they would otherwise change.
CHANGING = {"just-logged", "link-made"}
# Dark mode, as a phone set to dark shows it (the people's Colours are "as my device"):
# the pages used at night, and the red-flag card at each level.
DARK_SHOTS = [
    (page, f"{state}-dark", person, address, action)
    for page, state, person, address, action in SHOTS
    if (page, state) in {("home", "demo"), ("log", "demo"), ("trends", "demo")}
    or (page == "home" and state.endswith("-card"))
]
DEMO_EMAIL = "demo@example.com"


def _prepare(database: Path) -> dict:
    """The throwaway database: migrated, with the people above; their session cookies."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.template.loader import render_to_string
    from django.test import Client, RequestFactory
    from django.urls import reverse
    from django.utils import timezone

    from accounts.emails import mark_email_verified
    from journal.management.commands.seed_demo import build_journal
    from journal.management.tools import flag_journals
    from journal.models import SymptomEntry, TwitchEntry
    from sharing.services import create_link

    call_command("migrate", verbosity=0, interactive=False)
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    errors = {
        name: render_to_string(name, {"when": "in about 15 minutes"}, request=request)
        for name in ("404.html", "500.html", "429.html")
    }
    User = get_user_model()
    people, places = {}, {}
    for name in ("demo", "new", *flag_journals.LEVELS):
        email = DEMO_EMAIL if name == "demo" else f"{name}@example.com"
        # A password as everyone has one (the pages to change it differ without).
        user = User.objects.create_user(username=email, email=email, password=email[::-1])
        mark_email_verified(user)
        profile = user.profile
        profile.display_name = {"demo": "Sam", "new": ""}.get(name, name.title())
        profile.time_zone = "Europe/London"
        profile.save()
        today = timezone.localtime(timezone.now(), profile.tz).date()
        if name == "demo":
            build_journal(user, today=today)
            twitch = TwitchEntry.objects.filter(user=user).first()
            symptom = SymptomEntry.objects.filter(user=user).first()
            places = {
                "twitch_edit": reverse("twitch_edit", args=[twitch.pk]),
                "twitch_delete": reverse("twitch_delete", args=[twitch.pk]),
                "symptom_edit": reverse("symptom_edit", args=[symptom.pk]),
            }
            _, token = create_link(
                None,
                user,
                today - datetime.timedelta(days=27),
                today,
                30,
                note="Is the calf twitching worth a test? It began in the spring.",
            )
            places["shared"] = reverse("shared", args=[token])
        elif name != "new":
            flag_journals.build(user, name, today)
        client = Client()
        client.force_login(user)
        people[name] = client.cookies["sessionid"].value
    return {"people": people, "places": places, "errors": errors}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, server, seconds: float = 30):
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("screenshots: the app did not start")
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("screenshots: the app did not answer in time")


async def _shoot(base: str, setup: dict, out: Path) -> int:
    """Every shot at every width, a few pages at a time (the app serves them in threads)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        contexts = {}
        for width, height in WIDTHS.items():
            for person in {shot[2] for shot in SHOTS}:
                context = await browser.new_context(
                    viewport={"width": width, "height": height},
                    base_url=base,
                    reduced_motion="reduce",
                    timezone_id="Europe/London",
                )
                context.set_default_timeout(60_000)
                if person:
                    cookie = {"name": "sessionid", "value": setup["people"][person], "url": base}
                    await context.add_cookies([cookie])
                # One first visit sets the CSRF cookie, before pages open side by side.
                first = await context.new_page()
                await first.goto("/accounts/login/")
                await first.close()
                contexts[width, person] = context
        limit = asyncio.Semaphore(PARALLEL)

        async def shoot(width, page_name, state, person, address, action, scheme="light"):
            async with limit:
                page = await contexts[width, person].new_page()
                await page.emulate_media(color_scheme=scheme)
                if address.startswith("error:"):
                    await page.goto("/healthz")
                    await page.set_content(setup["errors"][address[6:]], wait_until="load")
                else:
                    await page.goto(address.format(**setup["places"]), wait_until="load")
                if action:
                    await action(page)
                # Charts are drawn as they scroll into view: scroll through once, then
                # give the last of them a frame or two.
                await page.evaluate(
                    """async () => {
                        for (let y = 0; y < document.body.scrollHeight; y += innerHeight / 2) {
                            scrollTo(0, y);
                            await new Promise(r => requestAnimationFrame(r));
                        }
                        scrollTo(0, 0);
                    }"""
                )
                await page.wait_for_timeout(250)
                name = f"{page_name}--{state}--{width}.png"
                await page.screenshot(path=out / name, full_page=True)
                await page.close()

        await asyncio.gather(
            *(shoot(width, *shot) for width in WIDTHS for shot in SHOTS if shot[1] not in CHANGING),
            *(shoot(PHONE_WIDTH, *shot, scheme="dark") for shot in DARK_SHOTS),
        )
        for width in WIDTHS:
            for shot in SHOTS:
                if shot[1] in CHANGING:
                    await shoot(width, *shot)
        await browser.close()
    return len(SHOTS) * len(WIDTHS) + len(DARK_SHOTS)


def main() -> None:
    if not Path(CHROMIUM).exists():
        raise SystemExit("screenshots: no Chromium at /usr/bin/chromium (apt-get install chromium)")
    started = time.monotonic()
    out = Path(os.environ.get("SCREENSHOTS_OUT", ROOT / "screenshots")).resolve()
    work = Path(tempfile.mkdtemp(prefix="twitchlog-screenshots-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "twitchlog.settings",
        "DATABASE_URL": f"sqlite:///{work}/db.sqlite3",
        "DEBUG": "true",
    }
    env.pop("REDIS_URL", None)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    server = None
    try:
        setup = _prepare(work / "db.sqlite3")
        print(f"screenshots: journals ready ({time.monotonic() - started:.0f} s)", flush=True)
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        _wait_for(base, server)
        if out.exists():
            for old in out.glob("*.png"):
                old.unlink()
        out.mkdir(parents=True, exist_ok=True)
        taken = asyncio.run(_shoot(base, setup, out))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
    print(f"screenshots: {taken} pictures in {out} ({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
