"""Discussion pages. Every form posts normally (then redirects back to the thread) or
through HTMX, which gets the refreshed thread section in place."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tolpa.campaigns.selectors import campaign_access, item_check, page_url
from tolpa.community import selectors, services
from tolpa.community.forms import (
    AppealForm,
    CommentForm,
    DecisionForm,
    EditForm,
    PreferencesForm,
    ReasonForm,
)
from tolpa.community.notify import preferences_of
from tolpa.community.templatetags.community import COMMENT_FORM_IDS, thread_context
from tolpa.errors import NotFoundError, PermissionDeniedError, ServiceError


def _respond(
    request,
    campaign,
    item_number=None,
    *,
    anchor: str = "comments",
    notice: str = "",
    error=False,
    form=None,
):
    """The thread section for HTMX, else a redirect to the campaign's (or item's) page with
    a message."""
    if request.htmx:
        context = thread_context(request, campaign, item_number=item_number, comment_form=form)
        context.update(notice=notice, notice_is_error=error)
        return render(request, "community/_section.html", context)
    (messages.error if error else messages.success)(request, notice)
    return redirect(f"{page_url(campaign, item_number)}#{anchor}")


def _act(
    request, campaign, item_number, form, call: Callable[[dict], object], *, done: str, anchor: str
):
    """Validate, run the service in a transaction, and answer; permission and visibility
    errors propagate to become 403/404 pages."""
    where = {"request": request, "campaign": campaign, "item_number": item_number}
    if not form.is_valid():
        summary = " ".join(str(m) for errors in form.errors.values() for m in errors)
        return _respond(**where, notice=summary, error=True, form=form, anchor=anchor)
    try:
        with transaction.atomic():
            result = call(form.cleaned_data)
    except (PermissionDeniedError, NotFoundError):
        raise
    except ServiceError as exc:
        return _respond(**where, notice=exc.summary(), error=True, form=form, anchor=anchor)
    if getattr(result, "pk", None) and anchor == "comments":
        anchor = f"comment-{result.pk}"
    return _respond(**where, notice=done, anchor=anchor)


def _item_number(request, campaign) -> int | None:
    """The idea or entry a thread request names (`item_number`), checked for visibility;
    None for the campaign's own thread. A malformed number is a 404, like a missing one."""
    raw = request.POST.get("item_number") or request.GET.get("item_number") or ""
    if not raw:
        return None
    if not raw.isdigit():
        raise NotFoundError()
    item_check(actor=request.user, campaign=campaign, number=int(raw))
    return int(raw)


def thread(request, slug: str):
    """The thread section alone, for HTMX refreshes and links."""
    campaign = campaign_access(actor=request.user, slug=slug)
    item_number = _item_number(request, campaign)
    if not request.htmx:
        return redirect(f"{page_url(campaign, item_number)}#comments")
    context = thread_context(request, campaign, item_number=item_number)
    return render(request, "community/_section.html", context)


@login_required
@require_POST
def comment_post(request, slug: str):
    campaign = campaign_access(actor=request.user, slug=slug)
    item_number = _item_number(request, campaign)
    form = CommentForm(request.POST, auto_id=COMMENT_FORM_IDS)
    return _act(
        request, campaign, item_number, form,
        lambda data: services.comment_post(actor=request.user, campaign=campaign, **data),
        done=_("Comment posted."), anchor="comments",
    )  # fmt: skip


def _comment_action(request, pk: int, form_class, call, done: str):
    comment = selectors.comment_access(actor=request.user, id=pk)
    form = form_class(request.POST) if form_class else None
    return _act(
        request, comment.campaign, comment.item_number, form,
        lambda data: call(comment_id=comment.pk, **data),
        done=done, anchor=f"comment-{comment.pk}",
    )  # fmt: skip


@login_required
@require_POST
def comment_edit(request, pk: int):
    return _comment_action(
        request, pk, EditForm,
        lambda **kw: services.comment_edit(actor=request.user, **kw), _("Comment updated."),
    )  # fmt: skip


@login_required
@require_POST
def comment_report(request, pk: int):
    return _comment_action(
        request, pk, ReasonForm,
        lambda **kw: services.comment_report(actor=request.user, **kw),
        _("Thank you; moderators will review the comment."),
    )  # fmt: skip


@login_required
@require_POST
def comment_hide(request, pk: int):
    return _comment_action(
        request, pk, ReasonForm,
        lambda **kw: services.comment_hide(actor=request.user, **kw), _("Comment hidden."),
    )  # fmt: skip


@login_required
@require_POST
def comment_unhide(request, pk: int):
    return _comment_action(
        request, pk, ReasonForm,
        lambda **kw: services.comment_unhide(actor=request.user, **kw), _("Comment shown again."),
    )  # fmt: skip


@login_required
@require_POST
def appeal_create(request, pk: int):
    return _comment_action(
        request, pk, AppealForm,
        lambda **kw: services.appeal_create(actor=request.user, **kw),
        _("Your appeal was sent to the moderators."),
    )  # fmt: skip


@login_required
@require_POST
def appeal_decide(request, pk: int):
    return _comment_action(
        request, pk, DecisionForm,
        lambda **kw: services.appeal_decide(actor=request.user, **kw), _("Appeal decided."),
    )  # fmt: skip


def moderation_log(request, slug: str):
    campaign = campaign_access(actor=request.user, slug=slug)
    return render(request, "community/moderation_log.html", {
        "campaign": campaign, "actions": selectors.moderation_log(campaign=campaign)[:500],
    })  # fmt: skip


@login_required
def notifications(request):
    return render(request, "community/notifications.html", {
        "notifications": selectors.notification_list(actor=request.user)[:100],
    })  # fmt: skip


@login_required
@require_POST
def notifications_read(request):
    with transaction.atomic():
        services.notifications_mark_read(actor=request.user)
    messages.success(request, _("All notifications are marked read."))
    return redirect("community:notifications")


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    """Which kinds reach the person on the site and by email."""
    form = PreferencesForm(request.POST or None, current=preferences_of(request.user))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            services.notification_preferences_set(actor=request.user, choices=form.choices())
        messages.success(request, _("Notification settings saved."))
        return redirect("community:notification_settings")
    return render(request, "community/notification_settings.html", {"form": form})
