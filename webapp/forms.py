"""The Settings page's Appearance choice."""

from django import forms

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
