from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrowdfundingConfig(AppConfig):
    name = "tolpa.crowdfunding"
    verbose_name = _("Crowdfunding")

    def ready(self):
        from tolpa.campaigns.registry import KindPlugin, register_kind

        register_kind(
            KindPlugin(
                kind="crowdfunding",
                detail_url_name="crowdfunding:detail",
                create_url_name="crowdfunding:create",
            )
        )
