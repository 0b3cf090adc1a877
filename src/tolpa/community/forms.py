from django import forms
from django.utils.translation import gettext_lazy as _

from tolpa.community.models import APPEAL_MAX_LENGTH, BODY_MAX_LENGTH, REASON_MAX_LENGTH


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Markdown is supported. Mention people with @name."),
    )
    parent_id = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


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
