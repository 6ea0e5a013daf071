"""The two reference workloads the pipeline is measured against, one per process.

    python benchmarks/workloads.py limit RAW OUT.parquet
    python benchmarks/workloads.py naive RAW OUT.parquet [--max-docs K]

limit: the least any Kiwi-based tokeniser of these files has to do. Read the files (UTF-8),
tokenise them with Kiwi's batch API (all cores, batches of 256 documents) and stream the tokens
(doc, form, tag, start, end) to Parquet in row groups. Nothing else.

naive: the straightforward script. langdetect on every non-empty line, one Kiwi call per
document, each document's tokens concatenated to a growing pandas DataFrame, written at the end.

Each prints one JSON line: documents, tokens, load_seconds (imports and Kiwi's model) and
work_seconds (the rest). bench.py times the whole process and takes its peak RSS from outside.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

BATCH_DOCS = 256


def raw_files(raw: Path, max_docs: int | None = None) -> list[Path]:
    """The corpus's *.txt files in a stable order (ingest's order, for a flat folder)."""
    files = sorted(raw.rglob("*.txt"))
    return files if max_docs is None else files[:max_docs]


def limit(files: list[Path], out: Path) -> dict[str, float]:
    """Batch-tokenise the files with Kiwi on all cores and stream the tokens to Parquet."""
    t0 = time.perf_counter()
    import pyarrow as pa
    import pyarrow.parquet as pq
    from kiwipiepy import Kiwi

    kiwi = Kiwi(num_workers=os.cpu_count() or 1)
    kiwi.tokenize("준비")  # load the model now, not inside the timed work
    schema = pa.schema(
        [
            ("doc", pa.int32()),
            ("form", pa.string()),
            ("tag", pa.string()),
            ("start", pa.int32()),
            ("end", pa.int32()),
        ]
    )
    t1 = time.perf_counter()
    tokens = 0
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        for first in range(0, len(files), BATCH_DOCS):
            texts = [p.read_text(encoding="utf-8") for p in files[first : first + BATCH_DOCS]]
            doc: list[int] = []
            form: list[str] = []
            tag: list[str] = []
            start: list[int] = []
            end: list[int] = []
            for i, toks in enumerate(kiwi.tokenize(texts), start=first):
                for t in toks:
                    doc.append(i)
                    form.append(t.form)
                    tag.append(t.tag)
                    start.append(t.start)
                    end.append(t.start + t.len)
            table = pa.table([doc, form, tag, start, end], schema=schema)
            writer.write_table(table, row_group_size=max(table.num_rows, 1))
            tokens += table.num_rows
    return {
        "documents": len(files),
        "tokens": tokens,
        "load_seconds": t1 - t0,
        "work_seconds": time.perf_counter() - t1,
    }


def naive(files: list[Path], out: Path) -> dict[str, float]:
    """Line-by-line langdetect, one Kiwi call per document, pandas concat per document."""
    t0 = time.perf_counter()
    import pandas as pd
    from kiwipiepy import Kiwi
    from langdetect import detect
    from langdetect.lang_detect_exception import LangDetectException

    kiwi = Kiwi()
    kiwi.tokenize("준비")
    detect("준비 warm-up")  # langdetect loads its profiles on the first call
    t1 = time.perf_counter()
    frame: pd.DataFrame | None = None
    for i, path in enumerate(files):
        text = path.read_text(encoding="utf-8")
        langs: dict[str, int] = {}
        for line in text.splitlines():
            if line.strip():
                try:
                    lang = detect(line)
                except LangDetectException:
                    lang = "und"
                langs[lang] = langs.get(lang, 0) + 1
        doc_lang = max(langs, key=langs.__getitem__) if langs else "und"
        rows = [
            {
                "doc": i,
                "lang": doc_lang,
                "form": t.form,
                "tag": t.tag,
                "start": t.start,
                "end": t.start + t.len,
            }
            for t in kiwi.tokenize(text)
        ]
        doc_frame = pd.DataFrame(rows)
        frame = doc_frame if frame is None else pd.concat([frame, doc_frame], ignore_index=True)
    if frame is not None:
        frame.to_parquet(out)
    return {
        "documents": len(files),
        "tokens": 0 if frame is None else len(frame),
        "load_seconds": t1 - t0,
        "work_seconds": time.perf_counter() - t1,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run one reference workload and report it.")
    parser.add_argument("workload", choices=("limit", "naive"))
    parser.add_argument("raw", type=Path, help="folder of *.txt")
    parser.add_argument("out", type=Path, help="Parquet file to write")
    parser.add_argument("--max-docs", type=int, help="only the first K files")
    args = parser.parse_args(argv)
    files = raw_files(args.raw, args.max_docs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = (limit if args.workload == "limit" else naive)(files, args.out)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
