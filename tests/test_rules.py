"""Every shipped rule is checked against its example and its keep-example; bad packs are named."""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import ConfigError
from pipeline.rules import RuleSet, load_rules
from pipeline.rules.check import check_backtracking, check_examples
from pipeline.stages.tokenize import morphemes


def test_every_rule_removes_its_example_and_keeps_its_keep_example(
    rules: RuleSet, kiwi: Any
) -> None:
    assert check_examples(rules, functools.partial(morphemes, num_threads=2)) == []


def test_no_shipped_pattern_runs_away_on_adversarial_input(rules: RuleSet) -> None:
    # A generous budget: this looks for backtracking that never ends, not for speed.
    assert check_backtracking(rules, budget=10.0) == []


def test_a_runaway_pattern_is_named(rules: RuleSet) -> None:
    pack = next(p for p in rules.packs if p.id == "kbs")
    good = next(r for r in pack.rules if r.id == "kbs_tipline_phone_v1")
    bad = replace(good, id="bad_nested_v1", pattern=re.compile(r"(?:a+)+$"), example="aaab")
    broken = replace(rules, packs=(replace(pack, rules=(bad, good)),))
    problems = check_backtracking(broken, budget=0.5)
    assert [p.rule_id for p in problems] == ["bad_nested_v1"]
    assert "catastrophic backtracking" in str(problems[0])


def test_an_example_not_removed_and_a_keep_example_touched_are_named(rules: RuleSet) -> None:
    pack = next(p for p in rules.packs if p.id == "kbs")
    rule = pack.rules[0]
    wrong = replace(rule, id="kbs_wrong_v1", example="전혀 다른 문장입니다.")
    greedy = replace(
        rule,
        id="kbs_greedy_v1",
        pattern=re.compile(r"[^\n]+"),
        alone=True,
        keep="평범한 본문입니다.",
    )
    broken = replace(
        rules,
        packs=tuple(replace(p, rules=(wrong, greedy)) if p is pack else p for p in rules.packs),
    )
    messages = [str(p) for p in check_examples(broken)]
    assert any("'kbs_wrong_v1': does not match its example" in m for m in messages)
    assert any(
        "'kbs_greedy_v1': keep-example loses '평범한 본문입니다.' to kbs_greedy_v1" in m
        for m in messages
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '[channel]\nname = "X"\n[[rule]]\nid = "Bad Id"\nkind = "tipline"\npattern = "x"\nexample = "x"\nkeep = "y"\n',
            "rule 'Bad Id': id must look like kbs_tipline_v1",
        ),
        (
            '[channel]\nname = "X"\n[[rule]]\nid = "x_a_v1"\nkind = "spam"\npattern = "x"\nexample = "x"\nkeep = "y"\n',
            "rule 'x_a_v1': kind must be one of",
        ),
        (
            '[channel]\nname = "X"\n[[rule]]\nid = "x_a_v1"\nkind = "tipline"\npattern = "x"\nexample = "x"\n',
            "rule 'x_a_v1': needs a non-empty keep",
        ),
        ('[[rule]]\nid = "x_a_v1"\n', "needs a [channel] table with a name"),
    ],
)
def test_a_bad_pack_is_an_error_naming_file_and_rule(
    tmp_path: Path, body: str, message: str
) -> None:
    (tmp_path / "x.toml").write_text(body)
    with pytest.raises(ConfigError) as caught:
        load_rules(tmp_path)
    assert str(caught.value).startswith(f"{tmp_path / 'x.toml'}: ")
    assert message in str(caught.value)


def test_rules_check_command(run_cli) -> None:
    code, out, err = run_cli("rules", "check", "--budget", "10")
    assert code == 0, err
    assert re.match(r"\d+ packs, \d+ rules: every pattern compiles", out)
