"""The CLI through its real entry point: every error is one line with a non-zero exit."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline.registry import NAMES
from tests.conftest import FIXTURES

GOLDEN = FIXTURES / "golden"


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_unknown_stage(run_cli, tmp_path: Path) -> None:
    code, _, err = run_cli("run", "--stage", "tokenise", "--out", tmp_path)
    assert code == 2
    assert _one_error_line(err) == (
        "Error: unknown stage 'tokenise'; "
        "available: ingest, detect, tokenize, strip, shingle, signal, dedup, export, pair"
    )


def test_missing_input_names_the_stage_that_makes_it(run_cli, tmp_path: Path) -> None:
    code, _, err = run_cli("run", "--stage", "tokenize", "--out", tmp_path / "empty")
    assert code == 2
    assert _one_error_line(err) == (
        "Error: tokenize needs segments, which the stage detect makes: run it first"
    )


def test_missing_raw_folder(run_cli, tmp_path: Path) -> None:
    code, _, err = run_cli("run", "--raw", tmp_path / "nowhere", "--out", tmp_path / "out")
    assert code == 2
    assert _one_error_line(err) == f"Error: raw folder {tmp_path / 'nowhere'} not found"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[pipeline\nbatch_docs = 1", "not valid TOML"),
        ("[pipeline]\nbatch_docs = 0", "pipeline.batch_docs must be a positive integer"),
        ("[detect]\nhangul_weight = 'lots'", "detect.hangul_weight must be float"),
        ("[detect]\ncolour = 1", "unknown key detect.colour"),
        ("[fetch]\nurl = 'x'", "unknown section [fetch]"),
    ],
)
def test_bad_config_file(run_cli, tmp_path: Path, content: str, message: str) -> None:
    config = tmp_path / "pipeline.toml"
    config.write_text(content)
    code, _, err = run_cli("run", "--raw", GOLDEN, "--out", tmp_path / "out", "--config", config)
    assert code == 2
    line = _one_error_line(err)
    assert line.startswith(f"Error: {config}: ") and message in line


def test_missing_config_file(run_cli, tmp_path: Path) -> None:
    code, _, err = run_cli("run", "--config", tmp_path / "none.toml", "--out", tmp_path)
    assert code == 2
    assert _one_error_line(err) == f"Error: config file {tmp_path / 'none.toml'} not found"


def test_bad_rule_pack_is_named_before_any_data_is_read(run_cli, tmp_path: Path) -> None:
    channels = tmp_path / "channels"
    channels.mkdir()
    (channels / "obs.toml").write_text(
        '[channel]\nname = "OBS"\n[[rule]]\nid = "obs_tip_v1"\nkind = "tipline"\n'
        "pattern = '(unclosed'\nexample = 'x'\nkeep = 'y'\n"
    )
    config = tmp_path / "pipeline.toml"
    config.write_text('[strip]\nchannels = "channels"\n')
    code, _, err = run_cli("run", "--raw", GOLDEN, "--out", tmp_path / "out", "--config", config)
    assert code == 2
    line = _one_error_line(err)
    assert f"{channels / 'obs.toml'}: rule 'obs_tip_v1': pattern does not compile" in line
    assert not (tmp_path / "out" / "articles.parquet").exists()


def test_stage_rerun_writes_what_a_full_run_wrote(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("run", "--raw", GOLDEN, "--out", out, "-q")[0] == 0
    before = pd.read_parquet(out / "removed.parquet")
    (out / "removed.parquet").unlink()
    code, _, err = run_cli(
        "run", "--raw", GOLDEN, "--out", out, "--stage", "strip", "--force", "-q"
    )
    assert code == 0, err
    assert not (out / "removed.parquet").exists()  # strip stages; export publishes
    code, _, _ = run_cli("run", "--raw", GOLDEN, "--out", out, "--from", "strip", "--to", "export")
    assert code == 0
    pd.testing.assert_frame_equal(before, pd.read_parquet(out / "removed.parquet"))


def test_unchanged_stages_are_skipped_unless_forced(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("run", "--raw", GOLDEN, "--out", out, "-q")[0] == 0
    _, summary, _ = run_cli("run", "--raw", GOLDEN, "--out", out)
    assert "5 files: 0 new, 0 changed, 5 unchanged, 0 removed, 0 quarantined" in summary
    assert _stage_table(summary) == {name: (0, 1) for name in NAMES}
    _, summary, _ = run_cli("run", "--raw", GOLDEN, "--out", out, "--force")
    assert "5 files: 5 new" in summary
    assert _stage_table(summary) == {name: (1, 0) for name in NAMES}


def _stage_table(summary: str) -> dict[str, tuple[int, int]]:
    """stage -> (batches run, up to date), from the summary's table of stages."""
    rows = [line.split() for line in summary.splitlines()]
    return {r[0]: (int(r[1]), int(r[2])) for r in rows if len(r) >= 3 and r[0] in NAMES}


def test_summary_and_stages_listing(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, summary, _ = run_cli("run", "--raw", GOLDEN, "--out", out)
    assert code == 0
    assert "documents 5: 5 articles, 0 quarantined" in summary
    assert "languages en 1, ko 4" in summary
    stripped = summary[summary.index("stripped") :]
    assert re.search(r"KBS\s+kbs_tipline_head_v1\s+2\s+2", stripped)
    assert re.search(r"YTN\s+ytn_tipline_item_v1\s+3\s+1", stripped)
    code, listing, _ = run_cli("stages", "--out", out)
    assert code == 0
    for name in NAMES:
        assert name in listing
    assert "missing" not in listing


def _commands() -> list[list[str]]:
    """Every command and subcommand of the parser, as argument lists."""
    import argparse

    from pipeline.cli import _parser

    def walk(parser: argparse.ArgumentParser, prefix: list[str]) -> list[list[str]]:
        found = [prefix]
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    found += walk(sub, [*prefix, name])
        return found

    return walk(_parser(), [])


def test_module_entry_point_and_help_for_every_command() -> None:
    commands = _commands()
    assert ["rules", "suggest"] in commands and ["init"] in commands and ["explain"] in commands
    for args in commands:
        done = subprocess.run(
            [sys.executable, "-m", "pipeline", *args, "--help"], capture_output=True, text=True
        )
        assert done.returncode == 0 and "usage: newspipe" in done.stdout, args


def test_a_usage_mistake_exits_2_everywhere(run_cli) -> None:
    for args in _commands():
        with pytest.raises(SystemExit) as stop:
            run_cli(*args, "--no-such-option")
        assert stop.value.code == 2, args


def _run_on_a_terminal(args: list[str]) -> str:
    """Run the CLI with stderr on a pseudo-terminal; what the terminal showed."""
    main_fd, child_fd = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", *args], stdout=subprocess.DEVNULL, stderr=child_fd,
        env={**os.environ, "COLUMNS": "120"},
    )  # fmt: skip
    os.close(child_fd)
    shown = b""
    while True:
        try:
            chunk = os.read(main_fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    proc.wait(timeout=600)
    os.close(main_fd)
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown.decode("utf-8", "replace"))


def test_progress_bars_on_a_terminal_and_nowhere_else(tmp_path: Path) -> None:
    shown = _run_on_a_terminal(["run", "--raw", str(GOLDEN), "--out", str(tmp_path / "a")])
    assert "ingest" in shown and "5/5" in shown and "files/s" in shown
    assert "detect → tokenize → strip" in shown and "dedup" in shown and "export" in shown
    # the others stop after ingest, whose bar (5/5 files) a terminal would show: no model to load
    ingest = ["run", "--raw", str(GOLDEN), "--to", "ingest", "--out"]
    shown = _run_on_a_terminal([*ingest, str(tmp_path / "e")])
    assert "5/5" in shown  # what the three below must not show
    quiet = _run_on_a_terminal([*ingest, str(tmp_path / "b"), "-q"])
    assert "5/5" not in quiet and any((tmp_path / "b").rglob("*.parquet"))  # it ran
    as_json = _run_on_a_terminal([*ingest, str(tmp_path / "c"), "--log-format", "json"])
    lines = [line for line in as_json.splitlines() if line.strip()]
    assert lines and all(line.lstrip().startswith("{") for line in lines)
    piped = subprocess.run(
        [sys.executable, "-m", "pipeline", *ingest, str(tmp_path / "d")],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert piped.returncode == 0 and "5/5" not in piped.stderr and "━" not in piped.stderr


def test_a_reader_that_goes_away_ends_the_command_without_a_traceback() -> None:
    """`newspipe … | head`: the pipe closes before the output is written."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "rules", "check"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait() == 141
    assert "Traceback" not in err and err == ""
