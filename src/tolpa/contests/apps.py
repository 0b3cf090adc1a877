from django.apps import AppConfig
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def _entry_conversation_visible(actor, campaign, number) -> bool:
    """Comments on an entry are feedback between its author and the brand (site staff
    moderate them), as on the contest platforms designers know; nobody else reads them."""
    from tolpa.contests.models import Entry
    from tolpa.contests.services import is_manager

    if not actor.is_authenticated:
        return False
    entry = (
        Entry.objects.select_related("contest__campaign__organization")
        .filter(contest__campaign=campaign, number=number)
        .first()
    )
    return entry is not None and (
        entry.author_id == actor.pk or actor.is_staff or is_manager(actor, entry.contest)
    )


def _entry_audience(campaign, number):
    """An entry's conversation is between its author and the brand's members."""
    from tolpa.accounts.models import User

    return User.objects.filter(
        Q(contest_entries__contest__campaign=campaign, contest_entries__number=number)
        | Q(memberships__organization_id=campaign.organization_id),
        is_active=True,
    ).distinct()


class ContestsConfig(AppConfig):
    name = "tolpa.contests"
    verbose_name = _("Contests")

    def ready(self):
        from tolpa.campaigns.registry import KindPlugin, register_kind

        register_kind(
            KindPlugin(
                kind="contest",
                detail_url_name="contests:detail",
                create_url_name="contests:create",
                item_url_name="contests:entry",
                item_visible=_entry_conversation_visible,
                item_audience=_entry_audience,
            )
        )
