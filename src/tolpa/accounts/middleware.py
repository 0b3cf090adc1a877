from django.utils import translation
from django.utils.functional import SimpleLazyObject

from tolpa.accounts.selectors import active_organization_for


class ActiveOrganizationMiddleware:
    """Attach `request.active_organization` lazily (one query only when used)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.active_organization = SimpleLazyObject(
            lambda: (
                active_organization_for(user=request.user, session=request.session)
                if request.user.is_authenticated
                else None
            )
        )
        return self.get_response(request)


class PreferredLanguageMiddleware:
    """A signed-in person who chose a language reads it on every device, whatever the
    browser asks for; the switcher in the footer saves its choice to the account too
    (`tolpa.accounts.views.language_set`), so both stay the same."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.user.is_authenticated and request.user.preferred_language
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
