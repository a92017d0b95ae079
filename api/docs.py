"""The interactive API documentation: Swagger UI from drf-spectacular-sidecar, served
from our own static files. The page's settings travel as JSON (json_script) to
static/js/api-docs.js, so the Content-Security-Policy needs no inline script or style."""

from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET


@require_GET
def api_docs(request):
    config = {
        "schemaUrl": reverse("api:schema"),
        "csrfHeader": "X-CSRFToken",
        "csrfToken": get_token(request),
    }
    # Swagger UI draws in light colours only: the page stays light in every theme.
    return render(request, "api/docs.html", {"config": config, "theme": "light"})
