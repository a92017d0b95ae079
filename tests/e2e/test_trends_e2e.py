"""The trends page in Chromium, on the demo journal: every chart is drawn, the range
picker changes the figures, and the body heat map's counts match the database."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from journal.body import MIDLINE_LOCATIONS
from journal.management.commands.seed_demo import build_journal
from journal.models import TwitchEntry
from tests.e2e.conftest import LAPTOP, open_menu
from tests.support import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

# How many pixels of a canvas have been painted (any alpha): zero for a blank chart.
PAINTED_PIXELS = """canvas => {
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) painted += 1; }
  return painted;
}"""


@pytest.fixture
def demo_user(user):
    profile = user.profile
    profile.time_zone = "Europe/London"
    profile.save()
    today = timezone.localtime(timezone.now(), profile.tz).date()
    profile.habits_changed_on = today - dt.timedelta(days=21)
    profile.save()
    build_journal(user, today=today)
    return user


def twitches_in_last(user, days):
    """The person's twitches over their last `days` local days, by the ORM directly."""
    tz = user.profile.tz
    today = timezone.localtime(timezone.now(), tz).date()
    start = dt.datetime.combine(today - dt.timedelta(days=days - 1), dt.time(), tzinfo=tz)
    return TwitchEntry.objects.filter(user=user, occurred_at__gte=start)


def expected_area_count(entries, location, side):
    """A map area's count: its own side, plus twitches on both sides or with no side."""
    if location in MIDLINE_LOCATIONS:
        return entries.filter(location=location).count()
    return entries.filter(location=location, side__in=[side, "both", "", "centre"]).count()


def assert_every_chart_is_drawn(page):
    """Scroll to each chart (they are drawn as they come into view) and check its pixels."""
    canvases = page.locator("canvas")
    assert canvases.count() == 9
    for index in range(canvases.count()):
        canvas = canvases.nth(index)
        canvas.scroll_into_view_if_needed()
        page.wait_for_function(
            f"id => ({PAINTED_PIXELS})(document.getElementById(id)) > 500",
            arg=canvas.get_attribute("id"),
        )


def test_trends_draws_every_chart_and_the_range_picker_changes_the_figures(
    demo_user, signed_in_page, live_server
):
    page = signed_in_page
    open_menu(page)
    page.get_by_role("link", name="Trends").click()
    page.wait_for_url(live_server.url + "/trends/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Trends")
    assert_every_chart_is_drawn(page)

    ninety = twitches_in_last(demo_user, 90).count()
    stats = page.locator(".trends-stat-value")
    expect(stats.first).to_have_text(str(ninety))

    page.get_by_role("navigation", name="Time range").get_by_role("link", name="30 days").click()
    page.wait_for_url(live_server.url + "/trends/?range=30")
    thirty = twitches_in_last(demo_user, 30).count()
    assert thirty < ninety
    expect(stats.first).to_have_text(str(thirty))
    expect(page.locator("main")).to_contain_text("(30 days)")
    assert_every_chart_is_drawn(page)

    page.get_by_text("Choose your own dates").click()
    today = timezone.localtime(timezone.now(), demo_user.profile.tz).date()
    page.get_by_label("From", exact=True).fill((today - dt.timedelta(days=13)).isoformat())
    page.get_by_label("To", exact=True).fill(today.isoformat())
    page.get_by_role("button", name="Show these dates").click()
    expect(page.locator("main")).to_contain_text("(14 days)")
    expect(stats.first).to_have_text(str(twitches_in_last(demo_user, 14).count()))


def test_body_heat_map_counts_match_the_database(demo_user, signed_in_page):
    page = signed_in_page
    page.goto("/trends/")
    entries = twitches_in_last(demo_user, 90)
    areas = page.locator("#trends-body-map .body-area")
    assert areas.count() > 40
    shaded = 0
    for index in range(areas.count()):
        area = areas.nth(index)
        location, side = area.get_attribute("data-location"), area.get_attribute("data-side")
        count = int(area.get_attribute("data-count"))
        assert count == expected_area_count(entries, location, side), (location, side)
        if count:
            shaded += 1
            assert "heat-0" not in area.get_attribute("class")
            title = area.locator("title").text_content()
            assert title.endswith(f": {count} twitch" + ("es" if count != 1 else ""))
    assert shaded >= 5
    # The same counts are in the table for screen readers.
    page.get_by_text("Show the numbers by place").click()
    rows = page.locator("#body-counts tbody tr")
    assert rows.count() == entries.order_by().values("location", "side").distinct().count()


def test_trends_at_laptop_width_draws_every_chart(demo_user, new_page, live_server):
    page = new_page(viewport=LAPTOP)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(demo_user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/")
    page.goto("/trends/?range=all")
    assert_every_chart_is_drawn(page)
    expect(page.locator("#lifestyle")).to_contain_text("twitches a day before")
