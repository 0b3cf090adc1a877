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
