"""The public contest pages: the listing, the brief form and its draft edit, the contest page with its
gallery, entry form and vote widget, the vote endpoints and the winners."""

import secrets
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tolpa.accounts.decorators import brand_required
from tolpa.contests import selectors, services, votes
from tolpa.contests.forms import BriefForm, ContestForm, EntryForm, PairVoteForm, VoteForm
from tolpa.contests.models import Category, Contest, EntryStatus, PairVote, Poll, Stage, Vote
from tolpa.contests.views.common import (
    awards_of,
    contest_for,
    effective_stage,
    poll_of,
    poll_results_context,
    prize_total,
    require_manager,
)
from tolpa.errors import NotFoundError, ServiceError
from tolpa.web.service_errors import add_service_error

PAGE_SIZE = 12
LIST_STAGES = (Stage.ENTRY, Stage.FINALISTS, Stage.SELECTION, Stage.HANDOVER, Stage.COMPLETED)


@dataclass(frozen=True)
class ListFilters:
    q: str = ""
    category: str = ""
    stage: str = ""

    @classmethod
    def from_params(cls, params) -> "ListFilters":
        category = params.get("category", "")
        stage = params.get("stage", "")
        return cls(
            q=params.get("q", "").strip()[:200],
            category=category if category in Category.values else "",
            stage=stage if stage in LIST_STAGES else "",
        )


def index(request):
    filters = ListFilters.from_params(request.GET)
    contests = selectors.contests_public().annotate(prize_total=Sum("prizes__amount"))
    if filters.q:
        contests = contests.filter(
            Q(campaign__title__icontains=filters.q) | Q(campaign__summary__icontains=filters.q)
        )
    if filters.category:
        contests = contests.filter(category=filters.category)
    if filters.stage:
        contests = contests.filter(stage=filters.stage)
    page = Paginator(contests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "contests/index.html", {
        "filters": filters, "page": page, "categories": Category.choices,
        "stages": [(s.value, s.label) for s in LIST_STAGES],
    })  # fmt: skip


@brand_required
def create(request, organization):
    form = ContestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        references = data.pop("reference_files")
        try:
            with transaction.atomic():
                contest = services.contest_create(
                    actor=request.user, organization=organization, **data
                )
                for upload in references:
                    services.brief_file_add(actor=request.user, contest=contest, upload=upload)
        except ServiceError as exc:
            add_service_error(form, exc, aliases={"file": "reference_files"})
        else:
            messages.success(request, _("Draft saved. Launch it from the dashboard."))
            return redirect("contests:dashboard", slug=contest.campaign.slug)
    return render(request, "contests/create.html", {"form": form, "organization": organization})


@login_required
def edit(request, slug: str):
    """Edit a draft's brief texts; a live brief changes through brief updates instead."""
    contest = contest_for(request, slug)
    require_manager(request, contest)
    if contest.stage != Stage.DRAFT:
        messages.info(request, _("A live brief is not edited; post a brief update instead."))
        return redirect("contests:dashboard", slug=slug)
    campaign = contest.campaign
    initial = {"title": campaign.title, "summary": campaign.summary,
               "requirements": campaign.description, "must_have": contest.must_have,
               "avoid": contest.avoid, "deliverables": contest.deliverables}  # fmt: skip
    form = BriefForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.contest_update_brief(actor=request.user, contest=contest,
                                              **form.cleaned_data)  # fmt: skip
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Brief saved."))
            return redirect("contests:dashboard", slug=slug)
    return render(request, "contests/edit.html", {"form": form, "contest": contest,
                                                  "campaign": campaign})  # fmt: skip


def detail(request, slug: str):
    return render_detail(request, contest_for(request, slug))


def render_detail(request, contest: Contest, *, entry_form=None, status: int = 200):
    actor = request.user
    visible = selectors.brief_visible(actor=actor, contest=contest)
    is_manager = services.is_manager(actor, contest)
    awards = list(awards_of(contest))
    context = {
        "contest": contest,
        "campaign": contest.campaign,
        "is_manager": is_manager,
        "brief_visible": visible,
        "stage_now": effective_stage(contest),
        "timeline": _timeline(contest),
        "prize_total": prize_total(contest),
        "entries": selectors.entries_visible(actor=actor, contest=contest),
        "awards": awards,
        "winning_ids": {award.entry_id for award in awards},
        "show_property_note": contest.stage in (Stage.HANDOVER, Stage.COMPLETED, Stage.REFUNDED),
        "entry_form": entry_form or _entry_form_for(actor, contest, is_manager),
    }
    if visible:
        context["brief_files"] = contest.brief_files.all()
        context["updates"] = contest.updates.all()
        context["must_have"] = _lines(contest.must_have)
        context["avoid"] = _lines(contest.avoid)
        context.update(_poll_context(actor, contest, is_manager))
    return render(request, "contests/detail.html", context, status=status)


def _lines(text: str) -> list[str]:
    return [line.strip(" -*\t") for line in text.splitlines() if line.strip(" -*\t")]


def _entry_form_for(actor, contest: Contest, is_manager: bool):
    """The submit form, for signed-in people who could enter now."""
    open_now = contest.stage == Stage.ENTRY and contest.campaign.is_open()
    if not (actor.is_authenticated and open_now and not is_manager):
        return None
    if not selectors.brief_visible(actor=actor, contest=contest):
        return None
    return EntryForm(contest=contest, auto_id="id_entry_%s")


@dataclass(frozen=True)
class TimelineStep:
    stage: str
    label: str
    state: str  # "done", "current" or "next"


def _timeline(contest: Contest) -> list[TimelineStep]:
    stages = [Stage.ENTRY, Stage.FINALISTS, Stage.SELECTION, Stage.HANDOVER, Stage.COMPLETED]
    if not contest.finalists_max:
        stages.remove(Stage.FINALISTS)
    now = effective_stage(contest)
    if now not in stages:
        return [TimelineStep(s.value, s.label, "done") for s in stages[:1]] + [
            TimelineStep(now, Stage(now).label, "current")
        ]
    current = stages.index(now)
    steps = []
    for index, stage in enumerate(stages):
        state = "done" if index < current else "current" if index == current else "next"
        if stage == Stage.FINALISTS and state == "done" and not contest.finalists_chosen_at:
            state = "next"
        steps.append(TimelineStep(stage.value, stage.label, state))
    return steps


def _poll_context(actor, contest: Contest, is_manager: bool) -> dict:
    poll = poll_of(contest)
    if poll is None:
        return {}
    now = timezone.now()
    poll_entries = list(
        poll.entries.filter(status=EntryStatus.ACTIVE)
        .select_related("author")
        .prefetch_related("versions")
    )
    context = {"poll": poll, "poll_open": poll.is_open(now), "poll_entries": poll_entries}
    can_vote = context["poll_open"] and actor.is_authenticated and not is_manager
    if can_vote and poll.pairwise:
        context["pair"] = _pair_to_judge(actor, poll, poll_entries)
    elif can_vote:
        context["my_vote"] = Vote.objects.filter(poll=poll, voter=actor).first()
    context["can_vote"] = can_vote
    if selectors.poll_counts_visible(actor=actor, poll=poll):
        context.update(poll_results_context(poll))
    return context


def _pair_to_judge(actor, poll: Poll, entries: list) -> tuple | None:
    """A random pair this voter has not compared yet (None when every pair is judged)."""
    judged = set(PairVote.objects.filter(poll=poll, voter=actor).values_list("low_id", "high_id"))
    candidates = [
        (a, b)
        for i, a in enumerate(entries)
        for b in entries[i + 1 :]
        if tuple(sorted((a.pk, b.pk))) not in judged and actor.pk not in (a.author_id, b.author_id)
    ]
    if not candidates:
        return None
    pair = list(secrets.choice(candidates))
    secrets.SystemRandom().shuffle(pair)
    return tuple(pair)


@login_required
@require_POST
def nda_accept(request, slug: str):
    contest = contest_for(request, slug)
    with transaction.atomic():
        services.nda_accept(actor=request.user, contest=contest)
    messages.success(request, _("You accepted the NDA; the brief is open to you."))
    return redirect(contest.campaign)


@login_required
@require_POST
def enter(request, slug: str):
    """Every refusal (a late entry, a lying file, a brand entering its own contest, a young
    account in a guaranteed contest) is shown on the entry form, where the designer looks."""
    contest = contest_for(request, slug)
    selectors.require_brief(actor=request.user, contest=contest)
    form = EntryForm(request.POST, request.FILES, contest=contest, auto_id="id_entry_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                entry_row = services.entry_submit(
                    actor=request.user, contest=contest, title=data["title"],
                    declared_original=data["declared_original"], upload=data.get("file"),
                    text=data.get("text", ""), poster=data.get("poster"),
                )  # fmt: skip
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Your entry is in. Good luck!"))
            return redirect("contests:entry", slug=slug, number=entry_row.number)
    return render_detail(request, contest, entry_form=form)


@login_required
@require_POST
def vote(request, slug: str):
    contest, poll = _poll_for_vote(request, slug)
    form = VoteForm(request.POST)
    return _cast(request, contest, form, lambda data: votes.vote_cast(
        actor=request.user, poll=poll, entry_id=data["entry"]
    ))  # fmt: skip


@login_required
@require_POST
def pair_vote(request, slug: str):
    contest, poll = _poll_for_vote(request, slug)
    form = PairVoteForm(request.POST)
    return _cast(request, contest, form, lambda data: votes.pair_vote_cast(
        actor=request.user, poll=poll, winner_id=data["winner"], loser_id=data["loser"]
    ))  # fmt: skip


def _poll_for_vote(request, slug: str) -> tuple[Contest, Poll]:
    contest = contest_for(request, slug)
    selectors.require_brief(actor=request.user, contest=contest)
    poll = poll_of(contest)
    if poll is None:
        raise NotFoundError(_("This contest has no vote."))
    return contest, poll


def _cast(request, contest: Contest, form, call):
    """A refused vote shows the contest page again with the reason and the error status."""
    if not form.is_valid():
        messages.error(request, _("Choose an entry to vote for."))
        return render_detail(request, contest, status=400)
    try:
        with transaction.atomic():
            call(form.cleaned_data)
    except ServiceError as exc:
        messages.error(request, exc.summary())
        return render_detail(request, contest, status=exc.status)
    messages.success(request, _("Thank you, your vote is counted."))
    return redirect(reverse("contests:detail", args=[contest.campaign.slug]) + "#vote")


def winners(request, slug: str):
    contest = contest_for(request, slug)
    selectors.require_brief(actor=request.user, contest=contest)
    return render(request, "contests/winners.html", {
        "contest": contest, "campaign": contest.campaign, "awards": awards_of(contest),
        "is_manager": services.is_manager(request.user, contest),
    })  # fmt: skip
