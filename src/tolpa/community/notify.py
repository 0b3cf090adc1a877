"""The one way any app tells a person something. `notify` honours the person's choices per
kind, keeps a busy campaign to one unread notice per kind, and emails only after the
transaction commits. It imports no producer app, so every app may import it."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from tolpa.accounts.models import User
from tolpa.campaigns.models import Campaign
from tolpa.community.models import (
    BATCHED_KINDS,
    EMAIL_BY_DEFAULT,
    Notification,
    NotificationKind,
    NotificationPreference,
    NotificationSent,
)

logger = logging.getLogger(__name__)

TEXT_MAX = 300

Text = str | Callable[[], str]
"""A notice's detail: plain text (a title, a comment excerpt), or a function that writes
it, called in each recipient's language."""


def _written(text: Text, language: str) -> str:
    if not callable(text):
        return text
    with translation.override(language):
        return text()


def default_choice(kind: str) -> tuple[bool, bool]:
    """(in_app, email) for a kind the person never chose: on the site always, by email
    only for what concerns them directly or has a deadline."""
    return True, kind in EMAIL_BY_DEFAULT


def preferences_of(user: User) -> dict[str, tuple[bool, bool]]:
    """Every kind, in declaration order, with the (in_app, email) choice that applies."""
    chosen = {
        kind: (in_app, email)
        for kind, in_app, email in NotificationPreference.objects.filter(user=user).values_list(
            "kind", "in_app", "email"
        )
    }
    return {kind: chosen.get(kind, default_choice(kind)) for kind in NotificationKind.values}


def _choice(user: User, kind: str) -> tuple[bool, bool]:
    row = (
        NotificationPreference.objects.filter(user=user, kind=kind)
        .values_list("in_app", "email")
        .first()
    )
    return tuple(row) if row else default_choice(kind)


def _bump(*, recipient: User, kind: str, campaign_id: int, text: str, url: str) -> bool:
    """Fold one more event into the unread batch, if there is one; it moves to the top."""
    return bool(
        Notification.objects.filter(
            recipient=recipient, kind=kind, campaign_id=campaign_id, read_at__isnull=True
        ).update(count=F("count") + 1, text=text, url=url, created_at=timezone.now())
    )


def _store_batched(*, recipient: User, kind: str, campaign_id: int, text: str, url: str) -> bool:
    """True when a new notice was created, False when an unread one was bumped. The partial
    unique constraint settles two events racing to start the batch."""
    fields = {"recipient": recipient, "kind": kind, "campaign_id": campaign_id}
    if _bump(**fields, text=text, url=url):
        return False
    try:
        with transaction.atomic():
            Notification.objects.create(**fields, text=text, url=url)
    except IntegrityError:
        _bump(**fields, text=text, url=url)
        return False
    return True


def _already_sent(*, recipient: User, kind: str, campaign_id: int) -> bool:
    """Record a once-only notice; True if it was recorded before (then nothing is sent)."""
    try:
        with transaction.atomic():
            NotificationSent.objects.create(recipient=recipient, kind=kind, campaign_id=campaign_id)
    except IntegrityError:
        return True
    return False


def notify(
    recipient: User,
    kind: str,
    text: Text = "",
    url: str = "",
    *,
    campaign: Campaign | int | None = None,
    once: bool = False,
) -> bool:
    """Tell `recipient` about an event of `kind`, in their language; `text` is the detail,
    `url` a site path. With `once`, at most once ever per recipient, kind and campaign. Batched kinds (new
    responses, entries, ideas) count into the unread notice of that campaign, and email
    only when a new batch starts. Returns whether anything new was sent."""
    kind = NotificationKind(kind)
    language = recipient.language
    text = Truncator(" ".join(_written(text, language).split())).chars(TEXT_MAX)
    campaign_id = getattr(campaign, "pk", campaign)
    if (once or kind in BATCHED_KINDS) and campaign_id is None:
        raise ValueError(f"a {kind} notification needs a campaign")
    if once and _already_sent(recipient=recipient, kind=kind, campaign_id=campaign_id):
        return False
    in_app, email = _choice(recipient, kind)
    fresh = True
    if in_app and kind in BATCHED_KINDS:
        fresh = _store_batched(
            recipient=recipient, kind=kind, campaign_id=campaign_id, text=text, url=url
        )
    elif in_app:
        Notification.objects.create(
            recipient=recipient, kind=kind, campaign_id=campaign_id, text=text, url=url
        )
    if email and fresh and recipient.is_active and recipient.email:
        address, name = recipient.email, recipient.display_name
        transaction.on_commit(
            lambda: send_notification_email(
                address=address, name=name, kind=kind, text=text, url=url, language=language
            )
        )
    return (in_app or email) and fresh


def notify_brand(*, campaign: Campaign, kind: str, text: Text, url: str) -> None:
    """Every active member of the brand that runs `campaign`, batched per campaign, each in
    their own language."""
    members = User.objects.filter(
        memberships__organization_id=campaign.organization_id, is_active=True
    ).distinct()
    for member in members:
        notify(member, kind, text, url, campaign=campaign)


def send_notification_email(
    *, address: str, name: str, kind: str, text: str, url: str, language: str
) -> None:
    """Runs after the commit, so the action that caused it has succeeded already: a mail
    failure is logged and never reaches the person who acted. Written in the recipient's
    language, never the acting person's."""
    try:
        with translation.override(language):
            label = NotificationKind(kind).label
            site = settings.TOLPA_SITE_URL
            body = render_to_string(
                "community/email/notification.txt",
                {
                    "name": name,
                    "label": label,
                    "text": text,
                    "link": f"{site}{url}" if url else "",
                    "settings_link": f"{site}{reverse('community:notification_settings')}",
                },
            )
            subject = _("Tolpa: %(what)s") % {"what": label}
        send_mail(subject, body, None, [address])
    except Exception:
        logger.exception("could not email a %s notification", kind)
