"""`{% comment_thread campaign %}` renders a campaign's discussion, so the pages of every
campaign kind show it without their views loading anything."""

from django import template

from tolpa.community import selectors
from tolpa.community.forms import CommentForm

register = template.Library()


COMMENT_FORM_IDS = "id_comment_%s"


def thread_context(request, campaign, *, comment_form=None) -> dict:
    """What the thread section shows; a failed new-comment form comes back with its errors."""
    data = selectors.thread(actor=request.user, campaign=campaign)
    bound = comment_form if isinstance(comment_form, CommentForm) else None
    return {
        "request": request,
        "user": request.user,
        "campaign": campaign,
        "comment_form": bound or CommentForm(auto_id=COMMENT_FORM_IDS),
        **data,
    }


@register.inclusion_tag("community/_section.html", takes_context=True)
def comment_thread(context, campaign):
    result = thread_context(context["request"], campaign)
    result["csrf_token"] = context.get("csrf_token")
    return result
