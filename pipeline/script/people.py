"""Who filed a report (the names in its sign-off and bylines) and who made it (staff credits)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.script.book import RoleBook

# A name where no rule's `name` group gave one (a line the detector called a byline or sign-off).
_KO_NAME = re.compile(r"([가-힣]{2,4})\s?(?:인턴\s?|수습\s?)?(?:기자|특파원|입니다|였습니다)")
# A credit's label: at the start, or after a "/", "," or "·" that ends the credit before it.
_LABEL = re.compile(r"(?:^|(?<=[/,·]))\s*(?P<label>[^:：=/,·\[\]()]{1,24}?)\s*[:：=]\s*")
_TRIM = " \t[]()【】▶■□◆◇●•.="
# What goes with a name in a credit but is not the name: an address, the word for the job.
_NOT_NAME = re.compile(
    r"\(?\s*[A-Za-z0-9_.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\s*\)?|\s?(?:기자|PD|특파원)(?![가-힣])"
)
_SPLIT = re.compile(r"\s*[,·/、]\s*")
# Where a name's camera operator filed from, after the name: "안태경(목포)" (the line's closing
# parenthesis may have been trimmed with the line's own).
_PLACE = re.compile(r"(?<=[가-힣])\s*\([가-힣]{1,10}\)?$")
_KO_NAMES = re.compile(r"[가-힣]{2,4}(?:\s+[가-힣]{2,4})+")


def reporters(texts: Sequence[str], roles: Sequence[str], book: RoleBook) -> list[str]:
    """The names in the sign-off and bylines, in order, each once. A sign-off inside a quote is
    the speaker's, not the reporter's: its line is a quote."""
    names: list[str] = []
    for text, role in zip(texts, roles, strict=True):
        if role not in ("signoff", "byline"):
            continue
        name = _name(text, role, book)
        if name and name not in names:
            names.append(name)
    return names


def _name(text: str, role: str, book: RoleBook) -> str | None:
    for rule in book.rules:
        if rule.role != role:
            continue
        m = rule.pattern.match(text)
        if m is not None and "name" in rule.pattern.groupindex and m.group("name"):
            return m.group("name")
    m = _KO_NAME.search(text)
    return m.group(1) if m is not None else None


def credits(texts: Sequence[str], roles: Sequence[str]) -> dict[str, list[str]]:
    """Credit role as written (촬영기자, 영상편집, 그래픽, 사진 …) -> names, in order, from the
    credit and caption lines; several credits on one line are separated by "/", "," or "·"
    where the next one has its own label ("영상취재 : 김철수, 영상편집 : 이영희")."""
    found: dict[str, list[str]] = {}
    for text, role in zip(texts, roles, strict=True):
        if role not in ("credit", "caption"):
            continue
        for label, names in credit_pairs(text, split_spaces=role == "credit"):
            have = found.setdefault(label, [])
            have += [n for n in names if n not in have]
    return found


def credit_pairs(text: str, split_spaces: bool = True) -> list[tuple[str, list[str]]]:
    """(label, names) of each credit on a line: "촬영기자 : 김철수 / 영상편집 : 이영희",
    "(영상취재 : 김철수, 영상편집 : 이영희)".

    `split_spaces`: Korean names in a row ("김동현 이서준") are several people; in a caption
    ("물빛시 제공") they are one source."""
    line = text.strip().strip(_TRIM)
    labels = list(_LABEL.finditer(line))
    pairs = []
    for n, m in enumerate(labels):
        end = labels[n + 1].start() if n + 1 < len(labels) else len(line)
        value = _NOT_NAME.sub(" ", line[m.end() : end]).strip().rstrip("/").strip(_TRIM)
        names: list[str] = []
        for piece in _SPLIT.split(value):
            piece = _PLACE.sub("", piece).strip(_TRIM)
            if not piece:
                continue
            several = split_spaces and _KO_NAMES.fullmatch(piece)
            names += piece.split() if several else [piece]
        label = " ".join(m.group("label").split())
        if label and names:
            pairs.append((label, names))
    return pairs
