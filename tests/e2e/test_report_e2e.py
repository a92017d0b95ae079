"""A person finds the doctor's summary, downloads it, and is told plainly about bad dates."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from journal.models import TwitchEntry
from tests.e2e.conftest import open_menu

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def twitch(user):
    """One twitch two days ago, at noon UTC (the person's zone), with a note to find."""
    when = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=2)
    return TwitchEntry.objects.create(
        user=user, occurred_at=when, location="calf", side="left", notes="Кофе и стресс"
    )


def pdf_text(path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


def test_download_the_summary_from_the_report_page(signed_in_page, twitch):
    page = signed_in_page
    open_menu(page)
    page.get_by_role("link", name="Report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Doctor's summary")

    today = timezone.localdate()
    start = today - timedelta(days=89)
    expect(page.get_by_label("From")).to_have_value(start.isoformat())
    expect(page.get_by_label("To")).to_have_value(today.isoformat())
    every_entry = page.get_by_label("Include every entry")
    expect(every_entry).not_to_be_checked()
    every_entry.check()

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename == (
        f"twitchlog-summary-{start.isoformat()}-to-{today.isoformat()}.pdf"
    )
    text = pdf_text(download.path())
    assert "Twitch journal summary" in text
    assert "Self-reported journal, not a diagnosis." in text
    assert "1 twitch logged" in text
    assert "Calf Left" in text
    assert "Кофе и стресс" in text


def test_a_ready_made_period_downloads_at_one_tap(signed_in_page, twitch):
    page = signed_in_page
    page.goto("/report/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Last 30 days").click()
    today = timezone.localdate()
    start = today - timedelta(days=29)
    assert download_info.value.suggested_filename == (
        f"twitchlog-summary-{start.isoformat()}-to-{today.isoformat()}.pdf"
    )
    # The journal began days ago: the summary covers its days and says so.
    assert "of the 30 days chosen." in pdf_text(download_info.value.path())


def test_first_day_after_the_last_shows_the_error_beside_the_field(signed_in_page):
    page = signed_in_page
    page.goto("/report/")
    today = timezone.localdate()
    page.get_by_label("From").fill(today.isoformat())
    page.get_by_label("To").fill((today - timedelta(days=10)).isoformat())
    page.get_by_role("button", name="Download PDF").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Doctor's summary")
    error = page.locator("#error_1_id_start")
    expect(error).to_have_text("The first day must be on or before the last day.")
    expect(page.get_by_label("From")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("From")).to_have_value(today.isoformat())
    # An empty journal is pointed to the log page.
    expect(page.get_by_role("link", name="Log your first twitch")).to_be_visible()
