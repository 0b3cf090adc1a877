"""The IP transfer agreement a winner and the brand both accept before a prize is paid.
The text names the parties, the time and the SHA-256 of every delivered file, so the
record proves exactly what changed hands."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tolpa.contests.models import Award, Category

RIGHTS_BY_CATEGORY = {
    Category.LOGO: gettext_lazy(
        "all copyright in the logo, including the right to register it as a trademark"
    ),
    Category.BRAND_IDENTITY: gettext_lazy("all copyright in the brand identity and its elements"),
    Category.WEB_APP: gettext_lazy(
        "all copyright in the design, including derived layouts and assets"
    ),
    Category.PACKAGING: gettext_lazy(
        "all copyright in the packaging design, for print and digital use"
    ),
    Category.VIDEO: gettext_lazy(
        "all copyright and related rights in the video, worldwide, in every medium"
    ),
    Category.NAMING: gettext_lazy(
        "every right in the name or slogan, including the right to register it"
    ),
    Category.AD_COPY: gettext_lazy(
        "all copyright in the text, including the right to edit and adapt it"
    ),
    Category.OTHER: gettext_lazy("all copyright in the delivered work"),
}


def agreement_text(award: Award) -> str:
    contest = award.contest
    entry = award.entry
    files = "\n".join(
        f"- {d.name} ({d.size} bytes) sha256 {d.sha256}" for d in award.deliverables.order_by("pk")
    )
    return _(
        "IP transfer agreement\n\n"
        "Contest: %(contest)s (entry #%(number)s, place %(place)s)\n"
        "Designer: %(author)s <%(email)s>\n"
        "Brand: %(brand)s\n"
        "Prepared: %(time)s UTC\n\n"
        "On payment of the prize, the designer transfers to the brand %(rights)s, for the files "
        "listed below, and confirms the work is original and theirs to transfer.\n\n"
        "Files:\n%(files)s\n"
    ) % {
        "contest": contest.campaign.title,
        "number": entry.number,
        "place": award.place,
        "author": entry.author.display_name,
        "email": entry.author.email,
        "brand": contest.campaign.organization.name,
        "time": timezone.now().strftime("%Y-%m-%d %H:%M:%S"),
        "rights": RIGHTS_BY_CATEGORY[Category(contest.category)],
        "files": files,
    }
