"""Share with your doctor: /share/ and the read-only pages a link opens without sign-in."""

import datetime
import hashlib
import re
from datetime import UTC

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import Activity
from journal.exports.erasure import delete_account
from journal.report import summary as page_one
from journal.report_data import build_report_data
from sharing.models import ShareLink
from sharing.services import create_link
from tests.journal_support import make_symptom, make_twitch

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 5, 29, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
LINK = re.compile(r"http://testserver/s/([A-Za-z0-9_-]{43})/")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def day(month, number, hour=9):
    return datetime.datetime(2025, month, number, hour, 0, tzinfo=UTC)


def share(user, start=datetime.date(2025, 5, 1), end=datetime.date(2025, 5, 20), days=7):
    return create_link(None, user, start, end, days)


def open_as_stranger(token, path=""):
    return Client().get(f"/s/{token}/{path}")


def test_making_a_link_shows_it_once_with_a_qr_code_and_keeps_only_its_hash(user, signed_in):
    response = signed_in.post(
        reverse("share"),
        {"start": "2025-03-01", "end": "2025-05-29", "valid_days": "30", "note": "Before May 3"},
    )
    page = response.content.decode()
    token = LINK.search(page).group(1)
    assert "<svg" in page
    assert 'class="share-qr-code"' in page

    link = ShareLink.objects.get(user=user)
    assert (link.start, link.end) == (datetime.date(2025, 3, 1), TODAY)
    assert link.expires_at == NOW + datetime.timedelta(days=30)
    assert link.note == "Before May 3"
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    # The token is nowhere in the row, and the list page never shows it again.
    assert all(token not in str(value) for value in vars(link).values())
    assert token not in signed_in.get(reverse("share")).content.decode()
    assert Activity.objects.filter(user=user, kind="share_created").count() == 1


def test_the_default_is_the_last_90_days_for_7_days(user, signed_in):
    signed_in.post(reverse("share"), {"valid_days": "7"})
    link = ShareLink.objects.get(user=user)
    assert (link.start, link.end) == (TODAY - datetime.timedelta(days=89), TODAY)
    assert link.expires_at == NOW + datetime.timedelta(days=7)


@pytest.mark.parametrize(
    ("data", "field", "problem"),
    [
        ({"start": "2019-01-01", "end": "2025-05-29", "valid_days": "7"}, "start", "at most 5"),
        ({"start": "2025-05-20", "end": "2025-05-01", "valid_days": "7"}, "start", "on or before"),
        ({"start": "2025-05-01", "end": "2025-06-30", "valid_days": "7"}, "end", "future"),
        ({"valid_days": "365"}, "valid_days", "Choose 7 or 30 days"),
        ({"valid_days": "7", "note": "x" * 501}, "note", "at most 500"),
    ],
)
def test_a_bad_link_request_comes_back_beside_its_field_and_makes_nothing(
    user, signed_in, data, field, problem
):
    response = signed_in.post(reverse("share"), data)
    assert response.status_code == 400
    page = response.content.decode()
    error = re.search(rf'id="error_\d+_id_{field}"[^>]*>(.*?)</', page, re.S)
    assert error
    assert problem in error.group(1)
    assert not ShareLink.objects.exists()


def test_making_a_link_asks_to_confirm_an_old_sign_in(client, user, frozen):
    client.post(reverse("login"), {"login": user.email, "password": "a-long-test-password-42"})
    frozen.shift(datetime.timedelta(minutes=20))
    asked = client.post(reverse("share"), {"valid_days": "7"})
    assert asked.status_code == 302
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    assert not ShareLink.objects.exists()
    assert client.get(reverse("share")).status_code == 200  # the list itself is not asked


def test_a_link_shows_exactly_its_period_and_only_its_persons_journal(user, other_user):
    make_twitch(user, day(4, 30), location="calf")  # the day before
    make_twitch(user, day(5, 1), location="calf")
    make_twitch(user, day(5, 1, 15), location="hand", side="right")
    make_twitch(user, day(5, 20), location="calf")
    make_twitch(user, day(5, 21), location="calf")  # the day after
    make_symptom(user, datetime.date(2025, 5, 10), kind="weakness", severity=2)
    make_twitch(other_user, day(5, 10), location="eyelid")
    make_twitch(other_user, day(5, 11), location="eyelid")
    other_user.profile.display_name = "Bruno Other"
    other_user.profile.save()
    _, token = share(user)

    page = open_as_stranger(token).content.decode()
    # Said once, with its length once.
    assert "<dt>Period</dt><dd>1 May \u2013 20 May 2025 (20 days)</dd>" in page
    # The per-day table: the first and last days of the period, and the symptom's day.
    assert "Thu 1 May" in page
    assert "Tue 20 May" in page
    assert "Sat 10 May" in page
    assert "30 Apr" not in page
    assert "21 May" not in page
    # Nothing of the other person's: their eyelid, their name, their day alone.
    assert "Eyelid 2" not in page
    assert "Bruno Other" not in page
    assert "Sun 11 May" not in page
    # The same figures and words as page 1 of the PDF, from the same functions.
    report = build_report_data(user, datetime.date(2025, 5, 1), datetime.date(2025, 5, 20))
    for value, label, _ in page_one.key_figures(report):
        assert f'>{value}</span> <span class="trends-stat-label">{label}<' in page
    assert report.figures.twitches == 3
    for name, details in page_one.symptom_lines(report):
        assert f"<strong>{name}</strong>: {details}" in page
    assert "Red flags, as of 20 May 2025" in page
    # Charts drawn from this period's figures, with nothing from another host.
    assert 'id="chart-daily"' in page
    assert 'id="trends-data"' in page
    assert "http://" not in page.replace("http://www.w3.org", "")
    assert "https://" not in page
    # No way into the account from the shared page.
    for address in ('href="/"', "/settings/", "/journal/", "/accounts/", "/log/"):
        assert address not in page


def test_the_flags_show_with_their_evidence(user):
    make_symptom(user, datetime.date(2025, 5, 10), kind="weakness", severity=3)
    make_symptom(user, datetime.date(2025, 5, 17), kind="weakness", severity=3)
    _, token = share(user)
    report = build_report_data(user, datetime.date(2025, 5, 1), datetime.date(2025, 5, 20))
    assert report.flags
    page = open_as_stranger(token).content.decode()
    for flag in report.flags:
        assert flag.title in page.replace("&#x27;", "'")
        for evidence in flag.evidence:
            assert evidence.text in page.replace("&#x27;", "'")


def test_the_shared_pages_carry_privacy_headers(user):
    _, token = share(user)
    for response in (open_as_stranger(token), open_as_stranger("nope")):
        assert response["Referrer-Policy"] == "no-referrer"
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
        assert "default-src 'self'" in response["Content-Security-Policy"]


def test_revoked_expired_and_unknown_links_get_the_same_404_byte_for_byte(user, signed_in, frozen):
    revoked, revoked_token = share(user)
    _, expiring_token = share(user, days=7)
    assert open_as_stranger(revoked_token).status_code == 200
    signed_in.post(reverse("share_revoke", args=[revoked.pk]))
    frozen.shift(datetime.timedelta(days=7, seconds=1))

    answers = [
        open_as_stranger(revoked_token),
        open_as_stranger(expiring_token),
        open_as_stranger("A" * 43),
        open_as_stranger(revoked_token, "report.pdf"),
        open_as_stranger("A" * 43, "report.pdf"),
    ]
    assert {answer.status_code for answer in answers} == {404}
    assert len({answer.content for answer in answers}) == 1
    assert b"does not open a journal" in answers[0].content
    kinds = list(Activity.objects.filter(user=user).values_list("kind", flat=True))
    assert sorted(kinds) == ["share_created", "share_created", "share_opened", "share_revoked"]


def test_each_opening_is_counted_without_the_viewers_address(user, signed_in):
    _, token = share(user)
    open_as_stranger(token)
    Client(REMOTE_ADDR="203.0.113.9").get(f"/s/{token}/")
    link = ShareLink.objects.get()
    assert link.open_count == 2
    assert link.last_opened_at == NOW
    opened = Activity.objects.filter(user=user, kind="share_opened")
    assert opened.count() == 2
    assert set(opened.values_list("ip_address", flat=True)) == {None}
    page = signed_in.get(reverse("share")).content.decode()
    assert "Opened 2 times, last 29 May 2025, 12:00" in page


def test_the_pdf_is_the_same_period(user):
    make_twitch(user, day(5, 2))
    _, token = share(user)
    response = open_as_stranger(token, "report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "2025-05-01" in response["Content-Disposition"]
    assert "2025-05-20" in response["Content-Disposition"]


def test_lookups_beyond_the_limit_per_address_get_a_calm_429(user, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "share_lookup": "3/h/ip"}
    _, token = share(user)
    guesser = Client(REMOTE_ADDR="198.51.100.7")
    assert [guesser.get(f"/s/guess{n}/").status_code for n in range(3)] == [404] * 3
    limited = guesser.get(f"/s/{token}/")
    assert limited.status_code == 429
    assert "Please wait a little" in limited.content.decode()
    assert int(limited["Retry-After"]) > 0
    # Another address is not held back.
    assert Client(REMOTE_ADDR="198.51.100.8").get(f"/s/{token}/").status_code == 200


def test_only_the_owner_revokes_a_link(user, other_user, client):
    link, token = share(user)
    client.force_login(other_user)
    assert client.post(reverse("share_revoke", args=[link.pk])).status_code == 404
    assert open_as_stranger(token).status_code == 200


def test_the_list_shows_only_the_persons_own_links_in_a_fixed_number_of_queries(
    user, other_user, signed_in, django_assert_num_queries
):
    for _ in range(3):
        share(user)
    share(other_user, start=datetime.date(2024, 1, 1), end=datetime.date(2024, 1, 2))
    # Session, user, profile (for the time zone), the links.
    with django_assert_num_queries(4):
        page = signed_in.get(reverse("share")).content.decode()
    assert page.count("Close this link now") == 3
    assert "1 Jan 2024" not in page


def test_deleting_the_account_removes_its_links(user, other_user):
    share(user)
    share(other_user)
    delete_account(user)
    assert list(ShareLink.objects.values_list("user", flat=True)) == [other_user.pk]


def test_the_clinician_view_reads_a_fixed_number_of_queries(user, django_assert_num_queries):
    _, token = share(user)
    stranger = Client()
    # Whatever the journal holds: the link (with its person and profile), the PDF's data
    # (report_data.py), the charts' data (insights.trends), the opening and its activity.
    for number in (1, 20):
        for hour in (8, 12, 18):
            make_twitch(user, day(5, number, hour), triggers=("caffeine",))
        make_symptom(user, datetime.date(2025, 5, number), kind="weakness", severity=2)
        with django_assert_num_queries(23):
            stranger.get(f"/s/{token}/")
