"""Helpers shared by the tests: the test password and small data builders."""

PASSWORD = "a-long-test-password-42"


def confirm_it_is_me(client, password=PASSWORD):
    """Re-enter the password, as two-step changes ask first."""
    response = client.post("/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302, response.content.decode()


def totp_secret_in(page: str) -> str:
    """The authenticator key as the set-up page shows it, for typing in by hand."""
    import re

    return re.search(r'id="totp-secret"[^>]*value="([A-Z2-7]+)"', page).group(1)


def turn_on_authenticator_app(client) -> str:
    """Set up TOTP for the signed-in person as they would; returns the key.

    allauth reports the new method (activity, other sessions signed out) once its
    transaction commits: tests that look for that use django_db(transaction=True).
    """
    import pyotp

    confirm_it_is_me(client)
    page = client.get("/accounts/2fa/totp/activate/").content.decode()
    secret = totp_secret_in(page)
    response = client.post("/accounts/2fa/totp/activate/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302, response.content.decode()
    return secret
