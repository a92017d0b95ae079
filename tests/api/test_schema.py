"""The API against its own OpenAPI schema (/api/schema/), with schemathesis.

Schemathesis reads the schema and sends generated requests, valid and invalid, to
every operation with a read+write token, and runs its default checks on each answer:
no server error, every status, content type, header and body as the schema
describes (response schema conformance), invalid data refused, valid data accepted.

One adjustment: valid data may still be refused with a 400 by the journal's own
rules, which no schema can state: a time still to come, a second check-in for the
same day, a date range ending before it starts. A 400 therefore counts as an
accepted answer to schema-valid data (its body must still match the Error schema).
The number of cases sent is printed at the end of the run.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from hypothesis import HealthCheck, settings

from api.models import ApiToken
from api.tokens import create_token
from tests.api.conftest import SCHEMATHESIS_CASES
from tests.journal_support import make_checkin, make_symptom, make_twitch

pytestmark = pytest.mark.django_db(transaction=True)

CONFIG = schemathesis.Config.from_str(
    """
[generation]
max-examples = 30
deterministic = true
database = "none"

[checks.positive_data_acceptance]
expected-statuses = ["2xx", "400", "401", "403", "404", "409", "429"]
"""
)


# Read from the running app's own /api/schema/ address when the tests are collected.
schema = schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler(), config=CONFIG)


@pytest.fixture
def token(make_user, settings):
    """A person with a little of everything in their journal, and their read+write token."""
    settings.API_RATE = "1000000/minute"
    person = make_user(email="schema@example.com", time_zone="America/New_York")
    from django.utils import timezone

    now = timezone.now()
    for _ in range(3):
        make_twitch(person, now, triggers=["stress"])
    make_symptom(person, now.date())
    make_checkin(person, now.date())
    return create_token(person, "Schemathesis", ApiToken.Scope.WRITE)[1]


@schema.parametrize()
# The person's journal grows across the generated requests on purpose, as a real one does.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_answer_keeps_to_the_schema(case, token):
    SCHEMATHESIS_CASES[case.operation.label] += 1
    # Schemathesis's WSGI transport asks for gzip but does not unpack it, as HTTP clients do.
    headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}
    case.call_and_validate(headers=headers)


def test_the_schema_is_valid_openapi_and_generates_without_warnings(tmp_path):
    # --fail-on-warn: every field and answer is described, enum names included.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "api.yaml")
    text = (tmp_path / "api.yaml").read_text()
    assert "openapi: 3.0.3" in text
    assert "bearerAuth" in text


def test_an_entrys_id_is_digits_so_no_neighbouring_address_passes_for_one():
    """/twitches/again/ is an address of its own (POST only), not the twitch "again"."""
    operations = schema.raw_schema["paths"]
    for path in ("/api/v1/twitches/{id}/", "/api/v1/symptoms/{id}/"):
        for method in ("get", "patch", "delete"):
            (parameter,) = [p for p in operations[path][method]["parameters"] if p["in"] == "path"]
            assert (parameter["name"], parameter["schema"]["pattern"]) == ("id", "^[0-9]+$")
    assert set(operations["/api/v1/twitches/again/"]) == {"post"}
