"""Bad input never stops a run: every raw file ends up in articles or in quarantine, with a reason."""

from __future__ import annotations

import codecs
import os
import pathlib
import subprocess
import sys
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT

KOREAN = (
    "시장이 하락했습니다.\n■ 제보하기\n▷ 전화 : 02-781-1234, 4444\n▷ 이메일 : kbs1234@kbs.co.kr\n"
)


def _hostile(raw: Path) -> set[str]:
    """Write the hostile folder; returns the relative paths of every *.txt file in it."""
    files: dict[str, bytes] = {
        "empty.txt": b"",
        "whitespace.txt": b" \n\t\r\n  ",
        "image.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64,
        "nul inside.txt": "본문\x00중간에 NUL\x00이 있습니다.".encode(),
        "invalid utf8.txt": b"abc \x80\x81\xff def",
        "cp949.txt": KOREAN.encode("cp949"),
        "euc-kr.txt": KOREAN.encode("euc-kr") + "추가 문장입니다.".encode("euc-kr"),
        "utf16 le.txt": codecs.BOM_UTF16_LE + ("LE " + KOREAN).encode("utf-16-le"),
        "utf16 be.txt": codecs.BOM_UTF16_BE + ("BE " + KOREAN).encode("utf-16-be"),
        "nfd 한글.txt": unicodedata.normalize("NFD", "맥에서 저장한 기사입니다.\n").encode(),
        "footer only.txt": "■ 제보하기\n▷ 전화 : 02-781-1234, 4444\n▷ 이메일 : kbs1234@kbs.co.kr\n".encode(),
        "뉴스 파일 이름.txt": "이름에 공백과 한글이 있는 파일입니다.\n".encode(),
        "a/b/c/d/e/f/g/h/i/j/deep.txt": "깊은 폴더의 기사입니다.\n".encode(),
    }
    for rel, data in files.items():
        path = raw / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    with open(raw / "one line 50MB.txt", "wb") as f:  # far over ingest.max_bytes
        chunk = ("한 줄짜리 거대한 파일 " * 1000).encode()
        while f.tell() < 50 * 1024 * 1024:
            f.write(chunk)
    os.symlink(raw / "a", raw / "a" / "b" / "loop")  # a symlink loop
    os.symlink(raw / "nowhere.bin", raw / "dangling.txt")  # listed, gone when read
    return set(files) | {"one line 50MB.txt", "dangling.txt"}


def test_a_hostile_folder_runs_to_success(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    expected = _hostile(raw)
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "--raw", str(raw), "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    articles = pd.read_parquet(out / "articles.parquet")
    quarantine = pd.read_parquet(out / "quarantine.parquet")
    assert set(articles.source_path) | set(quarantine.source_path) == expected
    assert not set(articles.source_path) & set(quarantine.source_path)
    reasons = dict(zip(quarantine.source_path, quarantine.reason, strict=True))
    assert reasons == {
        "empty.txt": "empty", "whitespace.txt": "empty", "image.txt": "binary",
        "invalid utf8.txt": "undecodable", "one line 50MB.txt": "too_large",
        "dangling.txt": "unreadable",
    }  # fmt: skip
    bodies = dict(zip(articles.source_path, articles.body, strict=True))
    assert bodies["nul inside.txt"] == "본문중간에 NUL이 있습니다."
    assert bodies["nfd 한글.txt"] == unicodedata.normalize("NFC", "맥에서 저장한 기사입니다.")
    assert bodies["footer only.txt"] == ""
    for name in ("cp949.txt", "euc-kr.txt", "utf16 le.txt", "utf16 be.txt"):
        assert (
            bodies[name].endswith("시장이 하락했습니다.") or "시장이 하락했습니다." in bodies[name]
        )
        assert "제보하기" not in bodies[name]
    assert (
        "quarantined (binary 1, empty 2, too_large 1, undecodable 1, unreadable 1)" in done.stdout
    )


def test_unreadable_and_vanishing_files_are_quarantined(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("secret.txt", "vanishing.txt", "fine.txt"):
        (raw / name).write_text(f"{name} 기사입니다.\n")
    real_read = pathlib.Path.read_bytes

    def read_bytes(self: pathlib.Path) -> bytes:
        if self.name == "secret.txt":  # what a file without read permission does (we are root)
            raise PermissionError(13, "Permission denied")
        if self.name == "vanishing.txt":  # deleted between listing and reading
            self.unlink()
        return real_read(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", read_bytes)
    code, _, err = run_cli("run", "--raw", raw, "--out", tmp_path / "out")
    assert code == 0, err
    quarantine = pd.read_parquet(tmp_path / "out" / "quarantine.parquet")
    assert quarantine.record.isna().all()  # a .txt file is one document: no record number
    assert quarantine.drop(columns="record").to_dict("records") == [
        {"source_path": "secret.txt", "reason": "unreadable", "detail": "Permission denied"},
        {
            "source_path": "vanishing.txt",
            "reason": "unreadable",
            "detail": "the file was gone when it was read",
        },
    ]
    assert list(pd.read_parquet(tmp_path / "out" / "articles.parquet").source_path) == ["fine.txt"]
