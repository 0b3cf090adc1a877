"""Periodic community work: reminding participants that a campaign is about to end."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tolpa.accounts.models import User
from tolpa.campaigns.models import Campaign, Status
from tolpa.community.models import NotificationKind, NotificationSent
from tolpa.community.notify import notify

REMIND_WITHIN = timedelta(hours=24)


def _participants(campaign: Campaign) -> list[Q]:
    """Who takes part, per campaign kind, through the producers' reverse relations, so no
    producer app is imported: backers with an active pledge, designers with an active
    entry, idea authors and followers."""
    pk = campaign.pk
    return {
        "crowdfunding": [Q(pledges__project__campaign_id=pk, pledges__status="active")],
        "contest": [Q(contest_entries__contest__campaign_id=pk, contest_entries__status="active")],
        "ideas": [
            Q(ideas__challenge__campaign_id=pk),
            Q(idea_follows__idea__challenge__campaign_id=pk),
        ],
    }.get(campaign.kind, [])


def remind_deadlines(*, now=None) -> int:
    """Tell each participant of a live campaign ending within 24 hours, once per campaign
    (NotificationSent remembers), so the hourly run is idempotent. Returns how many."""
    now = now or timezone.now()
    campaigns = Campaign.objects.filter(
        status=Status.LIVE, ends_at__gt=now, ends_at__lte=now + REMIND_WITHIN
    ).filter(Q(starts_at__isnull=True) | Q(starts_at__lte=now))
    sent = 0
    for campaign in campaigns:
        ids: set[int] = set()
        for condition in _participants(campaign):
            ids.update(User.objects.filter(condition).values_list("pk", flat=True))
        reminded = NotificationSent.objects.filter(
            kind=NotificationKind.DEADLINE, campaign=campaign
        ).values("recipient_id")
        people = User.objects.filter(pk__in=ids, is_active=True).exclude(pk__in=reminded)
        with transaction.atomic():
            for person in people:
                sent += notify(
                    person,
                    NotificationKind.DEADLINE,
                    campaign.title,
                    campaign.get_absolute_url(),
                    campaign=campaign,
                    once=True,
                )
    return sent
