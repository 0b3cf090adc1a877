"""Survey forms turn what people type (amounts in major units, one option per line) into what
the services take; the services still decide what is allowed."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tolpa.errors import InvalidInput
from tolpa.ledger.money import CURRENCIES, Money
from tolpa.surveys.models import Question, QuestionKind, RewardMode

MAX_ID = 2**63 - 1
MAX_CODES_FILE = 1_000_000


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    summary = forms.CharField(label=_("One-line summary"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Introduction"), widget=forms.Textarea(attrs={"rows": 4}), max_length=50_000,
        required=False, help_text=_("Markdown is supported."),
    )  # fmt: skip
    currency = forms.ChoiceField(label=_("Currency"), choices=[(c, c) for c in CURRENCIES])
    reward_mode = forms.ChoiceField(label=_("Reward"), choices=RewardMode.choices)
    reward = forms.CharField(
        label=_("Reward per response"), max_length=30, required=False,
        help_text=_("For a money reward, in major units, e.g. 1.50. The platform fee is added on top."),
    )  # fmt: skip
    max_responses = forms.IntegerField(
        label=_("Most responses"), min_value=1, max_value=100_000, initial=100
    )
    award = forms.CharField(
        label=_("Best feedback award (optional)"), max_length=30, required=False,
        help_text=_("In major units; you pick the best response later."),
    )  # fmt: skip
    days = forms.IntegerField(label=_("Runs for (days)"), min_value=1, max_value=365, initial=14)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def _amount(self, name: str, currency: str) -> int:
        text = (self.cleaned_data.get(name) or "").strip()
        if not text:
            return 0
        try:
            return Money.parse(text, currency).amount
        except InvalidInput as exc:
            self.add_error(name, " ".join(exc.fields.get("amount", [exc.message])))
            return 0

    def clean(self):
        data = super().clean()
        currency = data.get("currency")
        if currency:
            data["reward"] = self._amount("reward", currency)
            data["award"] = self._amount("award", currency)
        if data.get("reward_mode") == RewardMode.MONEY and not data.get("reward"):
            if "reward" not in self.errors:
                self.add_error("reward", _("Enter the reward per response."))
        elif data.get("reward_mode") != RewardMode.MONEY:
            data["reward"] = 0
        return data


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=QuestionKind.choices, initial=QuestionKind.SINGLE
    )
    prompt = forms.CharField(label=_("Question"), max_length=500)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    choices = forms.CharField(
        label=_("Options"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
        required=False, help_text=_("One per line, for a choice question."),
    )  # fmt: skip
    scale_max = forms.TypedChoiceField(
        label=_("Scale"), choices=[(5, "1–5"), (10, "0–10")], coerce=int, initial=5
    )
    low_label = forms.CharField(label=_("Low end label"), max_length=60, required=False)
    high_label = forms.CharField(label=_("High end label"), max_length=60, required=False)
    max_length = forms.IntegerField(
        label=_("Longest answer (characters)"), min_value=1, max_value=5000, initial=1000
    )

    def question(self) -> dict:
        data = dict(self.cleaned_data)
        data["choices"] = _lines(data["choices"])
        return data


QuestionFormSet = forms.formset_factory(QuestionForm, extra=3, max_num=50, absolute_max=50)


class CodesForm(forms.Form):
    codes = forms.CharField(
        label=_("Codes"), widget=forms.Textarea(attrs={"rows": 5}), max_length=MAX_CODES_FILE,
        required=False, help_text=_("One per line; at most 64 characters each."),
    )  # fmt: skip
    file = forms.FileField(label=_("Or a text file"), required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > MAX_CODES_FILE:
                raise forms.ValidationError(_("The file is larger than 1 MB."))
            raw = upload.read()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from exc
            if "\x00" in text:
                raise forms.ValidationError(_("The file is not a text file."))
            data["codes"] = "\n".join(filter(None, [data.get("codes", ""), text]))
        return data


class AwardForm(forms.Form):
    response = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)


def _field_for(question: Question) -> forms.Field:
    common = {"label": question.prompt, "required": question.required}
    if question.kind == QuestionKind.SINGLE:
        return forms.ChoiceField(choices=[(c, c) for c in question.choices],
                                 widget=forms.RadioSelect, **common)  # fmt: skip
    if question.kind == QuestionKind.MULTIPLE:
        return forms.MultipleChoiceField(choices=[(c, c) for c in question.choices],
                                         widget=forms.CheckboxSelectMultiple, **common)  # fmt: skip
    if question.kind == QuestionKind.SCALE:
        low, high = question.scale_min, question.scale_max
        help_text = f"{low} = {question.low_label}, {high} = {question.high_label}" if (
            question.low_label or question.high_label) else ""  # fmt: skip
        return forms.TypedChoiceField(
            choices=[(v, str(v)) for v in question.scale_values], coerce=int,
            widget=forms.RadioSelect, help_text=help_text, **common,
        )  # fmt: skip
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}),
                           max_length=question.max_length, **common)  # fmt: skip


class AnswerForm(forms.Form):
    """One field per question, named `question_<id>` like the service's errors."""

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[question.field_name] = _field_for(question)

    def answers(self) -> dict:
        return {
            str(q.pk): self.cleaned_data.get(q.field_name)
            for q in self.questions
            if self.cleaned_data.get(q.field_name) not in (None, "", [])
        }
