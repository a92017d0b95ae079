"""Personal access tokens: made once, stored only as a digest, refused once revoked or
expired, and their last use kept to the minute."""

import datetime
import hashlib

import pytest
import time_machine

from api.models import ApiToken
from api.tokens import LAST_USED_PRECISION, TOKEN_PATTERN, create_token, find_token, revoke_token

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 3, 10, 12, 0, tzinfo=datetime.UTC)


def stored_text(row: ApiToken) -> str:
    """Every column of the token's row, as text."""
    return " ".join(
        str(value) for value in ApiToken.objects.filter(pk=row.pk).values().get().values()
    )


def secret_of(token: str) -> str:
    """The token after "tl_<prefix>_" (the secret may itself hold "_")."""
    return TOKEN_PATTERN.fullmatch(token)["secret"]


def test_a_token_is_shown_once_and_stored_only_as_its_sha256_digest(user):
    row, token = create_token(user, "Phone", ApiToken.Scope.WRITE)

    assert TOKEN_PATTERN.fullmatch(token)
    secret = secret_of(token)
    assert secret not in stored_text(row)
    assert token not in stored_text(row)
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token.startswith(f"tl_{row.prefix}_")


def test_each_token_is_different_and_carries_256_random_bits(user):
    tokens = {create_token(user, f"Device {n}", ApiToken.Scope.READ)[1] for n in range(20)}
    assert len(tokens) == 20
    # 43 URL-safe base64 characters hold 256 bits.
    assert all(len(secret_of(token)) == 43 for token in tokens)


def test_the_token_finds_its_row_and_nothing_else_does(user):
    row, token = create_token(user, "Phone", ApiToken.Scope.WRITE)
    other_secret = token[:-1] + ("A" if token[-1] != "A" else "B")
    for text in (other_secret, token + "x", token.upper(), "", "tl_", f"tl_{row.prefix}_"):
        assert find_token(text) is None, text
    assert find_token(token) == row


def test_an_expired_token_is_refused_from_the_moment_it_expires(user):
    with time_machine.travel(NOW, tick=False):
        _, token = create_token(user, "Watch", "read", expires_at=NOW + datetime.timedelta(days=30))
    with time_machine.travel(NOW + datetime.timedelta(days=30, seconds=-1), tick=False):
        assert find_token(token) is not None
    with time_machine.travel(NOW + datetime.timedelta(days=30), tick=False):
        assert find_token(token) is None


def test_a_revoked_token_is_gone_at_once(user, other_user):
    row, token = create_token(user, "Phone", ApiToken.Scope.WRITE)
    assert not revoke_token(other_user, row.pk)
    assert find_token(token) == row
    assert revoke_token(user, row.pk)
    assert find_token(token) is None


def test_a_deactivated_persons_token_no_longer_works(user):
    _, token = create_token(user, "Phone", ApiToken.Scope.WRITE)
    user.is_active = False
    user.save()
    assert find_token(token) is None


def test_the_last_use_is_written_at_most_once_a_minute(user, django_assert_num_queries):
    row, token = create_token(user, "Phone", ApiToken.Scope.WRITE)
    with time_machine.travel(NOW, tick=False):
        # The row with its person and profile, then the new last use.
        with django_assert_num_queries(2):
            find_token(token)
        # Within the minute: the row only.
        with django_assert_num_queries(1):
            find_token(token)
    row.refresh_from_db()
    assert row.last_used_at == NOW
    with time_machine.travel(NOW + LAST_USED_PRECISION, tick=False):
        find_token(token)
    row.refresh_from_db()
    assert row.last_used_at == NOW + LAST_USED_PRECISION
