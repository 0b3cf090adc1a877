"""@mentions: `@` plus a display name (up to three words) or an email local-part. Found
once when a comment is written; linked at display time inside already-sanitized HTML."""

import re

from django.db.models import Q
from django.urls import reverse

from tolpa.accounts.models import User

MAX_MENTIONS = 10
MAX_WORDS = 3
_MENTION = re.compile(rf"(?<![\w@])@(\w[\w.+-]*(?: \w[\w.+-]*){{0,{MAX_WORDS - 1}}})")
_TAG = re.compile(r"(<[^>]*>)")
_NO_LINK_INSIDE = {"a", "code", "pre"}


def _candidates(body: str) -> set[str]:
    """Every 1..3-word prefix after each `@`, lower-cased, trailing dots dropped."""
    found: set[str] = set()
    for match in list(_MENTION.finditer(body))[:MAX_MENTIONS]:
        words = match.group(1).split(" ")
        for n in range(1, len(words) + 1):
            found.add(" ".join(words[:n]).rstrip(".").lower())
    found.discard("")
    return found


def _names(user: User) -> set[str]:
    return {user.display_name.lower(), user.email.split("@", 1)[0].lower()}


def mentioned_users(body: str) -> list[User]:
    """The active users named after an `@` in `body`, the oldest account winning a tie."""
    candidates = _candidates(body)
    if not candidates:
        return []
    query = Q()
    for name in candidates:
        query |= Q(display_name__iexact=name)
        if " " not in name:
            query |= Q(email__istartswith=f"{name}@")
    users, taken = [], set()
    for user in User.objects.filter(query, is_active=True).order_by("pk")[: MAX_MENTIONS * 4]:
        names = (_names(user) & candidates) - taken
        if names:
            taken |= names
            users.append(user)
    return users[:MAX_MENTIONS]


def link_mentions(html: str, users) -> str:
    """Wrap `@name` of each mentioned user in a link to their profile. Only text between
    tags is touched, never inside links or code; names matched are word characters, so the
    inserted markup stays safe."""
    targets: dict[str, str] = {}
    for user in sorted(users, key=lambda u: u.pk):
        url = reverse("accounts:profile", args=[user.pk])
        for name in _names(user):
            targets.setdefault(name, url)
    if not targets:
        return html
    names = sorted(targets, key=len, reverse=True)
    alternatives = "|".join(re.escape(n) for n in names)
    pattern = re.compile(rf"(?<![\w@])@({alternatives})(?![\w])", re.IGNORECASE)
    parts, blocked = [], 0
    for part in _TAG.split(html):
        if part.startswith("<"):
            tag = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
            if tag and tag.group(1).lower() in _NO_LINK_INSIDE:
                blocked += -1 if part.startswith("</") else 1
            parts.append(part)
        elif blocked > 0:
            parts.append(part)
        else:
            parts.append(
                pattern.sub(
                    lambda m: (
                        f'<a class="mention" href="{targets[m.group(1).lower()]}">@{m.group(1)}</a>'
                    ),
                    part,
                )
            )
    return "".join(parts)
