"""export: build articles, the final segments and the quotes; publish every user-facing dataset."""

from __future__ import annotations

import itertools
from collections import defaultdict
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.config import DetectConfig
from pipeline.context import Context
from pipeline.rules import RuleSet
from pipeline.rules.broadcaster import infer_broadcaster, name_outlet
from pipeline.schemas import ARTICLES, DUPLICATES, QUOTES
from pipeline.script import RoleBook, credits, quotes, reporters
from pipeline.stages.detect import body_langs
from pipeline.stages.strip import assemble_body


def _keys(table: pa.Table, doc_ids: pa.Array) -> np.ndarray:
    """A segment's key for each row, as one integer: its document's position, then seg_id."""
    position = pc.index_in(table["doc_id"], value_set=doc_ids).to_numpy(zero_copy_only=False)
    seg = table["seg_id"].to_numpy().astype(np.int64)
    return (position.astype(np.int64) << 32) | seg


def final_segments(
    segments: pa.Table, removed: pa.Table, doc_ids: pa.Array, removed_keys: pa.Array
) -> pa.Table:
    """detect's segments with strip's verdict: promo where a span was removed, and its rule."""
    where = pc.index_in(pa.array(_keys(segments, doc_ids)), value_set=removed_keys)
    promo = pc.is_valid(where)
    rule_id = pc.coalesce(segments["rule_id"], removed["rule_id"].take(where))
    score = pc.coalesce(segments["score"], removed["score"].take(where))
    table = segments.set_column(segments.schema.get_field_index("promo"), "promo", promo)
    table = table.set_column(table.schema.get_field_index("rule_id"), "rule_id", rule_id)
    return table.set_column(table.schema.get_field_index("score"), "score", score)


def _body_tokens(tokens: pa.Table, doc_ids: pa.Array, removed_keys: pa.Array) -> list[int]:
    """Per document, its tokens in body segments that strip did not touch."""
    keys = _keys(tokens, doc_ids)
    kept = pc.and_(
        pc.equal(tokens["part"], "body"),
        pc.invert(pc.is_in(pa.array(keys), value_set=removed_keys)),
    )
    counted = keys[kept.to_numpy(zero_copy_only=False)] >> 32
    return np.bincount(counted, minlength=len(doc_ids)).tolist()


def by_document(table: pa.Table, names: list[str]) -> dict[str, dict[str, list[Any]]]:
    """The named columns as lists, cut into one slice per doc_id (rows come grouped by doc_id)."""
    doc_ids = table["doc_id"].to_pylist()
    columns = {name: table[name].to_pylist() for name in names}
    groups: dict[str, dict[str, list[Any]]] = {}
    lo = 0
    for _, run in itertools.groupby(doc_ids):
        hi = lo + sum(1 for _ in run)
        groups[doc_ids[lo]] = {name: values[lo:hi] for name, values in columns.items()}
        lo = hi
    return groups


_SEGMENT_COLUMNS = ["seg_id", "start", "line", "para", "text", "part", "lang", "role"]
_SIGNED = frozenset({"signoff", "byline"})
_CREDITED = frozenset({"credit", "caption"})
_REMOVED_COLUMNS = ["seg_id", "start", "end", "rule_id"]


def clean_body(
    segs: dict[str, list[Any]], removed: dict[str, list[Any]]
) -> tuple[list[int], str, list[str]]:
    """A document's clean body from its segments and strip's spans (columns as lists, from
    by_document): the rows of its body segments, the body, and the pieces of text kept.

    The one definition of the clean body: export's `articles.body` and what dedup compares."""
    cuts: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for seg_id, start, end in zip(removed["seg_id"], removed["start"], removed["end"], strict=True):
        cuts[seg_id].append((start, end))
    rows = [i for i, part in enumerate(segs["part"]) if part == "body"]
    body, kept = assemble_body(
        [segs["text"][i] for i in rows],
        [segs["line"][i] for i in rows],
        [segs["para"][i] for i in rows],
        [cuts.get(segs["seg_id"][i]) for i in rows],
        [segs["start"][i] for i in rows],
    )
    return rows, body, kept


def clean_bodies(documents: pa.Table, segments: pa.Table, removed: pa.Table) -> list[str]:
    """The clean body of each document of a batch, in the documents' order (as export makes
    them for `articles.body`)."""
    columns = ["seg_id", "start", "line", "para", "text", "part"]
    segs = by_document(segments.filter(pc.equal(segments["part"], "body")), columns)
    rem = by_document(removed, ["seg_id", "start", "end"])
    empty_segs: dict[str, list[Any]] = {name: [] for name in columns}
    empty_removed: dict[str, list[Any]] = {"seg_id": [], "start": [], "end": []}
    return [
        clean_body(segs.get(d) or empty_segs, rem.get(d) or empty_removed)[1]
        for d in documents["doc_id"].to_pylist()
    ]


def export_batch(
    documents: pa.Table,
    segments: pa.Table,
    removed: pa.Table,
    tokens: pa.Table,
    rules: RuleSet,
    cfg: DetectConfig,
    duplicates: pa.Table | None = None,
) -> tuple[pa.Table, pa.Table, pa.Table]:
    """(articles, segments with strip's verdict, quotes) for a batch of documents; each article's
    cluster_id from dedup's rows (None: dedup is off, the column is null)."""
    dedup = duplicates is not None
    duplicates = duplicates if dedup else DUPLICATES.empty_table()
    # An article needs its body segments, and the artefacts that may have stood for its title.
    wanted = pc.is_in(segments["part"], value_set=pa.array(["body", "artefact"]))
    segs = by_document(segments.filter(wanted), _SEGMENT_COLUMNS)
    rem = by_document(removed, _REMOVED_COLUMNS)
    doc_ids = documents["doc_id"].combine_chunks()
    removed_keys = pa.array(_keys(removed, doc_ids))  # the segments strip took from
    body_tokens = _body_tokens(tokens, doc_ids, removed_keys)

    articles: dict[str, list[Any]] = {
        name: [] for name in ARTICLES.names if name not in ("lang", "cluster_id")
    }
    said: dict[str, list[Any]] = {name: [] for name in QUOTES.names}
    bodies: list[list[str]] = []
    for n, (doc_id, source_path, text, title, header_end, outlet) in enumerate(
        zip(
            doc_ids.to_pylist(),
            documents["source_path"].to_pylist(),
            documents["text"].to_pylist(),
            documents["title"].to_pylist(),
            documents["header_end"].to_pylist(),
            documents["outlet"].to_pylist(),
            strict=True,
        )
    ):
        doc_segs = segs.get(doc_id) or {name: [] for name in _SEGMENT_COLUMNS}
        doc_removed = rem.get(doc_id) or {name: [] for name in _REMOVED_COLUMNS}
        body_rows, body, kept = clean_body(doc_segs, doc_removed)
        bodies.append(kept)
        if title and any(
            part == "artefact" and start < header_end
            for part, start in zip(doc_segs["part"], doc_segs["start"], strict=True)
        ):
            title = None  # the "title" was the YouTube interface string the scraper took for one
        articles["doc_id"].append(doc_id)
        articles["source_path"].append(source_path)
        articles["broadcaster"].append(
            name_outlet(outlet, rules)
            if outlet
            else infer_broadcaster(text, source_path, doc_removed["rule_id"], rules)
        )
        articles["title"].append(title)
        articles["body"].append(body)
        articles["n_chars"].append(len(body))
        articles["n_lines"].append(sum(1 for line in body.split("\n") if line.strip()))
        articles["n_tokens"].append(body_tokens[n])
        articles["n_removed"].append(len(doc_removed["seg_id"]))
        script(doc_id, doc_segs, body_rows, rules.book, articles, said)
    for name in ("record", "published_date", "url"):
        articles[name] = documents[name].to_pylist()
    articles["lang"] = body_langs(bodies, cfg)
    articles["cluster_id"] = (
        cluster_ids(doc_ids, duplicates).to_pylist() if dedup else [None] * len(doc_ids)
    )
    final = final_segments(segments, removed, doc_ids, removed_keys)
    return (
        pa.Table.from_pydict(articles, schema=ARTICLES),
        final,
        pa.Table.from_pydict(said, schema=QUOTES),
    )


def cluster_ids(doc_ids: pa.Array, duplicates: pa.Table) -> pa.Array:
    """Each document's cluster_id: dedup's where it has a row, else its own doc_id."""
    where = pc.index_in(doc_ids, value_set=duplicates["doc_id"].combine_chunks())
    return pc.coalesce(duplicates["cluster_id"].combine_chunks().take(where), doc_ids)


def script(
    doc_id: str,
    segs: dict[str, list[Any]],
    rows: list[int],
    book: RoleBook,
    articles: dict[str, list[Any]],
    said: dict[str, list[Any]],
) -> None:
    """A document's reporters and credits (into articles) and its quotes (into said), from its
    body segments and the roles detect gave them."""
    texts = [segs["text"][i] for i in rows]
    roles = [segs["role"][i] for i in rows]
    present = set(roles)
    articles["reporters"].append(reporters(texts, roles, book) if present & _SIGNED else [])
    articles["credits"].append(list(credits(texts, roles).items()) if present & _CREDITED else [])
    langs = [segs["lang"][i] for i in rows]
    for q in quotes(texts, [segs["start"][i] for i in rows], langs, roles, book):
        said["doc_id"].append(doc_id)
        said["seg_id"].append(segs["seg_id"][rows[q.line]])
        said["start"].append(q.start)
        said["end"].append(q.end)
        said["speaker"].append(q.speaker)
        said["affiliation"].append(q.affiliation)
        said["speaker_kind"].append(q.kind)
        said["text"].append(q.text)
        said["lang"].append(q.lang)
        said["form"].append(q.form)


def batch(ctx: Context, tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    articles, final, said = export_batch(
        tables["documents"],
        tables["segments"],
        tables["removed"],
        tables["tokens"],
        ctx.rules,
        ctx.config.detect,
        # none without dedup: off, or the in-memory API (pipeline/api.py) on a few documents
        tables.get("duplicates") if ctx.config.dedup.enabled else None,
    )
    return {"articles": articles, "final_segments": final, "quotes": said}
