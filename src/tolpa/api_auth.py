"""API authentication: Bearer personal tokens for programs, the session for the browser."""

from ninja.security import HttpBearer, SessionAuth

from tolpa.accounts.services import api_token_authenticate


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_authenticate(secret=token)
        if user is not None:
            request.user = user
        return user


class AnonymousAllowed:
    """Last in an auth list: lets anonymous callers through to public routes."""

    def __call__(self, request):
        return True


session_or_token = [BearerTokenAuth(), SessionAuth()]
optional_auth = [BearerTokenAuth(), SessionAuth(), AnonymousAllowed()]
