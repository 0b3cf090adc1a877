from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "tolpa.contests"
    verbose_name = _("Contests")

    def ready(self):
        from tolpa.campaigns.registry import KindPlugin, register_kind

        register_kind(
            KindPlugin(
                kind="contest", detail_url_name="contests:detail", create_url_name="contests:create"
            )
        )
