"""Score line roles, quotes, reporters, credits and sentences against a script gold file.

The gold (`tests/fixtures/script/gold.jsonl`, one JSON object per document) and the figures are
those of issue 15's contract. A gold line is matched to the body segment of its document with the
same text (the k-th line of a text to the k-th such segment); a line without one counts wrong
everywhere it is used. A dataset or column the run did not make leaves its figures out, with the
reason, rather than failing: `roles: not produced (segments have no role column)`.

Quotes are matched one to one, best text overlap first: a predicted and a gold quote of the same
document match when their texts (whitespace collapsed, surrounding quotation marks and spaces
trimmed) share at least half of the shorter in common blocks (difflib), and, for the speaker
figures, when their speakers are equal (NFC, whitespace collapsed, case folded).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.config import Config
from pipeline.errors import UsageError
from pipeline.registry import STAGES
from pipeline.runner import run_stages
from pipeline.script_gold import ROLES, GoldDoc, GoldQuote, load_gold
from pipeline.text import collapse_ws

OVERLAP = 0.5  # share of the shorter text two quotes must have in common
DATASETS = ("articles", "segments", "quotes", "sentences")
__all__ = [
    "ROLES",
    "Figure",
    "GoldDoc",
    "ScriptScores",
    "format_scores",
    "load_gold",
    "overlap",
    "read_outputs",
    "score",
    "score_tables",
]
_QUOTE_MARKS = " \t\n\"'“”‘’「」『』"


@dataclass
class Figure:
    """hit out of total; value is None when there is nothing to count."""

    hit: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.hit / self.total if self.total else None

    def add(self, ok: bool) -> None:
        self.hit += ok
        self.total += 1


@dataclass
class ScriptScores:
    documents: int
    roles: Figure | None = None
    by_role: dict[str, Figure] = field(default_factory=dict)
    quote_precision: Figure | None = None
    quote_recall: Figure | None = None
    quote_kind: Figure | None = None
    sentences: Figure | None = None
    reporters: Figure | None = None
    credits: Figure | None = None
    absent: dict[str, str] = field(default_factory=dict)  # figure -> why it is not there
    misses: list[str] = field(default_factory=list)


def read_outputs(processed: str | Path) -> dict[str, pa.Table | None]:
    """The published datasets the scores need, None for each one the folder does not have."""
    out: dict[str, pa.Table | None] = {}
    for name in DATASETS:
        where = Path(processed) / f"{name}.parquet"
        try:
            out[name] = pq.read_table(where) if where.exists() else None
        except (OSError, pa.ArrowException) as exc:
            raise UsageError(f"cannot read {where}: {exc}") from None
    return out


def _rows(table: pa.Table, columns: Iterable[str]) -> list[dict[str, Any]]:
    return table.select([c for c in columns if c in table.column_names]).to_pylist()


def _norm(text: str) -> str:
    return collapse_ws(text).strip(_QUOTE_MARKS)


def _same_name(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return False
    return collapse_ws(a).casefold() == collapse_ws(b).casefold()


def overlap(a: str, b: str) -> float:
    """Share of the shorter text that lies in blocks common to both (0 when one is empty)."""
    # difflib's blocks depend on the order of its arguments: a fixed order makes this symmetric.
    a, b = sorted((_norm(a), _norm(b)), key=lambda t: (len(t), t))
    if not a:
        return 0.0
    common = sum(m.size for m in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    return common / min(len(a), len(b))


def _pairs(
    preds: list[dict[str, Any]], golds: tuple[GoldQuote, ...], same_speaker: bool
) -> list[tuple[int, int]]:
    """One-to-one (pred, gold) matches, the best overlaps first."""
    scored = []
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            if same_speaker and not _same_name(p.get("speaker"), g.speaker):
                continue
            o = overlap(p.get("text") or "", g.text)
            if o >= OVERLAP:
                scored.append((-o, i, j))
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, i, j in sorted(scored):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((i, j))
    return out


def _doc_ids(gold: list[GoldDoc], articles: pa.Table) -> dict[str, str]:
    """Gold document name -> doc_id, by source_path and record."""
    ids: dict[tuple[str, int | None], str] = {}
    for row in _rows(articles, ("doc_id", "source_path", "record")):
        ids[(row["source_path"], row.get("record"))] = row["doc_id"]
    return {d.name: ids[(d.source, d.record)] for d in gold if (d.source, d.record) in ids}


def _line_segments(doc: GoldDoc, body: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
    """The body segment of each gold line: the k-th line of a text gets the k-th such segment."""
    by_text: dict[str, list[dict[str, Any]]] = {}
    for seg in sorted(body, key=lambda s: s["seg_id"]):
        by_text.setdefault(seg["text"], []).append(seg)
    seen: dict[str, int] = {}
    out: list[dict[str, Any] | None] = []
    for text, _ in doc.lines:
        k = seen.get(text, 0)
        seen[text] = k + 1
        found = by_text.get(text, [])
        out.append(found[k] if k < len(found) else None)
    return out


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def score_tables(gold: list[GoldDoc], tables: dict[str, pa.Table | None]) -> ScriptScores:
    """The scores of a run's tables (articles, segments, quotes, sentences) against the gold."""
    s = ScriptScores(documents=len(gold))
    articles = tables.get("articles")
    if articles is None or not {"doc_id", "source_path"} <= set(articles.column_names):
        why = "not produced (no articles to find the documents by source_path and record)"
        s.absent = {k: why for k in ("roles", "quotes", "sentences", "reporters", "credits")}
        return s
    ids = _doc_ids(gold, articles)
    s.misses += [f"{d.name}: no such document in articles" for d in gold if d.name not in ids]

    segments = tables.get("segments")
    body: dict[str, list[dict[str, Any]]] = {}
    if segments is not None and {"doc_id", "seg_id", "text", "part"} <= set(segments.column_names):
        for row in _rows(segments, ("doc_id", "seg_id", "text", "part", "role")):
            if row["part"] == "body":
                body.setdefault(row["doc_id"], []).append(row)
    else:
        body = {}
        segments = None
    matched = {d.name: _line_segments(d, body.get(ids.get(d.name, ""), [])) for d in gold}

    if segments is None:
        s.absent["roles"] = "not produced (no segments with doc_id, seg_id, text and part)"
    elif "role" not in segments.column_names:
        s.absent["roles"] = "not produced (segments have no role column)"
    else:
        _score_roles(gold, matched, s)
    _score_quotes(gold, ids, tables.get("quotes"), s)
    _score_sentences(gold, matched, ids, tables.get("sentences"), segments is not None, s)
    _score_articles(gold, ids, articles, s)
    return s


def _score_roles(
    gold: list[GoldDoc], matched: dict[str, list[dict[str, Any] | None]], s: ScriptScores
) -> None:
    s.roles = Figure()
    for d in gold:
        for (text, role), seg in zip(d.lines, matched[d.name], strict=True):
            got = seg.get("role") if seg is not None else None
            ok = got == role
            s.roles.add(ok)
            s.by_role.setdefault(role, Figure()).add(ok)
            if seg is None:
                s.misses.append(f"{d.name}: no body segment for {role} line {_short(text)!r}")
            elif not ok:
                s.misses.append(f"{d.name}: role {got} for {role} line {_short(text)!r}")


def _score_quotes(
    gold: list[GoldDoc], ids: dict[str, str], quotes: pa.Table | None, s: ScriptScores
) -> None:
    if quotes is None:
        s.absent["quotes"] = "not produced (no quotes dataset)"
        return
    missing = {"doc_id", "speaker", "text"} - set(quotes.column_names)
    if missing:
        s.absent["quotes"] = f"not produced (quotes have no {', '.join(sorted(missing))} column)"
        return
    preds: dict[str, list[dict[str, Any]]] = {}
    for row in _rows(quotes, ("doc_id", "speaker", "speaker_kind", "text")):
        preds.setdefault(row["doc_id"], []).append(row)
    s.quote_precision, s.quote_recall = Figure(), Figure()
    has_kind = "speaker_kind" in quotes.column_names
    if has_kind:
        s.quote_kind = Figure()
    else:
        s.absent["quote kinds"] = "not produced (quotes have no speaker_kind column)"
    for d in gold:
        mine = preds.get(ids.get(d.name, ""), [])
        named = [p for p in mine if p.get("speaker")]
        named_gold = tuple(g for g in d.quotes if g.speaker)
        pairs = _pairs(named, named_gold, same_speaker=True)
        s.quote_precision.hit += len(pairs)
        s.quote_precision.total += len(named)
        s.quote_recall.hit += len(pairs)
        s.quote_recall.total += len(named_gold)
        hit_p = {i for i, _ in pairs}
        hit_g = {j for _, j in pairs}
        for i, p in enumerate(named):
            if i not in hit_p:
                s.misses.append(
                    f"{d.name}: quote given to {p['speaker']!r} not in the gold: "
                    f"{_short(p.get('text') or '')!r}"
                )  # fmt: skip
        for j, g in enumerate(named_gold):
            if j not in hit_g:
                s.misses.append(f"{d.name}: quote of {g.speaker!r} not found: {_short(g.text)!r}")
        if s.quote_kind is not None:
            by_text = dict((j, i) for i, j in _pairs(mine, d.quotes, same_speaker=False))
            for j, g in enumerate(d.quotes):
                got = mine[by_text[j]].get("speaker_kind") if j in by_text else None
                s.quote_kind.add(got == g.speaker_kind)
                if j in by_text and got != g.speaker_kind:
                    s.misses.append(
                        f"{d.name}: kind {got} for {g.speaker_kind} quote {_short(g.text)!r}"
                    )  # fmt: skip


def _score_sentences(
    gold: list[GoldDoc],
    matched: dict[str, list[dict[str, Any] | None]],
    ids: dict[str, str],
    sentences: pa.Table | None,
    have_segments: bool,
    s: ScriptScores,
) -> None:
    if sentences is None:
        s.absent["sentences"] = "not produced (no sentences dataset)"
        return
    missing = {"doc_id", "seg_id", "text"} - set(sentences.column_names)
    if missing:
        why = f"not produced (sentences have no {', '.join(sorted(missing))} column)"
        s.absent["sentences"] = why
        return
    if not have_segments:
        s.absent["sentences"] = "not scored (no segments to find the gold lines in)"
        return
    found: dict[tuple[str, int], set[str]] = {}
    for row in _rows(sentences, ("doc_id", "seg_id", "text")):
        found.setdefault((row["doc_id"], row["seg_id"]), set()).add((row["text"] or "").strip())
    s.sentences = Figure()
    for d in gold:
        seg_of: dict[str, dict[str, Any] | None] = {}
        for (text, _), seg in zip(d.lines, matched[d.name], strict=True):
            seg_of.setdefault(text, seg)
        for line, sents in d.sentences:
            seg = seg_of.get(line)
            have = found.get((seg["doc_id"], seg["seg_id"]), set()) if seg is not None else set()
            for sent in sents:
                ok = sent.strip() in have
                s.sentences.add(ok)
                if not ok:
                    s.misses.append(f"{d.name}: sentence not found: {_short(sent)!r}")


def _names(values: Any) -> list[str]:
    return [collapse_ws(v) for v in values or []]


def _score_articles(
    gold: list[GoldDoc], ids: dict[str, str], articles: pa.Table, s: ScriptScores
) -> None:
    cols = set(articles.column_names)
    rows = {r["doc_id"]: r for r in _rows(articles, ("doc_id", "reporters", "credits"))}
    if "reporters" in cols:
        s.reporters = Figure()
    else:
        s.absent["reporters"] = "not produced (articles have no reporters column)"
    if "credits" in cols:
        s.credits = Figure()
    else:
        s.absent["credits"] = "not produced (articles have no credits column)"
    for d in gold:
        row = rows.get(ids.get(d.name, ""), {})
        if s.reporters is not None:
            got = _names(row.get("reporters"))
            ok = bool(row) and got == _names(d.reporters)
            s.reporters.add(ok)
            if row and not ok:
                s.misses.append(f"{d.name}: reporters {got} for {list(d.reporters)}")
        if s.credits is not None:
            raw = row.get("credits") or []
            pairs = raw.items() if isinstance(raw, dict) else raw  # a map column reads as pairs
            got_c = {collapse_ws(k): _names(v) for k, v in pairs}
            want = {collapse_ws(k): _names(v) for k, v in d.credits.items()}
            ok = bool(row) and got_c == want
            s.credits.add(ok)
            if row and not ok:
                s.misses.append(f"{d.name}: credits {got_c} for {want}")


def score(gold_path: str | Path, processed: str | Path) -> ScriptScores:
    """Score the datasets published in `processed` against the gold file."""
    if not Path(processed).is_dir():
        raise UsageError(f"processed folder {processed} not found")
    return score_tables(load_gold(gold_path), read_outputs(processed))


def _figure(label: str, f: Figure | None) -> str:
    if f is None or f.value is None:
        return f"{label:<26} -"
    return f"{label:<26} {f.value:.3f} ({f.hit}/{f.total})"


def format_scores(s: ScriptScores, details: bool = False) -> str:
    """The scores as a few aligned lines; with details, every role's figure and every miss."""
    out = [f"script gold: {s.documents} documents"]
    shown = (
        ("roles", "role accuracy", s.roles),
        ("quotes", "quote speaker precision", s.quote_precision),
        ("quotes", "quote speaker recall", s.quote_recall),
        ("quote kinds", "quote kind accuracy", s.quote_kind),
        ("sentences", "sentence exact match", s.sentences),
        ("reporters", "reporters exact", s.reporters),
        ("credits", "credits exact", s.credits),
    )
    for key, label, f in shown:
        if key == "quote kinds" and "quotes" in s.absent:
            key = "quotes"
        out.append(f"{label:<26} {key}: {s.absent[key]}" if key in s.absent else _figure(label, f))
    if details:
        for role in ROLES:
            if role in s.by_role:
                out.append(_figure(f"  role {role}", s.by_role[role]))
        out += [f"miss: {m}" for m in s.misses]
    return "\n".join(out)


def is_script_gold(folder: Path) -> bool:
    """A folder of the script gold's shape: raw/ with the documents, gold.jsonl beside it."""
    return (folder / "gold.jsonl").is_file() and (folder / "raw").is_dir()


def evaluate(folder: Path, config: Config) -> ScriptScores:
    """Run the whole pipeline on folder/raw in a scratch folder and score what it publishes."""
    from pipeline.evaluate import scratch_run

    with scratch_run(config, folder / "raw") as ctx:
        run_stages(STAGES, ctx, force=True)
        return score(folder / "gold.jsonl", ctx.out)
