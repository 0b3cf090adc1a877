from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "tolpa.marketplace"
    label = "marketplace"
    verbose_name = _("Tenders")

    def ready(self):
        from tolpa.campaigns.registry import KindPlugin, register_kind

        register_kind(
            KindPlugin(
                kind="tender", detail_url_name="tenders:detail", create_url_name="tenders:create"
            )
        )
