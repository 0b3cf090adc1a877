from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tolpa.campaigns.registry import generic_kinds
from tolpa.web.images import validate_image_upload


class CampaignForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=generic_kinds)
    title = forms.CharField(label=_("Title"), max_length=160)
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown is supported."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=400, help_text=_("Comma-separated.")
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at (UTC)"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    cover = forms.FileField(label=_("Cover image"), required=False)

    def clean_tags(self):
        return [tag.strip() for tag in self.cleaned_data["tags"].split(",") if tag.strip()]

    def clean_ends_at(self):
        ends_at = self.cleaned_data["ends_at"]
        if timezone.is_naive(ends_at):
            ends_at = timezone.make_aware(ends_at, timezone.UTC)
        return ends_at

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if cover:
            validate_image_upload(cover)
        return cover
