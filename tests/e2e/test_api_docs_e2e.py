"""The API's interactive documentation in Chromium: Swagger UI from our own static
files, with the Content-Security-Policy intact and no request to any other host."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LAPTOP, PHONE

pytestmark = pytest.mark.django_db(transaction=True)


def open_docs(page, live_server):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    response = page.goto("/api/docs/")
    assert response.ok
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    # Swagger UI has read /api/schema/ and drawn one block per operation.
    expect(page.locator(".opblock").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    return requests


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_docs_draw_every_operation_from_this_server_alone(new_page, live_server, viewport):
    page = new_page(viewport=viewport)
    requests = open_docs(page, live_server)

    elsewhere = [url for url in requests if not url.startswith(live_server.url)]
    assert not elsewhere, elsewhere
    assert any(url.endswith("/api/schema/") for url in requests)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/twitches/" in [path.replace("\u200b", "") for path in paths]
    expect(page.get_by_role("heading", level=1)).to_contain_text("TwitchLog API")
    expect(page.get_by_role("link", name="Settings, under Apps and shortcuts")).to_be_visible()
    # The page keeps one main landmark, the app's own.
    assert page.locator("main").count() == 1


def test_signed_in_the_docs_try_an_address_with_the_session(signed_in_page, live_server):
    page = signed_in_page
    open_docs(page, live_server)
    block = page.locator("[id^=operations-vocabulary-]").first
    block.locator(".opblock-summary-control").click()
    block.get_by_role("button", name="Try it out").click()
    block.get_by_role("button", name="Execute").click()
    live = block.locator(".live-responses-table tbody .response-col_status").first
    expect(live).to_have_text(re.compile("200"))
    expect(block.locator(".live-responses-table .microlight").first).to_contain_text("thumb_base")
