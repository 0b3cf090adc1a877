"""Text normalisation shared by indexing and querying, so both sides see the same n-grams.

Vietnamese tone marks distinguish words (ma, má, mà, mả are different words), so they are kept
unless `fold_accents=True`, which matches people who type without them. Folding only strips
marks that follow a Latin letter: Cyrillic й keeps its breve.
"""

import re
import unicodedata
from collections.abc import Iterable

_MARKS_AFTER_LATIN = re.compile(r"(?<=[a-z])[\u0300-\u036f]+")
_NOT_WORD = re.compile(r"[^\w\s]|_")
_LETTER_MAP = str.maketrans({"ё": "е"})
_FOLD_MAP = str.maketrans({"đ": "d"})


def normalize(text: str, *, fold_accents: bool = False) -> str:
    """NFKC, casefold, ё→е, punctuation to spaces, single spaces; optionally fold accents."""
    if not isinstance(text, str):
        raise ValueError(f"text must be str, got {type(text).__name__}")
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_LETTER_MAP)
    if fold_accents:
        decomposed = unicodedata.normalize("NFD", folded.translate(_FOLD_MAP))
        folded = unicodedata.normalize("NFC", _MARKS_AFTER_LATIN.sub("", decomposed))
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def checked_texts(texts: Iterable[str], name: str = "texts") -> list[str]:
    """The texts as a list, or a ValueError naming the first one that is not a str."""
    if isinstance(texts, str):
        raise ValueError(f"{name} must be a sequence of str, not a single str")
    listed = list(texts)
    for position, text in enumerate(listed):
        if not isinstance(text, str):
            raise ValueError(f"{name}[{position}] must be str, got {type(text).__name__}")
    return listed
