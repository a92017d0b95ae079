"""Settings and the health check. Signing up, in and out live in allauth and `accounts`."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connection, transaction
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import UpdateView

from accounts import activity, sessions, two_step
from reminders.forms import ReminderForm
from webapp.forms import AppearanceForm

from ..forms import ProfileSettingsForm


@never_cache
@require_GET
def healthz(request):
    """For load balancers: 200 "ok" once the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")


class SettingsView(LoginRequiredMixin, UpdateView):
    form_class = ProfileSettingsForm
    template_name = "journal/settings.html"
    success_url = reverse_lazy("settings")
    # Settings kept by other apps, saved by the same button: context name -> form.
    # Each takes the person (`user=`) and saves with `save_for(request)`.
    more_forms = {"appearance_form": AppearanceForm, "reminder_form": ReminderForm}

    def get_object(self, queryset=None):
        return self.request.user.profile

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["two_step_methods"] = two_step.methods_of(user)
        context["sessions"] = sessions.listing(self.request)
        context["idle_days"] = settings.SESSION_IDLE_DAYS
        context["keep_days"] = settings.ACTIVITY_KEEP_DAYS
        context["activity"] = activity.recent(user)
        for name, form_class in self.more_forms.items():
            context.setdefault(name, form_class(user=user))
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.get_form()
        more = {
            name: form_class(request.POST, user=request.user)
            for name, form_class in self.more_forms.items()
        }
        if not all([form.is_valid(), *(each.is_valid() for each in more.values())]):
            return self.render_to_response(self.get_context_data(form=form, **more))
        with transaction.atomic():
            for each in more.values():
                each.save_for(request)
            return self.form_valid(form)

    def form_valid(self, form):
        messages.success(self.request, "Your settings are saved.")
        return super().form_valid(form)
