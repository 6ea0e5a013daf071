"""Score pairing against a labelled folder: docs/<id>.txt, docs.jsonl, pairs.jsonl, lines.jsonl.

The files are read directly, as the gold set counts them: a document's lines are its non-empty
lines after the `date YYYY-MM-DD …` header (parsed by ingest's own parse_header), its language
the one docs.jsonl gives. Every English document is linked against all the Korean ones.

Figures: recall@1 over the English documents with an original (the original or any of its
`ko_also` copies counts), precision of the links made, the share of English documents without an
original that get no link, and line-link precision, recall and F1 against lines.jsonl, end to end
(a wrong or missing document link loses its pair's line links) and on the gold pairs alone.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import UsageError
from pipeline.pair.align import align
from pipeline.pair.link import Pair, PairIndex, Params, Scored, link, link_all
from pipeline.pair.signals import Doc, read_doc
from pipeline.script import load_roles
from pipeline.stages.ingest import parse_header
from pipeline.text import script_counts


@dataclass
class PairScores:
    english: int
    with_original: int
    found: int  # English documents with an original linked to it (or a copy)
    linked: int  # links made
    right_links: int
    without_original: int
    left_unlinked: int  # of those without an original
    line_gold: int
    line_predicted: int
    line_right: int
    gold_pairs_predicted: int  # line links predicted on the gold pairs themselves
    gold_pairs_right: int
    orphans_linked: int = 0  # English documents linked anyway once their original is removed
    misses: list[str] = field(default_factory=list)

    @property
    def recall_at_1(self) -> float:
        return self.found / self.with_original if self.with_original else 1.0

    @property
    def precision(self) -> float:
        return self.right_links / self.linked if self.linked else 1.0

    @property
    def no_link_rate(self) -> float:
        return self.left_unlinked / self.without_original if self.without_original else 1.0


def _jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise UsageError(
            f"{path} not found: a pairs gold folder has docs/, docs.jsonl, pairs.jsonl, lines.jsonl"
        )
    try:
        return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    except ValueError as exc:
        raise UsageError(f"{path}: not JSON lines ({exc})") from None


def body_lines(text: str) -> list[str]:
    """A document's lines as the gold set numbers them: non-empty, after the header."""
    _, _, end = parse_header(text)
    return [line for line in text[end:].split("\n") if line.strip()]


def load_docs(folder: Path) -> dict[str, Doc]:
    """Every document of a gold folder, read for pairing."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UsageError(f"gold folder {folder} not found")
    book = load_roles()
    docs = {}
    for row in _jsonl(folder / "docs.jsonl"):
        path = folder / "docs" / f"{row['id']}.txt"
        if not path.is_file():
            raise UsageError(f"{folder}/docs.jsonl names {row['id']}, not in docs/")
        text = path.read_text("utf-8")
        date, _, _ = parse_header(text)
        lines = body_lines(text)
        lang = row.get("lang") or _lang(lines)
        docs[row["id"]] = read_doc(row["id"], lines, lang, date, book)
    return docs


def _lang(lines: list[str]) -> str:
    """ko or en, by the letters of the text (where docs.jsonl gives no language)."""
    hangul, latin, _ = script_counts("\n".join(lines))
    return "ko" if hangul > latin else "en"


def part_of(doc_id: str) -> int:
    """1 or 2: the half of the gold set a document falls in (fixed by its id)."""
    return 1 + zlib.crc32(doc_id.encode()) % 2


def evaluate(folder: Path, part: int | None = None, params: Params | None = None) -> PairScores:
    """Link the gold folder's English documents (those of one half with `part`) and score."""
    folder = Path(folder)
    docs = load_docs(folder)
    gold = {p["en"]: p for p in _jsonl(folder / "pairs.jsonl")}
    named = {d for p in gold.values() for d in (p["en"], p["ko"], *p.get("ko_also", ()))}
    unknown = sorted(named - set(docs) - {None})
    if unknown:
        raise UsageError(f"{folder}/pairs.jsonl names documents not in docs.jsonl: {unknown[0]}")
    lines = {(g["en"], g["ko"]): g["links"] for g in _jsonl(folder / "lines.jsonl")}
    english = [d for d in docs.values() if d.lang == "en" and d.doc_id in gold]
    if part is not None:
        english = [d for d in english if part_of(d.doc_id) == part]
    korean = [d for d in docs.values() if d.lang == "ko"]
    pairs = link_all(english, korean, params)
    index = PairIndex(korean)
    s = PairScores(len(pairs), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    for p in pairs:
        g = gold[p.en_doc_id]
        ok = {g["ko"], *g.get("ko_also", ())} - {None}
        s.linked += p.ko_doc_id is not None
        if ok:
            s.with_original += 1
            s.found += p.ko_doc_id in ok
            s.right_links += p.ko_doc_id in ok
            orphan = link(docs[p.en_doc_id], index.without(ok), params)
            if orphan.ko_doc_id is not None:
                s.orphans_linked += 1
                s.misses.append(
                    f"orphan  {p.en_doc_id}: with {g['ko']} left out, linked {_show(orphan.best)}"
                )
        else:
            s.without_original += 1
            s.left_unlinked += p.ko_doc_id is None
        if (p.ko_doc_id is None and ok) or (p.ko_doc_id is not None and p.ko_doc_id not in ok):
            s.misses.append(_miss(p, g))
        want = lines.get((p.en_doc_id, g["ko"]))
        if want is None:
            continue
        want_set = {tuple(x) for x in want}
        s.line_gold += len(want_set)
        if p.ko_doc_id == g["ko"] and p.best is not None:
            got = {(lk.en, lk.ko) for lk in p.best.alignment.line_links}
            s.line_predicted += len(got)
            s.line_right += len(got & want_set)
        al = align(docs[p.en_doc_id].lines, docs[g["ko"]].lines)
        got = {(lk.en, lk.ko) for lk in al.line_links}
        s.gold_pairs_predicted += len(got)
        s.gold_pairs_right += len(got & want_set)
        if got != want_set:
            wrong = sorted(got - want_set)
            missed = sorted(want_set - got)
            s.misses.append(
                f"lines   {p.en_doc_id} ~ {g['ko']}: {len(missed)} missed {missed[:8]}, "
                f"{len(wrong)} wrong {wrong[:8]}"
            )
    return s


def _show(x: Scored | None) -> str:
    if x is None:
        return "none"
    return f"{x.ko_doc_id} (score {x.score}, cover {x.cover}; {', '.join(x.evidence)})"


def _miss(p: Pair, g: dict[str, Any]) -> str:
    return (
        f"pair    {p.en_doc_id}: gold {g['ko']}, linked {p.ko_doc_id}; "
        f"best {_show(p.best)}; runner-up {_show(p.runner_up)}"
    )


def _prf(right: int, predicted: int, gold: int) -> tuple[float, float, float]:
    prec = right / predicted if predicted else 1.0
    rec = right / gold if gold else 1.0
    return prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0.0


def format_scores(s: PairScores) -> str:
    """The scores as a short table."""
    p1, r1, f1 = _prf(s.line_right, s.line_predicted, s.line_gold)
    p2, r2, f2 = _prf(s.gold_pairs_right, s.gold_pairs_predicted, s.line_gold)
    return "\n".join(
        [
            f"English documents      {s.english} ({s.with_original} with an original)",
            f"recall@1               {s.recall_at_1:.3f}  ({s.found} of {s.with_original})",
            f"link precision         {s.precision:.3f}  ({s.right_links} of {s.linked} links)",
            f"no link, no original   {s.no_link_rate:.3f}  "
            f"({s.left_unlinked} of {s.without_original})",
            f"line links, end to end P {p1:.3f}  R {r1:.3f}  F1 {f1:.3f}  "
            f"({s.line_right} of {s.line_predicted} predicted, {s.line_gold} gold)",
            f"line links, gold pairs P {p2:.3f}  R {r2:.3f}  F1 {f2:.3f}  "
            f"({s.gold_pairs_right} of {s.gold_pairs_predicted} predicted)",
            f"linked with the original removed  {s.orphans_linked} of {s.with_original}",
        ]
    )
