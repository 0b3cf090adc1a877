"""`{% comment_thread campaign %}` renders a campaign's discussion, and
`{% comment_thread campaign item=idea.number %}` one idea's or entry's, so the pages of
every campaign kind show it without their views loading anything."""

from django import template

from tolpa.campaigns.selectors import item_check
from tolpa.community import selectors
from tolpa.community.forms import CommentForm
from tolpa.errors import NotFoundError

register = template.Library()


COMMENT_FORM_IDS = "id_comment_%s"


def thread_context(request, campaign, *, item_number=None, comment_form=None) -> dict:
    """What the thread section shows; a failed new-comment form comes back with its errors."""
    data = selectors.thread(actor=request.user, campaign=campaign, item_number=item_number)
    bound = comment_form if isinstance(comment_form, CommentForm) else None
    return {
        "request": request,
        "user": request.user,
        "campaign": campaign,
        "item_number": item_number,
        "comment_form": bound
        or CommentForm(auto_id=COMMENT_FORM_IDS, initial={"item_number": item_number}),
        **data,
    }


@register.inclusion_tag("community/_section.html", takes_context=True)
def comment_thread(context, campaign, item=None):
    """An item thread the reader may not see renders nothing rather than failing the page."""
    request = context["request"]
    if item is not None:
        try:
            item_check(actor=request.user, campaign=campaign, number=item)
        except NotFoundError:
            return {"thread_hidden": True}
    result = thread_context(request, campaign, item_number=item)
    result["csrf_token"] = context.get("csrf_token")
    return result
