"""The form on /share/: the period (as the PDF's), how long the link stays open, a note."""

from django import forms

from journal.forms import ReportRangeForm

from .services import VALID_DAYS


class ShareLinkForm(ReportRangeForm):
    """A period of at most five years (empty: the last 90 days), open 7 or 30 days."""

    valid_days = forms.TypedChoiceField(
        label="The link works for",
        choices=[(days, f"{days} days") for days in VALID_DAYS],
        coerce=int,
        initial=VALID_DAYS[0],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose 7 or 30 days."},
    )
    note = forms.CharField(
        label="Note for your doctor (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown at the top of the shared page, for example what you want to ask.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["valid_days"] = VALID_DAYS[0]
