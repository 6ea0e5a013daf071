"""The script gold (issue 15): every body line's role, the quotes, reporters, credits, sentences.

One JSON object per line of `gold.jsonl`, per document: `source` (the file, relative to the raw
folder), `record` (its number in the file, or null), `lines` ({text, role} for every body line, in
order), `quotes` ({speaker, affiliation, speaker_kind, text, form}), `reporters`, `credits` (role as
written -> names) and `sentences` ({line, sents}). `load_gold` checks each one as it reads it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import UsageError

ROLES = (
    "anchor", "report", "quote", "interview", "signoff", "byline", "credit", "caption",
    "marker", "text",
)  # fmt: skip
KINDS = ("person", "organisation", "unknown")
FORMS = ("block", "inline")


@dataclass(frozen=True)
class GoldQuote:
    speaker: str | None
    affiliation: str | None
    speaker_kind: str
    text: str
    form: str


@dataclass(frozen=True)
class GoldDoc:
    source: str
    record: int | None
    lines: tuple[tuple[str, str], ...]  # (text, role) of every body line, in order
    quotes: tuple[GoldQuote, ...]
    reporters: tuple[str, ...]
    credits: dict[str, list[str]]
    sentences: tuple[tuple[str, tuple[str, ...]], ...]  # (line text, its sentences)

    @property
    def name(self) -> str:
        return self.source if self.record is None else f"{self.source}#{self.record}"


def _bad(path: Path, n: int, why: str) -> UsageError:
    return UsageError(f"{path} line {n}: {why}")


def _str_or_none(value: Any, path: Path, n: int, key: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise _bad(path, n, f"{key} must be a string or null")
    return value


def _gold_doc(obj: Any, path: Path, n: int) -> GoldDoc:
    if not isinstance(obj, dict):
        raise _bad(path, n, "not a JSON object")
    for key in ("source", "lines"):
        if key not in obj:
            raise _bad(path, n, f"no {key!r}")
    record = obj.get("record")
    if record is not None and (not isinstance(record, int) or isinstance(record, bool)):
        raise _bad(path, n, "record must be an integer or null")
    lines = []
    for line in obj["lines"]:
        if not isinstance(line, dict) or not isinstance(line.get("text"), str):
            raise _bad(path, n, "a line needs a text")
        if line.get("role") not in ROLES:
            raise _bad(path, n, f"role {line.get('role')!r} is not one of {', '.join(ROLES)}")
        lines.append((line["text"], line["role"]))
    quotes = []
    for q in obj.get("quotes", []):
        if not isinstance(q, dict) or not isinstance(q.get("text"), str):
            raise _bad(path, n, "a quote needs a text")
        if q.get("speaker_kind") not in KINDS:
            raise _bad(path, n, f"speaker_kind {q.get('speaker_kind')!r} is not one of {KINDS}")
        if q.get("form") not in FORMS:
            raise _bad(path, n, f"form {q.get('form')!r} is not one of {', '.join(FORMS)}")
        speaker = _str_or_none(q.get("speaker"), path, n, "speaker")
        if (speaker is None) != (q["speaker_kind"] == "unknown"):
            raise _bad(path, n, "a quote has a speaker exactly when its kind is not unknown")
        affiliation = _str_or_none(q.get("affiliation"), path, n, "affiliation")
        quotes.append(GoldQuote(speaker, affiliation, q["speaker_kind"], q["text"], q["form"]))
    sentences = []
    for s in obj.get("sentences", []):
        if not isinstance(s, dict) or not isinstance(s.get("line"), str):
            raise _bad(path, n, "a sentence entry needs its line")
        sents = s.get("sents")
        if not isinstance(sents, list) or not sents or not all(isinstance(x, str) for x in sents):
            raise _bad(path, n, "sents must be a list of strings")
        sentences.append((s["line"], tuple(sents)))
    credits = obj.get("credits") or {}
    if not isinstance(credits, dict) or not all(isinstance(v, list) for v in credits.values()):
        raise _bad(path, n, "credits must map a role to a list of names")
    return GoldDoc(
        obj["source"], record, tuple(lines), tuple(quotes), tuple(obj.get("reporters") or ()),
        credits, tuple(sentences),
    )  # fmt: skip


def load_gold(path: str | Path) -> list[GoldDoc]:
    """The documents of a gold.jsonl; a malformed one is a one-line UsageError naming the line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read gold file {path}: {exc}") from None
    docs = []
    for n, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise _bad(path, n, f"not JSON ({exc.msg})") from None
        docs.append(_gold_doc(obj, path, n))
    if not docs:
        raise UsageError(f"gold file {path} holds no documents")
    return docs
