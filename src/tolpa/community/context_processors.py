from django.utils.functional import SimpleLazyObject

from tolpa.community.selectors import unread_count


def notifications(request):
    """The bell's unread count: one query, and only for a signed-in page that shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(actor=user))}
