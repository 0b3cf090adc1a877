from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tolpa.accounts.models import Role, User
from tolpa.web.images import validate_image_upload

LIST_HELP = _("Comma-separated.")


def _split_list(value: str, limit: int, item_max: int) -> list[str]:
    items = [item.strip() for item in (value or "").replace("\n", ",").split(",") if item.strip()]
    if len(items) > limit:
        raise forms.ValidationError(_("At most %(n)s items.") % {"n": limit})
    if any(len(item) > item_max for item in items):
        raise forms.ValidationError(
            _("Each item must be at most %(n)s characters.") % {"n": item_max}
        )
    return items


class SignupForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    display_name = forms.CharField(label=_("Display name"), max_length=80)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=128)
    password2 = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput, max_length=128
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=80)
    avatar = forms.FileField(label=_("Avatar"), required=False)
    bio = forms.CharField(
        label=_("Bio"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    country = forms.CharField(
        label=_("Country"), required=False, max_length=60, help_text=_("Two letters, such as VN.")
    )
    skills_text = forms.CharField(
        label=_("Skills"), required=False, help_text=LIST_HELP, max_length=1000
    )
    languages_text = forms.CharField(
        label=_("Languages"), required=False, help_text=LIST_HELP, max_length=200
    )
    preferred_language = forms.ChoiceField(
        label=_("Language of the site and email"),
        required=False,
        choices=[
            ("", _("Not chosen: the browser's on the site, the site's default in email")),
            *settings.LANGUAGES,
        ],
    )
    links_text = forms.CharField(
        label=_("Portfolio links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One link per line."),
        max_length=3000,
    )

    @classmethod
    def initial_for(cls, user: User) -> dict:
        return {
            "display_name": user.display_name,
            "bio": user.bio,
            "country": user.country,
            "skills_text": ", ".join(user.skills),
            "languages_text": ", ".join(user.languages),
            "links_text": "\n".join(user.portfolio_links),
            "preferred_language": user.preferred_language,
        }

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if avatar:
            validate_image_upload(avatar)
        return avatar

    def clean_country(self):
        country = (self.cleaned_data.get("country") or "").strip().upper()
        if country and (len(country) != 2 or not country.isalpha()):
            raise forms.ValidationError(_("Use a two-letter country code, such as VN or RU."))
        return country

    def clean_skills_text(self):
        return _split_list(self.cleaned_data["skills_text"], 30, 40)

    def clean_languages_text(self):
        return _split_list(self.cleaned_data["languages_text"], 10, 20)

    def clean_links_text(self):
        links = _split_list(self.cleaned_data["links_text"], 10, 300)
        validator = forms.URLField(assume_scheme="https").clean
        return [validator(link) for link in links]

    def profile_changes(self) -> dict:
        data = self.cleaned_data
        fields = ("display_name", "bio", "country", "preferred_language")
        changes = {name: data[name] for name in fields}
        if data.get("avatar"):
            changes["avatar"] = data["avatar"]
        changes.update(
            skills=data["skills_text"],
            languages=data["languages_text"],
            portfolio_links=data["links_text"],
        )
        return changes


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("Brand name"), max_length=120)
    description = forms.CharField(
        label=_("About"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MANAGER)


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=80)
