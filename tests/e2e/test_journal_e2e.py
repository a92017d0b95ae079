"""On a phone: log a twitch by tapping the body map or with the keyboard alone, repeat it
with Again and undo that, fill in a check-in in cups, and note a symptom."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from journal.models import DailyCheckIn, SymptomEntry, TwitchEntry
from tests.e2e.conftest import PHONE
from tests.support import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

KOLKATA = ZoneInfo("Asia/Kolkata")


@pytest.fixture
def user(make_user):
    """Someone whose local time is far from UTC, so local times are put to the test."""
    return make_user(email="priya@example.com", time_zone="Asia/Kolkata")


@pytest.fixture
def phone(new_page, live_server, user):
    """A touch-screen phone signed in as `user` through the login form."""
    page = new_page(viewport=PHONE, has_touch=True)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/")
    return page


def form_time(page) -> datetime.datetime:
    """The /log/ form's time, which should be now in the person's time zone."""
    value = page.locator("#id_occurred_at").input_value()
    local = datetime.datetime.fromisoformat(value).replace(tzinfo=KOLKATA)
    assert abs(datetime.datetime.now(KOLKATA) - local) < datetime.timedelta(minutes=2)
    return local


def journal_day(page, local: datetime.datetime):
    return page.locator(f'section[aria-labelledby="day-{local:%Y-%m-%d}"]')


def test_log_by_tapping_the_body_map_then_by_keyboard_then_again_and_undo(phone, live_server, user):
    page = phone
    page.goto("/log/")
    logged_at = form_time(page)
    left_calf = page.get_by_role("button", name="Left calf", exact=True)
    left_calf.tap()
    expect(left_calf).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#place-chosen")).to_have_text("Chosen: Left calf.")
    expect(page.locator("#id_location")).to_have_value("calf")
    expect(page.get_by_role("radio", name="Left", exact=True)).to_be_checked()
    page.get_by_role("button", name="Save").tap()

    page.wait_for_url(live_server.url + "/")
    time_text = f"{logged_at:%H:%M}"
    expect(page.get_by_role("status")).to_contain_text(f"Saved: Left calf at {time_text} today.")
    latest = page.locator(".entry").first
    expect(latest).to_contain_text("Left calf")
    expect(latest).to_contain_text(time_text)
    expect(page.locator(".today-count")).to_contain_text("1 twitch logged today")

    page.goto("/journal/")
    day = journal_day(page, logged_at)
    expect(day).to_contain_text(f"{logged_at:%A} {logged_at.day} {logged_at:%B %Y}")
    expect(day.locator(".entry--twitch").first).to_contain_text("Left calf")
    expect(day.locator(".entry--twitch").first).to_contain_text(time_text)
    entry = TwitchEntry.objects.get(user=user)
    assert (entry.location, entry.side) == ("calf", "left")
    assert entry.occurred_at.astimezone(KOLKATA).replace(second=0) == logged_at

    # The same with the keyboard alone: a body-map area answers Space, the list
    # answers typing, and the side buttons answer the arrow keys.
    page.goto("/log/")
    front = page.get_by_role("group", name="Front", exact=True)
    forearm = front.get_by_role("button", name="Right forearm", exact=True)
    forearm.focus()
    page.keyboard.press("Space")
    expect(forearm).to_have_attribute("aria-pressed", "true")
    # The same place on the back view lights up too.
    back = page.get_by_role("group", name="Back", exact=True)
    expect(back.get_by_role("button", name="Right forearm")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator("#id_location")).to_have_value("forearm")
    page.locator("#id_location").focus()
    page.keyboard.type("calf")
    expect(page.locator("#id_location")).to_have_value("calf")
    # Tab reaches the side buttons at the one already chosen (right, from the
    # forearm); the arrow keys move the choice.
    page.keyboard.press("Tab")
    expect(page.locator("#id_side_1")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#id_side_0")).to_be_focused()
    expect(page.locator("#id_side_0")).to_be_checked()
    expect(page.locator("#place-chosen")).to_have_text("Chosen: Left calf.")
    page.get_by_role("button", name="Save").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/")
    expect(page.get_by_role("status")).to_contain_text("Saved: Left calf at")
    assert list(TwitchEntry.objects.values_list("location", "side")) == [("calf", "left")] * 2

    # Again repeats the last twitch now; Undo takes that copy back out.
    page.get_by_role("button", name=re.compile(r"^Again")).tap()
    expect(page.get_by_role("status")).to_contain_text("Logged again: Left calf at")
    expect(page.locator(".today-count")).to_contain_text("3 twitches logged today")
    copy = TwitchEntry.objects.latest("id")
    assert (copy.location, copy.side) == ("calf", "left")
    assert abs(copy.occurred_at - datetime.datetime.now(datetime.UTC)) < datetime.timedelta(
        minutes=1
    )
    page.get_by_role("button", name="Undo").tap()
    expect(page.get_by_role("status")).to_contain_text("Undone: Left calf at")
    expect(page.locator(".today-count")).to_contain_text("2 twitches logged today")
    assert not TwitchEntry.objects.filter(pk=copy.pk).exists()
    assert TwitchEntry.objects.count() == 2


def test_check_in_in_cups_and_a_weakness_symptom_show_on_the_journal(phone, user):
    page = phone
    page.goto("/checkin/")
    page.get_by_label("Cups of coffee").fill("3")
    expect(page.locator("#caffeine-total")).to_have_text(
        "Caffeine today: 285 mg (3 cups of coffee)"
    )
    page.get_by_label("Sleep (hours)").fill("6.5")
    page.get_by_role("button", name="Save check-in").tap()
    expect(page.get_by_role("status")).to_contain_text(
        "Check-in saved for today: 285 mg caffeine, 6.5 h sleep."
    )
    assert DailyCheckIn.objects.get(user=user).caffeine_mg == 285

    page.get_by_role("link", name="Symptom", exact=True).tap()
    page.get_by_label("Weakness", exact=True).check()
    page.locator("fieldset#id_severity").get_by_text("Moderate", exact=True).tap()
    page.get_by_label("Where (optional)").select_option("hand")
    page.locator("fieldset#id_side").get_by_text("Right", exact=True).tap()
    page.get_by_role("button", name="Save").tap()
    expect(page.get_by_role("status")).to_contain_text("Noted: Weakness (moderate) today.")
    symptom = SymptomEntry.objects.get(user=user)
    assert (symptom.kind, symptom.severity, symptom.side) == ("weakness", 2, "right")

    page.goto("/journal/")
    today = datetime.datetime.now(KOLKATA)
    day = journal_day(page, today)
    expect(day.locator(".entry--symptom")).to_contain_text("Weakness")
    expect(day.locator(".entry--symptom")).to_contain_text("Moderate")
    expect(day.locator(".entry--symptom")).to_contain_text("Right hand")
    expect(day.locator(".entry--checkin")).to_contain_text("285 mg caffeine")


def test_a_check_in_opened_again_shows_the_cups_as_they_were_entered(phone, user):
    page = phone
    page.goto("/checkin/")
    page.get_by_label("Cups of coffee").fill("3")
    page.get_by_label("Cups of tea").fill("1")
    page.get_by_role("button", name="Save check-in").tap()
    expect(page.get_by_role("status")).to_contain_text("Check-in saved for today: 332 mg caffeine.")

    # /checkin/ again: today has a check-in, so it opens that one to change.
    page.goto("/checkin/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Check-in for "))
    expect(page.get_by_label("Cups of coffee")).to_have_value("3")
    expect(page.get_by_label("Cups of tea")).to_have_value("1")
    expect(page.get_by_label("Energy drinks")).to_have_value("")
    expect(page.get_by_label("Other (mg)")).to_have_value("")
    expect(page.locator("#caffeine-total")).to_have_text(
        "Caffeine today: 332 mg (3 cups of coffee + 1 cup of tea)"
    )

    page.get_by_label("Cups of tea").fill("2")
    expect(page.locator("#caffeine-total")).to_have_text(
        "Caffeine today: 379 mg (3 cups of coffee + 2 cups of tea)"
    )
    page.get_by_role("button", name="Save check-in").tap()
    expect(page.get_by_role("status")).to_contain_text("379 mg caffeine")
    checkin = DailyCheckIn.objects.get(user=user)
    assert (str(checkin.coffee_cups), str(checkin.tea_cups), checkin.caffeine_mg) == (
        "3.0",
        "2.0",
        379,
    )


def test_the_place_search_narrows_the_list_and_a_bad_save_keeps_the_input(phone):
    page = phone
    page.goto("/log/")
    search = page.get_by_label("Find a place")
    search.fill("thumb")
    expect(page.locator("#id_location")).to_have_value("thumb_base")
    expect(page.locator("#place-search-result")).to_have_text("Found: Base of thumb.")
    search.press("Enter")
    expect(page.locator("#id_location")).to_be_focused()

    page.get_by_label("Or type the seconds").fill("90000")
    page.get_by_label("Notes (optional)").fill("While typing")
    page.get_by_role("button", name="Save").tap()
    expect(page.locator("#form-errors")).to_be_focused()
    expect(page.locator("#id_duration_typed_error")).to_have_text(
        "A twitch can be logged for up to 24 hours (86,400 seconds)."
    )
    expect(page.locator("#id_location")).to_have_value("thumb_base")
    expect(page.get_by_label("Notes (optional)")).to_have_value("While typing")
    expect(page.locator("#place-chosen")).to_have_text("Chosen: Base of thumb.")
    assert not TwitchEntry.objects.exists()


def test_every_place_on_the_body_map_is_at_least_24_css_pixels_on_a_phone(phone):
    """WCAG 2.2, 2.5.8: each tap target at least 24 by 24 CSS pixels, 390 wide."""
    page = phone
    page.goto("/log/")
    sizes = page.evaluate(
        """() => [...document.querySelectorAll(".body-map--interactive .body-area")].map(a => {
               const box = a.getBoundingClientRect();
               return [a.querySelector("title").textContent, box.width, box.height];
           })"""
    )
    assert len(sizes) == 63
    too_small = [(name, round(w, 1), round(h, 1)) for name, w, h in sizes if min(w, h) < 24]
    assert not too_small, too_small


def test_find_a_place_comes_first_and_knows_everyday_words_and_sides(phone):
    page = phone
    page.goto("/log/")
    search = page.get_by_label("Find a place")
    # Above the map, where the thumb reaches first, and on screen without scrolling.
    search_box = search.bounding_box()
    assert search_box["y"] + search_box["height"] < page.locator("#body-map").bounding_box()["y"]
    assert search_box["y"] + search_box["height"] < PHONE["height"]
    for typed, place in (
        ("bicep", "upper_arm"),
        ("shin", "shin"),
        ("pinky", "fingers"),
        ("eye", "eyelid"),
        ("quads", "thigh_front"),
    ):
        search.fill(typed)
        expect(page.locator("#id_location")).to_have_value(place)
    search.fill("left calf")
    expect(page.locator("#id_location")).to_have_value("calf")
    expect(page.get_by_role("radio", name="Left", exact=True)).to_be_checked()
    expect(page.locator("#place-chosen")).to_have_text("Chosen: Left calf.")
    expect(page.get_by_role("button", name="Left calf", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    search.fill("right bicep")
    expect(page.locator("#id_location")).to_have_value("upper_arm")
    expect(page.locator("#place-chosen")).to_have_text("Chosen: Right upper arm.")
    search.fill("elbw")
    expect(page.locator("#place-search-result")).to_contain_text("No place matches")


def test_logging_with_the_keyboard_from_the_skip_link_ends_on_home(phone, live_server):
    page = phone
    page.goto("/log/")
    skip = page.get_by_role("link", name="Skip the body map and choose the place from a list")
    skip.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#id_location$"))
    page.locator("#id_location").focus()
    page.keyboard.type("calf")
    page.get_by_role("button", name="Save").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/")
    expect(page.get_by_role("status")).to_contain_text("Saved: Calf at")
    assert page.url == live_server.url + "/"


def test_on_a_phone_the_journal_is_compact_and_an_entry_opens_its_edit_page(
    phone, new_page, live_server, user
):
    now = datetime.datetime.now(KOLKATA)
    for minutes in (30, 20, 10):
        TwitchEntry.objects.create(
            user=user, occurred_at=now - datetime.timedelta(minutes=minutes), location="calf"
        )
    page = phone
    page.goto("/journal/")
    entries = page.locator(".entry--twitch")
    expect(entries).to_have_count(3)
    # No row of buttons under each entry on a phone.
    expect(page.get_by_role("link", name=re.compile(r"^Delete"))).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile(r"^Edit"))).to_have_count(0)
    assert entries.first.bounding_box()["height"] < 80
    # Tapping anywhere on the entry opens it; Delete is there, and asks first.
    time = entries.first.locator(".entry-time").bounding_box()
    page.touchscreen.tap(time["x"] + time["width"] / 2, time["y"] + time["height"] / 2)
    expect(page.get_by_role("heading", level=1)).to_have_text("Change a twitch")
    page.get_by_role("link", name="Delete this twitch").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete this twitch?")
    page.get_by_role("button", name="Delete").tap()
    page.wait_for_url(live_server.url + "/journal/")
    expect(page.get_by_role("status")).to_contain_text("Deleted")
    expect(entries).to_have_count(2)

    laptop = new_page(viewport={"width": 1280, "height": 800})
    laptop.context.add_cookies(page.context.cookies())
    laptop.goto("/journal/")
    expect(laptop.get_by_role("link", name=re.compile(r"^Delete"))).to_have_count(2)
