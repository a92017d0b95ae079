"""WSGI entry point, for gunicorn: `gunicorn twitchlog.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twitchlog.settings")

application = get_wsgi_application()
