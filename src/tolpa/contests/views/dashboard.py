"""The brand dashboard: launch, charts, every entry with compare, finalists, the public
vote, winners, brief updates, refund and the handover status. Managers only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tolpa.contests import selectors, services, votes, winners
from tolpa.contests.forms import (
    BriefUpdateForm,
    FinalistsForm,
    PollForm,
    RefundForm,
    WinnersForm,
)
from tolpa.contests.models import Contest, EntryStatus, Poll, Stage
from tolpa.contests.views.common import (
    RUNNING,
    awards_of,
    contest_for,
    effective_stage,
    poll_of,
    poll_results_context,
    prize_total,
    require_manager,
    run_action,
)
from tolpa.errors import InvalidInput
from tolpa.web.charts import bar_chart

COMPARE_MIN, COMPARE_MAX = 2, 4


DASHBOARD_FORM_IDS = {
    "poll": "id_poll_%s",
    "finalists": "id_finalists_%s",
    "winners": "id_winners_%s",
    "update": "id_update_%s",
    "refund": "id_refund_%s",
}


@login_required
def dashboard(request, slug: str):
    contest = contest_for(request, slug)
    require_manager(request, contest)
    entries = list(selectors.entries_visible(actor=request.user, contest=contest))
    forms = _dashboard_forms(contest, entries)
    if request.method == "POST":
        action = request.POST.get("action", "")
        form, call = _dashboard_action(request, contest, entries, action)
        if call is None:
            return redirect("contests:dashboard", slug=slug)
        if form is not None:
            forms[f"{action}_form"] = form
        status = run_action(request, form, call)
        if status is None:
            messages.success(request, _dashboard_success(action))
            return redirect("contests:dashboard", slug=slug)
        contest.refresh_from_db()
        return _render_dashboard(request, contest, entries, forms, status=status, failed=action)
    return _render_dashboard(request, contest, entries, forms)


def _dashboard_success(action: str) -> str:
    return {
        "launch": _("The contest is live; the prizes are held in escrow."),
        "cancel": _("The draft is cancelled."),
        "finalists": _("Finalists chosen; they may now revise their entries."),
        "poll": _("The public vote is open."),
        "winners": _("Winners picked. They upload their final files next."),
        "update": _("Brief update posted to every entrant."),
        "refund": _("The prizes were refunded to your brand's wallet."),
    }[action]


def _winner_candidates(contest: Contest, entries: list) -> list:
    active = [e for e in entries if e.status == EntryStatus.ACTIVE]
    return [e for e in active if e.finalist] if contest.finalists_chosen_at else active


def _dashboard_forms(contest: Contest, entries: list) -> dict:
    ids = DASHBOARD_FORM_IDS
    active = [e for e in entries if e.status == EntryStatus.ACTIVE]
    return {
        "poll_form": PollForm(auto_id=ids["poll"]),
        "finalists_form": FinalistsForm(entries=active, auto_id=ids["finalists"]),
        "winners_form": WinnersForm(
            prizes=contest.prizes.all(),
            entries=_winner_candidates(contest, entries),
            currency=contest.currency,
            auto_id=ids["winners"],
        ),
        "update_form": BriefUpdateForm(auto_id=ids["update"]),
        "refund_form": RefundForm(auto_id=ids["refund"]),
    }


def _dashboard_action(request, contest: Contest, entries: list, action: str):
    """(bound form or None, service call) for a POSTed action; (None, None) if unknown."""
    actor, post, ids = request.user, request.POST, DASHBOARD_FORM_IDS
    if action == "launch":
        return None, lambda _d: services.contest_launch(actor=actor, contest=contest)
    if action == "cancel":
        return None, lambda _d: services.contest_cancel(actor=actor, contest=contest)
    if action == "poll":
        form = PollForm(post, auto_id=ids["poll"])
        return form, lambda d: _open_poll(actor, contest, entries, d)
    if action == "finalists":
        active = [e for e in entries if e.status == EntryStatus.ACTIVE]
        form = FinalistsForm(post, entries=active, auto_id=ids["finalists"])
        return form, lambda d: services.finalists_choose(
            actor=actor, contest=contest, entry_ids=d["entries"]
        )
    if action == "winners":
        form = WinnersForm(
            post, prizes=contest.prizes.all(), entries=_winner_candidates(contest, entries),
            currency=contest.currency, auto_id=ids["winners"],
        )  # fmt: skip
        return form, lambda d: winners.winners_pick(actor=actor, contest=contest, picks=d["picks"])
    if action == "update":
        form = BriefUpdateForm(post, auto_id=ids["update"])
        return form, lambda d: services.brief_update_post(
            actor=actor, contest=contest, body=d["body"]
        )
    if action == "refund":
        form = RefundForm(post, auto_id=ids["refund"])
        return form, lambda _d: services.contest_refund(actor=actor, contest=contest)
    return None, None


def _open_poll(actor, contest: Contest, entries: list, data: dict) -> Poll:
    entry_ids = None
    if data["entries"] == PollForm.SHORTLISTED:
        entry_ids = [e.pk for e in entries if e.shortlisted and e.status == EntryStatus.ACTIVE]
        if not entry_ids:
            raise InvalidInput(
                fields={"entries": [_("Shortlist entries first, or put all entries to the vote.")]}
            )
    return votes.poll_open(
        actor=actor, contest=contest, days=data["days"], entry_ids=entry_ids,
        pairwise=data["pairwise"], hide_counts=data["hide_counts"],
        min_account_age_days=data["min_account_age_days"],
    )  # fmt: skip


def _render_dashboard(request, contest, entries: list, forms: dict, *, status=200, failed=""):
    """`failed` names the action just refused, so its form shows with the reason even when
    the stage would not offer it."""
    per_day = selectors.entries_per_day(contest=contest)
    ratings = selectors.ratings_distribution(contest=contest)
    poll = poll_of(contest)
    stage_now = effective_stage(contest)
    return render(request, "contests/dashboard.html", {
        "contest": contest, "campaign": contest.campaign, "entries": entries,
        "stage_now": stage_now, "prize_total": prize_total(contest),
        "per_day_chart": bar_chart([(p.day.isoformat(), p.value) for p in per_day],
                                   label=_("Entries per day")),
        "ratings": ratings,
        "ratings_chart": bar_chart(ratings, label=_("Ratings of active entries")),
        "compare": _compare(request, entries),
        "poll": poll, **(poll_results_context(poll) if poll else {}),
        "awards": awards_of(contest).prefetch_related("deliverables"),
        "show_finalists": failed == "finalists" or (bool(contest.finalists_max)
                          and stage_now == Stage.SELECTION and not contest.finalists_chosen_at),
        "show_winners": failed == "winners" or stage_now == Stage.SELECTION,
        "show_poll": failed == "poll" or (poll is None and stage_now in RUNNING),
        "show_refund": failed == "refund" or _refundable(contest, stage_now),
        **forms,
    }, status=status)  # fmt: skip


def _refundable(contest: Contest, stage_now: str) -> bool:
    """The refund rule, to offer the button only when the service would accept it."""
    return (
        not contest.guaranteed
        and not contest.finalists_chosen_at
        and stage_now in (Stage.ENTRY, Stage.SELECTION)
    )


def _compare(request, entries: list) -> list | None:
    """Entries picked for the side-by-side view: `?compare=1,3,4` or repeated `compare`."""
    raw = [part for value in request.GET.getlist("compare") for part in value.split(",")]
    if not raw:
        return None
    numbers = {int(part) for part in raw if part.strip().isdigit() and len(part.strip()) < 10}
    if not COMPARE_MIN <= len(numbers) <= COMPARE_MAX:
        messages.error(request, _("Pick 2 to 4 entries to compare."))
        return None
    return [e for e in entries if e.number in numbers]
