"""/report/ and /report.pdf: the period picker, the download, and its database reads."""

import io
import zoneinfo
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from journal.models import DailyCheckIn, SymptomEntry, TwitchEntry
from journal.report_data import build_report_data
from journal.wording import DASH

pytestmark = pytest.mark.django_db

ATHENS = zoneinfo.ZoneInfo("Europe/Athens")
# 15:00 in Athens on Thursday 29 May 2025; the default period is 1 March to 29 May.
NOW = datetime(2025, 5, 29, 12, 0, tzinfo=UTC)


def athens(year, month, day, hour, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ATHENS)


def pdf_text(response) -> list[str]:
    return [
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.content)).pages
    ]


def add_twitch(user, when, location, side="", triggers=(), **fields) -> TwitchEntry:
    entry = TwitchEntry.objects.create(
        user=user, occurred_at=when, location=location, side=side, **fields
    )
    entry.set_triggers(triggers)
    return entry


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def zoe(make_user):
    return make_user(
        email="zoe@example.com",
        time_zone="Europe/Athens",
        display_name="Zoë Ødegård",
        date_of_birth=date(1990, 7, 14),
        family_history="none",
    )


@pytest.fixture
def journal(zoe, other_user):
    """Zoë's journal around the default period, and Bob's, which must never show."""
    # 00:30 on 29 May in Athens is still 28 May in UTC: the local day must win.
    add_twitch(
        zoe,
        datetime(2025, 5, 28, 21, 30, tzinfo=UTC),
        "calf",
        "left",
        ("caffeine", "poor_sleep"),
        duration_seconds=4,
        intensity=2,
        notes="Кофе и стресс <late> & tired",
    )
    add_twitch(zoe, athens(2025, 5, 10, 8, 5), "forearm", "right", ("caffeine",), intensity=3)
    add_twitch(zoe, athens(2025, 4, 1, 19, 45), "thigh_front", "left", duration_seconds=75)
    # In the previous 90 days: counts only for the change.
    add_twitch(zoe, athens(2025, 2, 1, 9, 0), "eyelid", "right", notes="Before the period")
    SymptomEntry.objects.create(
        user=zoe,
        noted_on=date(2025, 5, 20),
        kind="weakness",
        severity=2,
        location="hand",
        side="right",
        notes="Jar lids are harder",
    )
    DailyCheckIn.objects.create(
        user=zoe, day=date(2025, 5, 27), other_caffeine_mg=200, sleep_hours=Decimal("6.0"), stress=2
    )
    DailyCheckIn.objects.create(
        user=zoe, day=date(2025, 5, 28), other_caffeine_mg=300, sleep_hours=Decimal("7.5"), stress=4
    )

    bob = other_user
    bob.profile.display_name = "Bob Private"
    bob.profile.save()
    add_twitch(bob, athens(2025, 5, 12, 10, 0), "tongue", "left", ("alcohol",), notes="Bob secret")
    add_twitch(bob, athens(2025, 5, 13, 10, 0), "shoulder", "left")
    SymptomEntry.objects.create(user=bob, noted_on=date(2025, 5, 25), kind="speech")
    DailyCheckIn.objects.create(user=bob, day=date(2025, 5, 27), other_caffeine_mg=900)
    return zoe


@pytest.fixture
def zoe_client(client, journal):
    client.force_login(journal)
    return client


def test_report_page_offers_the_last_90_days_and_ready_made_periods(zoe_client):
    response = zoe_client.get(reverse("report"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Doctor's summary" in body
    assert f'action="{reverse("report")}"' in body
    assert 'name="start" value="2025-03-01"' in body
    assert 'name="end" value="2025-05-29"' in body
    assert 'max="2025-05-29"' in body
    assert 'for="id_start"' in body
    assert 'for="id_end"' in body
    assert "/report.pdf?start=2025-04-30&amp;end=2025-05-29" in body  # last 30 days
    assert "/report.pdf?start=2024-05-30&amp;end=2025-05-29" in body  # last year
    assert f'aria-current="page" href="{reverse("report")}"' in body
    assert "no entries yet" not in body


def test_report_page_with_an_empty_journal_points_to_the_log(client, zoe):
    client.force_login(zoe)
    body = client.get(reverse("report")).content.decode()
    assert "Your journal has no entries yet" in body
    assert f'href="{reverse("log")}"' in body


def test_report_page_keeps_dates_given_in_the_address_and_checks_them(zoe_client):
    body = zoe_client.get(reverse("report"), {"start": "2025-05-10", "end": "2025-05-01"}).content
    body = body.decode()
    assert 'value="2025-05-10"' in body
    assert "The first day must be on or before the last day." in body


def test_report_page_sends_good_dates_on_to_the_download(zoe_client):
    response = zoe_client.get(reverse("report"), {"start": "2025-04-01", "end": ""})
    assert response.status_code == 302
    assert response["Location"] == "/report.pdf?start=2025-04-01&end=2025-05-29"


def test_pdf_downloads_with_a_dated_filename_and_is_never_cached(zoe_client):
    response = zoe_client.get(reverse("report_pdf"), {"start": "2025-03-01", "end": "2025-05-29"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="twitchlog-summary-2025-03-01-to-2025-05-29.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF-")


def test_pdf_without_dates_covers_the_last_90_days(zoe_client):
    response = zoe_client.get(reverse("report_pdf"))
    assert response.status_code == 200
    assert "2025-03-01-to-2025-05-29.pdf" in response["Content-Disposition"]
    assert f"Period: 1 Mar {DASH} 29 May 2025 (90 days)" in pdf_text(response)[0]


def test_pdf_shows_the_journal_in_the_persons_own_days_and_times(zoe_client):
    pages = pdf_text(zoe_client.get(reverse("report_pdf"), {"every_entry": "on"}))
    first = pages[0]
    assert "Name: Zoë Ødegård" in first
    assert "Date of birth: 14 Jul 1990" in first
    assert "Generated: 29 May 2025, 15:00" in first
    assert "Time zone: Europe/Athens" in first
    # Three twitches on three days in the period; one in the 90 days before it.
    assert "3 of 90 days with twitches" in first
    assert "3 twitches logged" in first
    assert "0.03 twitches a day on average" in first
    assert f"1 Apr {DASH} 29 May 2025 first and last twitch" in first
    assert "200% more than the 90 days before (1 twitch)" in first
    # Weakness in the last 28 days: the WEAKNESS rule, with its evidence.
    assert (
        "Highest level: Soon. What the app told the person: \u201cSee a neurologist within "
        "2-3 weeks." in first
    )
    assert "Soon Weakness noted" in first
    assert "20 May: weakness (moderate), hand, right" in first
    assert "3. Weakness: an everyday task has become harder Yes" in first
    assert "1. Twitching for two weeks or more No" in first
    assert "Lower back, hips and legs 2 2 0 Front of thigh 1 (1 / 0), Calf 1 (1 / 0)" in first
    assert "Neck, shoulders and arms 1 0 1 Forearm 1 (0 / 1)" in first
    assert "Weakness: on 1 day, 20 May 2025, up to moderate" in first
    assert "Close relative with a nerve or muscle condition: No" in first
    assert "Caffeine: 2 days Poor sleep: 1 day" in first
    assert "From 2 check-ins: Caffeine 250 mg, Sleep 6.8 hours, Stress 3 of 5" in first

    rest = " ".join(pages[1:])
    assert "20 May 2025 Weakness Moderate Gradual Right hand Jar lids are harder" in rest
    assert "Tue 1 Apr 1 Front of thigh 1 (left)" in rest
    assert "Tue 20 May Weakness (moderate)" in rest
    assert "Entry log 3 twitches, oldest first, times in Europe/Athens." in rest
    assert "Tue 1 Apr 19:45 Front of thigh Left 1 minute 15 seconds Not noted" in rest
    assert "Sat 10 May 08:05 Forearm Right Strong Caffeine" in rest
    assert (
        "Thu 29 May 00:30 Calf Left 4 seconds Visible Caffeine, Poor sleep "
        "Кофе и стресс <late> & tired" in rest
    )
    assert "Before the period" not in rest


def test_another_persons_data_never_appears_in_the_report(zoe_client):
    text = " ".join(pdf_text(zoe_client.get(reverse("report_pdf"))))
    for theirs in ("Bob", "secret", "Tongue", "Shoulder", "Alcohol:", "Speech", "900"):
        assert theirs not in text
    assert "Changes in speech or swallowing" not in text


def test_each_person_gets_only_their_own_report(client, journal, other_user):
    client.force_login(other_user)
    text = " ".join(pdf_text(client.get(reverse("report_pdf"), {"every_entry": "on"})))
    assert "Name: Bob Private" in text
    assert "2 twitches logged" in text
    assert "Bob secret" in text
    for theirs in ("Zoë", "Кофе", "Jar lids", "Forearm", "Calf"):
        assert theirs not in text


def test_empty_period_downloads_a_pdf_that_says_nothing_was_logged(zoe_client):
    response = zoe_client.get(reverse("report_pdf"), {"start": "2024-06-01", "end": "2024-06-30"})
    assert response.status_code == 200
    pages = pdf_text(response)
    assert "No twitches were logged in this period." in pages[0]
    assert "0 twitches logged" in pages[0]
    assert "Each day Nothing was logged in this period." in " ".join(pages[1:])
    assert "Entry log" not in " ".join(pages[1:])


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        (
            {"start": "2025-05-10", "end": "2025-05-01"},
            "start",
            "The first day must be on or before the last day.",
        ),
        (
            {"start": "2020-05-29", "end": "2025-05-29"},
            "start",
            "Choose a period of at most 5 years, for example from 2020-05-30.",
        ),
        ({"start": "2025-13-01"}, "start", "Enter a date as YYYY-MM-DD, for example 2025-03-01."),
        ({"end": "29/05/2025x"}, "end", "Enter a date as YYYY-MM-DD, for example 2025-05-29."),
        (
            {"start": "2025-05-01", "end": "2025-06-01"},
            "end",
            "This date is in the future. Choose today or an earlier day.",
        ),
        ({"end": "0001-01-05"}, "start", "Choose a period of at most 5 years"),
    ],
)
def test_unusable_dates_bring_the_form_back_with_the_error_beside_the_field(
    zoe_client, params, field, message
):
    response = zoe_client.get(reverse("report_pdf"), params)
    body = response.content.decode()
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert f'id="error_1_id_{field}"' in body
    assert message in body
    assert 'aria-invalid="true"' in body
    for value in params.values():
        assert f'value="{value}"' in body


def test_a_period_of_exactly_five_years_is_accepted(zoe_client):
    response = zoe_client.get(reverse("report_pdf"), {"start": "2020-05-30", "end": "2025-05-29"})
    assert response.status_code == 200
    # The journal starts on 1 February 2025: the figures cover its days, and say so.
    first = pdf_text(response)[0]
    assert f"Period: 1 Feb {DASH} 29 May 2025 (118 days)" in first
    assert (
        "The journal starts on 1 Feb 2025, so these figures cover 118 of the 1,826 days chosen."
    ) in first


def test_report_pages_ask_visitors_to_log_in_first(client):
    for url in (reverse("report"), reverse("report_pdf")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_pdf_reads_the_database_a_fixed_number_of_times(zoe_client, django_assert_num_queries):
    # session, user, profile (middleware); history: twitches, symptoms, the episode's
    # earlier days; insights: summary, twitches per day (for the triggers, region
    # weeks and daily counts), the triggers noted each day, places, hours; then
    # symptom rows, check-in averages, log triggers, log entries; the download noted
    # in the account activity.
    with django_assert_num_queries(16):
        response = zoe_client.get(reverse("report_pdf"))
    assert response.status_code == 200


def test_build_report_data_reads_only_the_persons_rows_for_the_period(journal, other_user):
    data = build_report_data(journal, date(2025, 3, 1), date(2025, 5, 29), every_entry=True)
    assert data.name == "Zoë Ødegård"
    assert data.generated_at == datetime(2025, 5, 29, 15, 0, tzinfo=ATHENS)
    assert [(row.when, row.location, row.triggers) for row in data.log] == [
        (athens(2025, 4, 1, 19, 45), "thigh_front", ()),
        (athens(2025, 5, 10, 8, 5), "forearm", ("caffeine",)),
        (athens(2025, 5, 29, 0, 30), "calf", ("caffeine", "poor_sleep")),
    ]
    assert [(s.day, s.kind) for s in data.symptoms] == [(date(2025, 5, 20), "weakness")]
    assert data.checkins.days == 2
    assert data.checkins.caffeine_mg == 250
    assert data.checkins.alcohol_units is None
    assert [flag.rule for flag in data.flags] == ["WEAKNESS"]
    assert sum(data.hourly) == 3
    assert len(data.daily) == 90
    assert sum(day.count for day in data.daily) == 3
    assert {p.location for p in data.places} == {"calf", "forearm", "thigh_front"}


def test_every_entry_is_an_option_on_the_report_page_off_by_default(zoe_client):
    page = zoe_client.get(reverse("report"))
    body = page.content.decode()
    assert 'name="every_entry"' in body
    assert "Include every entry" in body
    assert 'name="every_entry" checked' not in body
    plain = zoe_client.get(reverse("report"), {"start": "2025-03-01", "end": "2025-05-29"})
    assert "every_entry" not in plain["Location"]
    ticked = zoe_client.get(
        reverse("report"), {"start": "2025-03-01", "end": "2025-05-29", "every_entry": "on"}
    )
    assert "every_entry=on" in ticked["Location"]


def test_without_the_option_the_pdf_has_the_table_of_each_day_and_no_entry_list(zoe_client):
    rest = " ".join(pdf_text(zoe_client.get(reverse("report_pdf")))[1:])
    assert "Each day" in rest
    assert "Thu 29 May 1 Calf 1 (left)" in rest
    assert "Entry log" not in rest
    assert "Кофе" not in rest


def test_every_entry_is_capped_by_the_setting_and_the_pdf_says_so(zoe_client, settings):
    settings.REPORT_EVERY_ENTRY_CAP = 2
    rest = " ".join(pdf_text(zoe_client.get(reverse("report_pdf"), {"every_entry": "on"}))[1:])
    assert "Entry log The latest 2 twitches of the 3 in this period" in rest
    assert "Sat 10 May 08:05 Forearm Right Strong Caffeine" in rest
    assert "Tue 1 Apr 19:45" not in rest
