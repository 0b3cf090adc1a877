"""Idea challenge writes: challenges, ideas, co-authors, votes, follows and statuses.
Callers own the transaction; every check that matters is made here, not in views."""

import re
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tolpa.accounts.models import Organization, User
from tolpa.campaigns import services as campaign_services
from tolpa.campaigns.models import Tag
from tolpa.community.models import NotificationKind
from tolpa.community.notify import notify, notify_brand
from tolpa.errors import ConflictError, InvalidInput, PermissionDeniedError
from tolpa.ideas.access import is_manager
from tolpa.ideas.files import MAX_ATTACHMENTS, check_attachment, stored_name
from tolpa.ideas.models import (
    BODY_MAX,
    TITLE_MAX,
    Attachment,
    Audience,
    Challenge,
    CoauthorInvite,
    Criterion,
    Follow,
    Idea,
    IdeaStatus,
    Stage,
    StatusChange,
    Vote,
)
from tolpa.ideas.selectors import is_author

MAX_DOMAINS = 20
MAX_CRITERIA = 10
MAX_TAGS = 5
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class StageClosedError(ConflictError):
    code = "stage_closed"


def parse_domains(text: str) -> str:
    """ "acme.com, @Acme.co.uk" → ",acme.com,acme.co.uk," or InvalidInput naming the bad one."""
    domains = []
    for raw in re.split(r"[\s,;]+", text or ""):
        domain = raw.strip().lstrip("@").lower()
        if not domain:
            continue
        if not DOMAIN.match(domain):
            raise InvalidInput(
                fields={"allowed_domains": [_("“%(d)s” is not a domain name.") % {"d": raw[:60]}]}
            )
        if domain not in domains:
            domains.append(domain)
    if len(domains) > MAX_DOMAINS:
        raise InvalidInput(
            fields={"allowed_domains": [_("At most %(n)s domains.") % {"n": MAX_DOMAINS}]}
        )
    return f",{','.join(domains)}," if domains else ""


def _criteria(criteria: list[tuple[str, int]]) -> list[Criterion]:
    rows, errors = [], []
    for position, (name, weight) in enumerate(criteria):
        name = (name or "").strip()
        if not name or len(name) > 80:
            errors.append(_("Each criterion needs a name of at most 80 characters."))
        elif not isinstance(weight, int) or not 1 <= weight <= 10:
            errors.append(_("Weights are whole numbers from 1 to 10."))
        else:
            rows.append(Criterion(name=name, weight=weight, position=position))
    if len(criteria) > MAX_CRITERIA:
        errors.append(_("At most %(n)s criteria.") % {"n": MAX_CRITERIA})
    if errors:
        raise InvalidInput(fields={"criteria": sorted(set(errors))})
    return rows


def _stage_dates(*, submission_ends_at, review_ends_at, voting_ends_at, now) -> None:
    dates = [submission_ends_at, review_ends_at, voting_ends_at]
    if any(timezone.is_naive(d) for d in dates):
        raise InvalidInput(fields={"submission_ends_at": [_("Give times with a time zone.")]})
    if submission_ends_at <= now:
        raise InvalidInput(fields={"submission_ends_at": [_("The submission stage must end in the future.")]})  # fmt: skip
    if review_ends_at <= submission_ends_at:
        raise InvalidInput(fields={"review_ends_at": [_("The review must end after the submission stage.")]})  # fmt: skip
    if voting_ends_at <= review_ends_at:
        raise InvalidInput(fields={"voting_ends_at": [_("Voting must end after the review.")]})


def challenge_create(
    *,
    actor: User,
    organization: Organization,
    title: str,
    submission_ends_at: datetime,
    review_ends_at: datetime,
    voting_ends_at: datetime,
    description: str = "",
    summary: str = "",
    audience: str = Audience.PUBLIC,
    allowed_domains: str = "",
    vote_while_submitting: bool = True,
    criteria: list[tuple[str, int]] | None = None,
    tags: list[str] | None = None,
    language: str = "en",
) -> Challenge:
    """A draft challenge: the campaign (its title is the question) plus stages and rubric."""
    if audience not in Audience.values:
        raise InvalidInput(fields={"audience": [_("Choose public or internal.")]})
    domains = parse_domains(allowed_domains)
    rubric = _criteria(criteria or [])
    _stage_dates(
        submission_ends_at=submission_ends_at, review_ends_at=review_ends_at,
        voting_ends_at=voting_ends_at, now=timezone.now(),
    )  # fmt: skip
    campaign = campaign_services.campaign_create(
        actor=actor, organization=organization, kind="ideas", title=title, summary=summary,
        description=description, ends_at=voting_ends_at, tags=tags, language=language,
    )  # fmt: skip
    challenge = Challenge.objects.create(
        campaign=campaign, audience=audience, allowed_domains=domains,
        submission_ends_at=submission_ends_at, review_ends_at=review_ends_at,
        vote_while_submitting=vote_while_submitting,
    )  # fmt: skip
    for criterion in rubric:
        criterion.challenge = challenge
    Criterion.objects.bulk_create(rubric)
    return challenge


def challenge_launch(*, actor: User, challenge: Challenge) -> Challenge:
    if timezone.now() >= challenge.submission_ends_at:
        raise InvalidInput(
            fields={"submission_ends_at": [_("The submission stage has already ended.")]}
        )
    challenge.campaign = campaign_services.campaign_launch(actor=actor, campaign=challenge.campaign)
    return challenge


def _lock_challenge(challenge: Challenge) -> Challenge:
    locked = Challenge.objects.select_for_update().get(pk=challenge.pk)
    locked.campaign = challenge.campaign
    return locked


def _touch(challenge: Challenge) -> None:
    """Mark the ideas as changed: the similarity index is keyed by this moment."""
    Challenge.objects.filter(pk=challenge.pk).update(ideas_changed_at=timezone.now())


def _idea_texts(*, title: str, body: str) -> tuple[str, str]:
    title, errors = (title or "").strip(), {}
    if not title:
        errors["title"] = [_("Give your idea a title.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("At most %(n)s characters.") % {"n": TITLE_MAX}]
    if not (body or "").strip():
        errors["body"] = [_("Describe your idea.")]
    elif len(body) > BODY_MAX:
        errors["body"] = [_("At most %(n)s characters.") % {"n": f"{BODY_MAX:,}"}]
    if errors:
        raise InvalidInput(fields=errors)
    return title, body


def _tags(names: list[str] | None) -> list[Tag]:
    cleaned = sorted({n.strip().lower()[:40] for n in names or [] if n.strip()})
    if len(cleaned) > MAX_TAGS:
        raise InvalidInput(fields={"tags": [_("At most %(n)s tags.") % {"n": MAX_TAGS}]})
    return [Tag.objects.get_or_create(name=name)[0] for name in cleaned]


def _checked_files(files) -> list[tuple]:
    files = list(files or [])
    if len(files) > MAX_ATTACHMENTS:
        raise InvalidInput(
            fields={"attachments": [_("At most %(n)s attachments.") % {"n": MAX_ATTACHMENTS}]}
        )
    checked = []
    for upload in files:
        try:
            kind = check_attachment(upload)
        except ValidationError as exc:
            raise InvalidInput(fields={"attachments": exc.messages}) from exc
        checked.append((upload, kind))
    return checked


def _save_attachments(idea: Idea, checked: list[tuple]) -> None:
    for upload, kind in checked:
        name, display = stored_name(upload, kind)
        attachment = Attachment(idea=idea, kind=kind, name=display, size=upload.size)
        attachment.file.save(name, File(upload), save=False)
        attachment.save()


def idea_submit(
    *,
    actor: User,
    challenge: Challenge,
    title: str,
    body: str,
    tags: list[str] | None = None,
    attachments=None,
) -> Idea:
    """A new idea, numbered within the challenge, only during the submission stage."""
    if not actor.is_authenticated:
        raise PermissionDeniedError()
    title, body = _idea_texts(title=title, body=body)
    tag_objects = _tags(tags)
    checked = _checked_files(attachments)
    challenge = _lock_challenge(challenge)
    if challenge.stage() != Stage.SUBMISSION:
        raise StageClosedError(_("Ideas can be submitted only during the submission stage."))
    idea = Idea.objects.create(
        challenge=challenge, number=challenge.next_number, author=actor, title=title, body=body
    )
    Challenge.objects.filter(pk=challenge.pk).update(
        next_number=F("next_number") + 1, ideas_changed_at=timezone.now()
    )
    idea.tags.set(tag_objects)
    _save_attachments(idea, checked)
    StatusChange.objects.create(idea=idea, status=IdeaStatus.NEW, actor=actor)
    campaign_services.campaign_participants_set(
        campaign_id=challenge.campaign_id,
        count=Idea.objects.filter(challenge=challenge).values("author").distinct().count(),
    )
    notify_brand(
        campaign=challenge.campaign,
        kind=NotificationKind.NEW_IDEA,
        text=f"{challenge.campaign.title}: {idea.title}",
        url=reverse("ideas:dashboard", args=[challenge.campaign.slug]),
    )
    return idea


def idea_update(
    *,
    actor: User,
    idea: Idea,
    title: str,
    body: str,
    tags: list[str] | None = None,
    attachments=None,
) -> Idea:
    """Authors and accepted co-authors edit while submissions are open."""
    if not is_author(actor, idea):
        raise PermissionDeniedError(_("Only the idea's authors can edit it."))
    if idea.challenge.stage() != Stage.SUBMISSION or idea.merged_into_id:
        raise StageClosedError(_("Ideas can be edited only during the submission stage."))
    title, body = _idea_texts(title=title, body=body)
    tag_objects = _tags(tags)
    checked = _checked_files(attachments)
    if idea.attachments.count() + len(checked) > MAX_ATTACHMENTS:
        raise InvalidInput(
            fields={"attachments": [_("At most %(n)s attachments.") % {"n": MAX_ATTACHMENTS}]}
        )
    idea.title, idea.body = title, body
    idea.save(update_fields=["title", "body", "updated_at"])
    idea.tags.set(tag_objects)
    _save_attachments(idea, checked)
    _touch(idea.challenge)
    return idea


def coauthor_invite(*, actor: User, idea: Idea, email: str) -> CoauthorInvite:
    if idea.author_id != actor.pk:
        raise PermissionDeniedError(_("Only the author invites co-authors."))
    email = (email or "").strip().lower()
    try:
        CoauthorInvite._meta.get_field("email").run_validators(email)
        if not email:
            raise ValidationError(_("Enter an email address."))
    except ValidationError as exc:
        raise InvalidInput(fields={"email": exc.messages}) from exc
    if email == actor.email.lower():
        raise InvalidInput(fields={"email": [_("You are the author already.")]})
    try:
        with transaction.atomic():
            return CoauthorInvite.objects.create(idea=idea, email=email, invited_by=actor)
    except IntegrityError as exc:
        raise ConflictError(_("This person is invited already.")) from exc


def coauthor_accept(*, actor: User, idea: Idea) -> CoauthorInvite:
    if not actor.is_authenticated:
        raise PermissionDeniedError()
    invite = (
        idea.coauthor_invites.select_for_update()
        .filter(email__iexact=actor.email, accepted_at__isnull=True)
        .first()
    )
    if invite is None:
        raise ConflictError(_("There is no invitation for you on this idea."))
    invite.user, invite.accepted_at = actor, timezone.now()
    invite.save(update_fields=["user", "accepted_at"])
    return invite


def lock_ideas(*ids: int) -> dict[int, Idea]:
    """Lock idea rows in primary-key order, so two merges cannot deadlock."""
    locked = Idea.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    return {idea.pk: idea for idea in locked}


def recount(idea_id: int) -> int:
    """The counter set from the vote rows themselves; called under the idea's lock."""
    count = Vote.objects.filter(idea_id=idea_id).count()
    Idea.objects.filter(pk=idea_id).update(votes_count=count)
    return count


def _votable(actor: User, idea: Idea) -> None:
    if not actor.is_authenticated:
        raise PermissionDeniedError()
    if idea.merged_into_id:
        raise ConflictError(_("This idea was merged into another; vote there."))
    if not idea.challenge.voting_open():
        raise StageClosedError(_("Voting is not open now."))


def vote_cast(*, actor: User, idea: Idea) -> Idea:
    """One up-vote per account; voting again changes nothing."""
    _votable(actor, idea)
    if is_author(actor, idea):
        raise PermissionDeniedError(_("You cannot vote for your own idea."))
    idea = lock_ideas(idea.pk)[idea.pk]
    _votable(actor, idea)
    if not Vote.objects.filter(idea=idea, voter=actor).exists():
        try:
            with transaction.atomic():
                Vote.objects.create(idea=idea, voter=actor)
        except IntegrityError:
            pass  # a parallel request of the same account won the race
        idea.votes_count = recount(idea.pk)
    return idea


def vote_retract(*, actor: User, idea: Idea) -> Idea:
    _votable(actor, idea)
    idea = lock_ideas(idea.pk)[idea.pk]
    _votable(actor, idea)
    if Vote.objects.filter(idea=idea, voter=actor).delete()[0]:
        idea.votes_count = recount(idea.pk)
    return idea


def follow(*, actor: User, idea: Idea) -> Follow:
    if not actor.is_authenticated:
        raise PermissionDeniedError()
    if idea.merged_into_id:
        raise ConflictError(_("This idea was merged into another; follow that one."))
    return Follow.objects.get_or_create(idea=idea, user=actor)[0]


def unfollow(*, actor: User, idea: Idea) -> None:
    if not actor.is_authenticated:
        raise PermissionDeniedError()
    Follow.objects.filter(idea=idea, user=actor).delete()


def status_set(*, actor: User, idea: Idea, status: str, answer: str = "") -> Idea:
    """The brand's public decision; declining needs a reason. Every change is kept."""
    if not is_manager(actor, idea.challenge):
        raise PermissionDeniedError()
    answer = (answer or "").strip()
    if status not in IdeaStatus.values:
        raise InvalidInput(fields={"status": [_("Unknown status.")]})
    if status == IdeaStatus.DECLINED and not answer:
        raise InvalidInput(fields={"answer": [_("Say why the idea is declined.")]})
    if len(answer) > BODY_MAX:
        raise InvalidInput(fields={"answer": [_("At most %(n)s characters.") % {"n": BODY_MAX}]})
    if idea.merged_into_id:
        raise ConflictError(_("A merged idea takes the status of the idea it was merged into."))
    idea = lock_ideas(idea.pk)[idea.pk]
    idea.status, idea.answer = status, answer or idea.answer
    idea.save(update_fields=["status", "answer", "updated_at"])
    StatusChange.objects.create(idea=idea, status=status, answer=answer, actor=actor)
    _notify_status(idea, actor=actor, answer=answer)
    return idea


def _notify_status(idea: Idea, *, actor: User, answer: str) -> None:
    """Authors, accepted co-authors and followers hear the new status, each in their
    language, and the brand's answer as written."""
    people = {idea.author_id: idea.author}
    accepted = idea.coauthor_invites.filter(accepted_at__isnull=False, user__isnull=False)
    people.update((invite.user_id, invite.user) for invite in accepted.select_related("user"))
    people.update((follow.user_id, follow.user) for follow in idea.follows.select_related("user"))
    people.pop(actor.pk, None)

    def text():
        line = f"{idea.title}: {IdeaStatus(idea.status).label}"
        return f"{line}. {answer}" if answer else line

    for person in people.values():
        notify(
            person,
            NotificationKind.IDEA_STATUS,
            text,
            idea.get_absolute_url(),
            campaign=idea.challenge.campaign_id,
        )
