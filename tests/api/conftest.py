"""Fixtures for the API's tests: people with tokens, and a client that sends them."""

import json
from collections import Counter

import pytest

from api.models import ApiToken
from api.tokens import create_token


class ApiClient:
    """Django's test client, sending JSON and one person's Bearer token."""

    def __init__(self, client, token: str | None):
        self.client = client
        self.token = token

    def _headers(self):
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}

    def get(self, url, params=None):
        return self.client.get(url, params or {}, **self._headers())

    def send(self, method, url, data=None, **extra):
        body = json.dumps(data) if data is not None else ""
        return getattr(self.client, method)(
            url, data=body, content_type="application/json", **self._headers(), **extra
        )

    def post(self, url, data=None, **extra):
        return self.send("post", url, data, **extra)

    def patch(self, url, data=None, **extra):
        return self.send("patch", url, data, **extra)

    def delete(self, url, **extra):
        return self.send("delete", url, None, **extra)


@pytest.fixture
def make_api(client):
    """An API client for `user` with a new token of `scope` (or none at all)."""

    def make(user=None, scope=ApiToken.Scope.WRITE, **token_fields):
        if user is None:
            return ApiClient(client, None)
        _, token = create_token(user, "Test device", scope, **token_fields)
        return ApiClient(client, token)

    return make


@pytest.fixture
def api(make_api, user):
    """`user`'s API client with a read+write token."""
    return make_api(user)


# Cases schemathesis sent, per operation (tests/api/test_schema.py); reported at the end.
SCHEMATHESIS_CASES = Counter()


def pytest_terminal_summary(terminalreporter):
    if SCHEMATHESIS_CASES:
        total = sum(SCHEMATHESIS_CASES.values())
        terminalreporter.write_line(
            f"schemathesis: {total} cases over {len(SCHEMATHESIS_CASES)} operations"
        )
