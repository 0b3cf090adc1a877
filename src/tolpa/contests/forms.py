"""Contest forms turn what people type (prizes in major units, several files in one input)
into what the services take; the services still decide what is allowed."""

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tolpa.contests.models import Category, PrizeMode
from tolpa.errors import InvalidInput
from tolpa.ledger.money import CURRENCIES, Money
from tolpa.web.images import validate_image_upload

PRIZE_SEPARATOR = re.compile(r",\s+|[;\n]")
MAX_ID = 2**63 - 1  # a larger id cannot reach the database (SQLite raises OverflowError)
RATING_CHOICES = [("", _("Not rated"))] + [(n, "★" * n) for n in range(1, 6)]


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; the cleaned value is a list (possibly empty)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        uploads = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not uploads:
            single(None, initial)  # refuses an empty required field
            return []
        return [single(item, initial) for item in uploads]


def parse_prizes(text: str, currency: str) -> list[int]:
    """ "500, 200, 100" in major units → minor units, first place first."""
    amounts = []
    parts = [part.strip() for part in PRIZE_SEPARATOR.split(text.strip()) if part.strip()]
    for number, part in enumerate(parts, start=1):
        if "," in part:
            raise forms.ValidationError(
                _("Prize %(n)s (%(text)s): separate prizes with a comma and a space, and write "
                  "amounts without thousand separators: 1000, 500.")
                % {"n": number, "text": part}
            )  # fmt: skip
        try:
            amounts.append(Money.parse(part, currency).amount)
        except InvalidInput as exc:
            detail = " ".join(exc.fields.get("amount", [exc.message]))
            raise forms.ValidationError(
                _("Prize %(n)s (%(text)s): %(detail)s")
                % {"n": number, "text": part, "detail": detail}
            ) from exc
    if not amounts:
        raise forms.ValidationError(_("Enter at least one prize, e.g. 500, 200, 100."))
    return amounts


class BriefForm(forms.Form):
    """The brief's texts: what a draft may change before launch."""

    title = forms.CharField(label=_("Title"), max_length=160)
    summary = forms.CharField(label=_("One-line summary"), max_length=300, required=False)
    requirements = forms.CharField(
        label=_("Requirements"), widget=forms.Textarea(attrs={"rows": 8}), max_length=50_000,
        required=False, help_text=_("Markdown is supported."),
    )  # fmt: skip
    must_have = forms.CharField(
        label=_("Must have"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
        required=False, help_text=_("One item per line."),
    )  # fmt: skip
    avoid = forms.CharField(
        label=_("Avoid"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
        required=False, help_text=_("One item per line."),
    )  # fmt: skip
    deliverables = forms.CharField(
        label=_("Deliverable formats"), max_length=300, required=False,
        help_text=_("For example: SVG, PNG 2000 px, PDF brand sheet."),
    )  # fmt: skip


class ContestForm(BriefForm):
    field_order = ["title", "category"]
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    currency = forms.ChoiceField(label=_("Currency"), choices=[(c, c) for c in CURRENCIES])
    prize_mode = forms.ChoiceField(label=_("Prize mode"), choices=PrizeMode.choices)
    prizes = forms.CharField(
        label=_("Prizes"), max_length=300,
        help_text=_("In major units, separated by a comma and a space, first place first: "
                    "500, 200, 100. "
                    "To buy entries, repeat the price once per entry: 150, 150, 150."),
    )  # fmt: skip
    entry_days = forms.IntegerField(
        label=_("Entry period (days)"), min_value=1, max_value=60, initial=7
    )
    selection_days = forms.IntegerField(
        label=_("Selection period (days)"), min_value=1, max_value=30, initial=7
    )
    finalists_max = forms.IntegerField(
        label=_("Finalists"), min_value=0, max_value=20, initial=0,
        help_text=_("0 = no finalist round."),
    )  # fmt: skip
    finalist_days = forms.IntegerField(
        label=_("Finalist round (days)"), min_value=1, max_value=30, initial=3
    )
    guaranteed = forms.BooleanField(
        label=_("Guaranteed prize"), required=False,
        help_text=_("A guaranteed prize is never refunded; designers trust such contests more."),
    )  # fmt: skip
    blind = forms.BooleanField(
        label=_("Blind: entrants see only their own entries"), required=False
    )
    private = forms.BooleanField(
        label=_("Private: only designers who accept the NDA see the brief"), required=False
    )
    nda_text = forms.CharField(
        label=_("NDA text"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000,
        required=False,
    )  # fmt: skip
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=400, help_text=_("Comma-separated.")
    )
    cover = forms.FileField(label=_("Cover image"), required=False)
    reference_files = MultipleFileField(
        label=_("Reference files"), required=False,
        help_text=_("Examples and references: images or PDF; choose several at once."),
    )  # fmt: skip

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if cover:
            validate_image_upload(cover)
        return cover

    def clean_tags(self):
        return [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]

    def clean(self):
        data = super().clean()
        if data.get("currency") and data.get("prizes"):
            try:
                data["prizes"] = parse_prizes(data["prizes"], data["currency"])
            except forms.ValidationError as exc:
                self.add_error("prizes", exc)
        return data


class EntryForm(forms.Form):
    """A new entry: a file (with an optional poster for videos) or, for naming, a text."""

    title = forms.CharField(label=_("Title"), max_length=160, required=False)
    file = forms.FileField(
        label=_("Your design"),
        required=False,
        help_text=_("PNG, JPEG, WebP, SVG or PDF; MP4 or WebM in video contests."),
    )
    poster = forms.FileField(label=_("Poster frame (optional)"), required=False)
    text = forms.CharField(
        label=_("Your name or slogan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500,
        required=False,
    )  # fmt: skip
    declared_original = forms.BooleanField(
        label=_("I declare this work is original, mine, and free of others' rights."),
        required=False,
    )

    def __init__(self, *args, contest, **kwargs):
        super().__init__(*args, **kwargs)
        if contest.is_text:
            del self.fields["file"], self.fields["poster"]
        else:
            del self.fields["text"]
            if contest.category != Category.VIDEO:
                del self.fields["poster"]


class ReviseForm(EntryForm):
    note = forms.CharField(label=_("What changed"), max_length=500, required=False)

    def __init__(self, *args, contest, **kwargs):
        super().__init__(*args, contest=contest, **kwargs)
        del self.fields["title"], self.fields["declared_original"]


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"), choices=RATING_CHOICES, coerce=int, required=False, empty_value=None
    )
    comment = forms.CharField(
        label=_("Private comment to the designer"), widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000, required=False,
    )  # fmt: skip
    shortlisted = forms.BooleanField(label=_("Shortlisted"), required=False)


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason for declining"), max_length=300)


class BriefUpdateForm(forms.Form):
    body = forms.CharField(
        label=_("Update to all entrants"), widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000, help_text=_("Markdown is supported."),
    )  # fmt: skip


class PollForm(forms.Form):
    SHORTLISTED, ALL = "shortlisted", "all"

    entries = forms.ChoiceField(
        label=_("Entries in the vote"),
        choices=[(SHORTLISTED, _("Shortlisted entries (up to 8)")), (ALL, _("All active entries"))],
    )
    days = forms.IntegerField(label=_("Vote runs for (days)"), min_value=1, max_value=14, initial=3)
    pairwise = forms.BooleanField(
        label=_("Pairwise: 'which of these two is better'"), required=False
    )
    hide_counts = forms.BooleanField(
        label=_("Hide counts until the vote closes"), required=False, initial=True
    )
    min_account_age_days = forms.IntegerField(
        label=_("Voters' accounts at least this many days old"), min_value=0, max_value=365,
        initial=0,
    )  # fmt: skip


class FinalistsForm(forms.Form):
    entries = forms.TypedMultipleChoiceField(
        label=_("Finalists"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].choices = [(e.pk, _entry_label(e)) for e in entries]


class WinnersForm(forms.Form):
    """One choice per prize place; the cleaned data adds `picks` (place → entry id)."""

    def __init__(self, *args, prizes, entries, currency, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(e.pk, _entry_label(e)) for e in entries]
        for prize in prizes:
            self.fields[f"place_{prize.place}"] = forms.TypedChoiceField(
                label=_("Place %(place)s (%(amount)s)")
                % {"place": prize.place, "amount": Money(prize.amount, currency)},
                choices=choices,
                coerce=int,
            )

    def clean(self):
        data = super().clean()
        data["picks"] = {
            int(name.removeprefix("place_")): value
            for name, value in data.items()
            if name.startswith("place_")
        }
        return data


class RefundForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that after a refund my brand may not use any entry."),
        error_messages={"required": _("Confirm that you give up the right to use the entries.")},
    )


class DeliverableForm(forms.Form):
    files = MultipleFileField(
        label=_("Final files"), help_text=_("Source files and exports; choose several at once.")
    )


class VoteForm(forms.Form):
    entry = forms.IntegerField(min_value=1, max_value=MAX_ID)


class PairVoteForm(forms.Form):
    winner = forms.IntegerField(min_value=1, max_value=MAX_ID)
    loser = forms.IntegerField(min_value=1, max_value=MAX_ID)


def _entry_label(entry) -> str:
    name = entry.title or entry.author.display_name
    return f"#{entry.number} {name}"
