"""Share with your doctor in Chromium: a link made while signed in opens in a browser
with no cookies, draws its charts, shows the flags and downloads the PDF; closing it in
the first browser turns the second one's reload into the 404 page. The QR code on
/share/ decodes, as Chromium draws it, to the link; both pages pass axe at phone and
laptop widths."""

import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from journal.management.commands.seed_demo import build_journal
from journal.models import SymptomEntry
from tests.e2e.conftest import LAPTOP, PHONE
from tests.e2e.test_accessibility_e2e import AXE, audit
from tests.e2e.test_trends_e2e import PAINTED_PIXELS

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/twitchlog-shots"))


@pytest.fixture
def patient(user):
    """Ten weeks of demo journal, and weakness on two days a week apart (a flag)."""
    profile = user.profile
    profile.display_name = "Sam"
    profile.time_zone = "Europe/London"
    profile.save()
    today = timezone.localtime(timezone.now(), profile.tz).date()
    build_journal(user, today=today)
    for days_ago in (2, 9):
        SymptomEntry.objects.create(
            user=user, noted_on=today - dt.timedelta(days=days_ago), kind="weakness", severity=3
        )
    return user


@pytest.fixture
def doctor(browser, live_server):
    """A fresh browser context with no cookies, as the clinician's own browser would be.
    Console errors fail the test, except the 404 status of the closed link's page."""
    contexts, errors = [], []

    def make(viewport=LAPTOP):
        context = browser.new_context(viewport=viewport, base_url=live_server.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        return page

    yield make
    for context in contexts:
        context.close()
    status_404 = re.compile(r"^Failed to load resource: .* status of 404 ")
    assert not [error for error in errors if not status_404.match(error)], errors


def make_link(page) -> str:
    page.goto("/share/")
    page.get_by_label("Note for your doctor (optional)").fill("Appointment on Friday")
    page.get_by_role("button", name="Make the link").click()
    expect(page.get_by_role("heading", name="Your new link")).to_be_visible()
    return page.locator("#share-url").input_value()


def shoot(page, name: str):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_link_opens_without_sign_in_and_closes_at_once(patient, signed_in_page, doctor):
    url = make_link(signed_in_page)

    doctor = doctor(LAPTOP)
    assert doctor.context.cookies() == []
    response = doctor.goto(url)
    assert response.status == 200
    expect(doctor.get_by_role("heading", level=1)).to_have_text("Twitch journal summary")
    expect(doctor.get_by_text("Appointment on Friday")).to_be_visible()
    expect(doctor.get_by_role("heading", name="Key numbers")).to_be_visible()
    expect(doctor.locator("#flags .shared-flag").first).to_be_visible()
    expect(doctor.get_by_role("link", name="Log in")).to_have_count(0)
    # The charts are drawn in the app's palette (css/theme.css), not Chart.js's black.
    palette = "() => getComputedStyle(document.documentElement).getPropertyValue('--tl-chart-teal')"
    assert doctor.evaluate(palette).strip() == "#0f5e63"
    for chart in ("chart-daily", "chart-regions", "chart-hours", "chart-spread"):
        canvas = doctor.locator(f"#{chart}")
        canvas.scroll_into_view_if_needed()
        doctor.wait_for_function(
            f"id => ({PAINTED_PIXELS})(document.getElementById(id)) > 500", arg=chart
        )

    with doctor.expect_download() as download_info:
        doctor.get_by_role("link", name="Download the PDF of this period").click()
    download = download_info.value
    assert Path(download.path()).read_bytes().startswith(b"%PDF")

    signed_in_page.goto("/share/")
    expect(signed_in_page.get_by_text("Opened 1 time")).to_be_visible()
    signed_in_page.get_by_role("button", name="Close this link now").click()
    expect(signed_in_page.get_by_text("no longer opens")).to_be_visible()

    again = doctor.reload()
    assert again.status == 404
    expect(doctor.get_by_role("heading", level=1)).to_have_text("This link does not open a journal")


def test_the_qr_code_as_drawn_decodes_to_the_link(patient, signed_in_page, tmp_path):
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        hint = "zbarimg is not installed: run `apt-get install -y zbar-tools` for the QR test."
        if os.environ.get("CI") == "true":
            pytest.fail(hint, pytrace=False)
        pytest.skip(hint)
    url = make_link(signed_in_page)
    picture = tmp_path / "qr.png"
    signed_in_page.locator(".share-qr svg").screenshot(path=str(picture))
    decoded = subprocess.run(
        [zbarimg, "--quiet", "--raw", str(picture)], capture_output=True, text=True, check=True
    )
    assert decoded.stdout.strip() == url
    # Big enough to scan across a desk from a phone's screen.
    box = signed_in_page.locator(".share-qr svg").bounding_box()
    assert box["width"] >= 240


@pytest.mark.parametrize(("width", "viewport"), [("phone", PHONE), ("laptop", LAPTOP)])
def test_share_and_the_clinician_view_pass_axe(patient, signed_in_page, doctor, width, viewport):
    if not AXE.exists():
        hint = "axe-core is not installed: run `npm ci` to enable the accessibility checks."
        if os.environ.get("CI") == "true":
            pytest.fail(hint, pytrace=False)
        pytest.skip(hint)
    signed_in_page.set_viewport_size(viewport)
    url = make_link(signed_in_page)
    audit(signed_in_page, f"/share/ with a new link ({width})")
    shoot(signed_in_page, f"share-{width}")

    doctor = doctor(viewport)
    doctor.goto(url)
    doctor.wait_for_load_state("networkidle")
    for canvas in doctor.locator("canvas").all():
        canvas.scroll_into_view_if_needed()
    audit(doctor, f"the clinician view ({width})")
    shoot(doctor, f"shared-{width}")

    doctor.goto(url.replace("/s/", "/s/x"))
    audit(doctor, f"the shared 404 page ({width})")
