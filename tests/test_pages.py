"""The base page, landing page, health check, headers and static files."""

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_landing_page_explains_the_app_and_links_to_sign_up(client):
    body = client.get("/").content.decode()
    assert "Keep track of muscle twitches" in body
    assert reverse("signup") in body
    assert reverse("login") in body
    assert '<html lang="en" ' in body
    assert 'href="#main"' in body
    assert "not a diagnosis" in body


def test_home_greets_the_signed_in_person_by_name(signed_in, user):
    user.profile.display_name = "Ada"
    user.profile.save()
    body = signed_in.get("/").content.decode()
    assert "Hello, Ada" in body
    assert reverse("settings") in body


def test_healthz_answers_ok_after_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_pages_send_security_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]


def test_pages_load_nothing_from_other_hosts(client, signed_in):
    for url in ("/", reverse("settings"), reverse("login")):
        body = signed_in.get(url).content.decode()
        assert "https://" not in body.replace("https://getbootstrap.com", "")
        assert "<script>" not in body


def test_collectstatic_builds_hashed_compressed_files(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--no-input", verbosity=0)
    names = {p.name for p in tmp_path.rglob("*")}
    assert "staticfiles.json" in names
    assert any(n.startswith("chart.umd.min.") and n.endswith(".js.gz") for n in names)
