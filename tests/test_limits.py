"""Bounded work: per-person limits on import checks, PDFs and downloads (a calm 429 page,
or 429 with Retry-After from the API), the PDF appendix's cap, and gunicorn's settings."""

import datetime
import runpy
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from api.tokens import create_token
from journal.models import PendingImport
from tests.journal_support import make_twitch, text_of
from tests.test_accounts import run_django
from tests.test_exports import csv_file, twitch_row

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime.datetime(2025, 3, 10, 12, 0, tzinfo=datetime.UTC)
PDF = reverse("report_pdf")
CSV = reverse("export_csv")
JSON = reverse("export_json")


@pytest.fixture(autouse=True)
def _two_an_hour(settings):
    settings.PERSON_LIMITS = {"import": "2/h", "pdf": "2/h", "export": "2/h"}


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def api_get(client, token, url):
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")


class TestPdf:
    def test_the_third_pdf_in_an_hour_is_a_calm_429_saying_when(self, signed_in, user, clock):
        make_twitch(user, NOW - datetime.timedelta(days=1))
        assert [signed_in.get(PDF).status_code for _ in range(2)] == [200, 200]
        clock.shift(datetime.timedelta(minutes=20))
        response = signed_in.get(PDF)
        assert response.status_code == 429
        assert response["Retry-After"] == str(40 * 60)
        text = text_of(response.content.decode())
        assert "You have made 2 doctor's summaries in the last hour, the most for now." in text
        assert "Please try again in about 40 minutes." in text
        assert f'href="{reverse("report")}">Back to the doctor\'s summary</a>' in (
            response.content.decode().replace("&#x27;", "'")
        )
        assert "no-store" in response["Cache-Control"]

    def test_an_hour_later_it_is_allowed_again(self, signed_in, clock):
        for _ in range(2):
            signed_in.get(PDF)
        clock.shift(datetime.timedelta(hours=1, seconds=1))
        assert signed_in.get(PDF).status_code == 200

    def test_dates_that_cannot_be_used_do_not_count(self, signed_in, clock):
        for _ in range(3):
            assert signed_in.get(PDF, {"start": "nonsense"}).status_code == 400
        assert signed_in.get(PDF).status_code == 200

    def test_each_person_has_their_own_count(self, client, user, other_user, clock):
        client.force_login(user)
        for _ in range(2):
            client.get(PDF)
        client.force_login(other_user)
        assert client.get(PDF).status_code == 200

    def test_the_api_shares_the_persons_count_and_answers_429_with_retry_after(
        self, signed_in, client, user, clock
    ):
        _, token = create_token(user, "Phone", "read")
        signed_in.get(PDF)
        assert api_get(client, token, reverse("api:report-pdf")).status_code == 200
        response = api_get(client, token, reverse("api:report-pdf"))
        assert response.status_code == 429
        assert response["Retry-After"] == "3600"
        assert response.json() == {
            "detail": "You have made 2 doctor's summaries in the last hour, the most for "
            "now. Try again in 3600 seconds."
        }


class TestExports:
    def test_csv_and_json_count_together_with_the_api(self, signed_in, client, user, clock):
        _, token = create_token(user, "Phone", "read")
        assert signed_in.get(CSV).status_code == 200
        assert api_get(client, token, reverse("api:export")).status_code == 200
        response = signed_in.get(JSON)
        assert response.status_code == 429
        assert "You have downloaded your journal 2 times in the last hour" in text_of(
            response.content.decode()
        )
        api = api_get(client, token, reverse("api:export"))
        assert (api.status_code, api["Retry-After"]) == (429, "3600")

    def test_a_refused_download_is_not_listed_as_one(self, signed_in, user, clock):
        for _ in range(3):
            signed_in.get(CSV)
        assert user.account_activity.filter(kind="exported").count() == 2


class TestImports:
    def upload(self, client):
        content = csv_file(twitch_row(occurred_at="2025-03-01T08:30:00+00:00")).encode()
        return client.post(reverse("import"), {"file": SimpleUploadedFile("journal.csv", content)})

    def test_the_third_file_checked_in_an_hour_is_refused_before_it_is_read(
        self, signed_in, user, clock
    ):
        for _ in range(2):
            assert self.upload(signed_in).status_code == 200  # the preview
        PendingImport.objects.all().delete()
        response = self.upload(signed_in)
        assert response.status_code == 429
        assert "You have checked 2 files to import in the last hour" in text_of(
            response.content.decode()
        )
        assert not PendingImport.objects.exists()


def test_the_limits_and_the_appendix_cap_come_from_the_environment():
    result = run_django(
        {"DEBUG": "true", "PDF_LIMIT": "3/d", "REPORT_EVERY_ENTRY_CAP": "500"},
        "shell",
        "--verbosity",
        "0",
        "-c",
        "from django.conf import settings as s; "
        "print(s.PERSON_LIMITS['pdf'], s.PERSON_LIMITS['import'], s.REPORT_EVERY_ENTRY_CAP)",
    )
    assert result.stdout.split() == ["3/d", "10/h", "500"], result.stderr


def test_a_limit_that_is_not_one_is_refused_at_start_up():
    result = run_django({"DEBUG": "true", "EXPORT_LIMIT": "lots"}, "check")
    assert result.returncode != 0
    assert "EXPORT_LIMIT=lots is not a limit: write a count and a period" in result.stderr


class TestGunicornSettings:
    def settings(self, monkeypatch, **env):
        for name in ("GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_MAX_REQUESTS_JITTER"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))

    def test_workers_and_threads_come_from_the_environment(self, monkeypatch):
        conf = self.settings(monkeypatch, GUNICORN_WORKERS="4", GUNICORN_THREADS="8")
        assert (conf["workers"], conf["threads"]) == (4, 8)
        conf = self.settings(monkeypatch)
        assert (conf["workers"], conf["threads"]) == (2, 1)

    def test_workers_are_replaced_with_jitter_and_requests_time_out(self, monkeypatch):
        conf = self.settings(monkeypatch)
        assert conf["max_requests"] > 0
        assert 0 < conf["max_requests_jitter"] < conf["max_requests"]
        assert conf["timeout"] == 30

    def test_the_access_log_names_no_query_string_and_no_referrer(self, monkeypatch):
        log_format = self.settings(monkeypatch)["access_log_format"]
        assert "%(U)s" in log_format
        for atom in ("%(r)s", "%(q)s", "%(f)s", "{"):
            assert atom not in log_format

    def test_the_readme_and_the_load_test_start_gunicorn_with_it(self):
        command = "gunicorn -c deploy/gunicorn.conf.py twitchlog.wsgi"
        assert command in (ROOT / "README.md").read_text()
        assert command in (ROOT / "scripts" / "gunicorn.sh").read_text()
