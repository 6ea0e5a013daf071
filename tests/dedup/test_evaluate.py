"""`newspipe eval-dedup DIR` cleans, clusters and scores a labelled folder of copies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.dedup.evaluate import adjusted_rand, evaluate, format_scores
from tests.conftest import SHARED
from tests.dedup import texts as t

KBS_FOOTER = "■ 제보하기\n▷ 전화 : 02-781-1234, 4444\n▷ 이메일 : kbs1234@kbs.co.kr"


@pytest.fixture
def gold(tmp_path: Path) -> Path:
    """Copies in wrappers the cleaning removes, and hard negatives, labelled."""
    folder = tmp_path / "gold"
    (folder / "docs").mkdir(parents=True)
    texts = {
        "kbs_bus_1": f"date 2025-03-04 심야 자율주행 버스 세 노선 늘린다\n{t.ORIGINAL}\n\n{KBS_FOOTER}",
        "portal_bus_2": t.PORTAL_COPY,
        "preview_bus_3": t.PREVIEW,
        "other_bus_1": t.RETOLD,
        "flash_bus_1": t.FLASH,
        "market_mon_1": t.MARKET_MONDAY,
        "market_tue_1": t.MARKET_TUESDAY,
    }
    for name, text in texts.items():
        (folder / "docs" / f"{name}.txt").write_text(text)
    clusters = [
        {
            "cluster": "bus",
            "docs": ["kbs_bus_1", "portal_bus_2", "preview_bus_3"],
            "relation": "near",
        },
        *(
            {"cluster": d, "docs": [d], "relation": "exact"}
            for d in texts
            if "_1" in d and "kbs" not in d
        ),
    ]
    negatives = [
        {"a": "kbs_bus_1", "b": "other_bus_1"},
        {"a": "kbs_bus_1", "b": "flash_bus_1"},
        {"a": "market_mon_1", "b": "market_tue_1"},
    ]
    for name, rows in (("clusters", clusters), ("hard_negatives", negatives)):
        lines = (json.dumps(r, ensure_ascii=False) for r in rows)
        (folder / f"{name}.jsonl").write_text("\n".join(lines))
    return folder


def test_the_scores_of_a_labelled_folder(run_cli, gold: Path) -> None:
    scores = evaluate(gold)
    assert (scores.docs, scores.gold_pairs, scores.true_pairs) == (7, 3, 3)
    assert scores.precision == scores.recall == scores.ari == 1.0
    assert scores.hard_negatives == 3 and scores.hard_negatives_merged == 0
    assert scores.per_relation == {"near": (3, 3)} and scores.misses == []
    text = format_scores(scores)
    assert "pair precision         1.000  (3 of 3 predicted pairs)" in text
    assert "hard negatives merged  0 of 3" in text


def test_details_list_every_miss(run_cli, gold: Path) -> None:
    clusters = gold / "clusters.jsonl"
    rows = [json.loads(line) for line in clusters.read_text().splitlines()]
    rows[0]["docs"].append("other_bus_1")
    rows = [r for r in rows if r["docs"] != ["other_bus_1"]]
    clusters.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    code, out, _ = run_cli("eval-dedup", gold, "--details")
    assert code == 0
    assert "missed  kbs_bus_1 ~ other_bus_1 (near; jaccard" in out
    assert "pair recall            0.500  (3 of 6 gold pairs)" in out


def test_a_missing_folder_is_one_line(run_cli, tmp_path: Path) -> None:
    code, out, err = run_cli("eval-dedup", tmp_path / "nowhere")
    assert code == 2 and out == ""
    assert err == f"Error: gold folder {tmp_path / 'nowhere'} not found\n"


def test_a_folder_without_labels_is_one_line(run_cli, tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("본문입니다.")
    code, _, err = run_cli("eval-dedup", tmp_path)
    assert code == 2 and err.startswith(f"Error: {tmp_path / 'clusters.jsonl'} not found")


def test_the_command_needs_a_folder(run_cli) -> None:
    with pytest.raises(SystemExit) as exc:
        run_cli("eval-dedup")
    assert exc.value.code == 2


def test_adjusted_rand_index_by_its_formula() -> None:
    labels = dict(zip("abcd", "xxyy", strict=True))
    assert adjusted_rand(labels, labels) == 1.0
    split = dict(zip("abcd", "pprs", strict=True))
    assert adjusted_rand(labels, split) == pytest.approx(4 / 7)  # sklearn: 0.5714285714285715
    apart = dict(zip("abcd", "pqrs", strict=True))
    assert adjusted_rand(labels, apart) == pytest.approx(0.0)


@pytest.mark.skipif(not (SHARED / "dedup").is_dir(), reason="../shared/dedup is absent")
def test_the_targets_on_the_shared_gold_set(run_cli) -> None:
    scores = evaluate(SHARED / "dedup")
    assert scores.precision >= 0.98 and scores.recall >= 0.95, format_scores(scores)
    assert scores.hard_negatives_merged == 0, scores.misses
