"""The trends page: range picker, privacy, empty states, wording, the lifestyle date,
where Chart.js comes from, and a query count that does not grow with the journal."""

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse

from journal.context_processors import NAV
from journal.models import DailyCheckIn, SymptomEntry, TwitchEntry
from journal.trend_tables import count_cells
from journal.views.trends import _habits_fields, _range_fields

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# Sunday 16 March 2025, midday in London: "today" for every test here.
NOW = dt.datetime(2025, 3, 16, 12, 0, tzinfo=LONDON)
TODAY = NOW.date()
URL = "/trends/"


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def person(make_user):
    return make_user(email="lee@example.com", time_zone="Europe/London")


@pytest.fixture
def client_of(client, person):
    client.force_login(person)
    return client


def twitch(user, day, hour=9, location="calf", side="left", triggers=()):
    entry = TwitchEntry.objects.create(
        user=user,
        occurred_at=dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON),
        location=location,
        side=side,
    )
    entry.set_triggers(triggers)
    return entry


def days_ago(n):
    return TODAY - dt.timedelta(days=n)


def fill(user, days, per_day=1, **fields):
    """`per_day` twitches on each of the last `days` days, today included."""
    entries = [
        TwitchEntry(
            user=user,
            occurred_at=dt.datetime.combine(days_ago(n), dt.time(8 + k), tzinfo=LONDON),
            location=fields.get("location", "calf"),
            side=fields.get("side", "left"),
        )
        for n in range(days)
        for k in range(per_day)
    ]
    TwitchEntry.objects.bulk_create(entries)


def page_data(response):
    """The figures the page was drawn from: the view's ``insights.Trends``."""
    return response.context["data"]


def chart_payload(response):
    """What the page hands to its charts' script, read back from the json_script."""
    match = re.search(
        r'<script id="trends-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(match.group(1))


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_trends_asks_for_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"


def test_trends_is_in_the_navigation(client_of):
    assert ("trends", "Trends") in NAV
    body = client_of.get(URL).content.decode()
    assert f'href="{URL}"' in body
    assert 'aria-current="page" href="/trends/">Trends' in body


def test_default_range_is_the_last_90_days(client_of, person):
    twitch(person, days_ago(89))
    twitch(person, days_ago(90))
    response = client_of.get(URL)
    data = page_data(response)
    assert (data.period.start, data.period.end) == (dt.date(2024, 12, 17), TODAY)
    assert data.period.days == 90
    assert data.summary.twitches == 1
    assert len(chart_payload(response)["daily"]) == 90
    assert "17 Dec 2024 to 16 Mar 2025" in text(response)
    assert 'aria-current="true">90 days</a>' in text(response)


@pytest.mark.parametrize(
    ("query", "start", "days"),
    [
        ("?range=30", "2025-02-15", 30),
        ("?range=90", "2024-12-17", 90),
        ("?range=365", "2024-03-17", 365),
        ("?range=all", "2024-01-05", 437),
        ("?range=custom&start=2025-03-01&end=2025-03-10", "2025-03-01", 10),
    ],
)
def test_range_picker_sets_the_period(client_of, person, query, start, days):
    SymptomEntry.objects.create(user=person, noted_on=dt.date(2024, 1, 5), kind="cramps")
    twitch(person, days_ago(3))
    data = page_data(client_of.get(URL + query))
    assert data.period.start == dt.date.fromisoformat(start)
    assert data.period.days == days


@pytest.mark.parametrize(
    "query", ["", "?range=365", "?range=custom&start=2025-01-01&end=2025-03-16"]
)
def test_range_never_starts_before_the_journals_first_entry(client_of, person, query):
    # Days before the journal began were not recorded: they must not lower the averages.
    fill(person, 20, per_day=2)
    response = client_of.get(URL + query)
    data = page_data(response)
    assert (data.period.start, data.period.end) == (dt.date(2025, 2, 25), TODAY)
    assert data.period.days == 20
    assert data.summary.average_per_day == 2.0
    assert "The journal starts on 25 Feb 2025, so these figures cover 20 of the" in text(response)


def test_all_range_of_an_empty_journal_is_today(client_of):
    data = page_data(client_of.get(URL + "?range=all"))
    assert (data.period.start, data.period.end, data.period.days) == (TODAY, TODAY, 1)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?range=custom&start=2025-03-10&end=2025-03-01", "must be on or after the first day"),
        ("?range=custom&start=2025-03-01&end=2025-04-01", "This date is in the future"),
        ("?range=custom&start=2025-03-01", "Enter the last day to show"),
        ("?range=custom&start=not-a-date&end=2025-03-01", "Enter a valid date"),
        ("?range=custom&start=1990-01-01&end=2025-03-01", "at most ten years"),
    ],
)
def test_bad_custom_dates_show_an_error_beside_the_field_and_fall_back_to_90_days(
    client_of, query, message
):
    response = client_of.get(URL + query)
    assert response.status_code == 200
    body = text(response)
    assert message in body
    assert "is-invalid" in body
    assert "Showing the last 90 days until the dates above are corrected" in body
    # The person's input is kept, and the custom dates stay open to correct it.
    assert 'value="2025-03-01"' in body
    assert '<details class="trends-custom mt-2" open>' in body
    assert page_data(response).period.days == 90


def test_unknown_range_shows_an_error_and_falls_back_to_90_days(client_of):
    response = client_of.get(URL + "?range=7")
    body = text(response)
    assert "Choose one of the ranges shown. Showing the last 90 days." in body
    assert page_data(response).period.days == 90


def test_page_shows_only_the_signed_in_persons_entries(client_of, person, other_user):
    twitch(person, days_ago(1), location="calf", side="left")
    twitch(other_user, days_ago(1), location="jaw", side="centre", triggers=["alcohol"])
    SymptomEntry.objects.create(user=other_user, noted_on=days_ago(1), kind="speech")
    DailyCheckIn.objects.create(user=other_user, day=days_ago(1), sleep_hours=3)
    response = client_of.get(URL)
    data = page_data(response)
    assert data.summary.twitches == 1
    assert [item.location for item in data.locations] == ["calf"]
    assert data.symptom_days == ()
    assert data.triggers.triggers == ()
    assert data.checkins.checkin_days == 0
    charts = chart_payload(response)
    assert charts["symptom_days"] == []
    assert charts["triggers"]["triggers"] == []
    assert charts["body_map"]["areas"] == {"calf": {"left": 1}}
    body = text(response)
    assert '<th scope="row" class="fw-normal">Calf</th>' in body
    assert '<th scope="row" class="fw-normal">Jaw</th>' not in body


def test_new_person_sees_what_will_appear_and_a_link_to_log(client_of):
    body = text(client_of.get(URL))
    assert "Your trends will appear here" in body
    assert "where on your body they happen" in body
    assert 'href="/log/"' in body
    assert "<canvas" not in body
    # The lifestyle date can be set before there is anything to chart.
    assert "The day you started changing your habits" in body


def test_range_without_twitches_suggests_a_longer_range(client_of, person):
    twitch(person, days_ago(200))
    body = text(client_of.get(URL + "?range=30"))
    assert "No twitches logged in this range" in body
    assert "Try a longer range" in body
    assert 'href="/log/"' in body
    assert "<canvas" not in body


def test_the_charts_get_what_trends_js_draws_with_dates_as_text(client_of, person):
    for n in range(5):
        twitch(person, days_ago(n), hour=8, triggers=["caffeine"])
        twitch(person, days_ago(n), hour=9)
    for n in range(5, 10):
        twitch(person, days_ago(n), hour=8, location="eyelid", side="right")
    SymptomEntry.objects.create(user=person, noted_on=days_ago(2), kind="cramps")
    DailyCheckIn.objects.create(user=person, day=days_ago(1), sleep_hours=5)

    response = client_of.get(URL + "?range=30")
    charts = chart_payload(response)

    # Built in one place, and only what the charts draw: the period, the summary, the
    # places and the lifestyle comparison are the page's text alone.
    assert charts == json.loads(json.dumps(page_data(response).chart_data(), cls=DjangoJSONEncoder))
    script = (settings.BASE_DIR / "static" / "js" / "trends.js").read_text()
    assert set(charts) == {
        "daily",
        "symptom_days",
        "regions",
        "region_weeks",
        "hourly",
        "weekday_hours",
        "triggers",
        "checkins",
        "durations",
        "intensities",
        "body_map",
    }
    assert all(f"data.{name}" in script for name in charts)
    # The journal starts on Friday 7 March, so the range does too; dates are YYYY-MM-DD.
    assert charts["daily"][0] == {"date": "2025-03-07", "count": 1, "average": 1.0}
    assert charts["daily"][-1] == {"date": "2025-03-16", "count": 2, "average": 1.71}
    assert charts["symptom_days"] == [{"date": "2025-03-14", "labels": ["Cramps"]}]
    assert charts["region_weeks"]["weeks"] == [
        {"start": "2025-03-03", "days": {"head": 0, "arm": 0, "trunk": 0, "leg": 0, "eyelid": 3}},
        {"start": "2025-03-10", "days": {"head": 0, "arm": 0, "trunk": 0, "leg": 5, "eyelid": 2}},
    ]
    assert charts["region_weeks"]["regions"][1] == {
        "region": "arm",
        "label": "Neck, shoulders and arms",
        "lines": ["Neck, shoulders", "and arms"],
    }
    assert charts["regions"][4] == {
        "region": "eyelid",
        "label": "Eyelid (counted apart)",
        "lines": ["Eyelid", "(counted apart)"],
        "count": 5,
    }
    assert (charts["hourly"][8], charts["hourly"][9], sum(charts["hourly"])) == (10, 5, 15)
    assert charts["weekday_hours"][0]["label"] == "Monday"
    assert [len(day["hours"]) for day in charts["weekday_hours"]] == [24] * 7
    # The days it was noted against the other twitch-days, as the chart's two bars.
    assert charts["triggers"]["triggers"] == [
        {
            "label": "Caffeine",
            "enough": True,
            "noted": {"days": 5, "average": 2.0},
            "other": {"days": 5, "average": 1.0},
        }
    ]
    assert "item.noted.average" in script
    assert "item.other.average" in script
    assert charts["checkins"]["factors"][1] == {
        "factor": "sleep_hours",
        "label": "Sleep",
        "bands": [
            {"label": "Under 6 hours", "days": 1, "average": None, "enough": False},
            {"label": "6 to 8 hours", "days": 0, "average": None, "enough": False},
            {"label": "Over 8 hours", "days": 0, "average": None, "enough": False},
        ],
    }
    assert charts["durations"][-1] == {"bucket": "unknown", "label": "Not noted", "count": 15}
    assert charts["intensities"][-1] == {"intensity": None, "label": "Not noted", "count": 15}
    assert charts["body_map"] == {
        "areas": {"calf": {"left": 10}, "eyelid": {"right": 5}},
        "max": 10,
    }


def test_every_chart_has_a_canvas_caption_and_text_alternative(client_of, person):
    fill(person, 20, per_day=2)
    body = text(client_of.get(URL))
    for chart in ("daily", "regions", "spread", "hours", "week-hours", "durations", "intensities"):
        assert re.search(rf'<canvas id="chart-{chart}" role="img" aria-label="[^"]+"', body)
    assert body.count("<figcaption") >= 8
    assert body.count("Show the numbers") == 4
    assert 'id="trends-body-map"' in body
    assert "Most often: left calf with 40." in body
    # The summary figures.
    assert '40</span> <span class="trends-stat-label">twitches logged' in body
    assert '20</span> <span class="trends-stat-label">of 20 days with twitches' in body


def test_a_range_over_ninety_days_lists_weeks_in_the_daily_table(client_of, person):
    fill(person, 200, per_day=2)
    SymptomEntry.objects.create(user=person, noted_on=days_ago(4), kind="weakness")
    SymptomEntry.objects.create(user=person, noted_on=days_ago(3), kind="cramps")

    body = text(client_of.get(URL + "?range=365"))

    assert 'aria-label="Twitches each week"' in body
    assert 'aria-label="Twitches each day"' not in body
    # The journal starts on Thursday 29 August 2024, so its first week is four days.
    assert (
        '<th scope="row" class="fw-normal">29 Aug to 1 Sep 2024</th> '
        '<td class="text-end">8</td> <td class="text-end">2.0</td> <td></td>'
    ) in body
    assert '<th scope="row" class="fw-normal">30 Dec 2024 to 5 Jan 2025</th>' in body
    assert (
        '<th scope="row" class="fw-normal">10 to 16 Mar 2025</th> '
        '<td class="text-end">14</td> <td class="text-end">2.0</td> '
        "<td>Weakness, Cramps</td>"
    ) in body
    # Every week from the one of 26 August to the one of 10 March: 29 rows, not 200.
    table = body[body.index('aria-label="Twitches each week"') :]
    assert table[: table.index("</table>")].count("<tr>") == 1 + 29


def test_ninety_days_list_each_day_in_the_daily_table(client_of, person):
    fill(person, 200, per_day=2)

    body = text(client_of.get(URL + "?range=90"))

    assert 'aria-label="Twitches each day"' in body
    assert 'aria-label="Twitches each week"' not in body
    assert '<th scope="row" class="fw-normal">Sun 16 Mar 2025</th>' in body


def test_spread_and_hourly_tables_list_the_figures(client_of, person):
    twitch(person, days_ago(1), hour=21, location="hand", side="right")
    twitch(person, days_ago(1), hour=21, location="eyelid", side="left")
    body = text(client_of.get(URL + "?range=30"))
    assert "The busiest hour was 21:00 to 21:59." in body
    assert (
        "Head and face: 0 weeks; Neck, shoulders and arms: 1 week; Chest, back and belly: "
        "0 weeks; Lower back, hips and legs: 0 weeks; Eyelid (counted apart): 1 week."
    ) in body
    assert '<th scope="row" class="fw-normal">21:00</th>' in body
    # Saturday's column (Monday first) has both, and so has the row's total.
    cells = "".join(f'<td class="text-end">{n}</td>' for n in (0, 0, 0, 0, 0, 2, 0))
    assert f'21:00</th> {cells} <td class="text-end fw-semibold">2</td>' in body


def test_count_cells_are_whole_numbers_only():
    assert count_cells([3, 0]) == '<td class="text-end">3</td><td class="text-end">0</td>'
    assert count_cells([]) == ""
    with pytest.raises(ValueError, match="Unknown format code 'd'"):
        count_cells(["<b>3</b>"])


def test_trigger_association_is_worded_as_association_with_days_behind_it(client_of, person):
    for n in range(5):
        twitch(person, days_ago(n), hour=8, triggers=["caffeine"])
        twitch(person, days_ago(n), hour=9)
    for n in range(5, 10):
        twitch(person, days_ago(n), hour=8)
    twitch(person, days_ago(11), hour=8, triggers=["stress"])
    body = text(client_of.get(URL))
    assert (
        "On days you noted <strong>caffeine</strong>: 2.0 twitches a day on average "
        "(5 days), against 1.0 on other days with twitches (6 days)."
    ) in body
    assert (
        "<strong>Stress or worry</strong>: noted on 1 day, with 10 other days to compare." in body
    )
    assert "Not enough data yet: each side needs 5 days." in body
    assert "not what causes what" in body
    assert 'id="chart-triggers"' in body


def test_checkin_bands_say_not_enough_data_below_five_days(client_of, person):
    fill(person, 7)
    for n in range(7):
        DailyCheckIn.objects.create(user=person, day=days_ago(n), sleep_hours=5 if n < 5 else 9)
    body = text(client_of.get(URL))
    assert "from 7 check-in days" in body
    assert re.search(r"Under 6 hours</th> <td[^>]*>5</td> <td[^>]*>1\.0</td>", body)
    assert re.search(r"Over 8 hours</th> <td[^>]*>2</td> <td[^>]*><span[^>]*>not enough", body)
    assert 'id="chart-checkins"' in body
    assert "Not enough data yet (fewer than 5 days) for: sleep over 8 hours (2 days)." in body


def test_empty_associations_explain_what_will_appear(client_of, person):
    fill(person, 3)
    body = text(client_of.get(URL))
    assert "When you note a possible trigger with a twitch" in body
    assert "When you fill in daily check-ins" in body
    assert 'id="chart-triggers"' not in body
    assert 'id="chart-checkins"' not in body


def test_page_never_names_a_disease(client_of, person):
    fill(person, 60, per_day=2)
    person.profile.habits_changed_on = days_ago(30)
    person.profile.save()
    body = client_of.get(URL).content.decode()
    for word in ("ALS", "MND", "motor neurone", "sclerosis", "diagnosed"):
        assert word not in body


def test_setting_the_habits_date_saves_it_and_keeps_the_range(client_of, person):
    response = client_of.post(URL + "?range=30", {"habits_changed_on": "2025-03-01"})
    assert response.status_code == 302
    assert response["Location"] == URL + "?range=30#lifestyle"
    person.profile.refresh_from_db()
    assert person.profile.habits_changed_on == dt.date(2025, 3, 1)
    body = text(client_of.get(response["Location"]))
    assert "Saved. The comparison below now starts from that day." in body
    assert "Saturday 1 March 2025" in body


def test_a_future_habits_date_is_refused_beside_the_field(client_of, person):
    response = client_of.post(URL, {"habits_changed_on": "2025-03-20"})
    assert response.status_code == 200
    body = text(response)
    assert "This date is in the future" in body
    assert 'value="2025-03-20"' in body
    person.profile.refresh_from_db()
    assert person.profile.habits_changed_on is None
    assert page_data(response).lifestyle is None


def test_an_empty_habits_date_is_refused(client_of):
    body = text(client_of.post(URL, {"habits_changed_on": ""}))
    assert "Enter the day you started the changes." in body


def test_clearing_the_habits_date(client_of, person):
    person.profile.habits_changed_on = dt.date(2025, 3, 1)
    person.profile.save()
    response = client_of.post(URL, {"clear": "1", "habits_changed_on": ""})
    assert response["Location"] == URL + "#lifestyle"
    person.profile.refresh_from_db()
    assert person.profile.habits_changed_on is None


def test_the_range_fields_are_rendered_once_for_each_set_of_values(client_of):
    def custom_form(body):
        return re.search(r'<form method="get".*?</form>', body, re.S).group()

    _range_fields.cache_clear()
    plain = client_of.get(URL + "?range=90").content.decode()
    bad = client_of.get(URL + "?range=custom&start=2025-03-01").content.decode()
    again = client_of.get(URL + "?range=90").content.decode()
    other = client_of.get(URL + "?range=30").content.decode()

    # A preset range's fields are empty whichever range it is, but each set of values
    # in the address is its own key: the second 90 days reuse the first's fields.
    info = _range_fields.cache_info()
    assert (info.misses, info.hits) == (3, 1)
    assert custom_form(again) == custom_form(plain) == custom_form(other)
    assert "Enter the last day to show." in bad
    assert 'value="2025-03-01"' in bad
    assert "Enter the last day to show." not in again
    assert f'max="{TODAY.isoformat()}"' in again
    # The latest day allowed is today's: the next day's page renders them afresh.
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        tomorrow = client_of.get(URL + "?range=90").content.decode()
    assert f'max="{(TODAY + dt.timedelta(days=1)).isoformat()}"' in tomorrow
    assert _range_fields.cache_info().misses == 4


def test_the_habits_field_is_rendered_once_for_each_saved_date_and_day(client_of):
    def field(body):
        return re.search(r'<input type="date" name="habits_changed_on"[^>]*>', body).group()

    _habits_fields.cache_clear()
    assert 'value="' not in field(client_of.get(URL).content.decode())
    client_of.post(URL, {"habits_changed_on": "2025-03-01"})
    saved = client_of.get(URL).content.decode()
    refused = client_of.post(URL, {"habits_changed_on": "2025-03-20"}).content.decode()
    again = client_of.get(URL).content.decode()

    # The saved date is part of the key; a refused date is shown with its error, uncached.
    assert 'value="2025-03-01"' in field(saved)
    assert 'value="2025-03-20"' in field(refused)
    assert "This date is in the future" in refused
    assert field(again) == field(saved)
    assert "This date is in the future" not in again
    info = _habits_fields.cache_info()
    assert (info.misses, info.hits) == (2, 1)
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        tomorrow = client_of.get(URL).content.decode()
    assert 'max="2025-03-17"' in field(tomorrow)


def test_lifestyle_comparison_suggests_a_doctor_calmly_after_three_weeks(client_of, person):
    fill(person, 60, per_day=2)
    person.profile.habits_changed_on = days_ago(25)
    person.profile.save()
    body = text(client_of.get(URL))
    assert "Comparing the 25 days before the change with the 25 days after it" in body
    assert "your twitches a day are about the same" in body
    assert "It would be sensible to book an appointment with your doctor" in body


def test_lifestyle_comparison_early_days(client_of, person):
    fill(person, 60)
    person.profile.habits_changed_on = days_ago(4)
    person.profile.save()
    body = text(client_of.get(URL))
    assert "The comparison needs at least 7 days after the change; check back in 3 days" in body
    assert "book an appointment" not in body


def test_lifestyle_comparison_needs_a_week_of_journal_before_the_change(client_of, person):
    fill(person, 12)
    person.profile.habits_changed_on = days_ago(9)
    person.profile.save()
    body = text(client_of.get(URL))
    assert "Your journal has fewer than 7 days of twitches logged before that day" in body


def test_lifestyle_comparison_that_improved(client_of, person):
    TwitchEntry.objects.bulk_create(
        TwitchEntry(
            user=person,
            occurred_at=dt.datetime.combine(days_ago(n), dt.time(8 + k), tzinfo=LONDON),
            location="calf",
        )
        for n in range(1, 57)
        for k in range(1 if n <= 28 else 3)
    )
    person.profile.habits_changed_on = days_ago(28)
    person.profile.save()
    body = text(client_of.get(URL))
    assert "you logged fewer twitches a day since the change. Keep going." in body
    assert "3.0</span>" in body
    assert "1.0</span>" in body
    assert "book an appointment" not in body


def test_chartjs_is_served_from_the_vendored_file_by_default(client_of, person):
    fill(person, 3)
    body = client_of.get(URL).content.decode()
    assert '<script src="/static/vendor/chartjs-4.5.1/chart.umd.min.js"></script>' in body
    assert '<script src="/static/js/trends.js"></script>' in body
    assert "integrity=" not in body
    assert "https://" not in body
    # Only the JSON data block is an inline <script>, and it is not executable.
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", body) == [
        '<script id="trends-data" type="application/json">'
    ]


def test_chartjs_comes_from_the_configured_cdn_with_its_integrity_hash(client_of, settings):
    settings.CHARTJS_URL = "https://cdn.example.org/chart.js@4.5.1/dist/chart.umd.min.js"
    settings.CHARTJS_INTEGRITY = "sha384-abc123"
    body = client_of.get(URL).content.decode()
    assert (
        '<script src="https://cdn.example.org/chart.js@4.5.1/dist/chart.umd.min.js" '
        'integrity="sha384-abc123" crossorigin="anonymous"></script>'
    ) in body
    assert "vendor/chartjs" not in body


# The queries of every /trends/ request: the session, the user and their profile
# (the time zone middleware), the journal's first day (for "all"), then insights:
# summary, twitches per day and region, symptom days, places, weekday x hour,
# the triggers noted each day, the check-ins, durations and intensities, and the
# lifestyle comparison's first twitch and its two windows.
TRENDS_QUERIES = 14


@pytest.mark.parametrize(
    "query",
    ["", "?range=30", "?range=365", "?range=all", "?range=custom&start=2024-06-01&end=2025-01-31"],
)
@pytest.mark.parametrize("days", [3, 300])
def test_query_count_is_fixed_whatever_the_range_or_journal_size(
    client_of, person, django_assert_num_queries, query, days
):
    fill(person, days, per_day=3)
    TwitchEntry.objects.filter(user=person).first().set_triggers(["caffeine", "stress"])
    for n in range(0, days, 2):
        DailyCheckIn.objects.create(
            user=person, day=days_ago(n), sleep_hours=7, other_caffeine_mg=90
        )
        SymptomEntry.objects.create(user=person, noted_on=days_ago(n), kind="cramps")
    person.profile.habits_changed_on = days_ago(10)
    person.profile.save()
    with django_assert_num_queries(TRENDS_QUERIES):
        response = client_of.get(URL + query)
    data = page_data(response)
    start, end = data.period.start, data.period.end
    assert (
        data.summary.twitches
        == TwitchEntry.objects.filter(
            user=person,
            occurred_at__gte=dt.datetime.combine(start, dt.time(), tzinfo=LONDON),
            occurred_at__lt=dt.datetime.combine(
                end + dt.timedelta(days=1), dt.time(), tzinfo=LONDON
            ),
        ).count()
    )
