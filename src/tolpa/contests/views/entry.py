"""The entry page: the work and its versions, the conversation, the author's revisions and
the brand's review. Only people who may see the entry reach it (selectors.entry_access)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tolpa.contests import selectors, services
from tolpa.contests.forms import DeclineForm, ReviewForm, ReviseForm
from tolpa.contests.models import Contest, EntryStatus, Stage
from tolpa.contests.views.common import RUNNING, contest_for, effective_stage, run_action

ENTRY_FORM_IDS = {
    "revise": "id_revise_%s",
    "review": "id_review_%s",
    "decline": "id_decline_%s",
}


def entry(request, slug: str, number: int):
    contest = contest_for(request, slug)
    selectors.require_brief(actor=request.user, contest=contest)
    entry_row = selectors.entry_access(actor=request.user, contest=contest, number=number)
    forms = _entry_page_forms(contest, entry_row)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        action = request.POST.get("action", "")
        form, call = _entry_action(request, contest, entry_row, action)
        if call is None:
            return redirect("contests:entry", slug=slug, number=number)
        if form is not None:
            forms[f"{action}_form"] = form
        status = run_action(request, form, call)
        if status is None:
            messages.success(request, _entry_success(action))
            return redirect("contests:entry", slug=slug, number=number)
        return _render_entry(request, contest, entry_row, forms, status=status)
    return _render_entry(request, contest, entry_row, forms)


def _entry_success(action: str) -> str:
    return {
        "revise": _("New version uploaded."),
        "withdraw": _("Your entry is withdrawn."),
        "review": _("Review saved."),
        "decline": _("The entry is declined."),
    }[action]


def _entry_page_forms(contest: Contest, entry_row) -> dict:
    ids = ENTRY_FORM_IDS
    return {
        "revise_form": ReviseForm(contest=contest, auto_id=ids["revise"]),
        "review_form": ReviewForm(
            auto_id=ids["review"],
            initial={
                "rating": entry_row.rating,
                "comment": entry_row.brand_comment,
                "shortlisted": entry_row.shortlisted,
            },
        ),
        "decline_form": DeclineForm(auto_id=ids["decline"]),
    }


def _entry_action(request, contest: Contest, entry_row, action: str):
    """(bound form or None, service call) for a POSTed action; (None, None) if unknown."""
    actor, post, files = request.user, request.POST, request.FILES
    if action == "revise":
        form = ReviseForm(post, files, contest=contest, auto_id=ENTRY_FORM_IDS["revise"])
        return form, lambda d: services.entry_revise(
            actor=actor, entry=entry_row, upload=d.get("file"), text=d.get("text", ""),
            note=d["note"], poster=d.get("poster"),
        )  # fmt: skip
    if action == "withdraw":
        return None, lambda _d: services.entry_withdraw(actor=actor, entry=entry_row)
    if action == "review":
        form = ReviewForm(post, auto_id=ENTRY_FORM_IDS["review"])
        return form, lambda d: services.entry_review(actor=actor, entry=entry_row, **d)
    if action == "decline":
        form = DeclineForm(post, auto_id=ENTRY_FORM_IDS["decline"])
        return form, lambda d: services.entry_decline(
            actor=actor, entry=entry_row, reason=d["reason"]
        )
    return None, None


def _render_entry(request, contest: Contest, entry_row, forms: dict, *, status: int = 200):
    actor = request.user
    is_author = actor.is_authenticated and entry_row.author_id == actor.pk
    is_manager = services.is_manager(actor, contest)
    versions = list(entry_row.versions.all())
    stage_now = effective_stage(contest)
    active = entry_row.status == EntryStatus.ACTIVE
    may_revise = active and (
        (stage_now == Stage.ENTRY) or (stage_now == Stage.FINALISTS and entry_row.finalist)
    )
    return render(request, "contests/entry.html", {
        "contest": contest, "campaign": contest.campaign, "entry": entry_row,
        "current": versions[-1] if versions else None, "versions": versions[::-1],
        "can_see_review": selectors.can_see_review(actor=actor, entry=entry_row),
        "is_author": is_author, "is_manager": is_manager,
        "may_revise": is_author and may_revise,
        "may_withdraw": is_author and active and stage_now in RUNNING,
        "may_review": is_manager and active,
        "awards": list(entry_row.awards.all()),
        **forms,
    }, status=status)  # fmt: skip
