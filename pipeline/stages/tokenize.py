"""tokenize: segments -> tokens. Korean with Kiwi (batch API), English with spaCy's tokenizer."""

from __future__ import annotations

import functools
import itertools
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

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
    """A Kiwi-style tag for an English token or lexeme (every flag read here is lexical)."""
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


@dataclass(frozen=True)
class Chunk:
    """The tokens of a list of texts, laid end to end: Arrow strings and NumPy offsets.

    A tokenizer fills columns for a whole call at once, so per-token Python work stays at what
    the library makes unavoidable (reading Kiwi's token objects; none for spaCy's).
    """

    form: pa.Array
    tag: pa.Array
    lemma: pa.Array
    start: np.ndarray  # offsets in the token's own text
    end: np.ndarray
    count: np.ndarray  # tokens per text

    def split(self) -> Iterator[list[Token]]:
        """(form, tag, lemma, start, end) per token, for each text."""
        columns = [
            self.form.to_pylist(),
            self.tag.to_pylist(),
            self.lemma.to_pylist(),
            self.start.tolist(),
            self.end.tolist(),
        ]
        rows = list(zip(*columns, strict=True))
        bounds = np.concatenate(([0], np.cumsum(self.count))).tolist()
        for lo, hi in itertools.pairwise(bounds):
            yield rows[lo:hi]


KIWI_LANGS = ("ko", "mixed")  # segments Kiwi analyses; the others go to the English tokenizer


def korean_chunk(texts: list[str], num_threads: int) -> Chunk:
    """Kiwi's tokens of the texts (batch API on several threads, a call per text on one)."""
    model = kiwi(num_threads)
    results = model.tokenize(texts) if num_threads > 1 else map(model.tokenize, texts)
    forms: list[str] = []
    tags: list[str] = []
    starts: list[int] = []
    lengths: list[int] = []
    count: list[int] = []
    for toks in results:
        count.append(len(toks))
        if not toks:
            continue
        # A Kiwi token is also a sequence (form, tag, start, len): one C-level transpose
        # reads all four for every token, faster than four attribute lookups each. Not
        # strict: checking that each token has ended costs an IndexError per token.
        form, tag, start, length = zip(*toks, strict=False)
        forms += form
        tags += tag
        starts += start
        lengths += length
    start_array = np.asarray(starts, dtype=np.int64)
    form_array, tag_array = pa.array(forms, pa.string()), pa.array(tags, pa.string())
    return Chunk(
        form=form_array,
        tag=tag_array,
        lemma=kiwi_lemma(form_array, tag_array),
        start=start_array,
        end=start_array + np.asarray(lengths, dtype=np.int64),
        count=np.asarray(count, dtype=np.int64),
    )


def kiwi_lemma(form: pa.Array, tag: pa.Array) -> pa.Array:
    """Kiwi's `Token.lemma`, computed for a whole column instead of read token by token.

    kiwipiepy documents it as the morpheme with -다 added for verbs and adjectives (the V tags:
    VV, VA, VX, VCP, VCN and their irregular -I forms), and the morpheme itself otherwise. A
    test holds this against Kiwi's own lemmas.
    """
    verb = pc.starts_with(tag, "V")
    return pc.if_else(verb, pc.binary_join_element_wise(form, "다", ""), form)


def _substrings(text: str, starts: np.ndarray, ends: np.ndarray) -> pa.Array:
    """text[s:e] for each pair of character offsets, as one Arrow string array built in NumPy."""
    data = text.encode("utf-8")
    if len(data) == len(text):  # ASCII: characters are bytes
        byte_start, byte_end = starts, ends
    else:
        code = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
        width = 1 + (code >= 0x80).astype(np.int64) + (code >= 0x800) + (code >= 0x10000)
        at = np.concatenate(([0], np.cumsum(width)))
        byte_start, byte_end = at[starts], at[ends]
    lengths = byte_end - byte_start
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int32)
    gather = np.repeat(byte_start - offsets[:-1], lengths) + np.arange(offsets[-1])
    values = np.frombuffer(data, dtype=np.uint8)[gather]
    return pa.StringArray.from_buffers(len(lengths), pa.py_buffer(offsets), pa.py_buffer(values))


def english_chunk(texts: list[str]) -> Chunk:
    """spaCy's tokens of the texts, whitespace tokens left out, read as arrays (Doc.to_array).

    A token's tag and lemma depend on its text alone (spaCy's flags belong to the lexeme), so
    they are worked out once per distinct form and spread over the tokens by Arrow.
    """
    from spacy.attrs import IDX, IS_SPACE, LENGTH

    nlp = english()
    starts: list[np.ndarray] = []
    ends: list[np.ndarray] = []
    count: list[int] = []
    for text in texts:
        attrs = nlp.make_doc(text).to_array([IDX, LENGTH, IS_SPACE]).astype(np.int64)
        attrs = attrs.reshape(-1, 3)
        attrs = attrs[attrs[:, 2] == 0]
        starts.append(attrs[:, 0])
        ends.append(attrs[:, 0] + attrs[:, 1])
        count.append(len(attrs))
    start = np.concatenate([np.zeros(0, dtype=np.int64), *starts])
    end = np.concatenate([np.zeros(0, dtype=np.int64), *ends])
    counts = np.asarray(count, dtype=np.int64)
    shift = np.repeat(np.concatenate(([0], np.cumsum([len(t) + 1 for t in texts])[:-1])), counts)
    form = _substrings("\n".join(texts), start + shift, end + shift)
    encoded = form.dictionary_encode()
    tags, lemmas = [], []
    for word in encoded.dictionary.to_pylist():
        tag = _english_tag(nlp.vocab[word])
        tags.append(tag)
        lemmas.append(english_lemma(word) if tag == "SL" else None)
    tag_array = pa.array(tags, pa.string()).take(encoded.indices)
    lemma_array = pa.array(lemmas, pa.string()).take(encoded.indices)
    return Chunk(form, tag_array, lemma_array, start, end, counts)


def korean_tokens(texts: list[str], num_threads: int) -> Iterator[list[Token]]:
    """(form, tag, lemma, start, end) per token, for each text, with Kiwi."""
    return korean_chunk(texts, num_threads).split()


def english_tokens(texts: list[str]) -> Iterator[list[Token]]:
    """(form, tag, lemma, start, end) per token, for each text, with spaCy's tokenizer."""
    return english_chunk(texts).split()


def morphemes(text: str, num_threads: int = 1) -> tuple[list[str], list[str], list[int], list[int]]:
    """(forms, tags, starts, ends) of one text by Kiwi: what a token rule is matched against."""
    chunk = korean_chunk([text], num_threads)
    return chunk.form.to_pylist(), chunk.tag.to_pylist(), chunk.start.tolist(), chunk.end.tolist()


class _Tokens:
    """Token columns of a batch as they are filled, each token with its segment's row."""

    def __init__(self) -> None:
        self.row: list[np.ndarray] = []  # one array per call of _by_document
        self.form: list[pa.Array] = []
        self.tag: list[pa.Array] = []
        self.lemma: list[pa.Array] = []
        self.start: list[np.ndarray] = []
        self.end: list[np.ndarray] = []


def _by_document(
    texts: list[str],
    members: list[int],
    doc_ids: list[str],
    tokenizer: Callable[[list[str]], Chunk],
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
    chunk = tokenizer(joined)
    base = np.repeat(np.asarray(doc_start, dtype=np.int64), chunk.count)
    start = chunk.start + base
    end = chunk.end + base
    k = np.searchsorted(seg_start, start, side="right") - 1
    out.row.append(rows[k])
    out.form.append(chunk.form)
    out.tag.append(chunk.tag)
    out.lemma.append(chunk.lemma)
    out.start.append(start - seg_start[k])
    out.end.append(np.minimum(end - seg_start[k], lengths[k]))


def _concat(chunks: list[pa.Array]) -> pa.Array:
    return pa.concat_arrays(chunks) if chunks else pa.array([], pa.string())


def tokenize_batch(segments: pa.Table, num_threads: int) -> pa.Table:
    """Tokens of a batch of segments, in segment order; Korean and mixed segments go to Kiwi."""
    texts = segments["text"].to_pylist()
    langs = segments["lang"].to_pylist()
    doc_ids = segments["doc_id"].to_pylist()
    korean = [i for i, lang in enumerate(langs) if lang in KIWI_LANGS]
    other = [i for i, lang in enumerate(langs) if lang not in KIWI_LANGS]
    out = _Tokens()
    _by_document(texts, korean, doc_ids, lambda t: korean_chunk(t, num_threads), out)
    _by_document(texts, other, doc_ids, english_chunk, out)
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
        "form": _concat(out.form).take(order),
        "tag": _concat(out.tag).take(order),
        "lemma": _concat(out.lemma).take(order),
        "start": pa.array(np.concatenate([none, *out.start]), pa.int32()).take(order),
        "end": pa.array(np.concatenate([none, *out.end]), pa.int32()).take(order),
        "lang": segments["lang"].take(taken),
        "part": segments["part"].take(taken),
    }
    return pa.Table.from_pydict(arrays, schema=TOKENS)


def batch(ctx: Context, tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    num_threads = threads(ctx.threads or ctx.config.tokenize.threads)
    return {"tokens": tokenize_batch(tables["segments"], num_threads)}


def warm(ctx: Context) -> None:
    """Load the Kiwi that `batch` will use in this process, spaCy's tokenizer and the lemmas."""
    kiwi(threads(ctx.threads or ctx.config.tokenize.threads)).tokenize("준비")
    english()("ready")
    english_lemma("ready")
