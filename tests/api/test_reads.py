"""The API's read-outs agree with the pages: the flag card with /flags/, a period's
figures with /trends/ and the doctor's PDF, the export with /export/'s JSON file."""

import datetime as dt
import io
import json
import re
from dataclasses import asdict
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import Activity
from journal import exports, wording
from journal.report_data import build_report_data
from tests.journal_support import make_checkin, make_symptom, make_twitch, text_of

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2025, 3, 31, 15, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def person(make_user):
    return make_user(email="lee@example.com", time_zone="Europe/London")


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def twitch_on(user, day: dt.date, hour: int = 9, location: str = "calf"):
    return make_twitch(user, dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON), location)


def spreading_journal(user):
    """Twitches in three regions in two weeks, and a mild weakness: a 'soon' card with
    two checklist items."""
    for location, days in (("calf", (1, 8)), ("hand", (2, 9)), ("chest", (3, 10))):
        for days_ago in days:
            twitch_on(user, ago(days_ago), location=location)
    make_symptom(user, ago(4), kind="weakness", severity=1, location="hand", side="left")


# Flags


def test_the_flags_card_is_the_one_on_the_flags_page(client, make_api, person):
    spreading_journal(person)
    card = make_api(person).get(reverse("api:flags")).json()
    client.force_login(person)
    page = client.get(reverse("flags")).content.decode()

    shown_level = re.search(r'class="card flag-card[^"]*"[^>]*?data-level="(\w+)"', page, re.S)
    assert card["level"] == shown_level.group(1) == "soon"
    assert card["date"] == "2025-03-31"
    assert card["headline"] in text_of(page)
    assert card["action"] in text_of(page)
    assert [flag["rule"] for flag in card["flags"]] == re.findall(r'data-rule="(\w+)"', page)
    for flag in card["flags"]:
        assert flag["title"] in text_of(page)
        for line in flag["evidence"]:
            assert line["text"] in text_of(page)
            assert line["journal_url"].startswith("/journal/?")
    answers = {
        code: text_of(markup)
        for code, markup in re.findall(r'data-code="(C\d)">(.*?)</li>', page, re.S)
    }
    assert [item["code"] for item in card["checklist"]] == sorted(answers)
    for item in card["checklist"]:
        assert item["answer"] in answers[item["code"]]
    applying = {item["code"] for item in card["checklist"] if item["applies"]}
    assert applying == {"C3", "C4"}


def test_an_empty_journal_has_a_clear_card(make_api, person):
    card = make_api(person).get(reverse("api:flags")).json()
    assert (card["level"], card["headline"], card["action"], card["flags"]) == (
        "clear",
        None,
        None,
        [],
    )
    assert len(card["checklist"]) == 6


# A period's figures


def varied_journal(user):
    """A journal begun well before March, with twitches either side of midnight."""
    twitch_on(user, dt.date(2025, 1, 5))
    for day, count in ((1, 2), (3, 1), (10, 4), (29, 1)):
        for n in range(count):
            twitch_on(user, dt.date(2025, 3, day), hour=8 + n)
    # 23:30 in London on 15 February: still February there.
    make_twitch(user, dt.datetime(2025, 2, 15, 23, 30, tzinfo=LONDON))
    for day in (2, 12, 20):
        twitch_on(user, dt.date(2025, 2, day))
    make_checkin(user, dt.date(2025, 3, 2), other_caffeine_mg=300)


def test_the_summary_has_the_figures_of_the_trends_page_and_the_pdf(client, make_api, person):
    varied_journal(person)
    period = {"start": "2025-03-01", "end": "2025-03-30"}
    api = make_api(person)

    figures = api.get(reverse("api:summary"), period).json()

    words = figures.pop("words")
    assert figures == {
        "start": "2025-03-01",
        "end": "2025-03-30",
        "chosen_start": "2025-03-01",
        "note": "",
        "days": 30,
        "twitches": 8,
        "twitch_days": 4,
        "average_per_day": 0.27,
        "first": "2025-03-01",
        "last": "2025-03-29",
        "previous": {
            "start": "2025-01-30",
            "end": "2025-02-28",
            "twitches": 4,
            "average_per_day": 0.13,
        },
        "change_percent": 100.0,
        "change_direction": "more",
    }

    client.force_login(person)
    trends = client.get(reverse("trends"), {"range": "custom", **period})
    # The page's figures as its json_script writes them (dates as YYYY-MM-DD).
    shown = json.loads(json.dumps(asdict(trends.context["data"].summary), cls=DjangoJSONEncoder))
    assert {name: shown[name] for name in figures if name in shown} == {
        name: figures[name] for name in figures if name in shown
    }
    days = trends.context["data"].period
    assert (days.start, days.end, days.days) == (dt.date(2025, 3, 1), dt.date(2025, 3, 30), 30)

    numbers = build_report_data(person, dt.date(2025, 3, 1), dt.date(2025, 3, 30)).figures
    assert (numbers.twitches, numbers.twitch_days, numbers.average_per_day) == (8, 4, 0.27)
    assert (numbers.previous_twitches, numbers.change_percent) == (4, 100.0)
    assert (numbers.first, numbers.last) == (dt.date(2025, 3, 1), dt.date(2025, 3, 29))
    pdf = api.get(reverse("api:report-pdf"), period)
    first_page = " ".join(PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().split())
    for tile in words:
        assert f"{tile['value']} {tile['label']}" in first_page
    assert [tile["value"] for tile in words][:3] == ["8", "4", "0.27"]


def test_trends_the_pdf_and_the_api_give_the_same_figures_in_the_same_words(
    client, make_api, person
):
    """A journal of 70 days seen as "90 days": every figure is said once, the same way."""
    for days_ago in range(70):
        for hour in range(days_ago % 4):
            twitch_on(person, ago(days_ago), hour=8 + hour)
    make_symptom(person, ago(69), kind="cramps", severity=1)
    client.force_login(person)

    page = client.get(reverse("trends"), {"range": "90"})
    html = page.content.decode()
    tiles = re.findall(
        r'data-figure="(\w+)">\s*<span class="trends-stat-value">([^<]*)</span>\s*'
        r'<span class="trends-stat-label">([^<]*)</span>',
        html,
    )
    shown = [(code, unescape(value), unescape(label)) for code, value, label in tiles]
    assert [code for code, _, _ in shown] == [
        "twitches",
        "twitch_days",
        "per_day",
        "first_last",
        "change",
    ]
    assert ("twitch_days", "52", "of 70 days with twitches") in shown
    assert ("per_day", "1.5", "twitches a day on average") in shown
    assert ("change", "No twitches", "in the 70 days before") in shown
    note = "The journal starts on 21 Jan 2025, so these figures cover 70 of the 90 days chosen."
    heading = re.search(r'id="trends-range-heading">(.*?)</p>', html, re.S).group(1)
    assert note in " ".join(unescape(re.sub("<[^>]+>", "", heading)).split())

    pdf = client.get(reverse("report_pdf"), {"start": ago(89), "end": TODAY})
    first_page = " ".join(PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().split())
    assert f"Period: 21 Jan {wording.DASH} 31 Mar 2025 (70 days)" in first_page
    assert note in first_page
    for _, value, label in shown:
        assert f"{value} {label}" in first_page

    figures = make_api(person).get(reverse("api:summary")).json()
    assert (figures["start"], figures["chosen_start"], figures["days"]) == (
        "2025-01-21",
        "2025-01-01",
        70,
    )
    assert figures["note"] == note
    assert [(w["figure"], w["value"], w["label"]) for w in figures["words"]] == shown


def test_the_summary_without_dates_covers_the_last_90_days(make_api, person):
    twitch_on(person, ago(89))
    twitch_on(person, ago(90))
    figures = make_api(person).get(reverse("api:summary")).json()
    assert (figures["start"], figures["end"], figures["twitches"]) == (
        "2025-01-01",
        "2025-03-31",
        1,
    )


@pytest.mark.parametrize(
    ("params", "field", "reason"),
    [
        ({"start": "soon"}, "start", "Enter a date as YYYY-MM-DD, for example 2025-03-01."),
        ({"end": ""}, "end", "Enter a date as YYYY-MM-DD, for example 2025-05-29."),
        (
            {"end": "2025-04-01"},
            "end",
            "This date is in the future. Choose today or an earlier day.",
        ),
        (
            {"start": "2025-03-02", "end": "2025-03-01"},
            "start",
            "The first day must be on or before the last day.",
        ),
        (
            {"start": "2019-01-01", "end": "2025-03-01"},
            "start",
            "Choose a period of at most 5 years, for example from 2020-03-02.",
        ),
    ],
)
def test_a_bad_period_is_a_400_in_the_report_forms_words(make_api, person, params, field, reason):
    api = make_api(person)
    for name in ("api:summary", "api:report-pdf"):
        response = api.get(reverse(name), params)
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        assert response.json()["errors"] == {field: [reason]}


def test_the_pdf_is_the_doctors_summary_for_the_period(make_api, person):
    varied_journal(person)
    response = make_api(person).get(reverse("api:report-pdf"), {"start": "2025-03-01"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert response.content.startswith(b"%PDF")


# Export


def test_the_export_is_the_json_file_of_the_export_page(client, make_api, person):
    varied_journal(person)
    response = make_api(person).get(reverse("api:export"))
    from_api = json.loads(b"".join(response.streaming_content))

    client.force_login(person)
    page = client.get(reverse("export_json"))
    from_page = json.loads(b"".join(page.streaming_content))

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert from_api.pop("exported_at")
    assert from_page.pop("exported_at")
    assert from_api == from_page
    assert from_api["format"] == "twitchlog"
    assert len(from_api["twitches"]) == 13
    assert exports.export_filename(person, "json") in response["Content-Disposition"]


def test_downloads_with_the_browsers_session_need_a_recent_sign_in(
    client, make_api, person, settings
):
    client.force_login(person)
    export = reverse("api:export")
    assert client.get(export).status_code == 200
    later = NOW + dt.timedelta(minutes=settings.REAUTHENTICATION_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        for name in ("api:export", "api:report-pdf"):
            refused = client.get(reverse(name))
            assert refused.status_code == 403
            assert refused.json()["detail"].startswith("Confirm it is you first")
        # The other read-outs, and a token, need nothing more.
        assert client.get(reverse("api:summary")).status_code == 200
        assert make_api(person).get(export).status_code == 200


def test_api_downloads_are_listed_in_the_account_activity(make_api, person):
    api = make_api(person)
    api.get(reverse("api:export"))
    api.get(reverse("api:report-pdf"), {"start": "2025-03-01", "end": "2025-03-30"})
    details = dict(Activity.objects.filter(user=person).values_list("kind", "detail"))
    through = "through the API, token \u201cTest device\u201d"
    assert details == {
        # The fixture makes the token without a request, as the command does.
        Activity.Kind.TOKEN_CREATED: "\u201cTest device\u201d, read+write, made on the server",
        Activity.Kind.EXPORTED: f"JSON, {through}",
        Activity.Kind.REPORT: f"1 Mar 2025 to 30 Mar 2025, {through}",
    }
