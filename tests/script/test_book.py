"""Role rules are data: checked like the packs, extended from a project's packs folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.rules import load_rules
from pipeline.rules.check import check_roles
from pipeline.script import load_roles, roles

_OWN = """
[roles]
lang = "ko"
outlet = "OBS"

[[rule]]
id = "obs_marker_report_v1"
role = "marker"
governs = "report"
pattern = '''\\[\\s*OBS\\s?리포트\\s*\\]'''
example = "[OBS 리포트]"
keep = "[OBS 리포트 모음] 다시 보기"
"""


def test_every_shipped_role_rule_gives_its_example_its_role_and_not_its_keep() -> None:
    assert check_roles(load_rules()) == []


def test_a_project_adds_role_rules_in_roles_of_its_packs_folder(tmp_path: Path) -> None:
    (tmp_path / "roles").mkdir()
    (tmp_path / "roles" / "obs.toml").write_text(_OWN, encoding="utf-8")
    rules = load_rules(tmp_path)
    assert "obs_marker_report_v1" in [r.id for r in rules.book.rules]
    assert check_roles(rules) == []
    lines = ["[OBS 리포트]", "본문입니다."]
    assert roles(lines, ["ko", "ko"], rules.book, "OBS") == ["marker", "report"]
    assert roles(lines, ["ko", "ko"], load_roles(), "OBS") == ["text", "text"]
    assert rules.digest != load_rules().digest  # so detect runs again


def test_a_rule_whose_keep_example_gets_its_role_is_named(tmp_path: Path) -> None:
    (tmp_path / "roles").mkdir()
    bad = _OWN.replace('keep = "[OBS 리포트 모음] 다시 보기"', 'keep = "[OBS 리포트] 다시 보기"')
    (tmp_path / "roles" / "obs.toml").write_text(bad, encoding="utf-8")
    [problem] = check_roles(load_rules(tmp_path))
    assert "obs_marker_report_v1" in str(problem) and "keep-example" in str(problem)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('role = "marker"', 'role = "speaker"'), "role must be one of"),
        (('governs = "report"', 'governs = "signoff"'), "a marker governs one of"),
        (("pattern = '''", "pattern = '''(("), "pattern does not compile"),
        (('id = "obs_marker_report_v1"', 'id = "OBS report"'), "id must look like"),
    ],
)
def test_a_bad_role_file_is_named_with_its_key(tmp_path: Path, change, message: str) -> None:
    (tmp_path / "roles").mkdir()
    (tmp_path / "roles" / "obs.toml").write_text(_OWN.replace(*change), encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as err:
        load_roles(tmp_path)
    assert "obs.toml" in str(err.value)


@pytest.mark.parametrize("word", ["정태성", "황보민석", "류하진", "모다인", "남궁도현"])
def test_korean_personal_names(word: str) -> None:
    assert load_roles().is_korean_name(word)


@pytest.mark.parametrize(
    "word",
    ["교통정책", "보건", "한결시", "새솔군", "산림청", "국토교통부", "당시", "김", "주민", "위원"],
)
def test_words_that_are_no_korean_personal_name(word: str) -> None:
    assert not load_roles().is_korean_name(word)


@pytest.mark.parametrize(
    "word", ["국토교통부", "산림청", "인사혁신처", "새솔군", "한결대학교", "새솔군의사회"]
)
def test_korean_organisations_by_their_ends(word: str) -> None:
    assert load_roles().is_organisation(word)
