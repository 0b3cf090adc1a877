"""What every contest page shares: loading a contest the actor may see, running a service
call from a form, and the few reads the pages display alike."""

from collections.abc import Callable

from django.utils import timezone

from tolpa.contests import selectors, services
from tolpa.contests.models import Contest, Poll, Stage
from tolpa.errors import PermissionDeniedError
from tolpa.web.service_errors import run_form_action

RUNNING = (Stage.ENTRY, Stage.FINALISTS, Stage.SELECTION)


def contest_for(request, slug: str) -> Contest:
    return selectors.contest_access(actor=request.user, slug=slug)


def require_manager(request, contest: Contest) -> None:
    if not services.is_manager(request.user, contest):
        raise PermissionDeniedError()


def run_action(request, form, call: Callable[[dict], object]) -> int | None:
    """A contest form with errors shows again as a normal page (200)."""
    return run_form_action(request, form, call, form_error_status=200)


def effective_stage(contest: Contest) -> str:
    """The stage people should see: a running stage past its deadline is over already,
    even before the next action or job moves the contest on."""
    if contest.stage in (Stage.ENTRY, Stage.FINALISTS) and _past(contest.stage_ends_at):
        return Stage.SELECTION
    return contest.stage


def _past(moment) -> bool:
    return moment is not None and moment <= timezone.now()


def prize_total(contest: Contest) -> int:
    return sum(prize.amount for prize in contest.prizes.all())


def awards_of(contest: Contest):
    return contest.awards.select_related("entry__author").prefetch_related("entry__versions")


def poll_of(contest: Contest) -> Poll | None:
    return Poll.objects.filter(contest=contest).first()


def poll_results_context(poll: Poll) -> dict:
    return {"results": selectors.poll_results(poll=poll)}
