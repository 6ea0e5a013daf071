"""signal: documents, segments and removed -> signals: each article as pairing reads it.

Reading an English or Korean article for pairing (its clean body's lines, their kinds, numbers,
names and quote speakers, and its reporters: pipeline/pair/signals.py read_doc) depends on the
document alone, so it is done here, batch by batch in the workers, rather than by the pair stage
in the runner's process, which then only indexes, links and aligns (pipeline/pair/table.py
gives it the documents back). The lines' script roles are detect's (segments.role), not read
again; each line's letters are counted once, and a body's language (export's) is read from
their sum. With pair off, its parts are empty.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.collector import paused_gc
from pipeline.context import Context
from pipeline.pair.batch import mixed_signal_lists
from pipeline.pair.signals import Doc, layout
from pipeline.pair.table import to_table
from pipeline.schemas import SIGNALS
from pipeline.stages.detect import langs_of_letters
from pipeline.stages.export import by_document
from pipeline.stages.strip import kept_pieces
from pipeline.text import letter_counts_many, scripts

_SEGMENTS = ["seg_id", "start", "line", "text", "role"]


def body_lines(
    segs: dict[str, list[Any]], cuts: dict[int, list[tuple[int, int]]]
) -> tuple[list[str], list[int]]:
    """A document's clean body lines (as `articles.body` has them, the empty ones left out) and
    the seg_id of each line's first kept segment, from its body segments in order (strip's
    assemble_body joins the kept pieces of one line with a space)."""
    texts, seg_ids, _ = _read_body(segs, cuts)
    return texts, seg_ids


def _read_body(
    segs: dict[str, list[Any]], cuts: dict[int, list[tuple[int, int]]]
) -> tuple[list[str], list[int], list[str]]:
    """body_lines and the role detect gave each line's first kept segment."""
    texts: dict[int, list[str]] = {}
    first: dict[int, int] = {}
    roles: list[str] = []
    for seg_id, start, line, text, role in zip(
        segs["seg_id"], segs["start"], segs["line"], segs["text"], segs["role"], strict=True
    ):
        cut = cuts.get(seg_id)
        if cut:
            pieces = kept_pieces(text, start, cut)
            if not pieces:
                continue
        else:  # most segments: nothing removed, the text is its one piece
            piece = text.strip()
            if not piece:
                continue
            pieces = [piece]
        have = texts.get(line)
        if have is None:
            texts[line], first[line] = pieces, seg_id
            roles.append(role)
        else:
            have += pieces
    return [" ".join(p) for p in texts.values()], list(first.values()), roles


def signal_batch(
    documents: pa.Table, segments: pa.Table, removed: pa.Table, ctx: Context
) -> pa.Table:
    """The signals rows of a batch: a row per document whose clean body is English or Korean
    (its language as export gives it `articles.lang`: from the same letters)."""
    if not ctx.config.pair.enabled:
        return SIGNALS.empty_table()
    segs = by_document(segments.filter(pc.equal(segments["part"], "body")), _SEGMENTS)
    cuts: dict[str, dict[int, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for doc_id, seg_id, start, end in zip(
        *(removed[c].to_pylist() for c in ("doc_id", "seg_id", "start", "end")), strict=True
    ):
        cuts[doc_id][seg_id].append((start, end))
    empty: dict[str, list[Any]] = {name: [] for name in _SEGMENTS}
    doc_ids = documents["doc_id"].to_pylist()
    bodies = [_read_body(segs.get(d, empty), cuts.get(d, {})) for d in doc_ids]
    # every line's letters counted at once: one pass of numpy for the batch, not per document;
    # a body's letters are its lines' added up, as body_langs counts them in its kept pieces
    # (joined by a blank in a line, by a newline there: no address spans either)
    letters = letter_counts_many([line for texts, _, _ in bodies for line in texts])
    bounds = np.cumsum([0, *(len(texts) for texts, _, _ in bodies)])
    running = np.concatenate([np.zeros((1, 3), np.int64), np.cumsum(letters, axis=0)])
    langs = langs_of_letters(running[bounds[1:]] - running[bounds[:-1]], ctx.config.detect)
    counts = scripts(letters)
    dates = documents["published_date"].to_pylist()
    book = ctx.rules.book
    wanted = [n for n, lang in enumerate(langs) if lang in ("en", "ko")]
    docs, seg_ids = [], []
    said: list[str | None] = []  # every unit's text, in the documents' order
    said_langs: list[str] = []
    for n in wanted:
        texts, ids, roles = bodies[n]
        date = dates[n] if isinstance(dates[n], dt.date) else None
        lines = counts[bounds[n] : bounds[n + 1]]
        # detect's roles (of each line's first kept segment) spare read_doc reading them again,
        # a third of its time: on the 408,862 clean lines of the 20,000-document benchmark they
        # are the roles it reads (tests/stages/test_signal.py holds rows to its own reading)
        units, texts_of, filed = layout(texts, langs[n], book, lines, roles)
        # read_doc's document, its units' signals read below for the batch at once
        said += texts_of
        said_langs += [langs[n]] * len(texts_of)
        docs.append(Doc(doc_ids[n], langs[n], date, tuple(units), filed))
        seg_ids.append(ids)
    return to_table(docs, seg_ids, SIGNALS, mixed_signal_lists(said, said_langs))


def batch(ctx: Context, tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    # the collector paused (pipeline/collector.py): reading makes a tuple, set or string per
    # line and signal and no cycle, and in a worker that holds spaCy's and Kiwi's objects its
    # passes took about a sixth of the stage's time (12 to 18 % in interleaved rounds)
    with paused_gc():
        signals = signal_batch(tables["documents"], tables["segments"], tables["removed"], ctx)
    return {"signals": signals}
