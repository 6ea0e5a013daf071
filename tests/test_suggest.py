"""`newspipe rules suggest`: a footer no pack knows, repeated at the edges of one outlet's
documents, comes back as a draft pack that `rules check` accepts and that strips it in a run,
while bylines, sign-offs and credits stay."""

from __future__ import annotations

import contextlib
import functools
import io
import re
import shutil
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.config import IngestConfig
from pipeline.rules import RuleSet, load_rules
from pipeline.rules.check import check_backtracking, check_examples
from pipeline.rules.suggest import suggest
from pipeline.rules.template import is_furniture, kind_of, pattern_of, template

PLACES = ["수원", "안산", "평택", "화성", "용인", "오산", "안성", "이천", "여주"]
TOPICS = [
    ("시내버스 노선", "개편", "출퇴근 시간이 10분가량 줄어들 것으로 보입니다"),
    ("전통시장", "주차장 확충", "상인들은 손님이 늘기를 기대하고 있습니다"),
    ("하천 산책로", "정비 공사", "공사는 오는 6월까지 이어집니다"),
    ("공공도서관", "야간 개방", "직장인 이용객이 크게 늘었습니다"),
    ("초등학교 통학로", "안전 점검", "위험 구간 열두 곳이 새로 확인됐습니다"),
    ("지역 축제", "일정 변경", "주최 측은 날씨를 이유로 들었습니다"),
    ("청년 창업센터", "입주 모집", "경쟁률은 지난해의 두 배를 넘었습니다"),
    ("노인 복지관", "급식 지원", "대상자는 모두 3백여 명입니다"),
    ("공원 놀이터", "시설 교체", "낡은 기구 스무 개가 바뀝니다"),
]
REPORTERS = [("홍길동", "gildong"), ("김서연", "seoyeon"), ("박민준", "minjun")]
# At the top of three bodies and inside six: as common inside bodies as at their edges.
TIP_NOTE = "※ 이 기사는 시청자 제보로 취재했습니다."
APP_LINE = "☞ 한빛방송 앱 설치하기 : https://app.hanbit.co.kr/install"  # in two documents only
GANGBYEON_FOOTER = "☞ 강변일보 구독 신청 : 1588-0000"


def hanbit_doc(n: int) -> tuple[str, list[str], list[str]]:
    """(text, lines that must stay, footer lines that must go) of one 한빛방송 document."""
    place, (thing, action, result) = PLACES[n], TOPICS[n]
    name, user = REPORTERS[n % 3]
    news = [
        f"{place}시가 {thing} {action}에 나섰습니다.",
        f"{place}시는 올해 예산 {n + 2}억 원을 들여 {thing} 문제를 손보기로 했습니다.",
        f"시민 {n + 40}명을 대상으로 한 설문에서 찬성 의견이 많았습니다.",
        f"{place} 주민 이모 씨는 {thing} 문제가 오래됐다고 말했습니다.",
        f"시 관계자는 {action} 뒤의 효과를 꼼꼼히 살피겠다고 밝혔습니다.",
        f"{result}.",
        f"{place}시의회도 {thing} 관련 조례를 다음 달 심의합니다.",
        f"인근 도시들도 {place}시의 {action} 결과를 지켜보고 있습니다.",
    ]
    news.insert(0 if n < 3 else 3, TIP_NOTE)
    furniture = [
        f"한빛방송 뉴스 {name}입니다.",
        f"{name} 기자 ({user}@hanbit.co.kr)",
        "촬영기자: 최현우 / 영상편집: 정다은",
    ]
    footer = [
        f"◈ 한빛방송 시청자 의견 : 031-000-{1000 + n % 2}",
        '◈ 의견 메일 : voice@hanbit.co.kr "여러분의 목소리를 기다립니다"',
        "▶ 한빛방송 유튜브 '한빛TV' 바로가기 https://www.youtube.com/@hanbitTV",
        f"▶ 이 기사 다시 보기 : https://news.hanbit.co.kr/view/{20260301 + n}",
    ]
    footer += [APP_LINE] if n < 2 else []
    lines = news + furniture + footer
    text = f"date 2026-03-{n + 1:02d} {place} {thing} {action}\n" + "\n".join(lines) + "\n"
    return text, news + furniture, footer


def gangbyeon_doc(n: int) -> tuple[str, list[str], list[str]]:
    """(text, lines that must stay, footer lines) of one 강변일보 document."""
    place = PLACES[-1 - n]
    body = [
        f"({place}=강변일보) 이하늘 기자 = {place}에서 봄꽃 축제가 열렸다.",
        f"축제에는 {n + 3}만 명이 다녀갔다.",
        "주최 측은 내년에도 행사를 이어가겠다고 밝혔다.",
        f"이하늘 기자 sky{n}@gangbyeon.com",
    ]
    text = f"date 2026-04-{n + 1:02d} {place} 소식\n" + "\n".join([*body, GANGBYEON_FOOTER]) + "\n"
    return text, body, [GANGBYEON_FOOTER]


@dataclass(frozen=True)
class Corpus:
    raw: Path
    keep: dict[str, list[str]]  # source path -> lines that must stay in the body
    footer: dict[str, list[str]]  # source path -> footer lines


@dataclass(frozen=True)
class Drafted:
    corpus: Corpus
    path: Path  # the draft written with -o
    text: str
    stderr: str
    packs: Path  # the shipped packs and the draft
    config: Path  # a pipeline.toml whose strip.channels is `packs`


def cli(*args: Any) -> tuple[int, str, str]:
    """`newspipe ARGS` in this process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def rules_of(text: str) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = tomllib.loads(text)["rule"]
    return rules


def matching(line: str, rules: list[dict[str, Any]]) -> list[str]:
    return [r["id"] for r in rules if re.search(r["pattern"], line)]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    raw = tmp_path_factory.mktemp("raw")
    keep, footer = {}, {}
    docs = [(f"hanbit_{n}.txt", hanbit_doc(n)) for n in range(9)]
    docs += [(f"gangbyeon_{n}.txt", gangbyeon_doc(n)) for n in range(3)]
    for name, (text, body, foot) in docs:
        (raw / name).write_text(text, encoding="utf-8")
        keep[name], footer[name] = body, foot
    (raw / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    return Corpus(raw, keep, footer)


@pytest.fixture(scope="module")
def drafted(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Drafted:
    work = tmp_path_factory.mktemp("draft")
    path = work / "hanbit_suggested.toml"
    code, _, err = cli("rules", "suggest", "--raw", corpus.raw, "-o", path)
    assert code == 0, err
    packs = work / "packs"  # the project's own packs: the draft, beside the built-in ones
    packs.mkdir()
    shutil.copy(path, packs)
    config = work / "pipeline.toml"
    config.write_text('[strip]\nchannels = "packs"\n')
    return Drafted(corpus, path, path.read_text(encoding="utf-8"), err, packs, config)


@pytest.fixture(scope="module")
def run_out(drafted: Drafted, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One run over the corpus with the draft beside the shipped packs."""
    out = tmp_path_factory.mktemp("out")
    code, _, err = cli(
        "run", "--raw", drafted.corpus.raw, "--out", out, "--config", drafted.config, "-q"
    )
    assert code == 0, err
    return out


@pytest.fixture(scope="module")
def articles(run_out: Path) -> pd.DataFrame:
    return pd.read_parquet(run_out / "articles.parquet").set_index("source_path")


# The draft


def test_the_draft_has_a_rule_for_each_footer_line_and_none_for_bylines_signoffs_or_credits(
    drafted: Drafted,
) -> None:
    rules = rules_of(drafted.text)
    for name in (f"hanbit_{n}.txt" for n in range(9)):
        for line in drafted.corpus.footer[name]:
            if line != APP_LINE:
                assert len(matching(line, rules)) == 1, line
        for line in drafted.corpus.keep[name]:
            assert matching(line, rules) == [], line
    assert len(rules) == 4
    assert [r["id"] for r in rules] == [f"hanbit_suggested_{n}_v1" for n in range(1, 5)]


def test_every_rule_removes_a_whole_line_and_says_its_kind(drafted: Drafted) -> None:
    rules = rules_of(drafted.text)
    assert all(r["where"] == "line" and r["alone"] is True for r in rules)
    _, _, footer = hanbit_doc(4)
    kinds = {line: [r["kind"] for r in rules if re.search(r["pattern"], line)] for line in footer}
    assert list(kinds.values()) == [["tipline"], ["tipline"], ["channel"], ["link"]]


def test_examples_and_keeps_are_real_lines_of_the_outlet(drafted: Drafted) -> None:
    hanbit = {
        line
        for part in (drafted.corpus.keep, drafted.corpus.footer)
        for name, lines in part.items()
        if name.startswith("hanbit")
        for line in lines
    }
    for rule in rules_of(drafted.text):
        assert rule["example"] in hanbit and re.search(rule["pattern"], rule["example"])
        assert rule["keep"] in hanbit and not re.search(rule["pattern"], rule["keep"])
        assert rule["keep"] not in {f for fs in drafted.corpus.footer.values() for f in fs}


def test_each_rule_says_its_support_and_the_file_says_it_is_a_draft(drafted: Drafted) -> None:
    assert drafted.text.startswith("# DRAFT rule pack for hanbit")
    assert "# Documents grouped by the e-mail domain of their bylines (9)." in drafted.text
    head = tomllib.loads(drafted.text)["channel"]
    assert head == {"name": "hanbit", "aliases": ["hanbit"]}
    support = "# in the last lines of 9 of 9 documents of hanbit; 0 times inside bodies"
    assert drafted.text.count(support) == 4
    assert "# template: ◈ 한빛방송 시청자 의견 : <N>-<N>-<N>\n" in drafted.text


def test_the_pattern_of_a_line_with_a_quote_is_a_valid_toml_literal(drafted: Drafted) -> None:
    rule = next(r for r in rules_of(drafted.text) if "유튜브" in r["example"])
    assert (
        rule["example"] == "▶ 한빛방송 유튜브 '한빛TV' 바로가기 https://www.youtube.com/@hanbitTV"
    )
    assert r"\x27한빛TV\x27" in rule["pattern"]


def test_a_line_as_common_inside_bodies_as_at_the_edges_is_not_suggested(
    drafted: Drafted,
) -> None:
    assert matching(TIP_NOTE, rules_of(drafted.text)) == []


def test_unreadable_files_are_skipped_with_a_one_line_warning(drafted: Drafted) -> None:
    assert "warning: skipped broken.txt: binary (10 bytes that are not text)\n" in drafted.stderr
    assert "Traceback" not in drafted.stderr


def test_other_outlets_with_suggestions_are_named_on_stderr(drafted: Drafted) -> None:
    assert "also suggestions for: gangbyeon (1); choose with --outlet\n" in drafted.stderr
    assert matching(GANGBYEON_FOOTER, rules_of(drafted.text)) == []


def test_outlet_chooses_whose_draft_is_written(corpus: Corpus) -> None:
    code, out, _ = cli("rules", "suggest", "--raw", corpus.raw, "--outlet", "gangbyeon")
    assert code == 0
    pack = tomllib.loads(out)
    assert pack["channel"]["name"] == "gangbyeon"
    assert [r["example"] for r in pack["rule"]] == [GANGBYEON_FOOTER]
    assert pack["rule"][0]["kind"] == "subscribe"
    assert matching("이하늘 기자 sky0@gangbyeon.com", pack["rule"]) == []


def test_without_output_the_draft_goes_to_stdout(drafted: Drafted) -> None:
    code, out, _ = cli("rules", "suggest", "--raw", drafted.corpus.raw)
    assert code == 0
    assert out == drafted.text


# The draft is checked and used like any pack


def test_rules_check_finds_no_problem_in_the_draft(drafted: Drafted, kiwi: Any) -> None:
    from pipeline.stages.tokenize import morphemes

    rules = load_rules(drafted.packs)
    assert sum(len(p.rules) for p in rules.packs if p.id == "hanbit_suggested") == 4
    assert check_examples(rules, functools.partial(morphemes, num_threads=2)) == []
    assert check_backtracking(rules, budget=10.0) == []


def test_a_run_with_the_draft_strips_every_footer_line_and_keeps_every_body_line(
    drafted: Drafted, articles: pd.DataFrame
) -> None:
    for name in (f"hanbit_{n}.txt" for n in range(9)):
        body = articles.loc[name, "body"]
        for line in drafted.corpus.footer[name]:
            if line != APP_LINE:
                assert line not in body, (name, line)
        for line in drafted.corpus.keep[name]:
            assert line in body, (name, line)
        assert articles.loc[name, "broadcaster"] == "hanbit"


def test_the_draft_leaves_the_other_outlets_documents_alone(
    drafted: Drafted, articles: pd.DataFrame, run_out: Path
) -> None:
    removed = pd.read_parquet(run_out / "removed.parquet")
    for name in (f"gangbyeon_{n}.txt" for n in range(3)):
        body = articles.loc[name, "body"]
        assert all(line in body for line in drafted.corpus.keep[name])
        # The other outlet's footer is the generic detector's to find, never the draft's.
        doc_id = articles.loc[name, "doc_id"]
        rules = set(removed[removed.doc_id == doc_id].rule_id)
        assert rules <= {"detector_subscribe_v1"}
        assert GANGBYEON_FOOTER not in body


# Options and errors


def test_min_docs_is_the_number_of_documents_a_line_must_recur_in(corpus: Corpus) -> None:
    code, out, _ = cli("rules", "suggest", "--raw", corpus.raw, "--min-docs", "2")
    assert code == 0
    rules = rules_of(out)
    assert len(matching(APP_LINE, rules)) == 1
    assert "# in the last lines of 2 of 9 documents of hanbit; 0 times inside bodies" in out
    code, out, _ = cli("rules", "suggest", "--raw", corpus.raw, "--min-docs", "10")
    assert (code, out) == (
        0,
        "nothing to suggest: no line the packs miss recurs at the edges of 10 or more "
        "documents of one outlet (12 documents read)\n",
    )


def test_an_outlet_without_suggestions_is_said_in_one_line(corpus: Corpus) -> None:
    code, out, _ = cli(
        "rules", "suggest", "--raw", corpus.raw, "--min-docs", "4", "--outlet", "gangbyeon"
    )
    assert (code, out) == (
        0,
        "nothing to suggest: no line the packs miss recurs at the edges of 4 or more "
        "documents of outlet 'gangbyeon' (3 of 12 documents)\n",
    )


def test_an_existing_output_is_not_overwritten_without_force(
    corpus: Corpus, tmp_path: Path
) -> None:
    target = tmp_path / "draft.toml"
    target.write_text("# mine\n")
    code, out, err = cli("rules", "suggest", "--raw", corpus.raw, "-o", target)
    assert (code, out, err) == (2, "", f"Error: {target} exists; add --force to overwrite it\n")
    assert target.read_text() == "# mine\n"
    code, out, _ = cli("rules", "suggest", "--raw", corpus.raw, "-o", target, "--force")
    assert code == 0
    assert out == f"wrote {target}: 4 rules for hanbit (9 of 12 documents)\n"
    assert target.read_text(encoding="utf-8").startswith("# DRAFT rule pack for hanbit")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--raw", "{tmp}/nowhere"], "Error: raw folder {tmp}/nowhere not found"),
        (["--raw", "{tmp}", "--min-docs", "1"], "Error: --min-docs must be 2 or more"),
        (
            ["--raw", "{raw}", "--outlet", "KBS"],
            "Error: no outlet 'KBS' among the documents; outlets: gangbyeon, hanbit",
        ),
    ],
)
def test_errors_are_one_line_with_exit_status_2(
    corpus: Corpus, tmp_path: Path, args: list[str], message: str
) -> None:
    args = [a.format(tmp=tmp_path, raw=corpus.raw) for a in args]
    code, out, err = cli("rules", "suggest", *args)
    assert (code, out) == (2, "")
    assert [line for line in err.splitlines() if line.startswith("Error")] == [
        message.format(tmp=tmp_path)
    ]
    assert "Traceback" not in err


def test_rules_check_still_checks_the_shipped_packs() -> None:
    code, out, err = cli("rules", "check")
    assert code == 0, err
    assert "every example is removed, every keep-example stays" in out


# Outlets


@pytest.mark.parametrize(
    ("path", "outlet", "slug", "how"),
    [
        ("한빛_{n}.txt", "한빛", "outlet1", "the first word of their file names"),
        ("2026-03-0{n}_en_hanbit.txt", "hanbit", "hanbit", "the first word of their file names"),
        ("Hanbit/{n}.txt", "hanbit", "hanbit", "their folder"),
    ],
)
def test_without_a_broadcaster_or_bylines_the_path_names_the_outlet(
    tmp_path: Path, rules: RuleSet, path: str, outlet: str, slug: str, how: str
) -> None:
    footer = "▶ 한빛 소식 더 보기 : 카카오톡 채널 '한빛'"
    for n in range(3):
        file = tmp_path / path.format(n=n)
        file.parent.mkdir(exist_ok=True)
        file.write_text(f"{PLACES[n]}에서 행사가 열렸습니다.\n{footer}\n", encoding="utf-8")
    (found,) = suggest(tmp_path, rules, IngestConfig()).outlets
    assert (found.name, found.slug, found.how) == (outlet, slug, f"{how} (3)")
    assert [s.example for s in found.suggestions] == [footer]


def test_a_line_the_packs_remove_already_is_not_suggested_again(
    tmp_path: Path, rules: RuleSet
) -> None:
    for n in range(4):
        (tmp_path / f"kbs_{n}.txt").write_text(
            f"{PLACES[n]}에서 행사가 열렸습니다.\n■ 제보하기\n▷ 전화 : 02-781-1234\n"
        )
    mined = suggest(tmp_path, rules, IngestConfig())
    assert [(o.name, o.suggestions) for o in mined.outlets] == [("KBS", ())]


# One line


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        ("◈ 한빛방송 시청자 의견 : 031-000-0000", "◈ 한빛방송 시청자 의견 : <N>-<N>-<N>"),
        (
            "▶ 다시 보기 https://news.hanbit.co.kr/view/123?a=1",
            "▶ 다시 보기 <URL news.hanbit.co.kr>",
        ),
        ("▶ 다시 보기 news.hanbit.co.kr/view/9", "▶ 다시 보기 <URL news.hanbit.co.kr>"),
        ("문의 voice@hanbit.co.kr", "문의 <EMAIL hanbit.co.kr>"),
        ("카카오톡  @한빛제보\t검색", "카카오톡 <@> 검색"),
        ("https://goo.gl/4bWbkG홍화경 기자", "<URL goo.gl>홍화경 기자"),
        ("  여백이   많은 줄  ", "여백이 많은 줄"),
    ],
)
def test_template_masks_what_varies_per_document(line: str, masked: str) -> None:
    assert template(line) == masked


@pytest.mark.parametrize("blob", ["a" * 100_000, "a." * 50_000, "x@" * 50_000, "가" * 100_000])
def test_a_long_line_is_masked_in_linear_time(blob: str) -> None:
    started = time.perf_counter()
    template(blob)
    assert time.perf_counter() - started < 2.0  # quadratic, 100,000 letters took over a minute


def test_lines_of_one_template_share_a_pattern_that_matches_them_all() -> None:
    lines = ["▶ 기사 원문 : https://x.kr/view/1", "▶  기사 원문 : http://x.kr/v?id=22"]
    assert template(lines[0]) == template(lines[1])
    pattern = pattern_of(lines[0])
    assert all(re.fullmatch(pattern, line) for line in lines)
    assert not re.search(pattern, "▶ 기사 원문 : https://y.kr/view/1")
    assert not re.search(pattern, "기사 원문은 x.kr 에 있습니다.")


@pytest.mark.parametrize(
    "line",
    ["◈ 제보 : 031-000-0000", "▶ 유튜브 'A' https://t.co/x", "jebo@x.kr (24시간)", r"a\b 'c' 1"],
)
def test_a_pattern_repeats_no_group_and_holds_no_quote(line: str) -> None:
    pattern = pattern_of(line)
    assert re.fullmatch(pattern, line)
    assert not re.search(r"\)[*+{]", pattern)  # an optional group (?:…)? is taken at most once
    assert "'" not in pattern


@pytest.mark.parametrize(
    "line",
    [
        "한빛방송 뉴스 홍길동입니다.",
        "홍길동 기자 (gildong@hanbit.co.kr)",
        "서다은 (standeun@kbs.co.kr)",
        "gildong@hanbit.co.kr",
        "촬영기자: 최현우 / 영상편집: 정다은",
        "그래픽 김하나",
        "사진=한빛방송 제공",
        "[앵커]",
        "◀ 리포트 ▶",
        "(끝)",
        "2026/03/01 10:23 송고",
        "입력 2026.03.01. 오전 10:23",
        "KBS 뉴스 김경진입니다.",
    ],
)
def test_furniture_is_recognised(line: str, rules: RuleSet) -> None:
    assert is_furniture(line, rules)


@pytest.mark.parametrize(
    "line",
    ["◈ 의견 메일 : voice@hanbit.co.kr", "▷ 이메일 : kbs1234@kbs.co.kr", "☞ 한빛방송 앱 설치하기"],
)
def test_footer_lines_are_not_furniture(line: str, rules: RuleSet) -> None:
    assert not is_furniture(line, rules)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("◈ 한빛방송 시청자 의견 : 031-000-0000", "tipline"),
        ("Copyright ⓒ 한빛방송. 무단 배포 금지", "copyright"),
        ("한빛방송 채널 구독 꾹", "subscribe"),
        ("☞ 한빛방송 앱 설치하기", "app"),
        ("▶ 한빛방송 유튜브 https://youtube.com/@hanbit", "channel"),
        ("▶ 이 기사 다시 보기 : https://news.hanbit.co.kr/view/1", "link"),
        ("시민 40명을 대상으로 한 설문에서 찬성 의견이 많았습니다.", None),
        ("축제에는 3만 명이 다녀갔다.", None),
        ("▶", None),
    ],
)
def test_kind_comes_from_footer_evidence_and_news_sentences_have_none(
    line: str, kind: str | None
) -> None:
    assert kind_of(line) == kind
