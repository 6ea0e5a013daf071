"""tokenize: segments -> tokens. Korean with Kiwi (batch API), English with spaCy's tokenizer."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from typing import Any

import pyarrow as pa

from pipeline.context import Context
from pipeline.schemas import TOKENS

# English tokens get tags from Kiwi's own set, so one column means one thing in both languages.
_PUNCT_TAGS = {
    ".": "SF",
    "!": "SF",
    "?": "SF",
    ",": "SP",
    ":": "SP",
    ";": "SP",
    "/": "SP",
    "…": "SE",
    "-": "SO",
    "–": "SO",
    "—": "SO",
    "~": "SO",
}
_ALNUM = re.compile(r"[^\W_]")
_BRACKETS = set("()[]{}<>\"'“”‘’「」『』《》〈〉【】")


def threads(requested: int) -> int:
    return requested if requested > 0 else (os.cpu_count() or 1)


@functools.cache
def kiwi(num_threads: int) -> Any:
    """One Kiwi per process and thread count: it takes seconds and half a gigabyte to load.

    With one thread, Kiwi runs in single-thread mode (no thread pool): such a Kiwi survives a
    fork, so worker processes share one copy of the model loaded before they were forked.
    """
    import warnings

    from kiwipiepy import Kiwi

    if num_threads > 1:
        return Kiwi(num_workers=num_threads)
    with warnings.catch_warnings():  # 0 has meant single-thread mode since kiwipiepy 0.21
        warnings.simplefilter("ignore", DeprecationWarning)
        return Kiwi(num_workers=0)


@functools.cache
def english() -> Any:
    """spaCy's rule-based English tokenizer (no model download: a blank pipeline)."""
    import spacy

    return spacy.blank("en")


def _english_tag(tok: Any) -> str:
    if tok.is_alpha:  # most tokens: settled by one flag spaCy already has
        return "SL"
    if tok.like_email:
        return "W_EMAIL"
    if tok.like_url:
        return "W_URL"
    if tok.like_num:
        return "SN"
    if tok.is_punct or not _ALNUM.search(tok.text):
        if tok.text in _PUNCT_TAGS:
            return _PUNCT_TAGS[tok.text]
        return "SS" if tok.text in _BRACKETS else "SW"
    return "SL"


@functools.cache
def english_lemma(word: str) -> str:
    import simplemma

    return str(simplemma.lemmatize(word, lang="en"))


Token = tuple[str, str, str | None, int, int]  # form, tag, lemma, start, end


def korean_tokens(texts: list[str], num_threads: int) -> Iterator[list[Token]]:
    """(form, tag, lemma, start, end) per token, for each text, with Kiwi's batch API."""
    model = kiwi(num_threads)
    # Several threads: the batch API keeps them busy. One: a call per text (no pool to feed).
    results = model.tokenize(texts) if num_threads > 1 else map(model.tokenize, texts)
    for toks in results:
        yield [(t.form, t.tag, t.lemma, t.start, t.start + t.len) for t in toks]


def morphemes(text: str, num_threads: int = 1) -> tuple[list[str], list[str], list[int], list[int]]:
    """(forms, tags, starts, ends) of one text by Kiwi: what a token rule is matched against."""
    [toks] = korean_tokens([text], num_threads)
    return [t[0] for t in toks], [t[1] for t in toks], [t[3] for t in toks], [t[4] for t in toks]


def english_tokens(texts: list[str]) -> Iterator[list[Token]]:
    """(form, tag, lemma, start, end) per token, for each text, with spaCy's tokenizer."""
    for doc in english().pipe(texts, batch_size=256):
        out: list[Token] = []
        for tok in doc:
            if tok.is_space:
                continue
            tag = _english_tag(tok)
            lemma = english_lemma(tok.text) if tag == "SL" else None
            out.append((tok.text, tag, lemma, tok.idx, tok.idx + len(tok.text)))
        yield out


def _korean_by_document(
    rows: list[dict[str, Any]], korean: list[int], num_threads: int
) -> dict[int, list[Token]]:
    """Tokens of the Korean segments, one Kiwi text per document (its segments joined by newlines).

    Kiwi's batch API pays a cost per text: a document's lines as one text keep its threads busy
    on fewer, longer items. Offsets are mapped back to the segment each token starts in.
    """
    docs: dict[str, list[int]] = {}
    for i in korean:
        docs.setdefault(rows[i]["doc_id"], []).append(i)
    texts, layouts = [], []
    for members in docs.values():
        starts, pos = [], 0
        for i in members:
            starts.append(pos)
            pos += len(rows[i]["text"]) + 1
        texts.append("\n".join(rows[i]["text"] for i in members))
        layouts.append((members, starts))
    result: dict[int, list[Token]] = {i: [] for i in korean}
    for (members, starts), toks in zip(layouts, korean_tokens(texts, num_threads), strict=True):
        k = 0
        for form, tag, lemma, start, end in toks:
            while k + 1 < len(starts) and start >= starts[k + 1]:
                k += 1
            base, length = starts[k], len(rows[members[k]]["text"])
            result[members[k]].append((form, tag, lemma, start - base, min(end - base, length)))
    return result


def tokenize_batch(segments: pa.Table, num_threads: int) -> pa.Table:
    """Tokens of a batch of segments, in segment order; Korean and mixed segments go to Kiwi."""
    rows = segments.select(["doc_id", "seg_id", "text", "lang", "part"]).to_pylist()
    korean = [i for i, r in enumerate(rows) if r["lang"] in ("ko", "mixed")]
    other = [i for i, r in enumerate(rows) if r["lang"] not in ("ko", "mixed")]
    per_segment: list[list[Token]] = [[] for _ in rows]
    for i, toks in _korean_by_document(rows, korean, num_threads).items():
        per_segment[i] = toks
    if other:
        for i, toks in zip(other, english_tokens([rows[i]["text"] for i in other]), strict=True):
            per_segment[i] = toks
    columns: dict[str, list[Any]] = {name: [] for name in TOKENS.names}
    fields = ("form", "tag", "lemma", "start", "end")
    for row, toks in zip(rows, per_segment, strict=True):
        if not toks:
            continue
        n = len(toks)
        for name, values in zip(fields, zip(*toks, strict=True), strict=True):
            columns[name].extend(values)
        columns["tok_id"].extend(range(n))
        for name in ("doc_id", "seg_id", "lang", "part"):
            columns[name].extend([row[name]] * n)
    return pa.Table.from_pydict(columns, schema=TOKENS)


def batch(ctx: Context, tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    num_threads = threads(ctx.threads or ctx.config.tokenize.threads)
    return {"tokens": tokenize_batch(tables["segments"], num_threads)}
