"""The Settings page's Appearance choice."""

from functools import partial

from django import forms

from journal import body
from journal.forms import location_choices

from . import theme
from .models import Appearance


class AppearanceForm(forms.ModelForm):
    """Light, dark, or as the device is set; saved for the person, shown at once."""

    prefix = "appearance"

    class Meta:
        model = Appearance
        fields = ("theme",)
        labels = {"theme": "Colours"}
        help_texts = {"theme": "Dark is easier on the eyes at night."}
        widgets = {"theme": forms.RadioSelect}

    def __init__(self, *args, user, **kwargs):
        instance = Appearance.objects.filter(user=user).first() or Appearance(user=user)
        super().__init__(*args, instance=instance, **kwargs)
        # A form sent without the choice (an older page, say) keeps the one stored.
        self.fields["theme"].required = False

    def clean_theme(self):
        return self.cleaned_data["theme"] or self.instance.theme

    def save_for(self, request) -> Appearance:
        row = self.save()
        theme.remember(request.session, row.theme)
        return row


class OfflineTwitchForm(forms.Form):
    """The offline page's log form: the place, side, strength and time of a twitch, kept
    on the device by js/offline.js until it can be sent. Never posted to the server."""

    location = forms.ChoiceField(
        label="Place",
        choices=partial(location_choices, include_all_over=True, blank_label="Choose a place"),
    )
    side = forms.ChoiceField(
        label="Side", choices=body.SIDES, required=False, widget=forms.RadioSelect
    )
    intensity = forms.ChoiceField(
        label="How strong",
        choices=body.INTENSITIES,
        initial=2,
        widget=forms.RadioSelect,
    )
    occurred_at = forms.DateTimeField(
        label="When",
        help_text="Now, unless you change it.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
