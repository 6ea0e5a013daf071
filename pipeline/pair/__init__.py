"""Link English reports to their Korean originals, line by line, from the evidence news carries
in both languages (no model): dates, numbers, romanised names, quote speakers, line order.

    book = load_roles()
    doc = read_doc(doc_id, body_lines, lang, published_date, book)   # signals.py
    index = PairIndex(korean_docs)                                    # link.py
    pair = link(english_doc, index)      # .ko_doc_id (or None), .best.score, .best.evidence
    pair.best.alignment.line_links       # (en line, ko line, score), body-line indexes

The `signal` batch stage reads every English and Korean article as read_doc does, in the
workers (signals.layout per document, then batch.py's mixed_signal_lists for the lines of the
whole batch at once; table.py stores the documents as rows and reads them back); the corpus-level
`pair` stage links them (pipeline/stages/pair.py); `newspipe eval-pairs DIR` scores them
against a labelled folder (evaluate.py).
"""

from pipeline.pair.align import Alignment, Link, align
from pipeline.pair.link import Pair, PairIndex, Params, Scored, accepted, link, link_all
from pipeline.pair.signals import Doc, Line, line_signals, read_doc

__all__ = [
    "Alignment",
    "Doc",
    "Line",
    "Link",
    "Pair",
    "PairIndex",
    "Params",
    "Scored",
    "accepted",
    "align",
    "line_signals",
    "link",
    "link_all",
    "read_doc",
]
