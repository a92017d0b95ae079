"""Dark mode: the person's choice of colours (webapp.Appearance) and how pages carry it."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from webapp.models import Appearance
from webapp.theme import SESSION_KEY

pytestmark = pytest.mark.django_db

SETTINGS = {"display_name": "", "time_zone": "UTC", "date_of_birth": ""}


def html_tag(page) -> str:
    return re.search(r"<html[^>]*>", page.content.decode()).group(0)


def test_a_visitor_s_pages_follow_the_device(client):
    tag = html_tag(client.get(reverse("login")))
    assert 'data-theme="device"' in tag
    assert "data-bs-theme" not in tag
    assert "js/theme.js" in client.get(reverse("login")).content.decode()


def test_settings_offers_device_light_and_dark_with_device_first(signed_in):
    page = signed_in.get(reverse("settings")).content.decode()
    choices = re.findall(r'name="appearance-theme" value="(\w+)"', page)
    assert choices == ["device", "light", "dark"]
    assert re.search(r'value="device"[^>]*checked', page)
    assert 'data-theme="device"' in html_tag(signed_in.get(reverse("home")))


def test_choosing_dark_darkens_every_page_from_the_next_one(signed_in, user):
    response = signed_in.post(
        reverse("settings"), {**SETTINGS, "appearance-theme": "dark"}, follow=True
    )
    assert "Your settings are saved." in response.content.decode()
    assert Appearance.objects.get(user=user).theme == "dark"
    for name in ("settings", "home", "log", "trends", "flags"):
        assert 'data-bs-theme="dark"' in html_tag(signed_in.get(reverse(name)))


def test_the_choice_follows_the_person_to_another_device(signed_in, user):
    signed_in.post(reverse("settings"), {**SETTINGS, "appearance-theme": "light"})
    phone = Client()
    phone.force_login(user)
    assert 'data-bs-theme="light"' in html_tag(phone.get(reverse("home")))


def test_an_unknown_choice_is_refused_and_nothing_is_saved(signed_in, user):
    response = signed_in.post(
        reverse("settings"),
        {**SETTINGS, "display_name": "Ada", "appearance-theme": "purple"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    user.profile.refresh_from_db()
    assert user.profile.display_name == ""
    assert not Appearance.objects.filter(user=user).exists()


def test_another_person_s_choice_is_theirs_alone(signed_in, user, other_user):
    Appearance.objects.create(user=other_user, theme="dark")
    assert 'data-theme="device"' in html_tag(signed_in.get(reverse("home")))


def test_pages_read_the_theme_from_the_session_not_the_database(signed_in, user):
    Appearance.objects.create(user=user, theme="dark")
    session = signed_in.session
    session.pop(SESSION_KEY, None)
    session.save()
    # A session from before themes: the first page reads the choice once and keeps it.
    assert appearance_reads(signed_in, "flags") == 1
    assert signed_in.session[SESSION_KEY] == "dark"
    # From then on the theme costs no query.
    assert appearance_reads(signed_in, "flags") == 0
    assert appearance_reads(signed_in, "home") == 0


def test_signing_in_carries_the_choice_into_the_session(client, user):
    Appearance.objects.create(user=user, theme="dark")
    client.force_login(user)
    assert client.session[SESSION_KEY] == "dark"


def appearance_reads(client, name) -> int:
    """How many queries of the theme table one page makes; the page must be dark."""
    with CaptureQueriesContext(connection) as captured:
        assert 'data-bs-theme="dark"' in html_tag(client.get(reverse(name)))
    return sum("webapp_appearance" in query["sql"] for query in captured.captured_queries)


def test_the_api_documentation_stays_light_as_swagger_ui_draws_only_light(signed_in, user):
    Appearance.objects.create(user=user, theme="dark")
    signed_in.force_login(user)
    assert 'data-bs-theme="light"' in html_tag(signed_in.get(reverse("api:docs")))
    assert 'data-bs-theme="light"' in html_tag(Client().get(reverse("api:docs")))
