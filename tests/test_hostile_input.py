"""Random and hostile input, from hypothesis, to every form and to import.

Whatever arrives (huge strings, control characters, SQL and HTML fragments, dates
that do not exist, odd time zones, any unicode), the app must:

- never answer with a server error (the test client re-raises any exception);
- never send stored markup back as HTML: every page that shows an entry escapes it;
- save all of a valid post or nothing of an invalid one.

Each example runs in its own transaction (hypothesis' Django TestCase), at a frozen
moment close to a date line: 00:30 UTC is already the afternoon in Kiritimati and
still the day before in Niue.
"""

import csv
import datetime
import io
import json
import os
import re
import zoneinfo
from decimal import Decimal

import time_machine
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from accounts.models import Activity
from journal import body
from journal.exports import CSV_COLUMNS
from journal.models import DailyCheckIn, Profile, SymptomEntry, TwitchEntry, TwitchTrigger
from tests.support import PASSWORD

NOW = datetime.datetime(2025, 3, 30, 0, 30, tzinfo=datetime.UTC)

# What would run as markup if a page printed it unescaped.
LIVE_MARKUP = ("<script>alert(1)", "<img src=x onerror", "<svg onload", "<iframe")
HOSTILE_TEXT = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(document.cookie)>',
    "</textarea></select><svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)>",
    "'; DROP TABLE journal_twitchentry; --",
    "1' OR '1'='1",
    "{{ request.user.password }}{% debug %}",
    "\x00",
    "note\x00with a NUL",
    "\x1b[31m\x07\x08\x7f",
    "\u202eevil\u202c\u200b\ufeff",
    "\U0001d57f\U0001d59c\U0001d58e \u4f60\u597d \U0001f635\u200d\U0001f4ab \ufdfd",
    '=HYPERLINK("http://example.invalid")',
    "A" * 100_000,
    "\r\n" * 3_000,
    "é" * 2_001,
    "../../../etc/passwd",
    "%s%n%x%d",
    "  ",
    "",
)
ODD_NUMBERS = (
    "-1",
    "0",
    "-0",
    "1.25",
    "1e9",
    "99999999999999999999999",
    "NaN",
    "inf",
    "١٢",
    "1_000",
    " 2 ",
    "0x1F",
)
ODD_DATES = (
    "0000-00-00",
    "0001-01-01",
    "1899-12-31",
    "2024-02-29",
    "2025-02-29",
    "2025-13-01",
    "2025-03-30",
    "2025-03-31",
    "9999-12-31",
    "10000-01-01",
    "-2025-01-01",
    "2025-3-1",
    "30/03/2025",
)
ODD_MOMENTS = (
    "2025-03-30T02:30",  # skipped by the spring change in Europe
    "2024-10-27T02:30",  # happens twice in Europe
    "2025-03-30T00:29",
    "2025-03-30T13:00+14:00",
    "2025-03-30T00:00Z",
    "2025-03-29 23:59:59.999999",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "2025-03-30T24:00",
    "1970-01-01T00:00",
)
# Real zones at the edges: +14:00, -11:00, quarter and half hours, a 30-minute DST.
ODD_ZONES = (
    "Pacific/Kiritimati",
    "Pacific/Niue",
    "Asia/Kathmandu",
    "America/St_Johns",
    "Australia/Lord_Howe",
    "Europe/Paris",
    "UTC",
)

unicode_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
hostile_text = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    unicode_text,
    st.tuples(st.sampled_from(HOSTILE_TEXT), unicode_text).map("".join),
)
numbers = st.one_of(
    st.sampled_from(ODD_NUMBERS),
    st.integers(-(10**30), 10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    hostile_text,
)
dates = st.one_of(
    st.sampled_from(ODD_DATES),
    st.dates().map(datetime.date.isoformat),
    hostile_text,
)
moments = st.one_of(
    st.sampled_from(ODD_MOMENTS),
    st.datetimes().map(lambda moment: moment.isoformat(timespec="minutes")),
    hostile_text,
)
zones = st.one_of(st.sampled_from(ODD_ZONES), hostile_text)


def choice_of(pairs):
    """Mostly a real code from the vocabulary, sometimes anything at all."""
    return st.one_of(st.sampled_from([code for code, _ in pairs]), hostile_text)


def maybe(strategy):
    """A field that may be left out of the post altogether."""
    return st.one_of(st.none(), strategy)


def post_data(**fields):
    """A strategy for a form post whose fields are each drawn (or left out)."""
    return st.fixed_dictionaries({}, optional=fields)


twitch_post = post_data(
    occurred_at=moments,
    location=choice_of(body.TWITCH_LOCATIONS),
    side=choice_of(body.SIDES),
    duration_preset=st.one_of(st.sampled_from(["unknown", "0", "3", "30", "300"]), numbers),
    duration_typed=numbers,
    intensity=choice_of([(str(code), label) for code, label in body.INTENSITIES]),
    triggers=st.lists(choice_of(body.TRIGGERS), max_size=4),
    notes=hostile_text,
)
symptom_post = post_data(
    noted_on=dates,
    kind=choice_of(body.SYMPTOM_KINDS),
    severity=choice_of([(str(code), label) for code, label in body.SEVERITIES]),
    onset=choice_of(body.ONSETS),
    location=choice_of(body.LOCATIONS),
    side=choice_of(body.SIDES),
    notes=hostile_text,
)
checkin_post = post_data(
    day=dates,
    coffee_cups=numbers,
    tea_cups=numbers,
    energy_drinks=numbers,
    other_caffeine_mg=numbers,
    sleep_hours=numbers,
    stress=numbers,
    exercise=choice_of(body.EXERCISE_LEVELS),
    alcohol_units=numbers,
    water_litres=numbers,
    notes=hostile_text,
)


def row_counts():
    """How many rows each table of personal data holds."""
    return {
        model.__name__: model.objects.count()
        for model in (
            get_user_model(),
            Profile,
            TwitchEntry,
            TwitchTrigger,
            SymptomEntry,
            DailyCheckIn,
        )
    }


def stored_state(person):
    """Everything stored about `person`, to show that a refused post changed nothing."""
    return {
        "account": list(get_user_model().objects.filter(pk=person.pk).values()),
        "profile": list(Profile.objects.filter(user=person).values()),
        "twitches": list(TwitchEntry.objects.filter(user=person).values()),
        "triggers": list(TwitchTrigger.objects.filter(entry__user=person).values()),
        "symptoms": list(SymptomEntry.objects.filter(user=person).values()),
        "checkins": list(DailyCheckIn.objects.filter(user=person).values()),
    }


def assert_escaped(response):
    """No hostile markup reaches the page as live HTML."""
    assert response.status_code < 500
    page = response.content.decode()
    for markup in LIVE_MARKUP:
        assert markup not in page, f"unescaped {markup!r} in {response.request['PATH_INFO']}"


# Each example is a few requests through the whole stack: slow next to pure functions,
# and some drawn posts (100,000 characters) are large on purpose. Locally every run
# explores new examples; CI replays a fixed set, so a red build always means a change.
hostile = settings(
    max_examples=30,
    deadline=None,
    derandomize=os.environ.get("CI") == "true",
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@time_machine.travel(NOW, tick=False)
@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class HostileInputTests(TestCase):
    """Each test posts drawn values to one form, as a signed-in person in a drawn zone."""

    @classmethod
    def setUpTestData(cls):
        User = get_user_model()
        cls.person = User.objects.create_user(
            username="hope@example.com", email="hope@example.com", password=PASSWORD
        )
        cls.person.profile.display_name = "Hope"
        cls.person.profile.save()

    def sign_in(self, zone="UTC") -> Client:
        Profile.objects.filter(user=self.person).update(time_zone=zone)
        client = Client()
        client.force_login(self.person)
        return client

    def make_entries(self):
        """One twitch, symptom and check-in, so that the edit forms have something to edit."""
        twitch = TwitchEntry.objects.create(
            user=self.person, occurred_at=NOW - datetime.timedelta(hours=3), location="calf"
        )
        twitch.set_triggers(["caffeine"])
        symptom = SymptomEntry.objects.create(
            user=self.person, noted_on=datetime.date(2025, 3, 28), kind="cramps"
        )
        checkin = DailyCheckIn.objects.create(
            user=self.person, day=datetime.date(2025, 3, 28), sleep_hours=Decimal("7.0")
        )
        return twitch, symptom, checkin

    def assert_pages_escape_everything(self, client, *extra_urls):
        """Every page that shows what the person stored prints it as text."""
        for url in ("/", "/journal/", "/flags/", "/trends/", "/report/", "/export/", *extra_urls):
            assert_escaped(client.get(url))

    def post_and_check(self, client, url, data, *, shown_at=()):
        """Post; a refused post must leave everything as it was, a saved one escaped."""
        before, state = row_counts(), stored_state(self.person)
        response = client.post(url, data)
        assert response.status_code < 500
        if response.status_code == 302:
            self.assert_pages_escape_everything(client, *shown_at)
        else:
            assert_escaped(response)
            assert row_counts() == before
            assert stored_state(self.person) == state
        return response

    @hostile
    @given(data=twitch_post, zone=st.sampled_from(ODD_ZONES))
    def test_log_form_saves_all_of_a_twitch_or_nothing(self, data, zone):
        client = self.sign_in(zone)
        before = TwitchEntry.objects.count()
        response = self.post_and_check(client, reverse("log"), data)
        if response.status_code == 302:
            entry = TwitchEntry.objects.get(user=self.person)
            assert TwitchEntry.objects.count() == before + 1
            assert set(entry.trigger_codes) == set(data.get("triggers", []))
            assert_escaped(client.get(reverse("twitch_edit", args=[entry.pk])))

    @hostile
    @given(data=twitch_post, zone=st.sampled_from(ODD_ZONES))
    def test_twitch_edit_form_changes_all_or_nothing(self, data, zone):
        client = self.sign_in(zone)
        twitch, _, _ = self.make_entries()
        url = reverse("twitch_edit", args=[twitch.pk])
        self.post_and_check(client, url, data, shown_at=[url])

    @hostile
    @given(data=symptom_post, zone=st.sampled_from(ODD_ZONES))
    def test_symptom_forms_save_all_or_nothing(self, data, zone):
        client = self.sign_in(zone)
        _, symptom, _ = self.make_entries()
        edit = reverse("symptom_edit", args=[symptom.pk])
        self.post_and_check(client, reverse("symptom_new"), data, shown_at=[edit])
        self.post_and_check(client, edit, data, shown_at=[edit])

    @hostile
    @given(data=checkin_post, zone=st.sampled_from(ODD_ZONES))
    def test_checkin_forms_save_all_or_nothing(self, data, zone):
        client = self.sign_in(zone)
        _, _, checkin = self.make_entries()
        edit = reverse("checkin_day", args=[checkin.day])
        self.post_and_check(client, reverse("checkin"), data, shown_at=[edit])
        self.post_and_check(client, edit, data, shown_at=[edit])

    @hostile
    @given(
        data=post_data(display_name=hostile_text, time_zone=zones, date_of_birth=dates),
        zone=st.sampled_from(ODD_ZONES),
    )
    def test_settings_accept_only_real_zones_and_dates(self, data, zone):
        client = self.sign_in(zone)
        response = self.post_and_check(
            client, reverse("settings"), data, shown_at=[reverse("settings")]
        )
        if response.status_code == 302:
            saved = Profile.objects.get(user=self.person).time_zone
            assert saved == data["time_zone"]
            assert saved in zoneinfo.available_timezones()

    @hostile
    @given(
        data=post_data(reassured_on=dates, family_history=choice_of(body.FAMILY_HISTORY_CHOICES)),
        zone=st.sampled_from(ODD_ZONES),
    )
    def test_flag_details_form_saves_all_or_nothing(self, data, zone):
        client = self.sign_in(zone)
        self.make_entries()
        self.post_and_check(client, reverse("flags"), data)

    @hostile
    @given(
        data=post_data(habits_changed_on=dates, clear=st.sampled_from(["", "1"])),
        query=post_data(range=hostile_text, start=dates, end=dates),
        zone=st.sampled_from(ODD_ZONES),
    )
    def test_trends_range_and_habits_date_never_break_the_page(self, data, query, zone):
        client = self.sign_in(zone)
        self.make_entries()
        assert_escaped(client.get(reverse("trends"), query))
        self.post_and_check(client, reverse("trends"), data)

    @hostile
    @given(
        query=post_data(
            date_from=dates,
            date_to=dates,
            place=choice_of(body.TWITCH_LOCATIONS),
            kind=hostile_text,
            page=numbers,
        ),
        zone=st.sampled_from(ODD_ZONES),
    )
    # Found by this test once: the day after the calendar's last day.
    @example(query={"date_to": "9999-12-31"}, zone="Pacific/Kiritimati")
    def test_journal_filters_never_break_the_page(self, query, zone):
        client = self.sign_in(zone)
        self.make_entries()
        before = row_counts()
        assert_escaped(client.get(reverse("journal"), query))
        assert row_counts() == before

    @hostile
    @given(query=post_data(start=dates, end=dates), zone=st.sampled_from(ODD_ZONES))
    # Found by this test once: a default start before the calendar's first day.
    @example(query={"end": "0001-01-01"}, zone="Pacific/Kiritimati")
    def test_report_dates_give_a_pdf_or_the_picker_with_errors(self, query, zone):
        client = self.sign_in(zone)
        self.make_entries()
        assert_escaped(client.get(reverse("report"), query))
        response = client.get(reverse("report_pdf"), query)
        if response.status_code == 200:
            assert response["Content-Type"] == "application/pdf"
            assert response.content.startswith(b"%PDF")
        else:
            assert response.status_code == 400
            assert_escaped(response)

    @hostile
    @given(
        data=post_data(
            email=hostile_text,
            display_name=hostile_text,
            time_zone=zones,
            password1=st.sampled_from([PASSWORD, "", "x" * 5_000]),
            password2=st.sampled_from([PASSWORD, ""]),
        )
    )
    def test_sign_up_creates_a_whole_account_or_nothing(self, data):
        cache.clear()  # each drawn sign-up, not only the first ten, reaches the form
        client = Client()
        before = row_counts()
        response = client.post(reverse("signup"), data)
        assert response.status_code < 500
        if response.status_code == 302:
            # A new account waits for its email to be confirmed; an address that already
            # has one makes nothing, and the answer is the same.
            for new in get_user_model().objects.exclude(pk=self.person.pk):
                assert new.profile.time_zone in zoneinfo.available_timezones()
            assert_escaped(client.get(response["Location"]))
        else:
            assert_escaped(response)
            assert row_counts() == before

    @hostile
    @given(
        login=post_data(login=hostile_text, password=hostile_text),
        reset=post_data(email=hostile_text),
    )
    def test_log_in_and_password_reset_refuse_calmly(self, login, reset):
        client = Client()
        before = row_counts()
        response = client.post(reverse("login"), login)
        # 429: too many attempts from this address, answered by the calm limit page.
        assert response.status_code in (200, 429)
        assert_escaped(response)
        response = client.post(reverse("password_reset"), reset)
        # 429: this address asked for too many reset emails, answered by the limit page.
        assert response.status_code in (200, 302, 429)
        assert_escaped(response)
        assert row_counts() == before

    @hostile
    @given(
        data=post_data(oldpassword=hostile_text, password1=hostile_text, password2=hostile_text),
        delete=post_data(password=hostile_text),
    )
    def test_wrong_passwords_neither_change_nor_delete_the_account(self, data, delete):
        client = self.sign_in()
        self.make_entries()
        state = stored_state(self.person)
        for url, post in ((reverse("password_change"), data), (reverse("account_delete"), delete)):
            response = client.post(url, post)
            # 429: the password change page's own limit on posts, answered calmly.
            assert response.status_code in (200, 429)
            assert_escaped(response)
        assert stored_state(self.person) == state

    @hostile
    @given(
        rows=st.lists(
            st.fixed_dictionaries(
                {"type": st.sampled_from(["twitch", "symptom", "checkin"]) | hostile_text},
                optional={
                    "occurred_at": moments,
                    "date": dates,
                    "location": choice_of(body.TWITCH_LOCATIONS),
                    "side": choice_of(body.SIDES),
                    "duration_seconds": numbers,
                    "intensity": numbers,
                    "triggers": hostile_text,
                    "kind": choice_of(body.SYMPTOM_KINDS),
                    "severity": numbers,
                    "onset": choice_of(body.ONSETS),
                    "coffee_cups": numbers,
                    "tea_cups": numbers,
                    "energy_drinks": numbers,
                    "other_caffeine_mg": numbers,
                    "caffeine_mg": numbers,
                    "sleep_hours": numbers,
                    "stress": numbers,
                    "exercise": choice_of(body.EXERCISE_LEVELS),
                    "alcohol_units": numbers,
                    "water_litres": numbers,
                    "notes": hostile_text,
                },
            ),
            max_size=5,
        ),
        as_json=st.booleans(),
        zone=st.sampled_from(ODD_ZONES),
    )
    # Found by this test once: the calendar's last minute, moved to UTC from UTC-11.
    @example(
        rows=[{"type": "twitch", "occurred_at": "9999-12-31T23:59"}],
        as_json=False,
        zone="Pacific/Niue",
    )
    def test_import_adds_a_whole_file_or_nothing(self, rows, as_json, zone):
        client = self.sign_in(zone)
        self.make_entries()
        if as_json:
            sections = {"twitches": [], "symptoms": [], "checkins": []}
            for row in map(dict, rows):
                kind = row.pop("type")
                key = {"twitch": "twitches", "symptom": "symptoms"}.get(kind, "checkins")
                sections[key].append(row)
            document = {"format": "twitchlog", "version": 2, **sections}
            upload = SimpleUploadedFile("journal.json", json.dumps(document).encode())
        else:
            upload = SimpleUploadedFile("journal.csv", csv_bytes(rows))
        self.check_import(client, upload)

    @hostile
    @given(content=st.binary(max_size=2_000), name=st.sampled_from(["a.csv", "a.json", "a"]))
    def test_import_of_any_bytes_never_breaks(self, content, name):
        client = self.sign_in()
        self.make_entries()
        self.check_import(client, SimpleUploadedFile(name, content))

    def check_import(self, client, upload):
        before, state = row_counts(), stored_state(self.person)
        response = client.post(reverse("import"), {"file": upload})
        assert response.status_code < 500
        assert_escaped(response)
        # Checking a file writes nothing, whatever it holds.
        assert row_counts() == before
        assert stored_state(self.person) == state
        token = re.search(r'name="token" value="([^"]+)"', response.content.decode())
        if token:
            confirmed = client.post(
                reverse("import_confirm"), {"token": token.group(1), "replace_profile": "on"}
            )
            assert confirmed.status_code == 302
            self.assert_pages_escape_everything(client)


def csv_bytes(rows) -> bytes:
    """The rows as a CSV file with TwitchLog's header, quoted as the csv module does."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def test_an_overlong_email_at_log_in_is_refused_beside_the_field(client, db):
    """On PostgreSQL a name longer than the throttling records' column was a server error."""
    response = client.post(reverse("login"), {"login": "a" * 300, "password": "x"})

    assert response.status_code == 200
    assert "An email address has at most 254 characters" in response.content.decode()
    assert not Activity.objects.exists()
