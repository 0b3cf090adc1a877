from django import forms
from django.utils.translation import gettext_lazy as _

from tolpa.community.models import (
    APPEAL_MAX_LENGTH,
    BODY_MAX_LENGTH,
    REASON_MAX_LENGTH,
    NotificationKind,
)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Markdown is supported. Mention people with @name."),
    )
    parent_id = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    item_number = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class EditForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), max_length=BODY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX_LENGTH)


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Why should it be shown again?"),
        max_length=APPEAL_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DecisionForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Accept: show the comment")), ("0", _("Reject: keep it hidden"))],
        coerce=lambda value: value == "1",
    )
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX_LENGTH)


class PreferencesForm(forms.Form):
    """A checkbox per notification kind and channel, named `<kind>-in_app`/`<kind>-email`,
    shown as a grid with one row per kind."""

    CHANNELS = ("in_app", "email")

    def __init__(self, *args, current: dict[str, tuple[bool, bool]], **kwargs):
        super().__init__(*args, **kwargs)
        labels = {"in_app": _("On the site"), "email": _("By email")}
        for kind, choice in current.items():
            for channel, value in zip(self.CHANNELS, choice, strict=True):
                self.fields[f"{kind}-{channel}"] = forms.BooleanField(
                    label=labels[channel], required=False, initial=value
                )

    def rows(self):
        """(kind label, site checkbox, email checkbox) for the template's grid."""
        for kind, label in NotificationKind.choices:
            yield label, self[f"{kind}-in_app"], self[f"{kind}-email"]

    def choices(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {"kind": kind, "in_app": data[f"{kind}-in_app"], "email": data[f"{kind}-email"]}
            for kind in NotificationKind.values
        ]
