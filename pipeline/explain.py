"""newspipe explain: one document through every stage in memory, line by line, with what decided.

The document goes through the same stage functions a run uses (detect, tokenize, strip, export),
on a batch of one, without writing anything. Each segment is shown with its part, language and
verdict, and with what decided it: a pack's rule (its id and file), or the detector's category,
score and evidence. Lines the detector weighed and kept say why they stayed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipeline import detector
from pipeline.api import process
from pipeline.context import Context
from pipeline.errors import UsageError
from pipeline.rules import find_promotions
from pipeline.stages.ingest import Rejected, document_table, read_document

_CLASS_NAMES = {"P": "seed", "W": "weak", "N": "plain", "T": "furniture", "B": "body"}


@dataclass(frozen=True)
class Line:
    line: int
    part: str
    lang: str
    role: str | None
    removed: bool
    text: str
    rule_id: str | None
    score: float | None
    why: str


@dataclass(frozen=True)
class Explanation:
    source: str
    broadcaster: str | None
    lang: str
    packs: str
    detector: bool
    body: str
    lines: list[Line]
    quotes: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    reporters: list[str] = dataclasses.field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def run_one(path: Path, ctx: Context) -> tuple[pa.Table, dict[str, pa.Table]]:
    """The documents table of one raw file and every dataset the stages make of it, in memory."""
    doc = read_document(path, path.name, ctx.config.ingest)
    if isinstance(doc, Rejected):
        raise UsageError(f"{path}: cannot be read ({doc.reason}: {doc.detail})")
    tables = process(document_table([doc]), ctx)
    return tables["documents"], tables


def explain(path: Path, ctx: Context) -> Explanation:
    """The document line by line: part, language, verdict, and what decided it."""
    if not path.is_file():
        raise UsageError(f"file {path} not found")
    documents, tables = run_one(path, ctx)
    [doc] = documents.to_pylist()
    [article] = tables["articles"].to_pylist()
    text, header_end = doc["text"], doc["header_end"]
    verdicts = _verdicts(text, header_end, ctx)
    lines = []
    for seg in tables["final_segments"].to_pylist():
        rule_id = seg["rule_id"]
        lines.append(
            Line(
                seg["line"], seg["part"], seg["lang"], seg["role"], seg["promo"], seg["text"],
                rule_id, seg["score"], _why(seg, verdicts, ctx),
            )
        )  # fmt: skip
    return Explanation(
        doc["source_path"], article["broadcaster"], article["lang"], ctx.config.packs,
        ctx.rules.detector, article["body"], lines, tables["quotes"].to_pylist(),
        article["reporters"],
    )  # fmt: skip


def _verdicts(text: str, header_end: int, ctx: Context) -> list[detector.Verdict]:
    if not ctx.rules.detector:
        return []
    packs_only = dataclasses.replace(ctx.rules, detector=False)
    taken = [(s.start, s.end) for s in find_promotions(text, packs_only, body_start=header_end)]
    return detector.judge(text, header_end, taken)


def _why(seg: dict[str, Any], verdicts: list[detector.Verdict], ctx: Context) -> str:
    start, end = seg["start"], seg["end"]
    near = [v for v in verdicts if v.unit.start < end and start < v.unit.end]
    rule_id = seg["rule_id"]
    if rule_id is not None and not rule_id.startswith("detector_"):
        pack = ctx.rules.pack_of(rule_id)
        where = f" ({pack.path.name})" if pack is not None else ""
        return f"{ctx.rules.by_id[rule_id].kind} rule{where}"
    notes = []
    for v in near:
        if v.cls == "X":
            continue
        if v.removed:
            assert v.score is not None or v.reason == "between"
            evidence = v.score.describe() if v.score is not None else ""
            notes.append(f"{v.reason}: {evidence}".strip())
        elif v.furniture is not None:
            notes.append(f"{v.furniture}, kept")
        elif v.cls in "PW" and v.score is not None:
            notes.append(
                f"{_CLASS_NAMES[v.cls]} {v.score.probability:.2f}, kept (no seed in its block): "
                f"{v.score.describe()}"
            )
    return "; ".join(dict.fromkeys(notes))


def render(result: Explanation, width: int = 100) -> str:
    """The explanation as text for a terminal: one row per segment, what decided it under it."""
    head = (
        f"{result.source}  broadcaster {result.broadcaster or '-'}  lang {result.lang}  "
        f"packs {result.packs}, detector {'on' if result.detector else 'off'}"
    )
    rows = [head, f"{'line':>4}  {'part':<8} {'lang':<5} {'role':<9} {'verdict':<8} text"]
    for ln in result.lines:
        verdict = "removed" if ln.removed else "kept"
        text = ln.text if len(ln.text) <= width else ln.text[: width - 1] + "…"
        rows.append(
            f"{ln.line:>4}  {ln.part:<8} {ln.lang:<5} {ln.role or '-':<9} {verdict:<8} {text}"
        )
        if ln.removed and ln.rule_id:
            score = f" {ln.score:.2f}" if ln.score is not None else ""
            rows.append(f"{'':>39}← {ln.rule_id}{score}: {ln.why}")
        elif ln.why:
            rows.append(f"{'':>39}· {ln.why}")
    rows.append(f"reporters: {', '.join(result.reporters) or '-'}")
    rows.append(f"quotes: {len(result.quotes)}")
    for q in result.quotes:
        words = q["text"] if len(q["text"]) <= width - 20 else q["text"][: width - 21] + "…"
        rows.append(
            f"  {q['form']:<6} {q['speaker_kind']:<12} {q['speaker'] or '-'}"
            f'{" / " + q["affiliation"] if q["affiliation"] else ""}: "{words}"'
        )
    return "\n".join(rows)
