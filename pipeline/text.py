"""Text helpers shared by the stages: normalisation and script evidence."""

from __future__ import annotations

import re
import unicodedata

# Zero-width and invisible formatting characters that scrapers leave behind. U+FEFF is a BOM
# when first and a zero-width no-break space elsewhere; both go.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")
# Control characters other than tab and newline (NUL among them) carry no text.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def normalise(text: str) -> str:
    """NFC, LF line ends, no zero-width or control characters."""
    text = _NEWLINES.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


def collapse_ws(text: str) -> str:
    """Whitespace runs as one space, trimmed: the form in which body lines are compared."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


# What is not language evidence: addresses read as Latin words would make a Korean footer English.
_NOT_WORDS = re.compile(
    r"(?:https?://|www\.)\S+"  # URLs
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|@\w+"  # handles
    r"|\b[\w-]+(?:\.[a-z]{2,})+(?:/\S*)?",  # bare domains such as news.kbs.co.kr
    re.IGNORECASE,
)


def _is_hangul(ch: str) -> bool:
    o = ord(ch)
    return 0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F


def script_counts(text: str) -> tuple[int, int, int]:
    """Count (Hangul, Latin, other) letters, ignoring URLs, e-mail addresses and handles."""
    text = _NOT_WORDS.sub(" ", text)
    hangul = latin = other = 0
    for ch in text:
        if not ch.isalpha():
            continue
        if _is_hangul(ch):
            hangul += 1
        elif ch.isascii() or "LATIN" in unicodedata.name(ch, ""):
            latin += 1
        else:
            other += 1
    return hangul, latin, other
