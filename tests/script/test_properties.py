"""Properties of roles and quotes on any lines: deterministic, one role per line, offsets that
hold the quoted words."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.script import ROLES, RoleBook, load_roles, quotes, read, roles
from pipeline.script.blocks import CLOSE_QUOTES, OPEN_QUOTES
from pipeline.script.quotes import bite_blocks

BOOK: RoleBook = load_roles()
# Lines built from the pieces scripts are made of, and from anything at all.
_PIECES = [
    "[앵커]", "[리포트]", "[인터뷰]", "[Anchor]", "[Report]", "◀ 리포트 ▶", "<앵커>", "[", "]", "<", ">",
    "/", " : ", ": ", '"', "“", "”", "김달래", "물빛시 대표", "Kim Do-yun", "Ministry", "Television",
    "관계자", "라고 말했습니다.", "고 밝혔다.", ", he said.", " said Lee Ha-na.", "KBS 뉴스 홍화경입니다.",
    "KBS News, Kim Kyung-jin.", "홍길동 기자 (gildong@kbs.co.kr)", "촬영기자 : 김동현", "(사진=연합뉴스)",
    "본문입니다.", "The city said.", " ", "는 ", "은 ",
]  # fmt: skip
_LINE = (
    st.one_of(
        st.lists(st.sampled_from(_PIECES), min_size=1, max_size=8).map("".join),
        st.text(min_size=1, max_size=60),
    )
    .map(str.strip)
    .filter(bool)
    .filter(lambda s: "\n" not in s)
)
_LINES = st.lists(_LINE, min_size=1, max_size=12)
_LANG = st.sampled_from(["ko", "en", "mixed", "und"])


def _starts(lines: list[str]) -> list[int]:
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    return starts


@settings(max_examples=300, deadline=None)
@given(_LINES, _LANG, st.sampled_from([None, "KBS", "MBC", "SBS"]))
def test_one_role_per_line_from_the_allowed_set_and_the_same_every_time(lines, lang, outlet):
    langs = [lang] * len(lines)
    got = roles(lines, langs, BOOK, outlet)
    assert len(got) == len(lines)
    assert set(got) <= set(ROLES)
    assert roles(list(lines), list(langs), BOOK, outlet) == got


def _joined(span: str) -> str:
    """The lines of a quote's span as its text has them: the first without a closing mark at
    its end, the last without an opening one at its start, those between without either."""
    lines = span.split("\n")
    out = []
    for n, line in enumerate(lines):
        line = line.strip()
        if n > 0 and line[:1] in OPEN_QUOTES:
            line = line[1:].strip()
        if n < len(lines) - 1 and line[-1:] in CLOSE_QUOTES:
            line = line[:-1].strip()
        out.append(line)
    return " ".join(out)


@settings(max_examples=300, deadline=None)
@given(_LINES, _LANG)
def test_quote_offsets_lie_in_the_document_and_hold_the_quoted_words(lines, lang):
    text = "\n".join(lines)
    langs = [lang] * len(lines)
    got = roles(lines, langs, BOOK)
    found = quotes(lines, _starts(lines), langs, got, BOOK)
    assert found == quotes(lines, _starts(lines), langs, got, BOOK)
    for q in found:
        assert 0 <= q.start < q.end <= len(text)
        assert q.kind in ("person", "organisation", "unknown")
        assert q.form in ("block", "inline")
        assert (q.speaker is None) == (q.kind == "unknown")
        if "\n" not in text[q.start : q.end]:
            assert text[q.start : q.end] == q.text
        else:  # a quote over lines: its lines joined by a space, each without the quotation
            # marks it closes or opens with where the words run on
            assert " ".join(_joined(text[q.start : q.end]).split()) == " ".join(q.text.split())
        assert got[q.line] in ("quote", "anchor", "report", "interview", "text")


@settings(max_examples=500, deadline=None)
@given(_LINES, st.lists(_LANG, min_size=12, max_size=12))
def test_the_blocks_found_from_the_roles_are_the_blocks_they_were_read_with(lines, langs):
    """pair's read_doc takes a document's quote blocks from `read`, or from bite_blocks where it
    is given the roles: the same blocks (and quotes' own)."""
    langs = langs[: len(lines)]
    reading = read(lines, langs, BOOK)
    assert bite_blocks(lines, langs, reading.roles, BOOK) == reading.blocks
    found = quotes(lines, _starts(lines), langs, reading.roles, BOOK)
    assert [q.line for q in found if q.form == "block"] == [b.first for b in reading.blocks]
