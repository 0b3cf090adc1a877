"""Checks and derived fields of a text body, shared by shop texts and order deliveries."""

import hashlib

from django.db import connection
from django.utils.translation import gettext as _

from tolpa.errors import InvalidInput
from tolpa.marketplace.shop import uniqueness
from tolpa.marketplace.shop.models import Category, Language, ShopText, TextStatus

MIN_CHARACTERS = 200
MAX_CHARACTERS = 50_000
MAX_TITLE = 200
PREVIEW_SHARE = 0.2  # the public preview is the first fifth of the text ...
PREVIEW_MAX = 600  # ... and never more than this many characters
CORPUS_LOCK = 0x5E0_7E27  # the PostgreSQL advisory lock key of the uniqueness check


class DuplicateTextError(InvalidInput):
    code = "duplicate_text"


def invalid(field: str, message: str) -> InvalidInput:
    """An input error whose message is also the field's, for forms and API alike."""
    return InvalidInput(message, fields={field: [message]})


def title_clean(title, field: str = "title") -> str:
    title = " ".join(str(title or "").split())
    if not 3 <= len(title) <= MAX_TITLE:
        raise invalid(field, _("Use 3 to %(n)s characters.") % {"n": MAX_TITLE})
    return title


def body_clean(body) -> str:
    body = str(body or "").replace("\r\n", "\n").strip()
    if len(body) < MIN_CHARACTERS:
        raise invalid("body", _("The text is too short: at least %(n)s characters, it has "
                                "%(m)s.") % {"n": MIN_CHARACTERS, "m": len(body)})  # fmt: skip
    if len(body) > MAX_CHARACTERS:
        raise invalid("body", _("The text is too long: at most %(n)s characters, it has "
                                "%(m)s.") % {"n": MAX_CHARACTERS, "m": len(body)})  # fmt: skip
    return body


def choice_clean(value, choices, field: str) -> str:
    if value not in choices.values:
        raise invalid(field, _("Choose one of the listed values."))
    return value


def category_clean(value) -> str:
    return choice_clean(value, Category, "category")


def language_clean(value) -> str:
    return choice_clean(value, Language, "language")


def word_count(body: str) -> int:
    return len(body.split())


def preview_of(body: str) -> str:
    """The first part of the text, cut at a space: what anyone may read before buying."""
    limit = min(PREVIEW_MAX, max(1, int(len(body) * PREVIEW_SHARE)))
    if len(body) <= limit:
        return body
    cut = body[:limit]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + " …"


def sha256_of(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()


def exact_duplicate() -> DuplicateTextError:
    """The database's exact-duplicate guard tripped (two identical texts sent at once)."""
    message = _("This exact text is already in the shop.")
    return DuplicateTextError(message, fields={"body": [message]})


def similar_name(text: ShopText) -> str:
    """How an error names the similar text: a public title, or what kind of private text."""
    if text.status == TextStatus.ORDERED:
        return _("a text delivered for an order")
    if text.status == TextStatus.HELD:
        return _("a text waiting for moderation")
    return f"«{text.title}»"


def corpus_lock() -> None:
    """Serialize uniqueness checks with the writes they decide until the transaction ends, so
    two near-copies sent at once cannot both pass. SQLite's IMMEDIATE transactions already
    serialize writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CORPUS_LOCK])


def uniqueness_require(body: str, *, limit: float, exclude_id: int | None = None):
    """The uniqueness check, refusing a text at or above `limit` similarity. Runs under the
    corpus lock, inside the caller's transaction."""
    corpus_lock()
    found = uniqueness.check(body, exclude_id=exclude_id)
    if found.similar is not None and found.similarity >= limit:
        raise DuplicateTextError(
            _("This text duplicates %(name)s in the shop (%(percent)s%% similar).")
            % {"name": similar_name(found.similar), "percent": round(100 * found.similarity)},
            fields={"body": [_("This text duplicates %(name)s (%(percent)s%% similar).")
                             % {"name": similar_name(found.similar),
                                "percent": round(100 * found.similarity)}]},
        )  # fmt: skip
    return found


def body_fields(body: str, found) -> dict:
    """Every stored field that follows from the body and its uniqueness check."""
    return {
        "body": body,
        "preview": preview_of(body),
        "words": word_count(body),
        "characters": len(body),
        "sha256": sha256_of(body),
        "uniqueness": found.uniqueness,
        "similar_to": found.similar,
    }
