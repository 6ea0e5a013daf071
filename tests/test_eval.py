"""`newspipe eval` scores like ../shared/tools/score_corpus.py, overall and per broadcaster."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, SHARED, needs_shared, score_corpus

GOLDEN = FIXTURES / "golden"


@pytest.fixture
def gold_folder(tmp_path: Path) -> Path:
    """The golden fixtures with gold labels: one promotion line deliberately not removable."""
    folder = tmp_path / "gold"
    folder.mkdir()
    labels = {
        "ko_body_footer": ("KBS", "ko", ["■ 제보하기", "▷ 전화 : 02-781-1234, 4444"]),
        "no_footer": ("unknown", "ko", []),
        "en_body_ko_footer": ("KBS", "en", ["■ 제보하기", "기상청은 내일 아침"]),
    }
    for stem, (broadcaster, lang, promos) in labels.items():
        (folder / f"{stem}.txt").write_text((GOLDEN / f"{stem}.txt").read_text())
        gold = {"broadcaster": broadcaster, "body_language": lang, "promo_lines": promos}
        (folder / f"{stem}.gold.json").write_text(json.dumps(gold, ensure_ascii=False))
    return folder


def test_eval_prints_a_table_per_broadcaster(run_cli, gold_folder: Path) -> None:
    code, out, _ = run_cli("eval", gold_folder)
    assert code == 0
    kbs = next(line for line in out.splitlines() if line.startswith("KBS"))
    assert re.search(r"KBS\s+2\s+1\.000\s+\(4/4\)", kbs)
    overall = out.splitlines()[-1]
    assert overall.startswith("all") and "(3/3)" in overall  # languages, and both dates
    assert re.search(r"1\.000\s+\(4/4\)", overall)


def test_min_flags_set_the_exit_status_and_details_list_misses(
    run_cli, tmp_path: Path, gold_folder: Path
) -> None:
    gold = json.loads((gold_folder / "no_footer.gold.json").read_text())
    gold["promo_lines"] = [
        "수도관 동파에 대비해 달라고 당부했습니다."
    ]  # a body line labelled promotion
    (gold_folder / "no_footer.gold.json").write_text(json.dumps(gold, ensure_ascii=False))
    code, out, _ = run_cli("eval", gold_folder, "--details", "--min-promo-recall", "0.9")
    assert code == 1
    assert "no_footer.txt: promotion kept: 수도관 동파에 대비해 달라고 당부했습니다." in out
    assert run_cli("eval", gold_folder, "--min-promo-recall", "0.7")[0] == 0


def test_eval_of_a_folder_without_gold(run_cli, tmp_path: Path) -> None:
    code, _, err = run_cli("eval", tmp_path)
    assert code == 2
    assert err.strip() == f"Error: no <id>.txt with <id>.gold.json in {tmp_path}"


@needs_shared
def test_eval_and_the_scorer_agree_on_the_real_corpus(run_cli) -> None:
    code, out, _ = run_cli("eval", SHARED / "corpus")
    assert code == 0
    ours = re.findall(r"\((\d+/\d+)\)", out.splitlines()[-1])
    done = score_corpus()
    theirs = re.findall(r"\((\d+/\d+)\)", done.stdout.splitlines()[-1])
    assert ours == theirs[:4]


def test_eval_with_the_generic_pack_alone(run_cli, gold_folder: Path) -> None:
    # The KBS footer of the fixtures goes without the KBS pack: the detector carries it.
    code, out, _ = run_cli("eval", gold_folder, "--packs", "generic")
    assert code == 0
    assert re.search(r"1\.000\s+\(4/4\)", out.splitlines()[-1])
    code, out, _ = run_cli("eval", gold_folder, "--packs", "generic", "--no-detector")
    assert code == 0
    assert not re.search(r"1\.000\s+\(4/4\)", out.splitlines()[-1])


def test_leave_one_out_switches_each_broadcasters_pack_off(run_cli, gold_folder: Path) -> None:
    code, out, _ = run_cli("eval", gold_folder, "--leave-one-out")
    assert code == 0
    rows = out.splitlines()
    assert any(r.startswith("KBS (without kbs)") for r in rows)
    assert any(r.startswith("unknown (no pack)") for r in rows)
    assert rows[-1].startswith("all")
    code, _, err = run_cli("eval", gold_folder, "--leave-one-out", "--packs", "generic")
    assert code == 2
    assert err.strip() == "Error: --leave-one-out chooses the packs itself: give it without --packs"


def test_eval_of_the_wild_fixtures_with_no_broadcaster_pack(run_cli) -> None:
    # Sixty documents of outlets without a pack, written for the project (tests/fixtures/wild).
    code, out, _ = run_cli(
        "eval", FIXTURES / "wild", "--packs", "generic",
        "--min-promo-recall", "0.95", "--min-body-retention", "0.995",
    )  # fmt: skip
    assert code == 0, out
