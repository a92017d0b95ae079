"""The installable app: manifest, service worker, offline page, and what is never stored."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client
from django.urls import resolve, reverse
from PIL import Image

from api.views import QUEUED_BY_ANOTHER
from webapp import owner, shell

pytestmark = pytest.mark.django_db

STATIC = Path(django_settings.BASE_DIR) / "static"


def worker_shell(client) -> dict:
    body = client.get(reverse("service_worker")).content.decode()
    first_line = body.splitlines()[0]
    assert first_line.startswith("const SHELL = ")
    return json.loads(first_line.removeprefix("const SHELL = ").rstrip(";"))


def test_the_manifest_describes_an_installable_app(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    assert "no-cache" in response["Cache-Control"]
    manifest = json.loads(response.content)
    assert (manifest["name"], manifest["short_name"]) == ("TwitchLog", "TwitchLog")
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/",
        "/",
        "standalone",
    )
    assert manifest["theme_color"] == "#0f5e63"
    assert manifest["background_color"] == "#f6f8f8"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        width, height = Image.open(path).size
        assert f"{width}x{height}" == icon["sizes"]
    assert [shortcut["name"] for shortcut in manifest["shortcuts"]] == [
        "Log a twitch",
        "Again",
        "Check-in",
    ]
    targets = [shortcut["url"] for shortcut in manifest["shortcuts"]]
    assert targets == ["/log/", "/#again", "/checkin/"]
    assert [resolve(url.split("#")[0]).url_name for url in targets] == ["log", "home", "checkin"]


def test_every_page_links_the_manifest_and_registers_the_worker(client, user):
    assert '<link rel="manifest"' in client.get(reverse("login")).content.decode()
    signed_in = client
    signed_in.force_login(user)
    for url in ("/", "/log/", "/settings/", "/offline/", "/no-such-page/"):
        body = signed_in.get(url).content.decode()
        assert '<link rel="manifest" href="/manifest.webmanifest">' in body, url
        assert 'data-service-worker="/sw.js"' in body, url


def test_the_worker_is_served_at_the_root_as_script_and_always_revalidated(client):
    response = client.get("/sw.js")
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert "no-cache" in response["Cache-Control"]
    assert "Service-Worker-Allowed" not in response
    body = response.content.decode()
    assert 'self.addEventListener("fetch"' in body
    kept = worker_shell(client)
    assert kept["offline"] == "/offline/"
    assert set(kept["urls"]) == {"/offline/", *(f"/static/{name}" for name in shell.STATIC_FILES)}
    assert re.fullmatch(r"[0-9a-f]{16}", kept["version"])


def test_the_worker_keeps_only_what_is_the_same_for_everyone():
    """No address of the shell is a page of anyone's journal."""
    for url in shell.current().urls:
        assert url == "/offline/" or url.startswith("/static/"), url


def test_a_changed_static_file_makes_a_new_release(client, tmp_path, monkeypatch):
    before = worker_shell(client)["version"]
    assert worker_shell(client)["version"] == before
    changed = tmp_path / "app.css"
    changed.write_text((STATIC / "css" / "app.css").read_text() + "\n/* next release */\n")
    real_find = finders.find
    monkeypatch.setattr(
        finders,
        "find",
        lambda name, **kw: str(changed) if name == "css/app.css" else real_find(name, **kw),
    )
    assert worker_shell(client)["version"] != before


def test_with_collectstatic_the_version_comes_from_the_hashed_names(client, tmp_path, settings):
    plain = worker_shell(client)
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--no-input", verbosity=0)
    hashed = worker_shell(client)
    assert hashed["version"] != plain["version"]
    assert any(re.search(r"/static/css/app\.[0-9a-f]{12}\.css$", url) for url in hashed["urls"])
    manifest = client.get("/manifest.webmanifest").json()
    assert re.search(r"icon-512\.[0-9a-f]{12}\.png$", manifest["icons"][1]["src"])


def test_the_offline_page_is_public_and_shows_nobodys_data(client, signed_in, user):
    user.profile.display_name = "Ada Lovelace"
    user.profile.save()
    mine = signed_in.get("/offline/")
    assert mine.status_code == 200
    text = mine.content.decode()
    assert "No connection just now" in text
    assert "Ada Lovelace" not in text
    assert user.email not in text
    assert "csrfmiddlewaretoken" not in text
    assert Client().get("/offline/").content.decode() == text


def test_signing_out_tells_the_browser_to_clear_what_the_site_stored(signed_in, client):
    response = signed_in.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    # Only signing out does: the next pages leave the device alone.
    assert not client.get("/").has_header("Clear-Site-Data")


def test_the_queue_asks_whether_the_device_is_signed_in_and_as_whom(client, user):
    assert client.get("/offline/session/").json() == {
        "signed_in": False,
        "csrf": "",
        "owners": [],
    }
    client.force_login(user)
    answer = client.get("/offline/session/")
    assert answer.json()["signed_in"] is True
    assert len(answer.json()["csrf"]) == 64
    assert answer.json()["owners"] == [owner.mark(user)]
    assert "no-store" in answer["Cache-Control"]


def test_a_persons_queue_mark_is_steady_their_own_and_says_nothing_of_them(user, other_user):
    mark = owner.mark(user)
    assert re.fullmatch(r"[0-9a-f]{32}", mark)
    assert owner.mark(user) == mark
    assert owner.mark(other_user) != mark
    assert user.email not in mark
    assert owner.is_theirs(user, mark)
    assert not owner.is_theirs(other_user, mark)
    assert not owner.is_theirs(user, "")


def test_a_mark_made_before_the_secret_key_was_rotated_is_still_the_persons(user, settings):
    before = owner.mark(user)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key-after-rotation-" + "x" * 40
    assert owner.mark(user) != before
    assert owner.marks(user) == [owner.mark(user), before]
    assert owner.is_theirs(user, before)


def test_signed_in_pages_hand_the_queue_their_persons_mark_and_public_pages_none(
    client, user, other_user
):
    assert "data-owner" not in client.get(reverse("login")).content.decode()
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    assert f'data-owner="{owner.mark(user)}"' in page
    assert owner.mark(other_user) not in page
    assert "data-owner" not in client.get("/offline/").content.decode()


def test_the_api_refuses_a_queued_twitch_of_another_person_and_writes_nothing(
    client, user, other_user
):
    from journal.models import TwitchEntry

    client.force_login(other_user)
    url = reverse("api:twitch-list")
    body = {"location": "calf"}
    ada = {"HTTP_X_QUEUED_BY": owner.mark(user), "HTTP_IDEMPOTENCY_KEY": "queued-key-1"}
    refused = client.post(url, body, content_type="application/json", **ada)
    assert refused.status_code == 403
    assert refused.json() == {"detail": QUEUED_BY_ANOTHER}
    again = client.post(reverse("api:twitch-again"), **ada)
    assert again.status_code == 403
    assert client.get(url, **ada).status_code == 403
    assert not TwitchEntry.objects.exists()

    # The same key, now sent by its owner, is not spent by the refusal: it saves once.
    client.force_login(user)
    for _ in range(2):
        saved = client.post(url, body, content_type="application/json", **ada)
        assert saved.status_code == 201
    assert TwitchEntry.objects.get().user == user
    # Without the header (any API client, the pages) nothing changes.
    client.force_login(other_user)
    plain = client.post(url, body, content_type="application/json")
    assert plain.status_code == 201


def test_the_offline_page_offers_the_log_form_with_every_place(client):
    from journal import body

    page = client.get("/offline/").content.decode()
    assert 'id="offline-log-form"' in page
    for code, _ in body.TWITCH_LOCATIONS:
        assert f'value="{code}"' in page
    assert "js/offline.js" in page
