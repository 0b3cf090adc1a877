"""The handover of an award: the winner's final files, the IP transfer agreement with each
file's SHA-256, both acceptances and the payment. For the winner and the brand only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tolpa.contests import services, winners
from tolpa.contests.agreements import agreement_text
from tolpa.contests.forms import DeliverableForm
from tolpa.contests.models import Award
from tolpa.contests.views.common import contest_for, run_action
from tolpa.errors import PermissionDeniedError

DELIVERABLE_IDS = "id_deliverable_%s"


@login_required
def award(request, slug: str, pk: int):
    contest = contest_for(request, slug)
    award_row = get_object_or_404(
        Award.objects.select_related("entry__author", "contest__campaign__organization"),
        pk=pk,
        contest=contest,
    )
    is_winner = award_row.entry.author_id == request.user.pk
    is_manager = services.is_manager(request.user, contest)
    if not (is_winner or is_manager):
        raise PermissionDeniedError(_("Only the winner and the brand see the handover."))
    form = DeliverableForm(auto_id=DELIVERABLE_IDS)
    if request.method != "POST":
        return _render_award(request, award_row, form, is_winner, is_manager)
    action = request.POST.get("action", "")
    bound, call = _award_action(request, award_row, action)
    if call is None:
        return redirect("contests:award", slug=slug, pk=pk)
    status = run_action(request, bound, call)
    if status is None:
        messages.success(request, _award_success(action))
        return redirect("contests:award", slug=slug, pk=pk)
    award_row.refresh_from_db()
    return _render_award(request, award_row, bound or form, is_winner, is_manager, status)


def _award_success(action: str) -> str:
    return {"upload": _("Files uploaded."), "accept": _("You accepted the agreement.")}[action]


def _award_action(request, award_row: Award, action: str):
    """(bound form or None, service call) for a POSTed action; (None, None) if unknown."""
    actor = request.user
    if action == "upload":
        form = DeliverableForm(request.POST, request.FILES, auto_id=DELIVERABLE_IDS)
        return form, lambda d: _deliver(actor, award_row, d["files"])
    if action == "accept":
        return None, lambda _d: winners.agreement_accept(actor=actor, award=award_row)
    return None, None


def _deliver(actor, award_row: Award, uploads: list) -> None:
    for upload in uploads:
        winners.deliverable_add(actor=actor, award=award_row, upload=upload)


def _render_award(request, award_row: Award, form, is_winner, is_manager, status=200):
    deliverables = list(award_row.deliverables.order_by("pk"))
    text = award_row.agreement_text or (agreement_text(award_row) if deliverables else "")
    return render(request, "contests/award.html", {
        "contest": award_row.contest, "campaign": award_row.contest.campaign, "award": award_row,
        "entry": award_row.entry, "deliverables": deliverables, "agreement": text,
        "is_winner": is_winner, "is_manager": is_manager, "form": form,
        "may_upload": is_winner and not award_row.agreement_text,
        "may_accept": bool(deliverables) and (
            (is_winner and not award_row.winner_accepted_at)
            or (is_manager and not award_row.brand_accepted_at)
        ),
    }, status=status)  # fmt: skip
