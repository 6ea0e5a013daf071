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


_MAYBE_ADDRESS = re.compile(r"@|\.[A-Za-z]{2}")  # most lines have neither: skip the full pattern

# Runs of letters by script; counted by run length, so the scan stays in C.
_HANGUL = re.compile("[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]+")
_LATIN = re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]+")
_LETTERS = re.compile(r"[^\W\d_]+")


def _run_length(pattern: re.Pattern[str], text: str) -> int:
    return sum(map(len, pattern.findall(text)))


def script_counts(text: str) -> tuple[int, int, int]:
    """Count (Hangul, Latin, other) letters, ignoring URLs, e-mail addresses and handles."""
    if _MAYBE_ADDRESS.search(text):
        text = _NOT_WORDS.sub(" ", text)
    hangul, latin = _run_length(_HANGUL, text), _run_length(_LATIN, text)
    return hangul, latin, max(0, _run_length(_LETTERS, text) - hangul - latin)
