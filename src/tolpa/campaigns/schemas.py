from datetime import datetime

from ninja import Schema
from pydantic import Field


class CampaignOut(Schema):
    id: int
    kind: str
    slug: str
    title: str
    summary: str
    language: str
    tags: list[str]
    status: str
    starts_at: datetime | None
    ends_at: datetime
    participants_count: int
    organization: str
    url: str

    @staticmethod
    def resolve_tags(campaign) -> list[str]:
        return [tag.name for tag in campaign.tags.all()]

    @staticmethod
    def resolve_status(campaign) -> str:
        return campaign.effective_status

    @staticmethod
    def resolve_organization(campaign) -> str:
        return campaign.organization.slug

    @staticmethod
    def resolve_url(campaign) -> str:
        return campaign.get_absolute_url()


class CampaignDetailOut(CampaignOut):
    description: str
    description_html: str

    @staticmethod
    def resolve_description_html(campaign) -> str:
        from tolpa.web.markdown import render_markdown

        return render_markdown(campaign.description)


class DiscoveryQuery(Schema):
    q: str = Field("", max_length=200)
    kind: str = ""
    tag: str = Field("", max_length=40)
    language: str = ""
    sort: str = "ending"
