from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MicrotasksConfig(AppConfig):
    name = "tolpa.microtasks"
    verbose_name = _("Microtasks")

    def ready(self):
        from tolpa.campaigns.registry import KindPlugin, register_kind

        register_kind(
            KindPlugin(
                kind="microtasks",
                detail_url_name="microtasks:detail",
                create_url_name="microtasks:create",
            )
        )
