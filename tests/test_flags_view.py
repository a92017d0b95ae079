"""The /flags/ page, the red-flag card at each level, and the note after a save."""

import html
import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.safestring import SafeString

from journal import exports, rules
from journal.flagging import change_note, flag_state, flag_summary
from journal.models import SymptomEntry, TwitchEntry

pytestmark = pytest.mark.django_db

TODAY = date(2025, 3, 31)
NOW = datetime(2025, 3, 31, 15, 0, tzinfo=UTC)
# Words no card may contain: the app never names a disease.
DISEASE_WORDS = re.compile(
    r"\b(ALS|MND|amyotrophic|motor neuron|motor neurone|sclerosis|dystrophy|Lou Gehrig|"
    r"disease|cancer|stroke|tumou?r)\b",
    re.IGNORECASE,
)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def twitch(user, days_ago: int, location: str = "calf", hour: int = 9) -> TwitchEntry:
    when = datetime.combine(ago(days_ago), time(hour), tzinfo=UTC)
    return TwitchEntry.objects.create(user=user, occurred_at=when, location=location)


def symptom(user, kind: str, days_ago: int = 0, **fields) -> SymptomEntry:
    return SymptomEntry.objects.create(user=user, noted_on=ago(days_ago), kind=kind, **fields)


def three_regions(user) -> None:
    for location, days in (("calf", (1, 8)), ("hand", (2, 9)), ("chest", (3, 10))):
        for days_ago in days:
            twitch(user, days_ago, location)


# One journal per level, built from the ORM.
LEVEL_JOURNALS = {
    "info": lambda user: [twitch(user, d, loc) for loc in ("calf", "hand") for d in (1, 5)],
    "routine": lambda user: [twitch(user, d, "eyelid") for d in (0, 7, 15)],
    "soon": three_regions,
    "prompt": lambda user: symptom(user, "muscle_loss", 3, location="thumb_base", side="left"),
    "emergency": lambda user: symptom(user, "speech", 0, onset="sudden", severity=2),
}
HEADLINES = {level.value: level.text.headline for level in rules.Level}


def card_html(page: str) -> str:
    """The red-flag card's markup alone, out of a whole page."""
    match = re.search(r'<section class="card flag-card.*?</section>', page, re.DOTALL)
    assert match, "no flag card on the page"
    return match.group(0)


def text_of(markup: str) -> str:
    """What a reader sees: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def test_flags_page_asks_visitors_to_log_in(client):
    response = client.get(reverse("flags"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_empty_journal_explains_what_is_checked_and_links_to_the_log(signed_in):
    page = signed_in.get(reverse("flags")).content.decode()
    card = card_html(page)

    assert 'data-level="clear"' in card
    assert "Nothing logged in the last 90 days" in card
    assert f'href="{reverse("log")}"' in card
    assert "Getting started" in card
    assert "Most twitching is harmless" in card
    assert "TwitchLog is a journal, not a diagnosis" in card
    for name in ("Twitching that lasts", "Twitching in several places", "Weakness", "Breathing"):
        assert f"<strong>{name}:</strong>" in page
    assert len(re.findall(r'<span class="checklist__answer">No</span>', page)) == 6


def test_harmless_journal_gets_a_reassuring_card(signed_in, user):
    twitch(user, 0, "calf")
    twitch(user, 2, "calf")
    symptom(user, "cramps", 1)
    symptom(user, "heaviness", 1)

    card = card_html(signed_in.get(reverse("flags")).content.decode())

    assert 'data-level="clear"' in card
    assert "Nothing in your notes needs a doctor's attention" in text_of(card)
    assert "neurologist" not in card
    assert 'role="alert"' not in card


@pytest.mark.parametrize("level", list(LEVEL_JOURNALS))
def test_card_shows_the_highest_level_with_its_wording_and_the_reminders(signed_in, user, level):
    LEVEL_JOURNALS[level](user)

    card = card_html(signed_in.get(reverse("flags")).content.decode())
    words = text_of(card)

    assert f'data-level="{level}"' in card
    assert HEADLINES[level] in words
    assert rules.NOT_A_DIAGNOSIS in words
    assert "Most twitching is harmless" in words
    assert DISEASE_WORDS.search(words) is None
    if level in ("soon", "prompt"):
        assert "neurologist" in words
    elif level in ("info", "routine"):
        assert "neurologist" not in words
    assert ("Call emergency services now" in words) is (level == "emergency")
    assert ('role="alert"' in card) is (level == "emergency")


def test_spreading_card_lists_each_area_with_links_to_its_entries(signed_in, user):
    three_regions(user)

    card = card_html(signed_in.get(reverse("flags")).content.decode())
    words = text_of(card)

    assert "Twitches in several body areas" in words
    assert "See a neurologist within 2-3 weeks" in words
    assert "Lower back, hips and legs: twitches on 23 Mar and 30 Mar" in words
    assert "Neck, shoulders and arms: twitches on 22 Mar and 29 Mar" in words
    assert "Chest, back and belly: twitches on 21 Mar and 28 Mar" in words
    journal = reverse("journal")
    legs = "date_from=2025-03-23&amp;date_to=2025-03-30&amp;place=calf&amp;kind=twitch"
    chest = "date_from=2025-03-21&amp;date_to=2025-03-28&amp;place=chest&amp;kind=twitch"
    assert f'href="{journal}?{legs}"' in card
    assert f'href="{journal}?{chest}"' in card
    assert '<details class="flag-evidence" open>' in card


def test_emergency_card_comes_before_everything_else_on_the_page(signed_in, user):
    three_regions(user)
    symptom(user, "weakness", 1, onset="sudden", location="hand", side="right")

    page = signed_in.get(reverse("flags")).content.decode()
    main = page[page.index('<main id="main"') :]

    assert main.index('role="alert"') < main.index("<h1")
    card = text_of(card_html(page))
    assert "Call emergency services now" in card
    assert "30 Mar: weakness (mild, came on suddenly), hand, right" in card
    # The lesser flags still show, under the one urgent headline.
    assert "Twitches in several body areas" in card
    assert page.count('class="card flag-card') == 1


def test_checklist_marks_each_item_in_words_with_its_evidence(signed_in, user):
    three_regions(user)
    symptom(user, "weakness", 4, severity=1, location="hand", side="left")

    page = signed_in.get(reverse("flags")).content.decode()
    item_pattern = r'data-code="(C\d)">(.*?)</li>\s*(?=<li class="checklist__item|</ol>)'
    items = {code: text_of(markup) for code, markup in re.findall(item_pattern, page, re.S)}

    assert sorted(items) == ["C1", "C2", "C3", "C4", "C5", "C6"]
    assert items["C3"].startswith(
        "Has an everyday task, such as gripping or climbing stairs, become harder? Yes "
    )
    assert "27 Mar: weakness (mild), hand, left" in items["C3"]
    assert items["C4"].startswith("Has your twitching spread to several body areas? Yes ")
    assert "Chest, back and belly: twitches on 21 Mar and 28 Mar" in items["C4"]
    for code in ("C1", "C2", "C5", "C6"):
        assert items[code].endswith("? No")
    card = text_of(card_html(page))
    assert "Two or more checklist questions answered yes" in card
    assert "Weakness: an everyday task has become harder See this entry" in card


def test_saving_a_recent_check_up_quiets_twitch_patterns_but_never_symptoms(signed_in, user):
    three_regions(user)
    symptom(user, "coordination", 2)

    response = signed_in.post(
        reverse("flags"), {"reassured_on": "2025-03-01", "family_history": "none"}, follow=True
    )

    user.profile.refresh_from_db()
    assert user.profile.reassured_on == date(2025, 3, 1)
    assert user.profile.family_history == "none"
    page = response.content.decode()
    assert "Notes about your twitching pattern stay quiet until 29 May 2025" in page
    card = text_of(card_html(page))
    assert "Changes in coordination or balance" in card
    assert "Twitches in several body areas" not in card
    assert "A doctor examined you on 1 March 2025. Until 29 May 2025" in card
    assert "Yes, set aside after your check-up" in page


def test_a_recent_check_up_with_no_symptoms_gives_a_calm_card_that_says_why(client, make_user):
    person = make_user(email="rui@example.com", reassured_on=date(2025, 3, 10))
    three_regions(person)
    client.force_login(person)

    card = text_of(card_html(client.get(reverse("flags")).content.decode()))

    assert "Nothing in your notes needs a doctor's attention" in card
    assert "A doctor has recently looked at your twitching" in card
    assert "Until 7 June 2025, notes about how long or how widely you twitch stay quiet" in card


def test_a_check_up_ninety_days_ago_no_longer_quiets_anything(signed_in, user):
    three_regions(user)

    response = signed_in.post(
        reverse("flags"), {"reassured_on": ago(90).isoformat(), "family_history": "unknown"}
    )

    assert response.status_code == 302
    page = signed_in.get(reverse("flags")).content.decode()
    assert "90 or more days ago, so every note shows as usual" in page
    assert 'data-level="soon"' in card_html(page)


def test_a_future_check_up_date_is_refused_beside_the_field_and_nothing_changes(signed_in, user):
    three_regions(user)

    response = signed_in.post(
        reverse("flags"), {"reassured_on": "2025-04-02", "family_history": "als_mnd"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "This date is in the future" in page
    assert 'value="2025-04-02"' in page
    assert re.search(r'value="als_mnd"[^>]*checked', page)
    # The card still reflects what is saved, not the refused answers.
    assert 'data-level="soon"' in card_html(page)
    assert "Family history noted" not in page
    user.profile.refresh_from_db()
    assert user.profile.reassured_on is None
    assert user.profile.family_history == "unknown"


def test_family_history_adds_a_note_that_links_back_to_the_answer(signed_in, user):
    twitch(user, 3, "calf")

    signed_in.post(reverse("flags"), {"reassured_on": "", "family_history": "muscular_dystrophy"})

    page = signed_in.get(reverse("flags")).content.decode()
    card = card_html(page)
    assert 'data-level="info"' in card
    assert "Family history noted" in card
    assert f'href="{reverse("flags")}#your-details"' in card
    assert 'id="your-details"' in page


def test_an_unknown_family_history_answer_is_refused(signed_in, user):
    response = signed_in.post(reverse("flags"), {"family_history": "cousin"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    user.profile.refresh_from_db()
    assert user.profile.family_history == "unknown"


def test_another_persons_journal_never_shows(signed_in, other_user):
    three_regions(other_user)
    symptom(other_user, "speech", 0, onset="sudden")

    card = card_html(signed_in.get(reverse("flags")).content.decode())

    assert 'data-level="clear"' in card


def test_flags_page_query_count_does_not_grow_with_the_journal(
    signed_in, user, django_assert_num_queries
):
    three_regions(user)
    for n in range(40):
        twitch(user, n % 20, ("calf", "hand", "eyelid")[n % 3], hour=n % 24)
        symptom(user, "weakness", n % 50)

    # 1 session, 2 user, 3 profile (time zone middleware), 4 twitches in the window,
    # 5 symptoms in the window, 6 the episode's days before the window.
    with django_assert_num_queries(6):
        response = signed_in.get(reverse("flags"))

    assert 'data-level="prompt"' in card_html(response.content.decode())


def test_flags_page_asks_the_same_queries_for_an_empty_journal(
    signed_in, django_assert_num_queries
):
    # The same six as for a full journal: an empty answer is cheap, a skipped
    # question would make the page's cost depend on what it finds.
    with django_assert_num_queries(6):
        response = signed_in.get(reverse("flags"))

    assert 'data-level="clear"' in card_html(response.content.decode())


def test_summary_reads_the_persons_own_local_day(make_user):
    # 15:00 UTC on 31 Mar is already 1 Apr in Auckland.
    person = make_user(email="kiri@example.com", time_zone="Pacific/Auckland")
    SymptomEntry.objects.create(
        user=person, noted_on=date(2025, 4, 1), kind="speech", onset="sudden"
    )

    summary = flag_summary(person)

    assert summary.today == date(2025, 4, 1)
    assert summary.level is rules.Level.EMERGENCY


def test_change_note_is_quiet_when_nothing_new_fires(user):
    three_regions(user)
    before = flag_state(user)
    twitch(user, 0, "calf")

    assert change_note(before, flag_state(user)) is None


def test_change_note_names_a_new_pattern_and_links_to_flags(user):
    for location, day in (("calf", 1), ("calf", 8), ("hand", 2), ("hand", 9), ("chest", 3)):
        twitch(user, day, location)
    before = flag_state(user)
    twitch(user, 10, "chest")

    note = change_note(before, flag_state(user))

    assert isinstance(note, SafeString)
    assert note == (
        "Your notes now show a pattern worth a doctor&#x27;s look. "
        f'<a href="{reverse("flags")}">See why and what to do</a>.'
    )


def test_change_note_speaks_up_when_a_rule_rises_a_level(user):
    symptom(user, "weakness", 20, severity=1)
    before = flag_state(user)
    symptom(user, "weakness", 0, severity=1)

    after = flag_state(user)

    assert before.levels == {"WEAKNESS": rules.Level.SOON}
    assert after.levels == {"WEAKNESS": rules.Level.PROMPT}
    assert "Your notes now show something a doctor should check." in change_note(before, after)


def test_change_note_for_an_emergency_says_so_first(user):
    before = flag_state(user)
    symptom(user, "breathing", 0, onset="sudden")

    note = change_note(before, flag_state(user))

    assert note.startswith("Your notes now show a sign that needs urgent help.")
    assert "See what to do now" in note


# The card on the home page, and the confirmation after a save.


def home_sections(page: str) -> list[str]:
    """The home page's landmarks in order: the card, the greeting, the actions, today."""
    main = page[page.index('<main id="main"') :]
    marks = {
        "card": main.find('<section class="card flag-card'),
        "h1": main.find("<h1"),
        "actions": main.find('class="home-actions'),
        "today": main.find('<section class="today'),
    }
    return sorted((name for name, at in marks.items() if at >= 0), key=marks.get)


@pytest.mark.parametrize(
    ("level", "order"),
    [
        # Logging stays one thumb away; a see-a-doctor card follows the buttons at once.
        ("info", ["h1", "actions", "today", "card"]),
        ("routine", ["h1", "actions", "today", "card"]),
        ("soon", ["h1", "actions", "card", "today"]),
        ("prompt", ["h1", "actions", "card", "today"]),
        ("emergency", ["card", "h1", "actions", "today"]),
    ],
)
def test_home_shows_the_card_higher_the_more_it_matters(signed_in, user, level, order):
    LEVEL_JOURNALS[level](user)

    page = signed_in.get(reverse("home")).content.decode()

    assert home_sections(page) == order
    card = card_html(page)
    assert f'data-level="{level}"' in card
    assert HEADLINES[level] in text_of(card)
    assert f'href="{reverse("flags")}"' in card
    # On the home page the evidence is folded away, one tap from view.
    assert '<details class="flag-evidence">' in card


def test_home_card_for_a_calm_journal_folds_the_list_of_patterns(signed_in, user):
    twitch(user, 1, "calf")

    card = card_html(signed_in.get(reverse("home")).content.decode())

    assert 'data-level="clear"' in card
    assert "<summary>What TwitchLog watches for</summary>" in card
    assert "<strong>Twitching in several places:</strong>" in card


def _busy_journal(user, days: int) -> None:
    TwitchEntry.objects.bulk_create(
        TwitchEntry(
            user=user,
            occurred_at=datetime.combine(ago(n // 3), time(8 + n % 3), tzinfo=UTC),
            location=("calf", "hand", "chest")[n % 3],
        )
        for n in range(days * 3)
    )
    SymptomEntry.objects.bulk_create(
        SymptomEntry(user=user, noted_on=ago(n), kind="cramps") for n in range(0, days, 3)
    )


@pytest.mark.parametrize("days", [120, 600])
def test_home_page_queries_stay_the_same_however_long_the_journal(
    signed_in, user, django_assert_num_queries, days
):
    _busy_journal(user, days)

    with django_assert_num_queries(HOME_QUERIES):
        response = signed_in.get(reverse("home"))

    assert 'data-level="soon"' in card_html(response.content.decode())


@pytest.mark.parametrize("twitches", [0, 1])
def test_home_page_asks_the_same_queries_for_a_new_or_one_day_journal(
    signed_in, user, django_assert_num_queries, twitches
):
    for _ in range(twitches):
        twitch(user, 0)

    with django_assert_num_queries(HOME_QUERIES):
        response = signed_in.get(reverse("home"))

    card = card_html(response.content.decode())
    assert ("All clear" if twitches else "Getting started") in text_of(card)


# session, user, profile; the home summary's own queries (today's count, today's
# check-in, the latest twitches and their triggers, the latest symptoms, the latest
# check-ins); the flag card's twitches and symptoms in the 90-day window, and the
# episode's days before it.
HOME_QUERIES = 12


def log_twitch(client, days_ago: int, location: str, follow: bool = True):
    when = datetime.combine(ago(days_ago), time(10))
    return client.post(
        reverse("log"),
        {
            "occurred_at": when.strftime("%Y-%m-%dT%H:%M"),
            "location": location,
            "intensity": "2",
            "duration_preset": "unknown",
        },
        follow=follow,
    )


def messages_of(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


def test_logging_the_twitch_that_makes_a_third_area_says_so_and_links_to_flags(signed_in, user):
    for location, day in (("calf", 1), ("calf", 8), ("hand", 2), ("hand", 9), ("chest", 3)):
        twitch(user, day, location)

    response = log_twitch(signed_in, 10, "chest")

    ((level, text),) = messages_of(response)
    assert level == "warning"
    assert text.startswith("Saved: Chest at 10:00 on ")
    assert text.endswith(
        "Your notes now show a pattern worth a doctor&#x27;s look. "
        f'<a href="{reverse("flags")}">See why and what to do</a>.'
    )
    assert f'<a href="{reverse("flags")}">See why and what to do</a>' in response.content.decode()


def test_logging_an_ordinary_twitch_keeps_the_plain_confirmation(signed_in, user):
    twitch(user, 1, "calf")

    response = log_twitch(signed_in, 0, "calf")

    ((level, text),) = messages_of(response)
    assert level == "success"
    assert reverse("flags") not in text


def test_a_confirmation_cannot_carry_markup_from_the_entry(signed_in, user):
    # The entry's own words are escaped; only the note's link is markup.
    for location, day in (("calf", 1), ("calf", 8), ("hand", 2), ("hand", 9), ("chest", 3)):
        twitch(user, day, location)
    signed_in.post(
        reverse("symptom_new"),
        {"noted_on": ago(0).isoformat(), "kind": "cramps", "severity": "1", "onset": "gradual"},
    )
    response = log_twitch(signed_in, 10, "chest")

    page = response.content.decode()
    assert page.count(f'<a href="{reverse("flags")}">') == 1


def test_noting_a_sudden_speech_change_gives_an_urgent_message(signed_in, user):
    response = signed_in.post(
        reverse("symptom_new"),
        {"noted_on": ago(0).isoformat(), "kind": "speech", "severity": "2", "onset": "sudden"},
        follow=True,
    )

    ((level, text),) = messages_of(response)
    assert level == "error"
    assert "Your notes now show a sign that needs urgent help." in text
    page = response.content.decode()
    assert home_sections(page)[0] == "card"
    assert 'role="alert"' in card_html(page)


def test_editing_a_symptom_to_be_more_severe_says_the_flag_rose(signed_in, user):
    symptom(user, "weakness", 5, severity=1)
    later = symptom(user, "weakness", 2, severity=1)

    response = signed_in.post(
        reverse("symptom_edit", args=[later.pk]),
        {
            "noted_on": later.noted_on.isoformat(),
            "kind": "weakness",
            "severity": "2",
            "onset": "gradual",
        },
        follow=True,
    )

    ((level, text),) = messages_of(response)
    assert level == "warning"
    assert text.startswith("Changes saved:")
    assert "something a doctor should check." in text


def test_logging_again_notes_a_new_pattern(signed_in, user):
    for location, day in (("calf", 2), ("calf", 8), ("hand", 3), ("hand", 9), ("chest", 1)):
        twitch(user, day, location)

    response = signed_in.post(reverse("twitch_again"), follow=True)

    ((level, text),) = messages_of(response)
    assert text.startswith("Logged again: Chest")
    assert level == "warning"
    assert f'href="{reverse("flags")}"' in text


def test_evidence_links_open_the_journal_at_the_entries_behind_them(signed_in, user):
    three_regions(user)
    twitch(user, 20, "tongue")

    card = card_html(signed_in.get(reverse("flags")).content.decode())
    chest_link = re.search(r'Chest, back and belly: twitches on[^<]*<a href="([^"]+)"', card)
    journal = signed_in.get(html.unescape(chest_link.group(1))).content.decode()
    titles = re.findall(r'<p class="entry-title">(?:<a [^>]*>)?([^<]+)', journal)

    assert titles == ["Chest", "Chest"]


@pytest.mark.parametrize(
    ("twitches", "link_text"), [(1, "See this entry"), (3, "See these entries")]
)
def test_evidence_for_one_day_at_one_place_still_counts_its_entries(make_user, twitches, link_text):
    # The history groups a day's twitches at one place into one row: the first and
    # last entry behind it keep "this entry" apart from "these entries".
    person = make_user(family_history="als_mnd")
    for hour in range(twitches):
        twitch(person, 2, "calf", hour=9 + hour)

    summary = flag_summary(person, TODAY)

    (flag,) = summary.flags
    assert flag.rule == "FAMILY_HISTORY"
    latest = next(line for line in flag.evidence if line.text.startswith("Most recent twitch"))
    assert latest.link_text == link_text
    assert "date_from=2025-03-29&date_to=2025-03-29" in latest.url


# The card says its action once (RULES.md section 3).

# A deadline in weeks, however it is worded.
WEEKS_TIMING = re.compile(
    r"\b(2-3|2\u20133|two to three|two or three|few|next)\s+weeks\b|\bwithin\b[^.]*\bweeks?\b",
    re.IGNORECASE,
)
# A neurologist with a deadline in the same sentence, in either order.
NEUROLOGIST_DEADLINE = re.compile(
    r"neurologist[^.]*\b(within|weeks?|days|soon)\b|\b(within|weeks?|soon)\b[^.]*neurologist",
    re.IGNORECASE,
)


def page_text(client, name: str) -> str:
    return text_of(client.get(reverse(name)).content.decode())


@pytest.mark.parametrize("name", ["home", "flags"])
def test_one_weakness_note_states_the_two_to_three_week_timing_exactly_once(signed_in, user, name):
    symptom(user, "weakness", 0, location="hand", side="right")

    page = signed_in.get(reverse(name)).content.decode()

    assert 'data-level="soon"' in card_html(page)
    words = text_of(page)
    assert [m.group(0) for m in WEEKS_TIMING.finditer(words)] == ["within 2-3 weeks"]
    assert words.count("See a neurologist within 2-3 weeks") == 1


@pytest.mark.parametrize("name", ["home", "flags"])
def test_one_sudden_weakness_today_gives_no_timing_in_weeks(signed_in, user, name):
    symptom(user, "weakness", 0, onset="sudden", location="hand", side="right")

    page = signed_in.get(reverse(name)).content.decode()

    card = text_of(card_html(page))
    assert 'data-level="emergency"' in card_html(page)
    assert WEEKS_TIMING.search(text_of(page)) is None
    assert "week" not in card.lower()
    assert "neurologist" not in card.lower()
    assert card.count("Call emergency services now") == 1
    for number in ("112", "911", "999"):
        assert number in card


@pytest.mark.parametrize("name", ["home", "flags"])
def test_persistence_alone_gives_no_neurologist_deadline(signed_in, user, name):
    for days_ago in (14, 7, 0):
        twitch(user, days_ago, "calf")

    page = signed_in.get(reverse(name)).content.decode()

    card = text_of(card_html(page))
    assert 'data-level="routine"' in card_html(page)
    assert "Twitching for two weeks or more" in card
    assert "more than two weeks" not in text_of(page)
    assert "neurologist" not in card.lower()
    assert NEUROLOGIST_DEADLINE.search(text_of(page)) is None
    assert WEEKS_TIMING.search(text_of(page)) is None


@pytest.mark.parametrize(
    ("level", "timing"),
    [
        ("info", "Nothing to act on"),
        ("routine", "Mention it at your next ordinary doctor's visit"),
        ("soon", "within 2-3 weeks"),
        ("prompt", "within days"),
        ("emergency", "now"),
    ],
)
def test_each_card_gives_its_timing_once_and_no_item_gives_another(signed_in, user, level, timing):
    LEVEL_JOURNALS[level](user)
    symptom(user, "cramps", 0)

    card = card_html(signed_in.get(reverse("flags")).content.decode())

    words = text_of(card)
    assert len(re.findall(rf"\b{timing}\b", words)) == 1
    for item in re.findall(
        r'<li class="flag-item".*?</li>\s*(?=<li class="flag-item"|</ul>)', card, re.S
    ):
        item_words = text_of(item)
        assert re.search(r"\bwithin\b|\bsoon\b|\bnow\b", item_words) is None, item_words
        assert WEEKS_TIMING.search(item_words) is None, item_words


def test_prompt_names_a_neurologist_in_its_action_and_never_says_soon(signed_in, user):
    LEVEL_JOURNALS["prompt"](user)

    card = text_of(card_html(signed_in.get(reverse("flags")).content.decode()))

    assert "Contact a doctor within days They can refer you to a neurologist" in card
    assert card.lower().count("neurologist") == 1
    assert re.search(r"\bsoon\b", card, re.IGNORECASE) is None


def card_sections(card: str) -> tuple[list[str], list[str]]:
    """The rule ids of the card's leading flags, and of those under "Also in your notes"."""
    main, _, also = card.partition('<div class="flag-also')
    return re.findall(r'data-rule="(\w+)"', main), re.findall(r'data-rule="(\w+)"', also)


def test_flags_at_the_cards_level_come_first_and_lower_ones_last_under_a_plain_heading(
    signed_in, user
):
    symptom(user, "weakness", 1, onset="sudden", location="hand", side="right")
    for days_ago in (14, 7, 0):
        twitch(user, days_ago, "calf")

    card = card_html(signed_in.get(reverse("flags")).content.decode())

    assert card_sections(card) == (["SUDDEN_ONSET"], ["WEAKNESS", "CHECKLIST", "PERSISTENCE"])
    also = card[card.index('<div class="flag-also') :]
    assert "<h3" in also
    assert text_of(also).startswith("Also in your notes")
    assert 'data-level="soon"' in also
    assert 'data-level="emergency"' not in also


def test_a_card_whose_flags_share_its_level_has_no_second_heading(signed_in, user):
    three_regions(user)

    card = card_html(signed_in.get(reverse("flags")).content.decode())

    leading, also = card_sections(card)
    assert also == []
    assert "SPREADING" in leading
    assert "Also in your notes" not in card


def test_flags_page_opens_every_explanation_and_home_folds_them(signed_in, user):
    symptom(user, "speech", 3)
    three_regions(user)

    flags_card = card_html(signed_in.get(reverse("flags")).content.decode())
    home_card = card_html(signed_in.get(reverse("home")).content.decode())

    rules_shown = len(re.findall(r'data-rule="', flags_card))
    assert rules_shown >= 3
    assert flags_card.count('<details class="flag-evidence" open>') == rules_shown
    assert home_card.count('<details class="flag-evidence">') == rules_shown
    assert " open>" not in home_card


def test_flags_page_says_once_why_one_pattern_is_enough_while_the_checklist_counts_two(
    signed_in, user
):
    symptom(user, "weakness", 0)

    flags_page = text_of(signed_in.get(reverse("flags")).content.decode())
    home_page = text_of(signed_in.get(reverse("home")).content.decode())

    sentence = (
        "One pattern alone can still raise the card above, because a single sign such as "
        "weakness is worth a doctor's look by itself, while the checklist weighs the whole "
        "picture and so counts two or more."
    )
    assert flags_page.count(sentence) == 1
    assert sentence not in home_page


def test_eyelid_twitching_with_the_cheek_on_two_days_raises_the_routine_card(signed_in, user):
    for days_ago in (9, 2):
        twitch(user, days_ago, "eyelid", hour=8)
        twitch(user, days_ago, "cheek", hour=9)

    card = text_of(card_html(signed_in.get(reverse("flags")).content.decode()))

    assert "Eyelid and other face twitching on the same days" in card
    assert "Eyelid and another part of the face (cheek) on the same day: 22 Mar and 29 Mar" in card
    assert "Mention it at your next ordinary doctor's visit" in card


def test_eyelid_twitches_forty_days_apart_raise_nothing(signed_in, user):
    twitch(user, 40, "eyelid")
    twitch(user, 0, "eyelid")

    card = card_html(signed_in.get(reverse("flags")).content.decode())

    assert 'data-level="clear"' in card


def test_numbness_over_three_months_reaches_the_card_from_the_journal(signed_in, user):
    for days_ago in (80, 45, 20):
        symptom(user, "numbness_tingling", days_ago)

    card = text_of(card_html(signed_in.get(reverse("flags")).content.decode()))

    assert "Numbness or tingling on 3 days between 10 Jan and 11 Mar" in card
    assert "See a neurologist within 2-3 weeks" in card


@pytest.mark.parametrize("answer", ["als_mnd", "muscular_dystrophy", "other_neuromuscular"])
def test_any_inherited_nerve_or_muscle_condition_counts_as_family_history(make_user, answer):
    person = make_user(family_history=answer)
    twitch(person, 2, "calf")

    summary = flag_summary(person, TODAY)

    assert [flag.rule for flag in summary.flags] == ["FAMILY_HISTORY"]


# No page shows a rule id or a checklist code as text (RULES.md section 3).

INTERNAL_CODES = re.compile(r"\bC[1-6]\b|" + "|".join(rf"\b{rule.id}\b" for rule in rules.RULES))


def every_rule_journal(user) -> dict:
    """A journal that raises the emergency card with most rules under it; its entries."""
    for location, days in (("calf", (0, 1, 7, 14)), ("hand", (0, 2)), ("chest", (0, 3))):
        for days_ago in days:
            twitch(user, days_ago, location)
    for days_ago in (0, 7, 14):
        twitch(user, days_ago, "eyelid", hour=7)
        twitch(user, days_ago, "cheek", hour=8)
    for kind, days_ago, onset in (
        ("weakness", 10, "gradual"),
        ("weakness", 0, "sudden"),
        ("muscle_loss", 5, "gradual"),
        ("speech", 4, "gradual"),
        ("coordination", 2, "gradual"),
        ("numbness_tingling", 20, "gradual"),
        ("numbness_tingling", 10, "gradual"),
        ("breathing", 1, "sudden"),
    ):
        last = symptom(user, kind, days_ago, onset=onset)
    user.profile.family_history = "als_mnd"
    user.profile.save()
    return {"twitch": TwitchEntry.objects.filter(user=user).first().pk, "symptom": last.pk}


def test_no_page_shows_a_rule_id_or_a_checklist_code_as_text(signed_in, user):
    from api.tokens import create_token
    from sharing.services import create_link
    from tests.url_walk import DOWNLOADS, OWN_ENTRY_ROUTES, own_entry_url, project_routes

    token, _ = create_token(user, "Phone", "read+write")
    entries = {**every_rule_journal(user), "checkin": TODAY, "token": token.pk}
    entries["share"] = create_link(None, user, TODAY, TODAY, 7)[0].pk
    assert flag_summary(user, TODAY).level is rules.Level.EMERGENCY
    pages = 0
    for route in project_routes():
        if route.is_admin or route.name in DOWNLOADS or route.name in (None, "logout"):
            continue
        if route.params and route.name not in OWN_ENTRY_ROUTES:
            continue
        url = own_entry_url(route, entries) if route.params else reverse(route.name)
        response = signed_in.get(url)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        pages += 1
        words = text_of(response.content.decode())
        assert INTERNAL_CODES.search(words) is None, (url, INTERNAL_CODES.search(words))
    assert pages >= 10


# The flags kept at the last change: a save compares against them, evaluating once.


def kept(user) -> tuple[dict, date | None]:
    user.profile.refresh_from_db()
    return user.profile.flag_levels, user.profile.flags_evaluated_on


def note_weakness(client, days_ago: int = 0, **extra):
    data = {"noted_on": ago(days_ago).isoformat(), "kind": "weakness", "severity": "1"}
    return client.post(reverse("symptom_new"), {"onset": "gradual", **data, **extra}, follow=True)


def test_a_save_keeps_the_flags_it_found(signed_in, user):
    note_weakness(signed_in)

    assert kept(user) == ({"WEAKNESS": "soon"}, TODAY)


def test_a_save_after_another_the_same_day_evaluates_the_journal_once(
    signed_in, user, django_assert_num_queries
):
    note_weakness(signed_in, 3)
    data = {"noted_on": ago(0).isoformat(), "kind": "cramps", "severity": "1", "onset": "gradual"}

    # Session, user, profile; the form's three constraint checks and the insert, each
    # in its savepoint (12); the history's twitches, symptoms and the episode's earlier
    # days, once (3); the kept flags updated (1); the session, with the message and the
    # offer to undo the symptom, saved in its savepoint (3). Evaluating before and after
    # the save would take three more.
    with django_assert_num_queries(22):
        signed_in.post(reverse("symptom_new"), data)


def test_after_a_delete_the_same_flag_coming_back_is_news_again(signed_in, user):
    note_weakness(signed_in)
    entry = SymptomEntry.objects.get(user=user)
    signed_in.post(reverse("symptom_delete", args=[entry.pk]), follow=True)
    assert kept(user) == ({}, TODAY)

    ((level, text),) = messages_of(note_weakness(signed_in))

    assert level == "warning"
    assert "a pattern worth a doctor" in text


def test_after_the_reassurance_date_is_cleared_the_flags_it_silenced_are_not_news(signed_in, user):
    three_regions(user)
    signed_in.post(
        reverse("flags"),
        {"reassured_on": ago(5).isoformat(), "family_history": "none"},
        follow=True,
    )
    assert kept(user)[0] == {}
    signed_in.post(reverse("flags"), {"reassured_on": "", "family_history": "none"}, follow=True)
    assert "SPREADING" in kept(user)[0]

    ((level, text),) = messages_of(log_twitch(signed_in, 0, "calf"))

    assert level == "success"
    assert reverse("flags") not in text


def test_after_an_import_its_flags_are_not_news_at_the_next_save(signed_in, user):
    log_twitch(signed_in, 0, "calf")
    content = (
        "type,date,kind,severity,onset\r\nsymptom," + ago(1).isoformat() + ",weakness,1,gradual\r\n"
    )
    result = exports.import_journal(user, SimpleUploadedFile("journal.csv", content.encode()))
    assert result.ok, result.errors
    assert kept(user) == ({"WEAKNESS": "soon"}, TODAY)

    ((level, text),) = messages_of(log_twitch(signed_in, 0, "hand"))

    assert level == "success"
    assert reverse("flags") not in text


def test_flags_kept_on_an_earlier_day_are_worked_out_again_before_a_save(signed_in, user):
    # Kept yesterday, when a weakness was recent; it is no longer in the journal.
    user.profile.flag_levels = {"WEAKNESS": "soon"}
    user.profile.flags_evaluated_on = ago(1)
    user.profile.save()

    ((level, text),) = messages_of(note_weakness(signed_in))

    assert level == "warning"
    assert "a pattern worth a doctor" in text
