"""The settings template in deploy/ makes a deployment behind nginx that Django passes:
`check --deploy` finds nothing to warn about, and the app reads the headers nginx sends
(deploy/nginx/twitchlog-proxy.conf) the way the proxy means them."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "twitchlog.env.example"

# Run in a fresh process with only the template's settings: Django's deployment checks,
# then the settings that decide how a proxied request is read, and how one is read.
PROBE = """
import json
import django
from django.conf import settings
from django.core.management import call_command
from django.test import RequestFactory

django.setup()
call_command("check", deploy=True, fail_level="WARNING")
from allauth.account.adapter import get_adapter

request = RequestFactory().get(
    "/",
    HTTP_HOST="twitchlog.example.org",
    HTTP_X_FORWARDED_PROTO="https",
    HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.7",
    REMOTE_ADDR="10.0.0.10",
)
print(json.dumps({
    "secure": request.is_secure(),
    "host": request.get_host(),
    "client": get_adapter().get_client_ip(request),
    "use_x_forwarded_host": settings.USE_X_FORWARDED_HOST,
    "csrf_trusted_origins": settings.CSRF_TRUSTED_ORIGINS,
    "cache": settings.CACHES["default"]["BACKEND"],
}))
"""


def template_settings() -> dict[str, str]:
    """The template's KEY=value lines, as systemd's EnvironmentFile reads them."""
    values = {}
    for line in TEMPLATE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value
    return values


def test_no_value_in_the_template_carries_a_comment_or_a_secret():
    for name, value in template_settings().items():
        assert "#" not in value, f"{name}: systemd would read the comment as part of the value"
    assert template_settings()["SECRET_KEY"] == ""


def test_the_template_passes_check_deploy_and_reads_what_nginx_sends(tmp_path):
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    env |= template_settings()
    env |= {
        "SECRET_KEY": secrets.token_urlsafe(50),
        # No database is opened: a file that is never made keeps PostgreSQL out of it.
        "DATABASE_URL": f"sqlite:///{tmp_path}/never-made.sqlite3",
        "DJANGO_SETTINGS_MODULE": "twitchlog.settings",
    }

    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        # X-Forwarded-Proto: https, from nginx, makes the request a secure one.
        "secure": True,
        # The Host nginx passes on, checked against ALLOWED_HOSTS; no X-Forwarded-Host.
        "host": "twitchlog.example.org",
        "use_x_forwarded_host": False,
        # nginx appends the address it saw; the app takes that one, not what the client
        # put in front of it.
        "client": "198.51.100.7",
        "csrf_trusted_origins": ["https://twitchlog.example.org"],
        "cache": "django.core.cache.backends.redis.RedisCache",
    }
