"""tokenize: segments -> tokens. Korean with Kiwi (batch API), English with spaCy's tokenizer."""

from __future__ import annotations

import functools
import itertools
import os
import re
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
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
# A text's tokens as columns: forms, tags, lemmas, starts, ends. Filling columns straight from
# Kiwi's and spaCy's token objects keeps the per-token Python work to one attribute read each.
Columns = tuple[list[str], list[str], list[str | None], list[int], list[int]]

KIWI_LANGS = ("ko", "mixed")  # segments Kiwi analyses; the others go to the English tokenizer


def korean_columns(texts: list[str], num_threads: int) -> Iterator[Columns]:
    """Each text's tokens by Kiwi (batch API on several threads, a call per text on one)."""
    model = kiwi(num_threads)
    results = model.tokenize(texts) if num_threads > 1 else map(model.tokenize, texts)
    for toks in results:
        starts = [t.start for t in toks]
        ends = [s + t.len for s, t in zip(starts, toks, strict=True)]
        yield [t.form for t in toks], [t.tag for t in toks], [t.lemma for t in toks], starts, ends


def english_columns(texts: list[str]) -> Iterator[Columns]:
    """Each text's tokens by spaCy's tokenizer, whitespace tokens left out."""
    for doc in english().pipe(texts, batch_size=256):
        forms: list[str] = []
        tags: list[str] = []
        lemmas: list[str | None] = []
        starts: list[int] = []
        ends: list[int] = []
        for tok in doc:
            if tok.is_space:
                continue
            text = tok.text
            tag = _english_tag(tok)
            forms.append(text)
            tags.append(tag)
            lemmas.append(english_lemma(text) if tag == "SL" else None)
            starts.append(tok.idx)
            ends.append(tok.idx + len(text))
        yield forms, tags, lemmas, starts, ends


def korean_tokens(texts: list[str], num_threads: int) -> Iterator[list[Token]]:
    """(form, tag, lemma, start, end) per token, for each text, with Kiwi."""
    for columns in korean_columns(texts, num_threads):
        yield list(zip(*columns, strict=True))


def english_tokens(texts: list[str]) -> Iterator[list[Token]]:
    """(form, tag, lemma, start, end) per token, for each text, with spaCy's tokenizer."""
    for columns in english_columns(texts):
        yield list(zip(*columns, strict=True))


def morphemes(text: str, num_threads: int = 1) -> tuple[list[str], list[str], list[int], list[int]]:
    """(forms, tags, starts, ends) of one text by Kiwi: what a token rule is matched against."""
    [(forms, tags, _, starts, ends)] = korean_columns([text], num_threads)
    return forms, tags, starts, ends


class _Tokens:
    """Token columns of a batch as they are filled, each token with its segment's row."""

    def __init__(self) -> None:
        self.row: list[np.ndarray] = []  # arrays, one per call of _by_document
        self.form: list[str] = []
        self.tag: list[str] = []
        self.lemma: list[str | None] = []
        self.start: list[np.ndarray] = []
        self.end: list[np.ndarray] = []


def _by_document(
    texts: list[str],
    members: list[int],
    doc_ids: list[str],
    tokenizer: Callable[[list[str]], Iterator[Columns]],
    out: _Tokens,
) -> None:
    """Tokens of the member segments, one text per document (its members joined by newlines).

    A tokenizer pays a cost per text: a document's lines as one text keep it busy on fewer,
    longer items. Neither Kiwi nor spaCy makes a token across a newline. The documents are laid
    end to end (each segment followed by a newline), so one sorted search over the segments'
    starts maps every token back to the segment it starts in.
    """
    if not members:
        return
    rows = np.asarray(members, dtype=np.int64)
    lengths = np.fromiter((len(texts[i]) for i in members), dtype=np.int64, count=len(members))
    seg_start = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    joined, doc_start = [], []
    for _, group in itertools.groupby(range(len(members)), key=lambda k: doc_ids[members[k]]):
        first, *rest = group
        last = rest[-1] if rest else first
        joined.append("\n".join(texts[i] for i in members[first : last + 1]))
        doc_start.append(int(seg_start[first]))
    starts: list[int] = []
    ends: list[int] = []
    counts: list[int] = []
    for forms, tags, lemmas, doc_starts, doc_ends in tokenizer(joined):
        counts.append(len(forms))
        out.form.extend(forms)
        out.tag.extend(tags)
        out.lemma.extend(lemmas)
        starts.extend(doc_starts)
        ends.extend(doc_ends)
    base = np.repeat(np.asarray(doc_start, dtype=np.int64), counts)
    start = np.asarray(starts, dtype=np.int64) + base
    end = np.asarray(ends, dtype=np.int64) + base
    k = np.searchsorted(seg_start, start, side="right") - 1
    out.row.append(rows[k])
    out.start.append(start - seg_start[k])
    out.end.append(np.minimum(end - seg_start[k], lengths[k]))


def tokenize_batch(segments: pa.Table, num_threads: int) -> pa.Table:
    """Tokens of a batch of segments, in segment order; Korean and mixed segments go to Kiwi."""
    texts = segments["text"].to_pylist()
    langs = segments["lang"].to_pylist()
    doc_ids = segments["doc_id"].to_pylist()
    korean = [i for i, lang in enumerate(langs) if lang in KIWI_LANGS]
    other = [i for i, lang in enumerate(langs) if lang not in KIWI_LANGS]
    out = _Tokens()
    _by_document(texts, korean, doc_ids, lambda t: korean_columns(t, num_threads), out)
    _by_document(texts, other, doc_ids, english_columns, out)
    # Korean tokens came first: a stable sort by segment puts every token in text order.
    none = np.zeros(0, dtype=np.int64)  # so that a batch without tokens concatenates too
    row = np.concatenate([none, *out.row])
    order = pa.array(np.argsort(row, kind="stable"))
    row = row[order.to_numpy()]
    per_segment = np.bincount(row, minlength=segments.num_rows)
    tok_id = np.arange(len(row)) - np.repeat(np.cumsum(per_segment) - per_segment, per_segment)
    taken = pa.array(row)
    arrays = {
        "doc_id": segments["doc_id"].take(taken),
        "seg_id": segments["seg_id"].take(taken),
        "tok_id": pa.array(tok_id, pa.int32()),
        "form": pa.array(out.form, pa.string()).take(order),
        "tag": pa.array(out.tag, pa.string()).take(order),
        "lemma": pa.array(out.lemma, pa.string()).take(order),
        "start": pa.array(np.concatenate([none, *out.start]), pa.int32()).take(order),
        "end": pa.array(np.concatenate([none, *out.end]), pa.int32()).take(order),
        "lang": segments["lang"].take(taken),
        "part": segments["part"].take(taken),
    }
    return pa.Table.from_pydict(arrays, schema=TOKENS)


def batch(ctx: Context, tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    num_threads = threads(ctx.threads or ctx.config.tokenize.threads)
    return {"tokens": tokenize_batch(tables["segments"], num_threads)}
