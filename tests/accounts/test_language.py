"""A person's chosen language: saved from the profile, the API and the footer switcher,
and used on every page they open while signed in, whatever the browser asks for."""

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from tolpa.accounts import services

pytestmark = pytest.mark.django_db


def _saved(user):
    user.refresh_from_db()
    return user.preferred_language


def test_api_sets_resets_and_refuses_unknown_languages(api_client, user):
    api_client.login(user)
    response = api_client.patch("/me", {"preferred_language": "vi"})
    assert response.status_code == 200
    assert response.json()["preferred_language"] == "vi"
    assert _saved(user) == "vi"

    for bad in ("xx", "russian", "r" * 9, 5, None):
        response = api_client.patch("/me", {"preferred_language": bad, "bio": "changed"})
        if bad is None:
            assert response.status_code == 200  # absent fields keep their value
            continue
        assert response.status_code in (400, 422), bad
        assert response.json()["error"]["fields"]
        user.refresh_from_db()
        assert (user.preferred_language, user.bio) == ("vi", "")

    assert api_client.patch("/me", {"preferred_language": ""}).status_code == 200
    assert _saved(user) == ""


def test_api_needs_a_signed_in_person(api_client):
    assert api_client.patch("/me", {"preferred_language": "ru"}).status_code == 401


def test_profile_page_saves_the_language_and_refuses_a_bad_one(client, user):
    client.force_login(user)
    form = {"display_name": user.display_name, "preferred_language": "ru"}
    response = client.post("/accounts/profile/", form)
    assert response.status_code == 302
    assert _saved(user) == "ru"

    response = client.post("/accounts/profile/", form | {"preferred_language": "klingon"})
    assert response.status_code == 200
    assert response.context["form"].errors["preferred_language"]
    assert _saved(user) == "ru"


def test_switcher_saves_a_signed_in_choice_and_only_sets_a_cookie_for_visitors(client, user):
    response = client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "vi"

    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    assert _saved(user) == "ru"
    client.post("/i18n/setlang/", {"language": "tlh", "next": "/"})
    assert _saved(user) == "ru"
    client.get("/i18n/setlang/", {"language": "vi"})
    assert _saved(user) == "ru"


def test_signed_in_pages_use_the_chosen_language_over_the_browser(client, user):
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    assert '<html lang="en">' in client.get("/", **english).content.decode()
    user.preferred_language = "vi"
    user.save(update_fields=["preferred_language"])
    client.force_login(user)
    page = client.get("/", **english)
    assert '<html lang="vi">' in page.content.decode()
    assert page["Content-Language"] == "vi"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<html lang="vi">' in client.get("/", **english).content.decode()


def test_an_invitation_is_mailed_in_the_invitees_language(
    owner, organization, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    make_user(email="lan@example.com", preferred_language="vi")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(actor=owner, organization=organization, email="lan@example.com")
        services.invitation_create(actor=owner, organization=organization, email="new@example.com")
    subjects = {message.to[0]: message.subject for message in mailoutbox}
    with translation.override("vi"):
        vietnamese = gettext("You are invited to %(org)s on Tolpa") % {"org": organization.name}
    assert subjects["lan@example.com"] == vietnamese
    assert subjects["new@example.com"] == f"You are invited to {organization.name} on Tolpa"
    assert vietnamese != subjects["new@example.com"]
