"""The journal: the signed-in home page, logging and repeating twitches, symptoms,
daily check-ins, the timeline, and changing or deleting any entry.

Every query is filtered by the signed-in person, so another person's entry or
date is a 404. Saving goes through one transaction per entry (a twitch and its
triggers are saved together or not at all), and each form saves once: sent again
with its one-time key, it answers with the entry already saved (journal.once).
"""

import datetime
import functools
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import DatabaseError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DeleteView, UpdateView

from .. import faults, once, timeline, wording
from ..flagging import flag_summary, flags_before_save, record_flags, saved_message
from ..forms import CAFFEINE_MG_PER_SERVING, CheckInForm, JournalFilterForm, SymptomForm, TwitchForm
from ..models import DailyCheckIn, SymptomEntry, TwitchEntry
from ..services import repeat_last_twitch

log = logging.getLogger(__name__)

# The entry the person may still undo (the last one they added: a twitch, a symptom or a
# check-in), kept in their session as {"kind": ..., "pk": ...}, and for how long.
UNDO_SESSION_KEY = "journal_undo"
UNDO_WINDOW = datetime.timedelta(minutes=15)
_UNDO_MODELS = {
    timeline.TWITCH: TwitchEntry,
    timeline.SYMPTOM: SymptomEntry,
    timeline.CHECKIN: DailyCheckIn,
}
_UNDO_KINDS = {model: kind for kind, model in _UNDO_MODELS.items()}


def _day_text(day: datetime.date, *, on: bool = False) -> str:
    """ "today", "yesterday" or "(on) Monday 3 March", with the year when it is not this one."""
    today = timezone.localdate()
    if day == today:
        return "today"
    if day == today - datetime.timedelta(days=1):
        return "yesterday"
    text = wording.long_date(day, year=day.year != today.year)
    return f"on {text}" if on else text


def _entry_text(item: timeline.Item) -> str:
    """An entry in a few words, for confirmations: "Left calf at 14:05 today"."""
    if item.kind == timeline.TWITCH:
        return f"{item.title} at {item.time} {_day_text(item.day, on=True)}"
    if item.kind == timeline.SYMPTOM:
        return f"{item.title} ({item.details[0].lower()}) {_day_text(item.day, on=True)}"
    return f"the check-in for {_day_text(item.day)}"


def _twitch_text(entry: TwitchEntry) -> str:
    return _entry_text(timeline.twitch_item(entry))


def _confirm_saved(request, entry, text: str, flags_before=None) -> None:
    """Tell the person their entry is saved. Every save passes through here.

    Given the flags from before the save (``flagging.flags_before_save``), the flags
    are evaluated once and kept (``flagging.record_flags``), and the message also says
    when the entry made a new flag fire or raised one, and links to /flags/.
    """
    level, message = messages.SUCCESS, text
    if flags_before is not None:
        level, message = saved_message(text, flags_before, record_flags(request.user))
    messages.add_message(request, level, message)


def _offer_undo(request, entry) -> None:
    """The entry just added becomes the one Undo takes back out."""
    request.session[UNDO_SESSION_KEY] = {"kind": _UNDO_KINDS[type(entry)], "pk": entry.pk}


def _saved_over_undo(request, entry) -> None:
    """A change to another entry is now the last thing saved: Undo no longer offers the
    entry added before it (a change to that entry itself leaves the offer, named anew)."""
    if _undoable(request) != entry:
        request.session.pop(UNDO_SESSION_KEY, None)


def _undoable(request):
    """The entry this person just added, while it may still be undone, or None."""
    offer = request.session.get(UNDO_SESSION_KEY)
    if not isinstance(offer, dict) or offer.get("kind") not in _UNDO_MODELS:
        return None
    return (
        _UNDO_MODELS[offer["kind"]]
        .objects.filter(
            pk=offer.get("pk"), user=request.user, created_at__gte=timezone.now() - UNDO_WINDOW
        )
        .first()
    )


def _undo_url(item: timeline.Item) -> str:
    if item.kind == timeline.CHECKIN:
        return reverse("checkin_undo", args=[item.day])
    return reverse(f"{item.kind}_undo", args=[item.entry.pk])


def _next_url(request, default: str) -> str:
    """Where to go after a change: the page the person came from, if it is ours."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class NextUrlMixin:
    """Carries a safe "next" address into the template, for Cancel and for after saving."""

    default_next = "journal"

    def get_next_url(self):
        return _next_url(self.request, reverse(self.default_next))

    def get_context_data(self, **kwargs):
        return super().get_context_data(next_url=self.get_next_url(), **kwargs)


def _already_saved(request, saved, url: str):
    """The answer to a form sent again with a key that already saved an entry."""
    entry = once.entry_of(saved)
    if entry is None:
        messages.info(request, "That was saved before, and has since been deleted.")
    else:
        item = timeline.item_for(entry)
        messages.info(request, f"Sent twice, saved once: {_entry_text(item)}.")
    return redirect(url)


def _saved_anyway(request, error: DatabaseError, url: str):
    """The answer when the database fails after it committed the save: the entry is in
    the journal, so the person hears that, never the outage page (journal.faults)."""
    if not (faults.is_outage(error) or faults.is_busy(error)):
        raise error
    log.warning(
        "Saved, then %s %s failed (%s)", request.method, request.path, faults.summary(error)
    )
    messages.success(request, "Saved.")
    return redirect(url)


class SaveOnceMixin:
    """An entry form that saves once: its one-time key, sent again, finds the first save."""

    committed = False

    def post(self, request, *args, **kwargs):
        self.claim = once.form_claim(request)
        saved = once.earlier(request.user, self.claim)
        if saved is not None:
            return _already_saved(request, saved, self.after_save_url())
        try:
            return super().post(request, *args, **kwargs)
        except DatabaseError as error:
            if not self.committed:
                raise
            return _saved_anyway(request, error, self.after_save_url())

    def after_save_url(self) -> str:
        next_url = getattr(self, "get_next_url", None)
        return next_url() if next_url else reverse("home")

    def save_once(self, form):
        """Save the form with its key; a redirect when the key saved meanwhile, else None."""
        self.object, saved = once.save_once(self.request.user, self.claim, form.save)
        if saved is not None:
            return _already_saved(self.request, saved, self.after_save_url())
        self.committed = True
        return None


class OwnEntriesMixin(LoginRequiredMixin):
    """Only the signed-in person's own entries can be found (others are a 404)."""

    def get_queryset(self):
        return self.model.objects.filter(user=self.request.user)


def home(request):
    """The landing page for visitors; the person's own home page once signed in."""
    if not request.user.is_authenticated:
        return render(request, "journal/landing.html")
    profile = request.user.profile
    summary = timeline.home_summary(request.user, timezone.localdate())
    undo = _undoable(request)
    undo_item = timeline.item_for(undo) if undo else None
    return render(
        request,
        "journal/home.html",
        {
            "profile": profile,
            "summary": summary,
            "undo": undo_item and {"text": _entry_text(undo_item), "url": _undo_url(undo_item)},
            "again": _again(summary.last_twitch),
            "flag_summary": flag_summary(request.user, summary.today),
        },
    )


def _again(last: TwitchEntry | None) -> dict | None:
    """What "Again" repeats: that twitch's id (so the button repeats exactly the twitch
    it names), a short hint for the button, and the whole of it for screen readers."""
    if last is None:
        return None
    item = timeline.twitch_item(last, trigger_codes=[])
    # Short enough for a third of a phone's width: the time today, else the day.
    today = timezone.localdate()
    if item.day == today:
        when = item.time
    elif item.day == today - datetime.timedelta(days=1):
        when = "yesterday"
    else:
        when = wording.day_month(item.day)
    return {"pk": last.pk, "hint": f"{item.title}, {when}", "text": _entry_text(item)}


class TwitchCreateView(SaveOnceMixin, LoginRequiredMixin, CreateView):
    """/log/: log a twitch. Defaults need only a place, then Save."""

    model = TwitchEntry
    form_class = TwitchForm
    template_name = "journal/log.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": TwitchEntry(user=self.request.user)}

    def form_valid(self, form):
        flags_before = flags_before_save(self.request.user)
        if replay := self.save_once(form):
            return replay
        _offer_undo(self.request, self.object)
        _confirm_saved(
            self.request, self.object, f"Saved: {_twitch_text(self.object)}.", flags_before
        )
        return redirect("home")


class TwitchUpdateView(SaveOnceMixin, NextUrlMixin, OwnEntriesMixin, UpdateView):
    """/twitches/<id>/edit/: change a twitch, then go back to where the person was."""

    model = TwitchEntry
    form_class = TwitchForm
    template_name = "journal/log.html"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("trigger_rows")

    def form_valid(self, form):
        flags_before = flags_before_save(self.request.user)
        if replay := self.save_once(form):
            return replay
        _saved_over_undo(self.request, self.object)
        _confirm_saved(
            self.request, self.object, f"Changes saved: {_twitch_text(self.object)}.", flags_before
        )
        return redirect(self.get_next_url())


@login_required
@require_POST
def twitch_again(request):
    """Log a twitch again, now: same place, side, length, strength, triggers. It is the
    twitch the button named (sent as "twitch"), else the person's latest."""
    claim = once.form_claim(request)
    if saved := once.earlier(request.user, claim):
        return _already_saved(request, saved, reverse("home"))
    flags_before = flags_before_save(request.user)
    named = _posted_id(request, "twitch")
    entry, saved = once.save_once(
        request.user, claim, lambda: repeat_last_twitch(request.user, of=named)
    )
    if saved is not None:
        return _already_saved(request, saved, reverse("home"))
    if entry is None:
        messages.info(request, "There is no twitch to repeat yet. Log your first one here.")
        return redirect("log")
    try:
        _offer_undo(request, entry)
        _confirm_saved(request, entry, f"Logged again: {_twitch_text(entry)}.", flags_before)
    except DatabaseError as error:
        return _saved_anyway(request, error, reverse("home"))
    return redirect("home")


def _posted_id(request, name: str) -> int | None:
    value = request.POST.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


def _undo(request, entry):
    """Remove the entry just added (only that one, only the person's own, only for a while)."""
    if _undoable(request) != entry:
        messages.info(
            request,
            "That entry can no longer be undone here. You can delete it from your journal.",
        )
        return redirect("journal")
    text = _entry_text(timeline.item_for(entry))
    entry.delete()
    record_flags(request.user)
    request.session.pop(UNDO_SESSION_KEY, None)
    messages.success(request, f"Undone: {text[0].upper()}{text[1:]} is no longer in your journal.")
    return redirect("home")


@login_required
@require_POST
def twitch_undo(request, pk):
    return _undo(request, get_object_or_404(TwitchEntry, pk=pk, user=request.user))


@login_required
@require_POST
def symptom_undo(request, pk):
    return _undo(request, get_object_or_404(SymptomEntry, pk=pk, user=request.user))


@login_required
@require_POST
def checkin_undo(request, day):
    return _undo(request, get_object_or_404(DailyCheckIn, day=day, user=request.user))


def _symptom_text(entry: SymptomEntry) -> str:
    return _entry_text(timeline.symptom_item(entry))


class SymptomCreateView(SaveOnceMixin, LoginRequiredMixin, CreateView):
    """/symptoms/new/: note a symptom, with each kind explained in plain words."""

    model = SymptomEntry
    form_class = SymptomForm
    template_name = "journal/symptom_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": SymptomEntry(user=self.request.user)}

    def form_valid(self, form):
        flags_before = flags_before_save(self.request.user)
        if replay := self.save_once(form):
            return replay
        _offer_undo(self.request, self.object)
        _confirm_saved(
            self.request, self.object, f"Noted: {_symptom_text(self.object)}.", flags_before
        )
        return redirect("home")


class SymptomUpdateView(SaveOnceMixin, NextUrlMixin, OwnEntriesMixin, UpdateView):
    """/symptoms/<id>/edit/: change a symptom."""

    model = SymptomEntry
    form_class = SymptomForm
    template_name = "journal/symptom_form.html"

    def form_valid(self, form):
        flags_before = flags_before_save(self.request.user)
        if replay := self.save_once(form):
            return replay
        _saved_over_undo(self.request, self.object)
        _confirm_saved(
            self.request, self.object, f"Changes saved: {_symptom_text(self.object)}.", flags_before
        )
        return redirect(self.get_next_url())


def _checkin_text(checkin: DailyCheckIn) -> str:
    details = timeline.checkin_details(checkin)
    summary = f": {', '.join(details)}" if details else ""
    return f"Check-in saved for {_day_text(checkin.day)}{summary}."


class CheckInFormMixin(SaveOnceMixin):
    """The check-in form page, shared by creating and changing a check-in."""

    form_class = CheckInForm
    model = DailyCheckIn
    template_name = "journal/checkin_form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(caffeine_per_serving=CAFFEINE_MG_PER_SERVING, **kwargs)

    def form_valid(self, form):
        if replay := self.save_once(form):
            return replay
        self.after_save(self.object)
        _confirm_saved(self.request, self.object, _checkin_text(self.object))
        return redirect(self.get_next_url())


class CheckInCreateView(CheckInFormMixin, NextUrlMixin, LoginRequiredMixin, CreateView):
    """/checkin/: today's check-in, or a past day's with ?day=YYYY-MM-DD.

    When that day already has a check-in, the person is taken to it to change it.
    """

    default_next = "home"

    def _requested_day(self) -> datetime.date:
        today = timezone.localdate()
        try:
            day = datetime.date.fromisoformat(self.request.GET.get("day", ""))
        except ValueError:
            return today
        return min(day, today)

    def get(self, request, *args, **kwargs):
        day = self._requested_day()
        if DailyCheckIn.objects.filter(user=request.user, day=day).exists():
            return redirect("checkin_day", day)
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        return {"day": self._requested_day()}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": DailyCheckIn(user=self.request.user)}

    def after_save(self, checkin):
        _offer_undo(self.request, checkin)


class CheckInUpdateView(CheckInFormMixin, NextUrlMixin, OwnEntriesMixin, UpdateView):
    """/checkin/YYYY-MM-DD/: change the check-in of that day (404 if there is none)."""

    default_next = "home"

    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), day=self.kwargs["day"])

    def after_save(self, checkin):
        _saved_over_undo(self.request, checkin)


class EntryDeleteView(NextUrlMixin, OwnEntriesMixin, DeleteView):
    """Ask before deleting one entry; only then delete it."""

    template_name = "journal/confirm_delete.html"

    def item(self) -> timeline.Item:
        return timeline.item_for(self.object)

    def get_context_data(self, **kwargs):
        item = self.item()
        return super().get_context_data(item=item, items=[item], **kwargs)

    def form_valid(self, form):
        text = _entry_text(self.item())
        self.object.delete()
        if not isinstance(self.object, DailyCheckIn):
            record_flags(self.request.user)
        messages.success(self.request, f"Deleted {text}.")
        return redirect(self.get_next_url())


class TwitchDeleteView(EntryDeleteView):
    """/twitches/<id>/delete/ (its triggers go with it)."""

    model = TwitchEntry

    def get_queryset(self):
        return super().get_queryset().prefetch_related("trigger_rows")


class SymptomDeleteView(EntryDeleteView):
    """/symptoms/<id>/delete/."""

    model = SymptomEntry


class CheckInDeleteView(EntryDeleteView):
    """/checkin/YYYY-MM-DD/delete/."""

    model = DailyCheckIn

    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), day=self.kwargs["day"])


@functools.lru_cache(maxsize=256)
def _filter_fields(values: tuple[str | None, ...], language: str) -> str:
    """The journal's filter fields with these values (in JournalFilterForm's order), as
    crispy-forms renders them, errors included.

    They depend on nothing else, and most journal pages ask for no filters at all, yet
    rendering them costs as much as a dozen entries: each process renders each set of
    values once. The language is part of the key because labels and errors are
    translated.
    """
    names = JournalFilterForm.base_fields
    data = {name: value for name, value in zip(names, values, strict=True) if value is not None}
    return render_to_string("journal/_filter_fields.html", {"form": JournalFilterForm(data)})


@login_required
def journal(request):
    """/journal/: every entry grouped by local day, newest first, filtered and paged by days."""
    form = JournalFilterForm(request.GET)
    filters = timeline.Filters(**form.filters())
    page, days = timeline.journal_page(
        request.user, request.user.profile.tz, filters, request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "journal/journal.html",
        {
            "again": _again(TwitchEntry.objects.filter(user=request.user).first()),
            "form": form,
            "filter_fields": _filter_fields(
                tuple(request.GET.get(name) for name in form.fields), translation.get_language()
            ),
            "filtered": any(vars(filters).values()),
            "checkins_shown": timeline.CHECKIN in filters.kinds(),
            "page": page,
            "days": days,
            "query": query.urlencode(),
            "next_url": request.get_full_path(),
        },
    )
