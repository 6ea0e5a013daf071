"""strip: documents, segments and tokens -> removed: every promotion span and its rule."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.context import Context
from pipeline.rules import RuleSet, Span, find_promotions, token_items
from pipeline.schemas import REMOVED
from pipeline.stages.detect import segment

PROMO_PARTS = ("footer", "promo", "artefact")


def _group(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row["doc_id"]].append(row)
    return groups


def strip_document(
    text: str,
    header_end: int,
    segments: list[dict[str, Any]],
    tokens: list[dict[str, Any]],
    rules: RuleSet,
) -> list[Span]:
    """The promotion spans of one document: what detect found, plus what the token rules find.

    detect has already run the text rules and cut the document at their spans; only when a
    token rule matches does the whole document go through the engine again, with the new items.
    """
    by_seg: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for tok in tokens:
        by_seg[tok["seg_id"]].append(tok)
    extra = []
    for seg in segments:
        toks = by_seg.get(seg["seg_id"])
        if seg["part"] != "body" or not toks:
            continue
        extra += token_items(
            seg["text"], seg["start"],
            [t["form"] for t in toks], [t["tag"] for t in toks],
            [t["start"] for t in toks], [t["end"] for t in toks],
            rules.token_rules,
        )  # fmt: skip
    if extra:
        return find_promotions(text, rules, body_start=header_end, extra=extra)
    return [
        Span(s["start"], s["end"], rules.by_id[s["rule_id"]], s["part"], s.get("score"))
        for s in segments
        if s["part"] in PROMO_PARTS
    ]


def removed_rows(
    doc_id: str, text: str, spans: list[Span], segments: list[dict[str, Any]]
) -> list[dict]:
    """One audit row per span and segment it touches, clipped to the segment."""
    rows = []
    for span in spans:
        for seg in segments:
            start, end = max(span.start, seg["start"]), min(span.end, seg["end"])
            if start >= end or not text[start:end].strip():
                continue
            rows.append(
                {
                    "doc_id": doc_id,
                    "seg_id": seg["seg_id"],
                    "start": start,
                    "end": end,
                    "text": text[start:end],
                    "rule_id": span.rule.id,
                    "kind": span.rule.kind,
                    "score": span.score,
                }
            )
    return rows


def kept_pieces(text: str, start: int, cuts: list[tuple[int, int]]) -> list[str]:
    """The pieces of a segment's text that no removed span covers."""
    pieces, pos = [], start
    for a, b in sorted(cuts):
        if a > pos:
            pieces.append(text[pos - start : a - start])
        pos = max(pos, b)
    pieces.append(text[pos - start :])
    return [p.strip() for p in pieces if p.strip()]


def build_body(
    segments: list[dict[str, Any]], removed: list[dict[str, Any]]
) -> tuple[str, list[str]]:
    """The clean body (lines in order, paragraphs apart) and the body texts that make it."""
    cuts: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for r in removed:
        cuts[r["seg_id"]].append((r["start"], r["end"]))
    body = [s for s in segments if s["part"] == "body"]
    return assemble_body(
        [s["text"] for s in body],
        [s["line"] for s in body],
        [s["para"] for s in body],
        [cuts.get(s["seg_id"]) for s in body],
        [s["start"] for s in body],
    )


def assemble_body(
    texts: list[str],
    lines: list[int],
    paras: list[int],
    cuts: list[list[tuple[int, int]] | None],
    starts: list[int],
) -> tuple[str, list[str]]:
    """build_body on the columns of a document's body segments, in order.

    cuts[i] lists the removed (start, end) spans in segment i, None when it has none (nearly
    always: the segment is then kept whole).
    """
    paragraphs: list[list[int]] = []
    line_of: dict[int, list[str]] = {}
    last_para = None
    kept: list[str] = []
    for text, line, para, cut, start in zip(texts, lines, paras, cuts, starts, strict=True):
        if cut is None:  # what kept_pieces gives for no cuts, without its slicing
            whole = text.strip()
            pieces = [whole] if whole else []
        else:
            pieces = kept_pieces(text, start, cut)
        if not pieces:
            continue
        kept += pieces
        if para != last_para:
            paragraphs.append([])
            last_para = para
        if line in line_of:
            line_of[line].extend(pieces)
        else:
            line_of[line] = list(pieces)
            paragraphs[-1].append(line)
    body = "\n\n".join("\n".join(" ".join(line_of[line]) for line in para) for para in paragraphs)
    return body, kept


@dataclass(frozen=True)
class Stripped:
    body: str
    spans: list[Span]


def strip_promotions(text: str, rules: RuleSet, *, header_end: int = 0) -> Stripped:
    """The clean body of a text (text rules only: no tokens) and the spans taken out of it."""
    spans = find_promotions(text, rules, body_start=header_end)
    segments = [dict(s, seg_id=i) for i, s in enumerate(segment(text, header_end, spans))]
    body, _ = build_body(segments, removed_rows("", text, spans, segments))
    return Stripped(body, spans)


def strip_batch(
    documents: pa.Table, segments: pa.Table, tokens: pa.Table, rules: RuleSet
) -> pa.Table:
    """The removed spans of a batch, in document order and then by offset.

    detect cut every document at the text rules' spans, so a document where no token rule can
    match loses exactly its footer, promo and artefact segments: those are taken as they are,
    as columns. Only documents with a token rule's trigger in a body segment go through the
    engine again, with their tokens.
    """
    # The body segments where a token rule may match: those that hold one of the triggers.
    may_match = pa.repeat(False, segments.num_rows)
    for trigger in sorted({r.trigger for r in rules.token_rules if r.trigger}):
        may_match = pc.or_(may_match, pc.match_substring(segments["text"], trigger))
    wanted = segments.filter(pc.and_(pc.equal(segments["part"], "body"), may_match))
    again = pc.unique(wanted["doc_id"])
    revisit = pc.is_in(segments["doc_id"], value_set=again)
    promo = pc.and_(pc.is_in(segments["part"], value_set=pa.array(PROMO_PARTS)), pc.invert(revisit))
    taken = segments.filter(promo).select(["doc_id", "seg_id", "start", "end", "text", "rule_id"])
    ids = list(rules.by_id)
    kinds = pa.array([rules.by_id[i].kind for i in ids], pa.string())
    kind = kinds.take(pc.index_in(taken["rule_id"], value_set=pa.array(ids, pa.string())))
    score = segments.filter(promo)["score"]
    tables = [taken.append_column("kind", kind).append_column("score", score).cast(REMOVED)]
    if len(again):
        tables.append(_strip_again(documents, segments, tokens, rules, wanted, again))
    removed = pa.concat_tables(tables)
    position = pc.index_in(removed["doc_id"], value_set=documents["doc_id"])
    order = pc.sort_indices(
        pa.table({"doc": position, "start": removed["start"]}),
        sort_keys=[("doc", "ascending"), ("start", "ascending")],
    )
    return removed.take(order)


def _strip_again(
    documents: pa.Table,
    segments: pa.Table,
    tokens: pa.Table,
    rules: RuleSet,
    wanted: pa.Table,
    doc_ids: pa.Array,
) -> pa.Table:
    """The removed spans of doc_ids, the documents of the wanted segments, found with tokens."""
    docs = documents.filter(pc.is_in(documents["doc_id"], value_set=doc_ids))
    seg_rows = segments.filter(pc.is_in(segments["doc_id"], value_set=doc_ids))
    segs = _group(
        seg_rows.select(
            ["doc_id", "seg_id", "start", "end", "text", "part", "rule_id", "score"]
        ).to_pylist()
    )
    keys = set(zip(wanted["doc_id"].to_pylist(), wanted["seg_id"].to_pylist(), strict=True))
    near = tokens.filter(pc.is_in(tokens["doc_id"], value_set=doc_ids))
    near_rows = near.select(["doc_id", "seg_id", "form", "tag", "start", "end"]).to_pylist()
    toks = _group([t for t in near_rows if (t["doc_id"], t["seg_id"]) in keys])
    rows: list[dict] = []
    for doc_id, text, header_end in zip(
        docs["doc_id"].to_pylist(),
        docs["text"].to_pylist(),
        docs["header_end"].to_pylist(),
        strict=True,
    ):
        doc_segs = segs.get(doc_id, [])
        spans = strip_document(text, header_end, doc_segs, toks.get(doc_id, []), rules)
        rows += removed_rows(doc_id, text, spans, doc_segs)
    return pa.Table.from_pylist(rows, schema=REMOVED)


def batch(ctx: Context, tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    removed = strip_batch(tables["documents"], tables["segments"], tables["tokens"], ctx.rules)
    return {"removed": removed}
