"""A twitch's strength is stored only when the person chose it: a quick log keeps it as
not noted, and every read-out says "not noted" apart instead of "visible"."""

import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from journal import exports, insights
from journal.models import TwitchEntry
from tests.journal_support import UTC, twitch_data

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 3, 1, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def person(make_user):
    return make_user(email="quick@example.com", time_zone="UTC")


@pytest.fixture
def signed_in(client, person):
    client.force_login(person)
    return client


def quick_log(client):
    """The log form sent as a quick log sends it: no strength chosen."""
    data = twitch_data(occurred_at="2025-03-01T14:30")
    del data["intensity"]
    return client.post(reverse("log"), data)


def test_the_log_form_chooses_no_strength_for_the_person(signed_in):
    body = signed_in.get(reverse("log")).content.decode()
    assert 'name="intensity" value="2"' in body
    assert " checked" not in body.split('name="intensity"', 1)[1].split("</fieldset>", 1)[0]


def test_a_quick_log_stores_the_strength_as_not_noted_and_again_keeps_it_so(signed_in, person):
    assert quick_log(signed_in).status_code == 302
    entry = TwitchEntry.objects.get(user=person)
    assert entry.intensity is None

    signed_in.post(reverse("twitch_again"))
    assert [e.intensity for e in TwitchEntry.objects.filter(user=person)] == [None, None]
    journal = signed_in.get(reverse("journal")).content.decode()
    assert "visible" not in journal.lower()


def test_the_strength_chart_counts_not_noted_apart(signed_in, person):
    quick_log(signed_in)
    TwitchEntry.objects.create(
        user=person, occurred_at=NOW - datetime.timedelta(hours=2), location="calf", intensity=3
    )
    period = insights.Period(NOW.date(), NOW.date())
    data = insights.trends(person, period, today=NOW.date())
    assert [(i.label, i.count) for i in data.intensities] == [
        ("Faint", 0),
        ("Visible", 0),
        ("Strong", 1),
        ("Not noted", 1),
    ]


def test_exports_keep_it_empty_and_import_restores_it(signed_in, person, make_user):
    quick_log(signed_in)
    csv_text = "".join(exports.export_csv(person))
    twitch_line = next(line for line in csv_text.splitlines() if line.startswith("twitch,"))
    header = csv_text.splitlines()[0].split(",")
    assert twitch_line.split(",")[header.index("intensity")] == ""
    data = json.loads("".join(exports.export_json(person)))
    assert data["twitches"][0]["intensity"] is None

    other = make_user(email="copy@example.com", time_zone="UTC")
    for name, content in (("j.csv", csv_text), ("j.json", json.dumps(data))):
        result = exports.import_journal(other, SimpleUploadedFile(name, content.encode()))
        assert result.ok, result.errors
        assert TwitchEntry.objects.filter(user=other).first().intensity is None
        TwitchEntry.objects.filter(user=other).delete()


def test_the_pdf_says_not_noted(signed_in):
    quick_log(signed_in)
    pdf = signed_in.get(
        reverse("report_pdf"), {"start": "2025-03-01", "end": "2025-03-01", "every_entry": "on"}
    )
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert "14:30 Calf Left Not noted" in text
    assert "Visible" not in text
