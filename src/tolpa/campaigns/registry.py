"""Campaign kinds. The product defines the kinds; each kind's app plugs in its own
pages by registering a plugin in its AppConfig.ready()."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    CONTEST = "contest", _("Contest")
    CROWDFUNDING = "crowdfunding", _("Crowdfunding")
    MICROTASKS = "microtasks", _("Microtasks")
    IDEAS = "ideas", _("Idea challenge")
    SURVEY = "survey", _("Feedback and survey")
    TENDER = "tender", _("Tender")


@dataclass(frozen=True)
class KindPlugin:
    """What a kind's app contributes: its detail page (URL name taking the slug) and its
    create page. Every kind is created through its own app.
    A kind with a restricted audience (internal idea challenges) also says who may see a
    published campaign (`can_view(actor, campaign)`) and which campaigns stay out of public
    listings (`unlisted`, a Q on Campaign), so shared pages such as discovery and comments
    never show them to outsiders.

    A kind whose campaign holds numbered items people discuss one by one (ideas, contest
    entries) names the item page (`item_url_name`, taking the slug and the number) and says
    whether an actor may see an item (`item_visible(actor, campaign, number)`), so each item
    gets its own comment thread with the item's visibility; `item_audience(campaign, number)`
    names the people told of new comments on it (its authors, followers, the brand)."""

    kind: str
    detail_url_name: str
    create_url_name: str
    can_view: Callable | None = None
    unlisted: models.Q | None = None
    item_url_name: str | None = None
    item_visible: Callable | None = None
    item_audience: Callable | None = None


_plugins: dict[str, KindPlugin] = {}


def register_kind(plugin: KindPlugin) -> None:
    if plugin.kind not in Kind.values:
        raise ValueError(f"unknown campaign kind {plugin.kind!r}")
    _plugins[plugin.kind] = plugin


def plugin_for(kind: str) -> KindPlugin | None:
    return _plugins.get(kind)


def plugins() -> list[KindPlugin]:
    return list(_plugins.values())
