"""tokenize: segments -> tokens and sentences. Korean with Kiwi, English with spaCy.

Sentences come from the same analysis as the tokens: Kiwi groups its tokens by sentence
(split_sents); the rule of spaCy's sentencizer is applied to the Doc its tokenizer made.
A segment boundary always ends a sentence, so every token lies in exactly one sentence.
"""

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
from pipeline.schemas import SENTENCES, TOKENS

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


@functools.cache
def _sentence_final() -> np.ndarray:
    """The hashes (spaCy's ORTH) of the characters its sentencizer ends a sentence after."""
    from spacy.pipeline import Sentencizer

    strings = english().vocab.strings
    return np.asarray([strings.add(c) for c in Sentencizer.default_punct_chars], dtype=np.uint64)


def sentencizer_starts(orth: np.ndarray, is_punct: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Where spaCy's rule-based sentencizer starts a sentence, from Docs' ORTH and IS_PUNCT
    columns laid end to end (`first` marks each Doc's first token).

    The reference is `spacy.pipeline.Sentencizer` (a test holds the two equal): after a token
    in its punct_chars (. ! ? and their kin), the next token that is neither punctuation nor
    one of those starts a sentence. Its loop reads every token as a Python object; here a token
    starts a sentence when the last token before it in its Doc that is not plain punctuation
    ends one.
    """
    if not len(orth):
        return np.zeros(0, dtype=bool)
    final = np.isin(orth, _sentence_final())
    word = (is_punct == 0) & ~final
    decisive = np.where(final | word | first, np.arange(len(orth)), -1)
    last = np.maximum.accumulate(np.concatenate(([-1], decisive[:-1])))
    return (word & (last >= 0) & final[np.maximum(last, 0)]) | first


# Abbreviations spaCy's tokenizer splits from their period ("Lt" "."), so that the sentencizer
# would end a sentence there: titles before a capitalised name, and words before a number. The
# ones spaCy keeps whole (Mr., Dr., Gen., Sen., Apr., U.S., a.m.) never end a sentence.
TITLE_ABBREVIATIONS = frozenset((
    "Lt", "Col", "Sgt", "Maj", "Capt", "Cmdr", "Cdr", "Adm", "Brig", "Cpl", "Pvt", "Rep", "Reps",
    "Prof", "Pres", "Supt", "Insp", "Det", "Amb", "Hon",
))  # fmt: skip
NUMBER_ABBREVIATIONS = frozenset((
    "No", "Nos", "no", "nos", "Vol", "vol", "Fig", "fig", "Art", "art", "approx", "Approx", "Ch",
    "ch",
))  # fmt: skip

# What opens the text after it: Kiwi's symbols (▲ ◀ ■ ※), opening brackets and list bullets, and
# the opening brackets English tags SS like the closing ones. Both splitters leave such tokens at
# the end of the sentence before ("…했습니다. ◀" | "앵커 ▶", "He left. (" | "Photo) …").
OPENING_TAGS = ("SW", "SSO", "SB")
OPENING_FORMS = ("(", "[", "{", "<", "“", "‘", "「", "『", "《", "〈", "【")
# A sentence of these alone (a bullet, "1.", a lone "0" or "◀") is no sentence: it joins the next.
CONTENTLESS_TAGS = ("SF", "SP", "SS", "SSO", "SSC", "SE", "SO", "SW", "SB", "SN")


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
    sent_start: np.ndarray  # true where a token starts a sentence (the first of a text does)

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
    """Kiwi's tokens of the texts (batch API on several threads, a call per text on one).

    split_sents makes Kiwi return each text's tokens grouped by sentence, from the same
    analysis: the sizes of the groups mark the sentences, with no token looked at one by one.
    """
    model = kiwi(num_threads)
    if num_threads > 1:
        results = model.tokenize(texts, split_sents=True)
    else:
        results = (model.tokenize(text, split_sents=True) for text in texts)
    forms: list[str] = []
    tags: list[str] = []
    starts: list[int] = []
    lengths: list[int] = []
    count: list[int] = []
    sizes: list[int] = []  # tokens per sentence, over all texts
    for sents in results:
        sizes += map(len, sents)
        toks = list(itertools.chain.from_iterable(sents))
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
    sent_start = np.zeros(len(forms), dtype=bool)
    size_array = np.asarray(sizes, dtype=np.int64)
    sent_start[(np.cumsum(size_array) - size_array)[size_array > 0]] = True
    return Chunk(
        form=form_array,
        tag=tag_array,
        lemma=kiwi_lemma(form_array, tag_array),
        start=start_array,
        end=start_array + np.asarray(lengths, dtype=np.int64),
        count=np.asarray(count, dtype=np.int64),
        sent_start=sent_start,
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
    they are worked out once per distinct form and spread over the tokens by Arrow. Sentence
    starts are spaCy's sentencizer's, worked out on the same Doc's arrays; one on a whitespace
    token passes to the next token.
    """
    from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, ORTH

    nlp = english()
    columns = [IDX, LENGTH, IS_SPACE, IS_PUNCT, ORTH]
    docs = [nlp.make_doc(text).to_array(columns).reshape(-1, 5) for text in texts]
    sizes = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
    raw = np.concatenate([np.zeros((0, 5), dtype=np.uint64), *docs])
    first = np.zeros(len(raw), dtype=bool)
    first[(np.cumsum(sizes) - sizes)[sizes > 0]] = True
    sentence = np.cumsum(sentencizer_starts(raw[:, 4], raw[:, 3], first))
    keep = raw[:, 2] == 0
    sentence = sentence[keep]
    sent_start = np.diff(sentence, prepend=-1) != 0  # a start on a space passes to the next token
    attrs = raw[keep, :2].astype(np.int64)
    start = attrs[:, 0]
    end = attrs[:, 0] + attrs[:, 1]
    counts = np.bincount(np.repeat(np.arange(len(texts)), sizes)[keep], minlength=len(texts))
    shift = np.repeat(np.concatenate(([0], np.cumsum([len(t) + 1 for t in texts])[:-1])), counts)
    joined = "\n".join(texts)
    form = _substrings(joined, start + shift, end + shift)
    encoded = form.dictionary_encode()
    words = encoded.dictionary.to_pylist()
    tags, lemmas = [], []
    for word in words:
        tag = _english_tag(nlp.vocab[word])
        tags.append(tag)
        lemmas.append(english_lemma(word) if tag == "SL" else None)
    tag_array = pa.array(tags, pa.string()).take(encoded.indices)
    lemma_array = pa.array(lemmas, pa.string()).take(encoded.indices)
    indices = encoded.indices.to_numpy()
    _keep_abbreviations(words, indices, counts, (start, end, sent_start))
    _open_quotations(joined, words, indices, shift, (start, end, sent_start))
    return Chunk(form, tag_array, lemma_array, start, end, counts, sent_start)


def _open_quotations(
    text: str, words: list[str], word: np.ndarray, shift: np.ndarray, chunk: tuple[np.ndarray, ...]
) -> None:
    """A sentence that opens with a straight quotation mark starts at it (in place).

    The sentencizer leaves a quotation mark after a full stop at the end of the sentence before
    (`… on Tuesday. "` | `This is the first step."`); a mark after a blank and touching the word
    after it opens that word's sentence. Only the few straight quotation marks are looked at."""
    start, end, sent_start = chunk
    marks = [n for n, w in enumerate(words) if w in ('"', "'")]
    if not marks or len(word) < 2:
        return
    at = np.flatnonzero(np.isin(word[:-1], marks))
    at = at[sent_start[at + 1] & ~sent_start[at] & (end[at] == start[at + 1])]
    at = at[shift[at] == shift[at + 1]]  # the word after it is in the same text
    for i in at.tolist():
        if text[start[i] + shift[i] - 1].isspace():
            sent_start[i], sent_start[i + 1] = True, False


def _keep_abbreviations(
    words: list[str], word: np.ndarray, counts: np.ndarray, chunk: tuple[np.ndarray, ...]
) -> None:
    """No sentence start after "Lt." before a name or "No." before a number (in place).

    spaCy's tokenizer splits these from their period, so the sentencizer ends a sentence
    there. Decided per distinct word, then over the arrays: the abbreviation, a "." touching
    it, and a capitalised word (after a title) or a number (after No., Vol., approx.).
    """
    start, end, sent_start = chunk
    if len(word) < 3:
        return
    kind = np.asarray(
        [
            (w in TITLE_ABBREVIATIONS, w in NUMBER_ABBREVIATIONS, w == ".", w[:1].isupper(),
             w[:1].isdigit())
            for w in words
        ],
        dtype=bool,
    ).reshape(-1, 5)[word]  # fmt: skip
    first = np.zeros(len(word), dtype=bool)  # the first token of each text starts a sentence
    first[(np.cumsum(counts) - counts)[counts > 0]] = True
    before, dot, after = kind[:-2], kind[1:-1], kind[2:]
    abbreviation = (
        (end[:-2] == start[1:-1])
        & dot[:, 2]
        & ((before[:, 0] & after[:, 3]) | (before[:, 1] & after[:, 4]))
        & ~sent_start[1:-1]
        & ~first[2:]
    )
    sent_start[2:] &= ~abbreviation


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
        self.sent_start: list[np.ndarray] = []


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
    out.sent_start.append(chunk.sent_start)


def _concat(chunks: list[pa.Array]) -> pa.Array:
    return pa.concat_arrays(chunks) if chunks else pa.array([], pa.string())


def tokenize_batch(segments: pa.Table, num_threads: int) -> dict[str, pa.Table]:
    """Tokens and sentences of a batch of segments, in segment order; Korean and mixed
    segments go to Kiwi."""
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
    order = np.argsort(row, kind="stable")
    row = row[order]
    start = np.concatenate([none, *out.start])[order]
    end = np.concatenate([none, *out.end])[order]
    sent_start = np.concatenate([none.astype(bool), *out.sent_start])[order]
    tok_id = _within(row, segments.num_rows)
    taken = pa.array(row)
    arrays = {
        "doc_id": segments["doc_id"].take(taken),
        "seg_id": segments["seg_id"].take(taken),
        "tok_id": pa.array(tok_id, pa.int32()),
        "form": _concat(out.form).take(order),
        "tag": _concat(out.tag).take(order),
        "lemma": _concat(out.lemma).take(order),
        "start": pa.array(start, pa.int32()),
        "end": pa.array(end, pa.int32()),
        "lang": segments["lang"].take(taken),
        "part": segments["part"].take(taken),
    }
    first = _sentence_starts(row, sent_start, arrays["tag"], arrays["form"])
    return {
        "tokens": pa.Table.from_pydict(arrays, schema=TOKENS),
        "sentences": _sentences(segments, texts, row, start, end, first),
    }


def _within(row: np.ndarray, rows: int) -> np.ndarray:
    """0, 1, 2 … within each segment, for items sorted by their segment's row."""
    per_segment = np.bincount(row, minlength=rows)
    return np.arange(len(row)) - np.repeat(np.cumsum(per_segment) - per_segment, per_segment)


def _sentence_starts(
    row: np.ndarray, sent_start: np.ndarray, tag: pa.Array, form: pa.Array
) -> np.ndarray:
    """Where sentences start, for tokens sorted by segment: where the tokenizer started one or a
    segment starts, moved back over the opening symbols and brackets before it, and without the
    start of a sentence that has no word (it joins the next in its segment, or the one before)."""
    n = len(row)
    seg_first = np.ones(n, dtype=bool)
    seg_first[1:] = row[1:] != row[:-1]
    index = np.arange(n)
    opener = pc.or_(pc.is_in(tag, pa.array(OPENING_TAGS)), pc.is_in(form, pa.array(OPENING_FORMS)))
    plain = np.maximum.accumulate(np.where(opener.to_numpy(zero_copy_only=False), -1, index))
    segment = np.maximum.accumulate(np.where(seg_first, index, 0))
    starts = np.flatnonzero(sent_start & ~seg_first)
    first = seg_first.copy()
    first[np.maximum(plain[starts - 1] + 1, segment[starts])] = True
    at = np.flatnonzero(first)
    if not len(at):
        return first
    content = ~pc.is_in(tag, pa.array(CONTENTLESS_TAGS)).to_numpy(zero_copy_only=False)
    has_word = np.logical_or.reduceat(content, at)
    same_next = np.append(~seg_first[at[1:]], False)  # the next sentence is in the same segment
    drop = ~has_word & ~same_next & ~seg_first[at]  # the last of its segment joins the one before
    drop[1:] |= ~has_word[:-1] & same_next[:-1]  # the others take the next one in
    first[at[drop]] = False
    return first


def _sentences(
    segments: pa.Table,
    texts: list[str],
    row: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    first: np.ndarray,
) -> pa.Table:
    """The sentences of the tokens (sorted by segment), each from the token where it starts
    (`first`) up to the next one: it spans its tokens' offsets."""
    at = np.flatnonzero(first)
    sent_row = row[at]
    if len(at):
        sent_begin = np.minimum.reduceat(start, at)
        sent_end = np.maximum.reduceat(end, at)
    else:
        sent_begin = sent_end = at
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    shift = (np.cumsum(lengths + 1) - lengths - 1)[sent_row]
    taken = pa.array(sent_row)
    role = segments["role"].take(taken)
    arrays = {
        "doc_id": segments["doc_id"].take(taken),
        "seg_id": segments["seg_id"].take(taken),
        "sent_id": pa.array(_within(sent_row, segments.num_rows), pa.int32()),
        "start": pa.array(sent_begin, pa.int32()),
        "end": pa.array(sent_end, pa.int32()),
        "text": _substrings("\n".join(texts), sent_begin + shift, sent_end + shift),
        "lang": segments["lang"].take(taken),
        "part": segments["part"].take(taken),
        "role": role,
    }
    return pa.Table.from_pydict(arrays, schema=SENTENCES)


def batch(ctx: Context, tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    num_threads = threads(ctx.threads or ctx.config.tokenize.threads)
    return tokenize_batch(tables["segments"], num_threads)


def warm(ctx: Context) -> None:
    """Load the Kiwi that `batch` will use in this process, spaCy's tokenizer and the lemmas."""
    kiwi(threads(ctx.threads or ctx.config.tokenize.threads)).tokenize("준비")
    english()("ready")
    english_lemma("ready")
