"""With REDIS_URL set, every throttle counts in Redis: two worker processes share the
counts, so running more workers gives an attacker no more tries.

Runs against the Redis on 127.0.0.1:6379, in database 11 under a key prefix of its
own, and removes only its own keys. Without Redis the test is skipped, except under
CI=true, where a missing Redis fails it.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

redis = pytest.importorskip("redis")

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/11"

# One worker process: Django set up from the project's settings, asked to count the
# attempts it is given; prints which were allowed.
WORKER = """
import json, os, sys
import django
django.setup()
from allauth.core.internal import ratelimit
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.test import RequestFactory
from accounts import throttles

def request(address):
    made = RequestFactory().post("/", REMOTE_ADDR=address)
    made.user = AnonymousUser()
    return made

allowed = []
for action, address, key in json.loads(sys.argv[1]):
    if action == "sign_in":
        try:
            throttles.consume_sign_in(request(address), "testserver:" + key, key)
            allowed.append(True)
        except throttles.Locked:
            allowed.append(False)
    else:
        usage = ratelimit.consume(request(address), app=throttles.APP, action=action, key=key)
        allowed.append(usage is not None)
print(json.dumps({"cache": type(caches["default"]).__name__, "allowed": allowed}))
"""


@pytest.fixture
def redis_prefix():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is not answering on 127.0.0.1:6379")
        pytest.skip("Redis is not answering on 127.0.0.1:6379")
    prefix = f"twitchlog-test-{uuid.uuid4().hex}"
    yield prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def worker(prefix, steps):
    """Run one worker process with REDIS_URL set; returns which steps were allowed."""
    unset = {"PYTEST_VERSION", "DATABASE_URL"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "twitchlog.settings",
            "DEBUG": "true",
            "REDIS_URL": REDIS_URL,
            "CACHE_KEY_PREFIX": prefix,
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", WORKER, json.dumps(steps)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["cache"] == "RedisCache"
    return answer["allowed"]


def test_every_limit_holds_across_two_processes(redis_prefix):
    # Wrong passwords for one account from one address: 5 in 15 minutes.
    pair = [("sign_in", "10.0.0.1", "ada@example.com")]
    # Wrong passwords for one account from many addresses: 10 in 15 minutes.
    account = [("sign_in", f"10.1.0.{n}", "bob@example.com") for n in range(11)]
    # Wrong passwords from one address across accounts: 20 in 15 minutes.
    address = [("sign_in", "10.2.0.1", f"p{n}@example.com") for n in range(21)]
    # Sign-ups for one email: 3 an hour. Resets for one email: 3 an hour.
    signup = [("signup_email", f"10.3.0.{n}", "cy@example.com") for n in range(4)]
    reset = [("reset_password", f"10.4.0.{n}", "di@example.com") for n in range(4)]

    first = worker(redis_prefix, pair * 3 + account[:6] + address[:12] + signup[:2] + reset[:2])
    second = worker(redis_prefix, pair * 3 + account[6:] + address[12:] + signup[2:] + reset[2:])

    assert all(first), first
    assert second == (
        [True, True, False]  # the pair's 4th and 5th tries, then paused
        + [True] * 4
        + [False]  # the account's 7th to 10th, then paused
        + [True] * 8
        + [False]  # the address's 13th to 20th, then paused
        + [True, False]  # the email's 3rd sign-up, then paused
        + [True, False]  # the email's 3rd reset, then paused
    )
