from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "tolpa.surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from tolpa.campaigns.registry import KindPlugin, register_kind

        register_kind(
            KindPlugin(
                kind="survey", detail_url_name="surveys:detail", create_url_name="surveys:create"
            )
        )
