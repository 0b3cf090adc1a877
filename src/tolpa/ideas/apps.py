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


def _idea_audience(campaign, number):
    """An idea's author, accepted co-authors and followers hear of comments on it."""
    from tolpa.accounts.models import User
    from tolpa.ideas.models import Idea

    idea = Idea.objects.filter(challenge__campaign=campaign, number=number).first()
    if idea is None:
        return User.objects.none()
    coauthors = idea.coauthor_invites.filter(accepted_at__isnull=False, user__isnull=False)
    ids = {idea.author_id, *coauthors.values_list("user_id", flat=True)}
    ids.update(idea.follows.values_list("user_id", flat=True))
    return User.objects.filter(pk__in=ids, is_active=True)


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
                item_audience=_idea_audience,
            )
        )
