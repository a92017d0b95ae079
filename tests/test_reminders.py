"""The daily check-in reminder: Settings, `send_reminders`, and the unsubscribe link."""

import datetime
import re
import socket
import threading
from email import message_from_bytes

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from journal.models import DailyCheckIn
from reminders import links, sending
from reminders.models import Reminder, ReminderSent
from tests.journal_support import make_symptom, make_twitch

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
SETTINGS = {"display_name": "", "date_of_birth": ""}


def utc(*parts) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=UTC)


@pytest.fixture
def remind(user):
    """Turn `user`'s reminder on at a local time in a time zone."""

    def turn_on(at=datetime.time(21, 0), zone="Europe/London", person=user):
        person.profile.time_zone = zone
        person.profile.save()
        return Reminder.objects.update_or_create(user=person, defaults={"enabled": True, "at": at})[
            0
        ]

    return turn_on


def test_due_at_the_chosen_time_where_the_person_is(user, remind):
    remind(datetime.time(21, 0), "Europe/London")
    # 30 June: London is an hour ahead of UTC.
    assert sending.send_due(utc(2026, 6, 30, 19, 59)) == 0
    assert sending.send_due(utc(2026, 6, 30, 20, 0)) == 1
    [email] = mail.outbox
    assert email.to == [user.email]
    assert email.subject == "Your TwitchLog check-in"
    assert "http://127.0.0.1:8000/checkin/" in email.body
    assert ReminderSent.objects.get(user=user).day == datetime.date(2026, 6, 30)
    assert ReminderSent.objects.get(user=user).sent_at is not None


def test_not_due_before_the_time_and_never_twice_the_same_day(user, remind):
    remind(datetime.time(7, 30), "Asia/Kolkata")
    assert sending.send_due(utc(2026, 3, 1, 1, 59)) == 0  # 07:29 in Kolkata
    assert sending.send_due(utc(2026, 3, 1, 2, 0)) == 1
    assert sending.send_due(utc(2026, 3, 1, 2, 5)) == 0
    assert sending.send_due(utc(2026, 3, 1, 17, 0)) == 0  # 22:30, the same day
    assert sending.send_due(utc(2026, 3, 2, 2, 0)) == 1  # the next morning
    assert len(mail.outbox) == 2


def test_a_day_with_its_check_in_done_gets_no_reminder(user, remind):
    remind(datetime.time(21, 0), "UTC")
    DailyCheckIn.objects.create(user=user, day=datetime.date(2026, 5, 4))
    assert sending.send_due(utc(2026, 5, 4, 21, 30)) == 0
    assert not ReminderSent.objects.exists()
    assert sending.send_due(utc(2026, 5, 5, 21, 30)) == 1


def test_people_who_did_not_turn_it_on_or_turned_it_off_get_nothing(user, other_user, remind):
    remind(datetime.time(8, 0), "UTC").delete()
    Reminder.objects.create(user=other_user, enabled=False, at=datetime.time(8, 0))
    assert sending.send_due(utc(2026, 5, 4, 12, 0)) == 0
    assert mail.outbox == []


def test_only_the_people_whose_time_has_come_and_three_queries(
    user, other_user, make_user, remind, django_assert_num_queries
):
    remind(datetime.time(9, 0), "UTC", person=user)
    remind(datetime.time(9, 0), "America/New_York", person=other_user)
    done = make_user(email="cy@example.com")
    remind(datetime.time(9, 0), "UTC", person=done)
    DailyCheckIn.objects.create(user=done, day=datetime.date(2026, 5, 4))
    # The reminders turned on (with people and profiles), the days claimed, the check-ins.
    with django_assert_num_queries(3):
        due = sending.due(utc(2026, 5, 4, 10, 0))
    assert [item.user for item in due] == [user]


def test_the_reminder_says_nothing_of_the_person_s_health(user, remind):
    user.profile.display_name = "Ada Lovelace"
    user.profile.save()
    make_twitch(user, utc(2026, 5, 4, 8, 0), location="calf", notes="left calf after running")
    make_symptom(user, datetime.date(2026, 5, 4), kind="weakness", notes="stairs were hard")
    remind(datetime.time(21, 0), "UTC")
    sending.send_due(utc(2026, 5, 4, 21, 0))
    [email] = mail.outbox
    text = (email.subject + email.body).lower()
    for word in ("calf", "running", "weakness", "stairs", "twitches", "symptom", "ada", "flag"):
        assert word not in text


def test_the_unsubscribe_link_works_without_signing_in_and_says_what_it_did(client, user, remind):
    remind(datetime.time(21, 0), "UTC")
    sending.send_due(utc(2026, 5, 4, 21, 0))
    [email] = mail.outbox
    link = re.search(r"http://127\.0\.0\.1:8000(/reminders/stop/\S+/)", email.body).group(1)
    assert email.extra_headers["List-Unsubscribe"] == f"<http://127.0.0.1:8000{link}>"
    page = client.get(link)
    assert page.status_code == 200
    assert "Reminders are off" in page.content.decode()
    assert "no more check-in reminder emails" in page.content.decode()
    assert Reminder.objects.get(user=user).enabled is False
    assert sending.send_due(utc(2026, 5, 5, 21, 0)) == 0
    again = client.get(link).content.decode()
    assert "Reminders were already off" in again


def test_a_mail_app_s_one_click_unsubscribe_posts_without_a_csrf_token(user, remind):
    from django.test import Client

    remind()
    mail_app = Client(enforce_csrf_checks=True)
    response = mail_app.post(links.unsubscribe_path(user), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Reminder.objects.get(user=user).enabled is False


def test_a_link_that_is_not_ours_changes_nothing(client, user, other_user, remind):
    remind()
    forged = links.unsubscribe_token(other_user).replace(":", ":x", 1)
    for token in ("not-a-real-link", forged, links.unsubscribe_token(user)[:-2]):
        page = client.get(reverse("reminders:unsubscribe", kwargs={"token": token}))
        assert page.status_code == 200
        assert "This link does not work" in page.content.decode()
    assert Reminder.objects.get(user=user).enabled is True


def test_new_york_autumn_night_a_time_that_comes_twice_is_sent_once(user, remind):
    # 1 November 2026: at 02:00 EDT clocks go back to 01:00 EST; 01:30 happens twice.
    remind(datetime.time(1, 30), "America/New_York")
    assert sending.send_due(utc(2026, 11, 1, 5, 29)) == 0  # 01:29 EDT
    assert sending.send_due(utc(2026, 11, 1, 5, 30)) == 1  # 01:30 EDT
    assert sending.send_due(utc(2026, 11, 1, 6, 30)) == 0  # 01:30 EST, the second time
    assert len(mail.outbox) == 1


def test_new_york_after_clocks_go_back_the_evening_reminder_keeps_local_time(user, remind):
    remind(datetime.time(21, 0), "America/New_York")
    assert sending.send_due(utc(2026, 11, 1, 1, 0)) == 1  # 21:00 EDT, 31 October
    # 21:00 EST on 1 November is 02:00 UTC: an hour later in UTC than the night before.
    assert sending.send_due(utc(2026, 11, 2, 1, 30)) == 0
    assert sending.send_due(utc(2026, 11, 2, 2, 0)) == 1
    assert list(ReminderSent.objects.values_list("day", flat=True).order_by("day")) == [
        datetime.date(2026, 10, 31),
        datetime.date(2026, 11, 1),
    ]


def test_new_york_spring_night_a_skipped_time_is_sent_when_the_clock_passes_it(user, remind):
    # 8 March 2026: at 02:00 EST clocks jump to 03:00 EDT; 02:30 never happens.
    remind(datetime.time(2, 30), "America/New_York")
    assert sending.send_due(utc(2026, 3, 8, 6, 59)) == 0  # 01:59 EST
    assert sending.send_due(utc(2026, 3, 8, 7, 0)) == 1  # 03:00 EDT
    assert sending.send_due(utc(2026, 3, 8, 8, 0)) == 0


def test_moving_west_does_not_bring_the_same_day_s_reminder_again(user, remind):
    remind(datetime.time(21, 0), "Asia/Tokyo")
    assert sending.send_due(utc(2026, 5, 4, 12, 0)) == 1  # 21:00 on 4 May in Tokyo
    user.profile.time_zone = "America/Los_Angeles"
    user.profile.save()
    # 21:00 on 4 May in Los Angeles: the same local day, already reminded.
    assert sending.send_due(utc(2026, 5, 5, 4, 0)) == 0
    assert sending.send_due(utc(2026, 5, 6, 4, 0)) == 1  # 21:00 on 5 May
    assert len(mail.outbox) == 2


def test_a_failed_send_gives_the_day_back_for_the_next_run(user, remind, monkeypatch):
    remind(datetime.time(21, 0), "UTC")

    def refuse(self, fail_silently=False):
        raise OSError("connection refused")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    assert sending.send_due(utc(2026, 5, 4, 21, 0)) == 0
    assert not ReminderSent.objects.exists()
    monkeypatch.undo()
    assert sending.send_due(utc(2026, 5, 4, 21, 5)) == 1


def test_the_command_sends_what_is_due_now(user, remind, capsys):
    remind(datetime.time(0, 0), "UTC")
    call_command("send_reminders")
    assert "Reminders sent: 1" in capsys.readouterr().out
    call_command("send_reminders")
    assert "Reminders sent: 0" in capsys.readouterr().out
    assert len(mail.outbox) == 1


@pytest.mark.usefixtures("shared_database")
def test_two_runs_at_once_send_one_email(user, remind, monkeypatch):
    remind(datetime.time(21, 0), "UTC")
    now = utc(2026, 5, 4, 21, 0)
    # Both runs find the reminder due before either claims it: the worst overlap.
    both_looked = threading.Barrier(2, timeout=10)
    real_due = sending.due

    def due_then_wait(at):
        found = real_due(at)
        both_looked.wait()
        return found

    monkeypatch.setattr(sending, "due", due_then_wait)
    results, errors = [], []

    def run():
        try:
            results.append(sending.send_due(now))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    runs = [threading.Thread(target=run) for _ in range(2)]
    for thread in runs:
        thread.start()
    for thread in runs:
        thread.join()
    assert errors == []
    assert sorted(results) == [0, 1]
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.filter(user=user).count() == 1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_reminder_goes_through_a_real_smtp_server(user, remind, settings):
    from aiosmtpd.controller import Controller

    received = []

    class Inbox:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 Message accepted"

    server = Controller(Inbox(), hostname="127.0.0.1", port=free_port())
    server.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.hostname, server.port
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = False
        remind(datetime.time(21, 0), "UTC")
        assert sending.send_due(utc(2026, 5, 4, 21, 0)) == 1
    finally:
        server.stop()
    [envelope] = received
    assert envelope.rcpt_tos == [user.email]
    delivered = message_from_bytes(envelope.content)
    assert delivered["Subject"] == "Your TwitchLog check-in"
    assert delivered["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/reminders/stop/" in delivered.get_payload(decode=True).decode()


def test_settings_turn_the_reminder_on_at_a_chosen_time(signed_in, user):
    page = signed_in.get(reverse("settings")).content.decode()
    assert "Remind me to do my check-in" in page
    assert re.search(r'name="reminder-at" value="21:00"', page)
    response = signed_in.post(
        reverse("settings"),
        {**SETTINGS, "time_zone": "UTC", "reminder-enabled": "on", "reminder-at": "07:45"},
        follow=True,
    )
    assert "Your settings are saved." in response.content.decode()
    reminder = Reminder.objects.get(user=user)
    assert (reminder.enabled, reminder.at) == (True, datetime.time(7, 45))
    signed_in.post(reverse("settings"), {**SETTINGS, "time_zone": "UTC", "reminder-at": "07:45"})
    assert Reminder.objects.get(user=user).enabled is False


def test_a_time_that_is_not_a_time_is_refused_beside_the_field(signed_in, user):
    response = signed_in.post(
        reverse("settings"),
        {**SETTINGS, "time_zone": "UTC", "reminder-enabled": "on", "reminder-at": "25:99"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid time." in body
    assert 'value="25:99"' in body
    assert not Reminder.objects.filter(user=user).exists()


def test_purge_keeps_a_days_reminder_record_while_that_day_is_still_today_anywhere(
    user, other_user, remind
):
    from journal.management.commands.purge import purge

    # UTC-12 is the last place a date ends: 09:00 UTC on 4 May is 21:00 on 3 May there.
    remind(datetime.time(21, 0), "Etc/GMT+12")
    now = utc(2026, 5, 4, 9, 0)
    assert sending.send_due(now) == 1
    for day in (1, 2, 4, 5):  # 5 May: already today at UTC+14 (Kiritimati)
        ReminderSent.objects.create(user=other_user, day=datetime.date(2026, 5, day))

    assert purge(now)["reminder records"] == 2
    assert set(ReminderSent.objects.values_list("user_id", "day")) == {
        (user.pk, datetime.date(2026, 5, 3)),
        (other_user.pk, datetime.date(2026, 5, 4)),
        (other_user.pk, datetime.date(2026, 5, 5)),
    }
    # Still 3 May at UTC-12, and its record is there: no second reminder.
    assert sending.send_due(utc(2026, 5, 4, 11, 59)) == 0
    assert purge(utc(2026, 5, 4, 11, 59))["reminder records"] == 0
    # Midnight at UTC-12: 3 May is over everywhere, and its record goes.
    assert purge(utc(2026, 5, 4, 12, 0))["reminder records"] == 1
    assert not ReminderSent.objects.filter(user=user).exists()
    assert len(mail.outbox) == 1
    assert Reminder.objects.get(user=user).enabled
