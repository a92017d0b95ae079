"""Red flags in the browser: patterns logged through the real forms raise the right card."""

import re
from datetime import date, datetime, time, timedelta

from playwright.sync_api import expect

from journal.rules import Level


def _local_today(user) -> date:
    return datetime.now(user.profile.tz).date()


def _log_twitch(page, place: str, when: datetime) -> None:
    """Log one twitch through /log/, backdated by typing the time into "When"."""
    page.goto("/log/")
    page.get_by_role("combobox", name=re.compile(r"^Place")).select_option(label=place)
    page.get_by_label("When").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Saved:")


def test_twitches_in_three_areas_over_two_weeks_raise_the_neurologist_prompt(signed_in_page, user):
    page = signed_in_page
    today = _local_today(user)
    # Two days each in the legs, the arms and the trunk, spread over two weeks.
    plan = [
        ("Calf", 13),
        ("Hand", 12),
        ("Chest", 11),
        ("Calf", 6),
        ("Hand", 5),
        ("Chest", 4),
    ]
    for place, days_ago in plan:
        _log_twitch(page, place, datetime.combine(today - timedelta(days=days_ago), time(10)))

    # The save that completed the third area says so and links to the flags page.
    message = page.locator(".messages .alert-warning")
    expect(message).to_contain_text("a pattern worth a doctor's look")
    card = page.locator("section.flag-card")
    expect(card).to_have_attribute("data-level", Level.SOON.value)
    expect(card.get_by_role("heading", level=2)).to_have_text(Level.SOON.text.headline)

    message.get_by_role("link", name="See why and what to do").click()
    page.wait_for_url(re.compile(r"/flags/$"))
    card = page.locator("section.flag-card")
    expect(card).to_contain_text("See a neurologist within 2-3 weeks")
    expect(card).to_contain_text("Twitches in several body areas")
    chest_days = [today - timedelta(days=d) for d in (11, 4)]
    chest_line = card.locator(".flag-evidence__list > li", has_text="Chest, back and belly")
    for day in chest_days:
        expect(chest_line).to_contain_text(f"{day.day} {day:%b}")
    expect(card).to_contain_text("not a diagnosis")
    expect(card).to_contain_text("Most twitching is harmless")
    expect(page.locator('[data-code="C4"]')).to_contain_text("several body areas? Yes")

    # The evidence leads to the entries behind it.
    chest_line.get_by_role("link", name=re.compile("See these entries")).click()
    expect(page.locator(".entry-title")).to_have_text(["Chest", "Chest"])


def test_a_sudden_speech_change_brings_the_emergency_card(signed_in_page, user):
    page = signed_in_page
    page.goto("/symptoms/new/")
    page.get_by_label("Date").fill(_local_today(user).isoformat())
    page.get_by_text("Speech changes", exact=True).click()
    page.get_by_text("Came on suddenly", exact=True).click()
    page.get_by_role("button", name="Save").click()

    page.wait_for_url(re.compile(r"/$"))
    expect(page.locator(".messages .alert-danger")).to_contain_text("needs urgent help")
    alert = page.get_by_role("alert").filter(has_text=Level.EMERGENCY.text.headline)
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("112, 911 or 999")
    expect(alert).to_contain_text("not a diagnosis")
    expect(alert).not_to_contain_text("neurologist")
    expect(alert).not_to_contain_text("week")
    # It comes before the greeting, so it is the first thing on the page.
    first = page.locator("main > :not(.messages)").first
    expect(first).to_have_attribute("data-level", Level.EMERGENCY.value)

    # On the home page the explanation stays folded, one tap away.
    explanation = alert.locator(".flag-item__message").first
    expect(explanation).to_be_hidden()
    alert.get_by_text("Why, and the entries behind it").first.click()
    expect(explanation).to_contain_text("came on suddenly, today or yesterday")

    page.goto("/flags/")
    alert = page.get_by_role("alert").filter(has_text="Sudden new symptoms")
    expect(alert).to_be_visible()
    # On /flags/ every explanation is open, and the action is stated once.
    expect(alert.locator(".flag-item__message").first).to_be_visible()
    expect(alert.get_by_text(Level.EMERGENCY.text.headline)).to_have_count(1)


def test_a_weakness_note_gives_one_action_and_lists_lower_notes_apart(signed_in_page, user):
    page = signed_in_page
    today = _local_today(user)
    # At midnight, so that today's twitch is never in the future, whenever this runs.
    for days_ago in (14, 7, 0):
        _log_twitch(page, "Calf", datetime.combine(today - timedelta(days=days_ago), time(0)))
    page.goto("/symptoms/new/")
    page.get_by_label("Date").fill(today.isoformat())
    page.get_by_text("Weakness", exact=True).click()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/$"))

    card = page.locator("section.flag-card")
    expect(card).to_have_attribute("data-level", Level.SOON.value)
    expect(card.get_by_text(re.compile("2-3 weeks"))).to_have_count(1)
    also = card.locator(".flag-also")
    expect(also.get_by_role("heading", name="Also in your notes")).to_be_visible()
    expect(also).to_contain_text("Twitching for two weeks or more")

    page.goto("/flags/")
    expect(page.locator("section.flag-card").get_by_text(re.compile("2-3 weeks"))).to_have_count(1)
    expect(page.locator('[data-code="C3"]')).to_contain_text("become harder? Yes")
    expect(page.locator('[data-code="C1"]')).to_contain_text("two weeks or more? Yes")
    expect(page.locator(".checklist__why")).to_contain_text("counts two or more")
