"""The benchmark's generator: deterministic, prefix-stable, and its unrelated reports unrelated."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

from benchmarks.generate import KO_SHAPES, Composer, _compile, generate, is_generated
from pipeline.dedup.text import shingle
from pipeline.dedup.verify import overlap


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.txt"))}


def test_same_seed_same_files_and_a_smaller_corpus_is_a_prefix(tmp_path: Path) -> None:
    generate(tmp_path / "a", 40)
    generate(tmp_path / "b", 40)
    generate(tmp_path / "c", 80)
    a, b, c = (_files(tmp_path / x) for x in "abc")
    assert a == b
    documents = {name: data for name, data in a.items() if not name.startswith("pair")}
    assert len(documents) == 40
    assert all(c[name] == data for name, data in documents.items())
    assert is_generated(tmp_path / "a", 40, 0) and not is_generated(tmp_path / "a", 80, 0)


def test_documents_keep_the_benchmarked_shapes() -> None:
    composer = Composer(random.Random(3))
    texts = [composer.document()[1] for _ in range(300)]
    sizes = [len(t.encode()) for t in texts]
    assert min(sizes) > 1300 and max(sizes) < 3300
    joined = "\n".join(texts)
    for shape in ("date 20", "[앵커]", "◀ Anchor ▶", "■ 제보하기", "연합뉴스", '"]', "입니다."):
        assert shape in joined, shape


def test_every_field_of_every_shape_can_be_drawn() -> None:
    composer = Composer(random.Random(1))
    for english in (False, True):
        for _ in range(60):  # each pass of the deck draws every shape once
            text = composer.en_sentence() if english else composer.ko_sentence()
            assert "{" not in text and "}" not in text and "|" not in text
    assert all(_compile(shape) for shape in KO_SHAPES)


def test_unrelated_reports_share_little_text() -> None:
    """Unrelated reports are as unlike as real ones (benchmarks/README.md): version 2's shared
    whole sentences, a median containment of 0.11 and a 99th percentile of 0.46."""
    composer = Composer(random.Random(11))
    shingled = [shingle(composer.document()[1]) for _ in range(150)]
    scores = sorted(
        overlap(a.grams, b.grams) / min(len(a.grams), len(b.grams))
        for a, b in itertools.combinations(shingled, 2)
    )
    assert scores[len(scores) // 2] < 0.05
    assert scores[int(len(scores) * 0.99)] < 0.3
