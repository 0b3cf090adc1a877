"""Brand and reviewer pages: create and launch, statuses, merges, reviewers, the weighted
ranking, duplicate clusters, the merge log and the CSV export; the reviewer's scoring page."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tolpa.accounts.decorators import brand_required
from tolpa.errors import InvalidInput, NotFoundError, PermissionDeniedError
from tolpa.ideas import merging, reviews, screening, selectors, services
from tolpa.ideas.access import is_manager
from tolpa.ideas.forms import (
    ChallengeForm,
    CriterionFormSet,
    EmailForm,
    MergeForm,
    ScoreForm,
    StatusForm,
)
from tolpa.ideas.models import IdeaStatus
from tolpa.ideas.views import _idea, _idea_context
from tolpa.web.service_errors import run_form_action, safe_next


@brand_required
def create(request, organization):
    form = ChallengeForm(request.POST or None)
    criteria = CriterionFormSet(request.POST or None, prefix="criteria")
    if request.method == "POST":
        created = {}

        def call(data):
            if not criteria.is_valid():
                raise InvalidInput(fields={"__all__": [_("Check the evaluation criteria.")]})
            rubric = [(f["name"], f["weight"]) for f in criteria.cleaned_data if f.get("name")]
            created["challenge"] = services.challenge_create(
                actor=request.user, organization=organization, criteria=rubric, **data
            )

        status = run_form_action(request, form, call)
        if status is None:
            messages.success(request, _("Draft saved. Launch it from the dashboard."))
            return redirect("ideas:dashboard", slug=created["challenge"].campaign.slug)
        context = {"form": form, "criteria": criteria, "organization": organization}
        return render(request, "ideas/create.html", context, status=status)
    context = {"form": form, "criteria": criteria, "organization": organization}
    return render(request, "ideas/create.html", context)


def _managed(request, slug: str):
    return selectors.challenge_managed(actor=request.user, slug=slug)


@login_required
def dashboard(request, slug: str):
    challenge = _managed(request, slug)
    return render(request, "ideas/dashboard.html", {
        "challenge": challenge,
        "campaign": challenge.campaign,
        "stage": challenge.stage(),
        "ranking": reviews.ranking(actor=request.user, challenge=challenge),
        "clusters": screening.duplicate_clusters(challenge=challenge),
        "merges": selectors.merge_log(challenge=challenge)[:100],
        "reviewers": challenge.reviewers.select_related("user"),
        "criteria": challenge.criteria.all(),
        "reviewer_form": EmailForm(),
    })  # fmt: skip


@login_required
@require_POST
def launch(request, slug: str):
    challenge = _managed(request, slug)
    call = lambda _d: services.challenge_launch(actor=request.user, challenge=challenge)  # noqa: E731
    if run_form_action(request, None, call) is None:
        messages.success(request, _("The challenge is live."))
    return redirect("ideas:dashboard", slug=slug)


@login_required
@require_POST
def reviewer_add(request, slug: str):
    challenge = _managed(request, slug)
    form = EmailForm(request.POST)
    status = run_form_action(
        request, form,
        lambda d: reviews.reviewer_add(actor=request.user, challenge=challenge, email=d["email"]),
    )  # fmt: skip
    if status is None:
        messages.success(request, _("Reviewer added."))
    elif form.errors:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("ideas:dashboard", slug=slug)


@login_required
def export_csv(request, slug: str):
    challenge = _managed(request, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-ideas.csv"'
    writer = csv.writer(response)
    writer.writerow(["number", "title", "author", "status", "votes", "score", "reviewers",
                     "merged_into", "created_at"])  # fmt: skip
    ranked = {r.idea.pk: r for r in reviews.ranking(actor=request.user, challenge=challenge)}
    for item in challenge.ideas.select_related("author", "merged_into").order_by("number"):
        row = ranked.get(item.pk)
        writer.writerow([
            item.number, _csv_safe(item.title), _csv_safe(item.author.display_name),
            item.status, item.votes_count, row.score if row and row.score is not None else "",
            row.reviewers if row else 0, item.merged_into.number if item.merged_into else "",
            item.created_at.isoformat(),
        ])  # fmt: skip
    return response


def _csv_safe(text: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas; quote them."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


@login_required
@require_POST
def status(request, slug: str, number: int):
    challenge, item = _idea(request, slug, number)
    form = StatusForm(request.POST)
    result = run_form_action(
        request, form, lambda d: services.status_set(actor=request.user, idea=item, **d)
    )
    if result is None:
        messages.success(request, _("Status updated."))
        return redirect(item)
    context = _idea_context(request, challenge, item, status_form=form)
    return render(request, "ideas/idea.html", context, status=result)


@login_required
@require_POST
def merge(request, slug: str, number: int):
    challenge, item = _idea(request, slug, number)
    if not is_manager(request.user, challenge):
        raise PermissionDeniedError()
    form = MergeForm(request.POST)

    def call(data):
        try:
            target = selectors.idea_access(
                actor=request.user, challenge=challenge, number=data["target"]
            )
        except NotFoundError as exc:
            raise InvalidInput(fields={"target": [_("No idea has this number.")]}) from exc
        merging.idea_merge(actor=request.user, source=item, target=target)

    result = run_form_action(request, form, call)
    if result is None:
        messages.success(request, _("The idea was merged."))
        return redirect(safe_next(request, item.get_absolute_url()))
    context = _idea_context(request, challenge, item, merge_form=form)
    return render(request, "ideas/idea.html", context, status=result)


@login_required
@require_POST
def unmerge(request, slug: str, number: int):
    _challenge, item = _idea(request, slug, number)
    call = lambda _d: merging.idea_unmerge(actor=request.user, source=item)  # noqa: E731
    if run_form_action(request, None, call) is None:
        messages.success(request, _("The idea was unmerged and its votes restored."))
    return redirect("ideas:dashboard", slug=slug)


@login_required
def review(request, slug: str):
    challenge, reviewer = selectors.challenge_reviewed(actor=request.user, slug=slug)
    mine = reviews.scores_of(reviewer=reviewer)
    criteria = list(challenge.criteria.all())
    ideas = challenge.ideas.filter(status=IdeaStatus.SHORTLISTED, merged_into__isnull=True)
    rows = [
        (item, ScoreForm(criteria=criteria, prefix=f"i{item.number}",
                         initial_scores={c.pk: mine.get((item.pk, c.pk)) for c in criteria}))
        for item in ideas.order_by("number")
    ]  # fmt: skip
    return render(request, "ideas/review.html", {
        "challenge": challenge, "campaign": challenge.campaign, "rows": rows,
    })  # fmt: skip


@login_required
@require_POST
def score(request, slug: str, number: int):
    challenge, reviewer = selectors.challenge_reviewed(actor=request.user, slug=slug)
    item = selectors.idea_access(actor=request.user, challenge=challenge, number=number)
    form = ScoreForm(request.POST, criteria=challenge.criteria.all(), prefix=f"i{number}")
    result = run_form_action(
        request, form,
        lambda _d: reviews.score_set(reviewer=reviewer, idea=item, scores=form.scores()),
    )  # fmt: skip
    if result is None:
        messages.success(request, _("Scores saved for idea #%(n)s.") % {"n": number})
    elif form.errors:
        messages.error(request, _("Choose a score from 1 to 5 for every criterion."))
    return redirect("ideas:review", slug=slug)
