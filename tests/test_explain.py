"""`newspipe explain FILE`: a document line by line, with what decided each line."""

from __future__ import annotations

import json
from pathlib import Path

DOC = (
    "date 2026-03-14 동영상 고정 취소\n"
    "경기도는 다음 달부터 버스 준공영제를 넓힌다고 밝혔습니다.\n"
    "한빛방송 박지훈입니다.\n"
    "※ 여러분의 제보가 세상을 바꿉니다.\n"
    "카카오톡 : @한빛제보\n"
    "<저작권자(c) 한빛방송, 무단 전재-재배포 금지>\n"
)


def _write(tmp_path: Path) -> Path:
    path = tmp_path / "hanbit_2026-03-14.txt"
    path.write_text(DOC, encoding="utf-8")
    return path


def test_explain_shows_every_line_and_what_decided_it(run_cli, tmp_path: Path) -> None:
    code, out, _ = run_cli("explain", _write(tmp_path))
    assert code == 0
    rows = out.splitlines()
    assert rows[0].startswith("hanbit_2026-03-14.txt") and "packs all, detector on" in rows[0]
    text = "\n".join(rows)
    # The pack's removal names its rule and file; the detector's its category, score, evidence.
    assert "← generic_copyright_v1: copyright rule (generic.toml)" in text
    assert "← generic_ui_unpin_v1: artefact rule (generic.toml)" in text
    tip = rows.index(next(r for r in rows if "여러분의 제보가" in r))
    assert "removed" in rows[tip]
    assert rows[tip + 1].strip().startswith("← detector_tipline_v1 0.")
    assert "tip_call+4.0" in rows[tip + 1]
    # Body stays, and furniture says what it is.
    body = rows.index(next(r for r in rows if "준공영제를" in r))
    assert " kept " in rows[body]
    signoff = rows.index(next(r for r in rows if "박지훈입니다" in r))
    assert rows[signoff + 1].strip() == "· signoff, kept"


def test_explain_with_the_detector_off_keeps_what_only_it_finds(run_cli, tmp_path: Path) -> None:
    code, out, _ = run_cli("explain", _write(tmp_path), "--no-detector", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["detector"] is False
    tip = next(ln for ln in result["lines"] if "여러분의 제보가" in ln["text"])
    assert tip["removed"] is False and tip["part"] == "body"
    assert "여러분의 제보가" in result["body"]


def test_explain_json_carries_rule_ids_and_scores(run_cli, tmp_path: Path) -> None:
    code, out, _ = run_cli("explain", _write(tmp_path), "--packs", "generic", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["packs"] == "generic" and result["broadcaster"] is None
    handle = next(ln for ln in result["lines"] if "@한빛제보" in ln["text"])
    assert handle["removed"] and handle["rule_id"] == "detector_link_v1"
    assert 0.5 < handle["score"] <= 1.0 and "labelled_contact" in handle["why"]
    assert "준공영제를" in result["body"] and "@한빛제보" not in result["body"]


def test_explain_errors_are_one_line(run_cli, tmp_path: Path) -> None:
    code, _, err = run_cli("explain", tmp_path / "missing.txt")
    assert code == 2 and err.strip() == f"Error: file {tmp_path / 'missing.txt'} not found"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, _, err = run_cli("explain", empty)
    assert code == 2 and err.strip() == f"Error: {empty}: cannot be read (empty: 0 bytes, no text)"
    code, _, err = run_cli("explain", _write(tmp_path), "--packs", "obs")
    assert code == 2 and err.startswith("Error: unknown pack 'obs'; use all, generic, none or")
