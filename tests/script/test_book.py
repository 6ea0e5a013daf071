"""Role rules are data: checked like the packs, extended from a project's packs folder."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.errors import ConfigError
from pipeline.rules import load_rules
from pipeline.rules.check import check_roles
from pipeline.script import RoleRule, load_roles, roles
from pipeline.script.book import Matcher

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


def _rule_by_rule(rules: tuple[RoleRule, ...], text: str) -> tuple[RoleRule, int] | None:
    """The reference: each rule's own pattern, in file order."""
    for rule in rules:
        m = rule.pattern.match(text)
        if m is not None:
            return rule, m.end()
    return None


_BOOK = load_roles()
# Lines that start as rules do, and as they nearly do: every rule's example and keep-example, and
# what they become with words before and after them.
_SHAPES = [text for rule in _BOOK.rules for text in (rule.example, rule.keep)]


@settings(max_examples=400, deadline=None)
@given(
    line=st.builds(
        lambda before, shape, after: before + shape + after,
        st.sampled_from(["", " ", "[", "◀ ", "지금까지 ", "KBS ", "By "]),
        st.sampled_from(_SHAPES),
        st.sampled_from(["", "입니다.", " 기자", ".", ": 말했습니다", "]", " ▶"]),
    ),
    lang=st.sampled_from(["ko", "en", "mixed", "und", "xx"]),
    outlet=st.sampled_from([None, "MBC", "mbc", "KBS"]),
)
def test_one_match_of_all_rules_finds_the_rule_and_end_that_rule_by_rule_finds(
    line: str, lang: str, outlet: str | None
) -> None:
    matcher = _BOOK.matcher(lang, outlet)
    assert (matcher.combined is not None) == bool(matcher.rules)  # none refer to their groups
    assert matcher.match(line) == _rule_by_rule(matcher.rules, line)


def test_the_rules_a_line_may_match_are_its_languages_and_its_outlets() -> None:
    mbc = {r.id for r in _BOOK.rules if r.outlet == "MBC"}
    assert mbc and mbc <= {r.id for r in _BOOK.matcher("ko", None).rules}
    assert mbc <= {r.id for r in _BOOK.matcher("en", "mbc").rules}
    assert not mbc & {r.id for r in _BOOK.matcher("ko", "KBS").rules}
    assert not {r.id for r in _BOOK.matcher("ko", None).rules if r.lang == "en"}
    assert _BOOK.matcher("xx", None).rules == _BOOK.matcher("mixed", None).rules
    assert {r.id for r in _BOOK.outlets_own.rules} == mbc


def test_patterns_that_must_stand_alone_are_matched_one_by_one() -> None:
    first = _BOOK.rules[0]
    echo = dataclasses.replace(first, id="echo_v1", pattern=re.compile(r"(\w+) \1$"))
    named = dataclasses.replace(first, id="named_v1", pattern=re.compile(r"(?P<w>\d+)-(?P=w)$"))
    matcher = Matcher.of((echo, named))
    assert matcher.combined is None
    assert matcher.match("bye bye") == (echo, 7)
    assert matcher.match("12-12") == (named, 5)
    assert matcher.match("12-13") is None
    flagged = dataclasses.replace(first, id="flagged_v1", pattern=re.compile(r"(?i)obs 리포트"))
    assert Matcher.of((echo, flagged)).combined is None
    assert Matcher.of((flagged, named)).match("[OBS 리포트]") is None
    assert Matcher.of((named, flagged)).match("OBS 리포트 다시") == (flagged, 7)
    assert Matcher.of(()).match("anything") is None


def test_where_two_rules_match_the_first_in_file_order_decides_with_its_own_end() -> None:
    first = _BOOK.rules[0]
    short = dataclasses.replace(first, id="short_v1", pattern=re.compile(r"\[(앵커)\]"))
    long = dataclasses.replace(first, id="long_v1", pattern=re.compile(r"\[앵커\] (?P<name>김)"))
    assert Matcher.of((short, long)).match("[앵커] 김 기자") == (short, 4)
    assert Matcher.of((long, short)).match("[앵커] 김 기자") == (long, 6)
    assert Matcher.of((long, short)).match("[앵커] 이 기자") == (short, 4)


_WORD_PIECES = [
    *(w for key in ("organisation", "unnamed", "anonymous") for w in _BOOK.words[key]),
    "OFFICIAL", "Officials", "officialdom", "the ministry's", "voice  altered", "ſource", "\u212aCNA",
    "ıNSTITUTE", "İnc", "ss", "K", " ", "-", "'", "가", "관계", "Zentrum",
]  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(
    text=st.one_of(
        st.lists(st.sampled_from(_WORD_PIECES), max_size=5).map("".join),
        st.lists(st.sampled_from(_WORD_PIECES), max_size=5).map(" ".join),
        st.text(max_size=20),
    )
)
def test_the_quick_word_test_agrees_with_the_whole_word_pattern(text: str) -> None:
    for words in (_BOOK.unnamed, _BOOK.anonymous, _BOOK._latin_organisation):
        assert words.search(text) == (words.pattern.search(text) is not None), text
