"""Accounts, settings and the health check."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import CreateView, UpdateView
from django_ratelimit.decorators import ratelimit

from ..forms import ProfileSettingsForm, SignUpForm


@never_cache
@require_GET
def healthz(request):
    """For load balancers: 200 "ok" once the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")


class SignUpView(CreateView):
    form_class = SignUpForm
    template_name = "registration/signup.html"
    success_url = reverse_lazy("home")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("home")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        login(self.request, self.object, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(self.request, "Welcome to TwitchLog. Your journal is ready.")
        return response


class SettingsView(LoginRequiredMixin, UpdateView):
    form_class = ProfileSettingsForm
    template_name = "journal/settings.html"
    success_url = reverse_lazy("settings")

    def get_object(self, queryset=None):
        return self.request.user.profile

    def form_valid(self, form):
        messages.success(self.request, "Your settings are saved.")
        return super().form_valid(form)


@method_decorator(
    [
        ratelimit(key="ip", rate=settings.PASSWORD_RESET_RATE, method="POST"),
        ratelimit(key="post:email", rate=settings.PASSWORD_RESET_RATE, method="POST"),
    ],
    name="post",
)
class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, limited per address and per email so that nobody can
    flood an inbox with reset links or probe many addresses quickly."""


def too_many_requests(request, exception):
    """What django-ratelimit shows when a limit is reached: a plain 429 page."""
    return render(request, "registration/too_many_requests.html", status=429)
