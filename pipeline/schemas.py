"""One explicit pyarrow schema per dataset: every write is checked against these.

The README's column tables are tested against this module (tests/test_schemas.py).
"""

from __future__ import annotations

import hashlib

import pyarrow as pa

LANGS = ("ko", "en", "mixed", "und")
_RECORD = "position of the record in its file (0-based); null when the file is one document"
PARTS = ("header", "body", "footer", "promo", "artefact")


def _schema(*fields: tuple[str, pa.DataType, bool, str]) -> pa.Schema:
    return pa.schema(
        [
            pa.field(name, typ, nullable, metadata={"doc": doc})
            for name, typ, nullable, doc in fields
        ]
    )


DOCUMENTS = _schema(
    ("doc_id", pa.string(), False, "stable id: first 16 hex digits of the SHA-256 of the text"),
    ("source_path", pa.string(), False, "path of the raw file, relative to --raw, with /"),
    ("record", pa.int32(), True, _RECORD),
    ("text", pa.large_string(), False, "the decoded text: NFC, LF line ends, no zero-width"),
    ("encoding", pa.string(), False, "the encoding the raw bytes were read in"),
    (
        "published_date",
        pa.date32(),
        True,
        "the scraper header's `date YYYY-MM-DD`, or the record's date",
    ),
    (
        "title",
        pa.string(),
        True,
        "what the scraper header has after the date, as it is, or the record's title",
    ),
    (
        "header_end",
        pa.int32(),
        False,
        "offset where the text after the scraper header starts (0 for a record)",
    ),
    ("url", pa.string(), True, "the record's URL; null for a .txt file"),
    ("outlet", pa.string(), True, "the outlet the record names, as it names it"),
)

QUARANTINE = _schema(
    ("source_path", pa.string(), False, "path of the raw file, relative to --raw"),
    ("record", pa.int32(), True, "the record that went to quarantine; null for a whole file"),
    (
        "reason",
        pa.string(),
        False,
        "empty, binary, undecodable, too_large, unreadable, duplicate; for records also "
        "no_text, bad_date, bad_json, bad_csv, bad_html, bad_warc, truncated",
    ),
    ("detail", pa.string(), False, "what was found, in one line"),
)

SEGMENTS = _schema(
    ("doc_id", pa.string(), False, "the document"),
    ("seg_id", pa.int32(), False, "0, 1, 2 … in text order"),
    ("start", pa.int32(), False, "offset of the first character in the document text"),
    ("end", pa.int32(), False, "offset after the last character"),
    ("line", pa.int32(), False, "line number (0-based) in the document text"),
    ("para", pa.int32(), False, "paragraph number (0-based): blank lines separate paragraphs"),
    ("text", pa.string(), False, "the segment: a line, or part of a line where a footer runs in"),
    ("lang", pa.string(), False, "ko, en, mixed or und"),
    ("part", pa.string(), False, "header, body, footer, promo (outside the footer), artefact"),
    (
        "role",
        pa.string(),
        True,
        "in the body: anchor, report, quote, interview, signoff, byline, credit, caption, marker "
        "or text (pipeline/roles); null outside the body",
    ),
    ("promo", pa.bool_(), False, "true when strip removed all or part of this segment"),
    ("rule_id", pa.string(), True, "the rule that matched it, null for body"),
    (
        "score",
        pa.float32(),
        True,
        "the detector's probability that it is promotion; null otherwise",
    ),
)

TOKENS = _schema(
    ("doc_id", pa.string(), False, "the document"),
    ("seg_id", pa.int32(), False, "the segment"),
    ("tok_id", pa.int32(), False, "0, 1, 2 … within the segment"),
    ("form", pa.string(), False, "surface form (Kiwi: the morpheme)"),
    ("tag", pa.string(), False, "Kiwi's Sejong tag for Korean; a coarse class for English"),
    ("lemma", pa.string(), True, "dictionary form where there is one"),
    ("start", pa.int32(), False, "offset in the segment text"),
    ("end", pa.int32(), False, "offset after the token in the segment text"),
    ("lang", pa.string(), False, "the segment's language"),
    ("part", pa.string(), False, "the segment's part: body, footer, …"),
)

SENTENCES = _schema(
    ("doc_id", pa.string(), False, "the document"),
    ("seg_id", pa.int32(), False, "the segment"),
    ("sent_id", pa.int32(), False, "0, 1, 2 … within the segment"),
    ("start", pa.int32(), False, "offset of the sentence's first token in the segment text"),
    ("end", pa.int32(), False, "offset after its last token in the segment text"),
    (
        "text",
        pa.string(),
        False,
        "the segment text from start to end: Kiwi's sentence for Korean and mixed, spaCy's "
        "sentencizer for English; a sentence never runs past its segment",
    ),
    ("lang", pa.string(), False, "the segment's language"),
    ("part", pa.string(), False, "the segment's part: body, footer, …"),
    ("role", pa.string(), True, "the segment's role in the script; null outside the body"),
)

REMOVED = _schema(
    ("doc_id", pa.string(), False, "the document"),
    ("seg_id", pa.int32(), False, "the segment the span lies in"),
    ("start", pa.int32(), False, "offset of the span in the document text"),
    ("end", pa.int32(), False, "offset after the span"),
    ("text", pa.string(), False, "the removed text"),
    ("rule_id", pa.string(), False, "the rule that removed it (detector_… for the detector)"),
    ("kind", pa.string(), False, "tipline, subscribe, copyright, link, channel, app, artefact"),
    (
        "score",
        pa.float32(),
        True,
        "the detector's probability that it is promotion; null for packs",
    ),
)

ARTICLES = _schema(
    ("doc_id", pa.string(), False, "stable id from the content"),
    ("source_path", pa.string(), False, "path of the raw file, relative to --raw"),
    ("record", pa.int32(), True, _RECORD),
    (
        "broadcaster",
        pa.string(),
        True,
        "the record's outlet (by its pack's name when a pack knows it), else from the footer, "
        "sign-off or path; null when unknown",
    ),
    ("published_date", pa.date32(), True, "from the scraper header or the record"),
    ("title", pa.string(), True, "from the scraper header or the record"),
    ("url", pa.string(), True, "the record's URL; null for a .txt file"),
    ("lang", pa.string(), False, "language of the body: ko, en, mixed or und"),
    (
        "body",
        pa.large_string(),
        False,
        "the clean text, paragraphs in order, separated by a blank line",
    ),
    ("n_chars", pa.int32(), False, "characters in body"),
    ("n_lines", pa.int32(), False, "non-empty lines in body"),
    ("n_tokens", pa.int32(), False, "tokens of the body"),
    ("n_removed", pa.int32(), False, "spans removed by strip"),
    (
        "reporters",
        pa.list_(pa.string()),
        False,
        "names from the sign-off and bylines, each once, in order",
    ),
    (
        "credits",
        pa.map_(pa.string(), pa.list_(pa.string())),
        False,
        "credit as written (촬영기자, 영상편집, 그래픽, 사진 …) -> names, in order",
    ),
    (
        "cluster_id",
        pa.string(),
        True,
        "the doc_id of the representative of its copies (see `duplicates`); its own doc_id "
        "when it has none; null when dedup did not run (turned off, or the in-memory API)",
    ),
)

QUOTES = _schema(
    ("doc_id", pa.string(), False, "the document"),
    ("seg_id", pa.int32(), False, "the first segment of the quote"),
    ("start", pa.int32(), False, "offset of the first quoted character in the document text"),
    ("end", pa.int32(), False, "offset after the last quoted character"),
    ("speaker", pa.string(), True, "who is quoted, as written; null when not named"),
    ("affiliation", pa.string(), True, "the speaker's title and organisation, as written"),
    ("speaker_kind", pa.string(), False, "person, organisation or unknown"),
    ("text", pa.string(), False, "the quoted words; the lines of a quote joined by a space"),
    ("lang", pa.string(), False, "the language of its first segment"),
    ("form", pa.string(), False, 'block ([speaker/title : "…"]) or inline (reported speech)'),
)

SHINGLES = _schema(
    ("doc_id", pa.string(), False, "a document with a clean body (one without has no row)"),
    ("published_date", pa.date32(), True, "its published_date (documents)"),
    (
        "body",
        pa.large_string(),
        False,
        "its clean body as dedup compares it: NFC, quote styles folded (dedup/text.py fold)",
    ),
    ("exact", pa.binary(16), False, "the hash exact copies share (dedup/text.py exact_key)"),
    ("chunks", pa.int32(), False, "its chunks: runs of sentences, one MinHash each"),
    (
        "band_keys",
        pa.large_list(pa.uint64()),
        False,
        "each chunk's LSH band keys, chunk after chunk ([dedup] bands per chunk)",
    ),
    ("grams", pa.large_list(pa.uint32()), False, "its shingles' hashes, sorted, unique"),
    (
        "narrated",
        pa.large_list(pa.bool_()),
        False,
        "per gram: whether it occurs outside quotation marks (the narration)",
    ),
)

SIGNALS = _schema(
    ("doc_id", pa.string(), False, "an article whose clean body is English or Korean"),
    ("lang", pa.string(), False, "its language, en or ko (as `articles.lang`)"),
    ("published_date", pa.date32(), True, "its published_date (documents)"),
    (
        "seg_ids",
        pa.list_(pa.int32()),
        False,
        "per clean body line (as `articles.body` has them, blank ones left out): the seg_id of "
        "its first segment strip kept",
    ),
    (
        "reporters",
        pa.list_(pa.string()),
        False,
        "the reporters of its sign-off and bylines, as name keys (pair/names.py)",
    ),
    (
        "kinds",
        pa.list_(pa.string()),
        False,
        "per unit (a body line; a Korean line that runs a whole report together gives one per "
        "sentence, part marker and quote block): anchor, report, marker, quote, text or foreign",
    ),
    ("lines", pa.list_(pa.int32()), False, "per unit: the body line it is (0-based)"),
    ("sizes", pa.list_(pa.int32()), False, "per unit: its letters"),
    (
        "signals",
        pa.list_(pa.list_(pa.string())),
        False,
        'per unit: the numbers, names and name-like words it carries ("n:12000", "p:…", '
        '"w:…"), sorted',
    ),
    (
        "speakers",
        pa.list_(pa.list_(pa.string())),
        False,
        "per unit: the name keys of a quote block's speaker",
    ),
)

DUPLICATES = _schema(
    ("doc_id", pa.string(), False, "a document with at least one copy, or a copy"),
    (
        "cluster_id",
        pa.string(),
        False,
        "the doc_id of the cluster's representative: its earliest published_date, then its "
        "smallest doc_id (undated last)",
    ),
    (
        "relation",
        pa.string(),
        True,
        "to the representative: exact (same normalised body), near (mostly the same text) or "
        "contained (a preview or excerpt of it); null for the representative",
    ),
    (
        "similarity",
        pa.float64(),
        False,
        "shingle Jaccard (exact, near) or containment (contained) with the representative; "
        "1 for the representative",
    ),
    ("representative", pa.bool_(), False, "true for the cluster's representative"),
)

PAIRS = _schema(
    ("en_doc_id", pa.string(), False, "an English article (every one gets a row)"),
    (
        "ko_doc_id",
        pa.string(),
        True,
        "its Korean original: the representative of the original's copies; null when none "
        "was found",
    ),
    (
        "score",
        pa.float64(),
        True,
        "the evidence the aligned lines share (signals weighted, the reporter's sign-off "
        "counted); null with no link",
    ),
    (
        "evidence",
        pa.list_(pa.string()),
        False,
        'the signals that matched, with counts: "numbers 5", "names 2", "speakers 1", '
        '"words 3", "reporter", "lines 9"; empty with no link',
    ),
    (
        "cluster_id",
        pa.string(),
        True,
        "the original's cluster of copies (its articles.cluster_id: join `duplicates` on it for "
        "the copies); null with no link or when dedup is off",
    ),
)

ALIGNMENTS = _schema(
    ("en_doc_id", pa.string(), False, "a linked English article"),
    ("en_seg_id", pa.int32(), False, "its body line (the line's first segment kept by strip)"),
    ("ko_doc_id", pa.string(), False, "its Korean original"),
    (
        "ko_seg_id",
        pa.int32(),
        False,
        "the Korean line it translates (one Korean line may serve several English lines)",
    ),
    (
        "score",
        pa.float64(),
        False,
        "what the link adds to the alignment: the signals shared, the lines' kinds and lengths",
    ),
)

DATASETS: dict[str, pa.Schema] = {
    "documents": DOCUMENTS,
    "quarantine": QUARANTINE,
    "segments": SEGMENTS,
    "final_segments": SEGMENTS,
    "tokens": TOKENS,
    "sentences": SENTENCES,
    "removed": REMOVED,
    "articles": ARTICLES,
    "quotes": QUOTES,
    "shingles": SHINGLES,
    "signals": SIGNALS,
    "duplicates": DUPLICATES,
    "pairs": PAIRS,
    "alignments": ALIGNMENTS,
}

# What users load, and the work dataset each is published from.
PUBLISHED = {
    "articles": "articles",
    "segments": "final_segments",
    "tokens": "tokens",
    "sentences": "sentences",
    "removed": "removed",
    "quotes": "quotes",
    "duplicates": "duplicates",
    "pairs": "pairs",
    "alignments": "alignments",
    "quarantine": "quarantine",
}
SCHEMA_DIGEST = hashlib.sha256(
    "".join(f"{n}:{s.to_string(show_field_metadata=False)}" for n, s in DATASETS.items()).encode()
).hexdigest()[:16]


def markdown_table(name: str) -> str:
    """The README's table of a dataset's columns, made from its schema."""
    rows = ["| column | type | null | meaning |", "| --- | --- | --- | --- |"]
    for f in DATASETS[name]:
        doc = (f.metadata or {}).get(b"doc", b"").decode()
        rows.append(f"| `{f.name}` | {f.type} | {'yes' if f.nullable else 'no'} | {doc} |")
    return "\n".join(rows)


if __name__ == "__main__":  # python -m pipeline.schemas: print the README's tables
    for _name in DATASETS:
        if _name == "final_segments":
            continue
        print(f"### `{_name}`\n\n{markdown_table(_name)}\n")
