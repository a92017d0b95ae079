"""gunicorn's settings for TwitchLog, read from the environment:

    gunicorn -c deploy/gunicorn.conf.py twitchlog.wsgi

The README's production commands and `make loadtest` (scripts/gunicorn.sh) use it.
"""

import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, "") or default)


bind = os.environ.get("GUNICORN_BIND", "") or "127.0.0.1:8000"
# Processes, and threads in each (more than one thread selects the threaded worker). With
# more than one process, set REDIS_URL so the limits count in one place.
workers = _int("GUNICORN_WORKERS", 2)
threads = _int("GUNICORN_THREADS", 1)
# A request still running after this many seconds is stopped (and its worker restarted).
# The heavy requests (a file's import, a PDF, an export) are bounded to finish well inside.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# Each worker is replaced after this many requests, give or take the jitter, so memory a
# large PDF or import left behind is returned, and never all workers at the same moment.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# The access log names the address without its query string (%(U)s is the path only):
# a report's dates or a journal filter's words stay out of it, and so does the referrer.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "") or "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "") or "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "") or "info"
