"""Crowd pages: challenges, the challenge with its ideas, the idea page, voting, following,
co-authors and similar-idea suggestions. Brand and reviewer pages are in views_brand."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tolpa.errors import ServiceError
from tolpa.ideas import screening, selectors, services
from tolpa.ideas.access import is_manager
from tolpa.ideas.forms import EmailForm, IdeaForm, MergeForm, StatusForm
from tolpa.ideas.models import Attachment, Stage
from tolpa.web.service_errors import run_form_action, safe_next


def index(request):
    return render(request, "ideas/index.html", {
        "challenges": selectors.challenges_visible(actor=request.user)[:100],
        "drafts": selectors.challenges_of_brand(actor=request.user),
    })  # fmt: skip


def _detail_context(request, challenge, form=None) -> dict:
    sort = request.GET.get("sort", screening.Sort.TOP)
    sort = sort if sort in screening.Sort.ALL else screening.Sort.TOP
    q = (request.GET.get("q") or "").strip()[:100]
    tag = (request.GET.get("tag") or "").strip().lower()[:40]
    ideas = list(selectors.ideas_listed(challenge=challenge, q=q, tag=tag)[:500])
    return {
        "challenge": challenge,
        "campaign": challenge.campaign,
        "stage": challenge.stage(),
        "stages": Stage,
        "ideas": screening.ordered(ideas, challenge=challenge, sort=sort)[:100],
        "sort": sort,
        "sorts": [(screening.Sort.TOP, _("Top")), (screening.Sort.TRENDING, _("Trending")),
                  (screening.Sort.NEW, _("Newest"))],
        "q": q,
        "tag": tag,
        "voted": selectors.voted_ids(actor=request.user, challenge=challenge),
        "voting_open": challenge.voting_open(),
        "form": form or IdeaForm(),
        "is_manager": is_manager(request.user, challenge),
    }  # fmt: skip


def detail(request, slug: str):
    challenge = selectors.challenge_access(actor=request.user, slug=slug)
    return render(request, "ideas/detail.html", _detail_context(request, challenge))


@require_GET
def similar(request, slug: str):
    """HTMX: ideas like the title being typed, so authors can vote instead of repeating."""
    challenge = selectors.challenge_access(actor=request.user, slug=slug)
    hits = screening.similar(challenge=challenge, title=request.GET.get("title", ""))
    return render(request, "ideas/_similar.html", {"hits": hits, "challenge": challenge})


@login_required
@require_POST
def submit(request, slug: str):
    challenge = selectors.challenge_access(actor=request.user, slug=slug)
    form = IdeaForm(request.POST, request.FILES)
    created = {}

    def call(data):
        created["idea"] = services.idea_submit(actor=request.user, challenge=challenge, **data)

    status = run_form_action(request, form, call)
    if status is None:
        messages.success(request, _("Thank you! Your idea is posted."))
        return redirect(created["idea"])
    context = _detail_context(request, challenge, form=form)
    return render(request, "ideas/detail.html", context, status=status)


def _idea(request, slug: str, number: int):
    challenge = selectors.challenge_access(actor=request.user, slug=slug)
    return challenge, selectors.idea_access(actor=request.user, challenge=challenge, number=number)


def idea(request, slug: str, number: int):
    challenge, item = _idea(request, slug, number)
    if item.merged_into_id:
        messages.info(
            request,
            _("Idea #%(n)s was merged into this one.") % {"n": item.number},
        )
        return redirect(item.merged_into)
    return render(request, "ideas/idea.html", _idea_context(request, challenge, item))


@require_GET
def attachment(request, slug: str, number: int, pk: int):
    """An idea's file behind the idea's own access check, so the files of an internal
    challenge reach only its audience; images show inline, PDFs download."""
    _challenge, item = _idea(request, slug, number)
    file = item.attachments.filter(pk=pk).first()
    if file is None:
        raise Http404
    return FileResponse(
        file.file.open("rb"), as_attachment=file.kind == Attachment.Kind.PDF, filename=file.name
    )


def _idea_context(request, challenge, item, **forms) -> dict:
    manager = is_manager(request.user, challenge)
    return {
        "challenge": challenge,
        "campaign": challenge.campaign,
        "idea": item,
        "voted": selectors.voted_ids(actor=request.user, challenge=challenge),
        "voting_open": challenge.voting_open(),
        "following": selectors.is_following(actor=request.user, idea=item),
        "coauthors": selectors.coauthors(idea=item),
        "invite": selectors.invite_for(actor=request.user, idea=item),
        "history": selectors.status_history(idea=item),
        "merged_here": item.merged_ideas.all(),
        "is_author": selectors.is_author(request.user, item),
        "is_manager": manager,
        "can_edit": selectors.is_author(request.user, item) and challenge.stage() == Stage.SUBMISSION,
        "status_form": forms.get("status_form") or StatusForm(initial={"status": item.status}),
        "merge_form": forms.get("merge_form") or MergeForm(),
        "invite_form": forms.get("invite_form") or EmailForm(),
    }  # fmt: skip


@login_required
def edit(request, slug: str, number: int):
    _challenge, item = _idea(request, slug, number)
    if not selectors.is_author(request.user, item):
        return redirect(item)
    initial = {"title": item.title, "body": item.body,
               "tags": ", ".join(t.name for t in item.tags.all())}  # fmt: skip
    form = IdeaForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":
        status = run_form_action(
            request, form, lambda data: services.idea_update(actor=request.user, idea=item, **data)
        )
        if status is None:
            messages.success(request, _("Your idea is updated."))
            return redirect(item)
        return render(request, "ideas/edit.html", {"form": form, "idea": item}, status=status)
    return render(request, "ideas/edit.html", {"form": form, "idea": item})


@login_required
@require_POST
def vote(request, slug: str, number: int):
    """Toggle the actor's up-vote; HTMX swaps the button, a plain form goes back."""
    challenge, item = _idea(request, slug, number)
    retract = request.POST.get("action") == "retract"
    action = services.vote_retract if retract else services.vote_cast
    error = None
    try:
        with transaction.atomic():
            item = action(actor=request.user, idea=item)
    except ServiceError as exc:
        error = exc
        item.refresh_from_db()
    if request.htmx:
        return render(request, "ideas/_vote.html", {
            "idea": item, "challenge": challenge, "error": error,
            "voted": selectors.voted_ids(actor=request.user, challenge=challenge),
            "voting_open": challenge.voting_open(),
        }, status=error.status if error else 200)  # fmt: skip
    if error:
        messages.error(request, error.summary())
    return redirect(safe_next(request, item.get_absolute_url()))


@login_required
@require_POST
def follow(request, slug: str, number: int):
    _challenge, item = _idea(request, slug, number)
    if request.POST.get("action") == "unfollow":
        run_form_action(request, None, lambda _d: services.unfollow(actor=request.user, idea=item))
    else:
        run_form_action(request, None, lambda _d: services.follow(actor=request.user, idea=item))
    return redirect(item)


@login_required
@require_POST
def coauthor_invite(request, slug: str, number: int):
    challenge, item = _idea(request, slug, number)
    form = EmailForm(request.POST)
    status = run_form_action(
        request, form,
        lambda d: services.coauthor_invite(actor=request.user, idea=item, email=d["email"]),
    )  # fmt: skip
    if status is None:
        messages.success(request, _("Invitation sent."))
        return redirect(item)
    context = _idea_context(request, challenge, item, invite_form=form)
    return render(request, "ideas/idea.html", context, status=status)


@login_required
@require_POST
def coauthor_accept(request, slug: str, number: int):
    _challenge, item = _idea(request, slug, number)
    if (
        run_form_action(
            request, None, lambda _d: services.coauthor_accept(actor=request.user, idea=item)
        )
        is None
    ):
        messages.success(request, _("You are now a co-author of this idea."))
    return redirect(item)
