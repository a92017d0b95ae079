"""Shared test set-up: a test secret key, plain static storage, and people to test with."""

import pytest
from django.core.cache import caches

from accounts.emails import mark_email_verified
from tests.support import PASSWORD


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Serve static files without the collectstatic manifest, which tests don't build."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Store test passwords with a quick hash: the real one takes about half a second a
    password by design, and the suite makes and checks over a thousand of them. The
    hashing itself is Django's; nothing here tests its strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts with empty caches, so throttling counts never leak between tests."""
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _roomy_person_limits(settings):
    """Tests that check many files or PDFs in one test (hypothesis) reach the work itself,
    not the per-person limit; tests/test_limits.py sets and tests the limits."""
    settings.PERSON_LIMITS = {"import": "10000/h", "pdf": "10000/h", "export": "10000/h"}


@pytest.fixture
def make_user(django_user_model):
    """Create a person with a profile and a confirmed email, their sign-in name."""

    def make(email="ada@example.com", password=PASSWORD, time_zone="UTC", **profile_fields):
        user = django_user_model.objects.create_user(username=email, email=email, password=password)
        mark_email_verified(user)
        profile = user.profile
        profile.time_zone = time_zone
        for name, value in profile_fields.items():
            setattr(profile, name, value)
        profile.save()
        return user

    return make


@pytest.fixture
def user(make_user):
    return make_user()


@pytest.fixture
def other_user(make_user):
    return make_user(email="bob@example.com")


@pytest.fixture
def signed_in(client, user):
    """A test client signed in as `user`."""
    client.force_login(user)
    return client


@pytest.fixture
def shared_database(transactional_db, tmp_path, monkeypatch):
    """A test database that several threads write to at once, as workers do in production.

    PostgreSQL's test database already is one. SQLite's lives in memory with a shared
    cache, where a second writer is refused at once instead of waiting its turn; so for
    the test it is copied to a file, opened with the app's own settings (busy timeout,
    WAL, immediate transactions) by this thread and every thread the test starts.
    Threads close their connections when done (``django.db.connections.close_all()``).
    """
    import sqlite3

    from django.db import connections

    original = connections["default"]
    if original.vendor != "sqlite":
        yield
        return
    path = tmp_path / "shared.sqlite3"
    original.ensure_connection()
    copy = sqlite3.connect(path)
    original.connection.backup(copy)
    copy.close()
    monkeypatch.setitem(connections.settings, "default", {**original.settings_dict, "NAME": path})
    connections["default"] = connections.create_connection("default")
    try:
        yield
    finally:
        connections["default"].close()
        connections["default"] = original
