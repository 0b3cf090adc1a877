"""Readable Latin slugs for titles in any of the site's languages. Django's `slugify` keeps
Vietnamese (its accents fold to ASCII) but drops Cyrillic entirely, so a Russian campaign
would get the fallback slug; Cyrillic is transliterated first. URL converters (`<slug:>`)
accept ASCII only, so Unicode slugs are not an option."""

from django.utils.text import slugify

CYRILLIC_TO_LATIN = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g",
})  # fmt: skip


def latin_slug(text: str, *, fallback: str, max_length: int) -> str:
    return slugify(text.lower().translate(CYRILLIC_TO_LATIN))[:max_length].strip("-") or fallback
