from django import forms
from django.utils.translation import gettext_lazy as _

from tolpa.ideas.models import BODY_MAX, TITLE_MAX, Audience, IdeaStatus

MARKDOWN_HELP = _("Markdown is supported.")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by its bytes in the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


def split_tags(text: str) -> list[str]:
    return [t for t in (text or "").split(",") if t.strip()]


class ChallengeForm(forms.Form):
    title = forms.CharField(label=_("Question"), max_length=160)
    summary = forms.CharField(label=_("One-line summary"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}), max_length=50_000,
        required=False, help_text=MARKDOWN_HELP,
    )  # fmt: skip
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    allowed_domains = forms.CharField(
        label=_("Allowed email domains"), max_length=1000, required=False,
        help_text=_("For internal challenges, e.g. “acme.com, acme.co.uk”."),
    )  # fmt: skip
    submission_ends_at = forms.DateTimeField(
        label=_("Submission ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    review_ends_at = forms.DateTimeField(
        label=_("Review ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    voting_ends_at = forms.DateTimeField(
        label=_("Voting ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    vote_while_submitting = forms.BooleanField(
        label=_("Allow voting during submission"), required=False, initial=True
    )
    tags = forms.CharField(label=_("Tags"), max_length=300, required=False)

    def clean_tags(self):
        return split_tags(self.cleaned_data["tags"])


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=80, required=False)
    weight = forms.IntegerField(label=_("Weight (1–10)"), min_value=1, max_value=10, initial=1)


CriterionFormSet = forms.formset_factory(CriterionForm, extra=3, max_num=10, validate_max=True)


class IdeaForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=TITLE_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )  # fmt: skip
    body = forms.CharField(
        label=_("Your idea"), widget=forms.Textarea(attrs={"rows": 6}), max_length=BODY_MAX,
        help_text=MARKDOWN_HELP,
    )  # fmt: skip
    tags = forms.CharField(label=_("Tags"), max_length=300, required=False)
    attachments = MultipleFileField(
        label=_("Attachments"), required=False,
        help_text=_("Images (PNG, JPEG, WebP, GIF) or PDF; up to 5 files."),
    )  # fmt: skip

    def clean_tags(self):
        return split_tags(self.cleaned_data["tags"])


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=IdeaStatus.choices)
    answer = forms.CharField(
        label=_("Public answer"), widget=forms.Textarea(attrs={"rows": 3}), max_length=BODY_MAX,
        required=False, help_text=_("Required when declining."),
    )  # fmt: skip


class EmailForm(forms.Form):
    email = forms.EmailField(label=_("Email"))


class MergeForm(forms.Form):
    target = forms.IntegerField(label=_("Merge into idea number"), min_value=1)


class ScoreForm(forms.Form):
    def __init__(self, *args, criteria, initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"c{criterion.pk}"] = forms.TypedChoiceField(
                label=f"{criterion.name} (×{criterion.weight})", coerce=int,
                choices=[(n, str(n)) for n in range(1, 6)],
                initial=(initial_scores or {}).get(criterion.pk),
            )  # fmt: skip

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}
