from django.apps import AppConfig
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def _can_view(actor, campaign) -> bool:
    """Shared pages (discovery, comments) ask this of a published ideas campaign."""
    from tolpa.ideas.access import in_audience
    from tolpa.ideas.models import Challenge

    challenge = Challenge.objects.filter(campaign=campaign).first()
    return challenge is not None and in_audience(actor, challenge)


def _idea_visible(actor, campaign, number) -> bool:
    """Every idea of a challenge the actor may see is open to its comments."""
    from tolpa.ideas.models import Idea

    return (
        _can_view(actor, campaign)
        and Idea.objects.filter(challenge__campaign=campaign, number=number).exists()
    )


class IdeasConfig(AppConfig):
    name = "tolpa.ideas"
    verbose_name = _("Idea challenges")

    def ready(self):
        from tolpa.campaigns.registry import KindPlugin, register_kind

        register_kind(
            KindPlugin(
                kind="ideas",
                detail_url_name="ideas:detail",
                create_url_name="ideas:create",
                can_view=_can_view,
                unlisted=Q(kind="ideas", challenge__audience="internal"),
                item_url_name="ideas:idea",
                item_visible=_idea_visible,
            )
        )
