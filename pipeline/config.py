"""Configuration: settings read once into frozen dataclasses; every key has a default.

A project may have a config/pipeline.toml (`newspipe init` writes one) and a folder of its own
rule packs next to it; without either, the built-in defaults and packs are used, from any folder.
"""

from __future__ import annotations

import dataclasses
import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.dedup import Params
from pipeline.errors import ConfigError
from pipeline.pair.link import Params as PairParams

DEFAULT_CONFIG = Path("config/pipeline.toml")  # read when present in the folder newspipe runs in


# The raw formats ingest knows, by file-name ending; .json only when listed (see IngestConfig).
FORMATS = ("txt", "jsonl", "json", "csv", "html", "htm", "warc", "warc.gz")
PARTS = ("text", "title", "date", "url", "outlet")


@dataclass(frozen=True)
class Fields:
    """Where each part of a record is: field names in order of preference (CSV: or positions)."""

    text: tuple[str | int, ...] = ("maintext", "text", "content", "body", "article")
    title: tuple[str | int, ...] = ("title", "headline")
    date: tuple[str | int, ...] = ("date_publish", "date", "published", "published_at")
    url: tuple[str | int, ...] = ("url", "link")
    outlet: tuple[str | int, ...] = ("source_domain", "source", "outlet", "site")


# KoreaNewsCrawler writes rows without a header: date, category, outlet, title, text, url. A
# preset's positions serve files without a header; the default names still serve those with one.
_KNC = {"text": 4, "title": 3, "date": 0, "url": 5, "outlet": 2}
CSV_PRESETS = {
    "koreanewscrawler": Fields(**{p: (n, *getattr(Fields(), p)) for p, n in _KNC.items()}),
}


@dataclass(frozen=True)
class IngestConfig:
    max_bytes: int = 8 * 1024 * 1024
    encodings: tuple[str, ...] = ("utf-8", "cp949", "euc-kr")
    # .json is left out by default: beside .txt files it is more often a sidecar (gold labels,
    # expected output) than news.
    formats: tuple[str, ...] = tuple(f for f in FORMATS if f != "json")
    json_fields: Fields = field(default_factory=Fields)
    csv_columns: Fields = field(default_factory=Fields)
    csv_preset: str = ""
    csv_header: bool | None = None  # None: a first row that names a known column is a header


@dataclass(frozen=True)
class DetectConfig:
    hangul_weight: float = 2.5
    clear_share: float = 0.8
    langdetect_confidence: float = 0.9
    doc_share: float = 0.75


@dataclass(frozen=True)
class TokenizeConfig:
    threads: int = 0  # 0: one per core


@dataclass(frozen=True)
class DedupConfig:
    """[dedup]: on or off, and the verification thresholds (pipeline/dedup/verify.py)."""

    enabled: bool = True
    near_jaccard: float = Params.near_jaccard
    containment: float = Params.containment
    narration: float = Params.narration
    contained_ratio: float = Params.contained_ratio

    def params(self) -> Params:
        """The index's settings: these thresholds over the library's defaults."""
        values = dataclasses.asdict(self)
        del values["enabled"]
        return Params(**values)


@dataclass(frozen=True)
class PairConfig:
    """[pair]: on or off, and the linking settings users may tune (pipeline/pair/link.py)."""

    enabled: bool = True
    days_before: int = PairParams.days_before
    days_after: int = PairParams.days_after
    candidates: int = PairParams.candidates
    align_top: int = PairParams.align_top
    min_evidence: float = PairParams.min_evidence
    min_cover: float = PairParams.min_cover

    def params(self) -> PairParams:
        """The linker's settings: these over the library's defaults."""
        values = dataclasses.asdict(self)
        del values["enabled"]
        return PairParams(**values)


@dataclass(frozen=True)
class Config:
    path: Path | None = None  # the file read; None for the built-in defaults
    batch_docs: int = 256
    ingest: IngestConfig = field(default_factory=IngestConfig)
    detect: DetectConfig = field(default_factory=DetectConfig)
    tokenize: TokenizeConfig = field(default_factory=TokenizeConfig)
    dedup: DedupConfig = field(default_factory=DedupConfig)
    pair: PairConfig = field(default_factory=PairConfig)
    channels_dir: Path | None = None  # the project's own rule packs, beside the built-in ones
    packs: str = "all"  # which rule packs: all, generic, none, or NAME[,NAME…] (see rules.pack)
    detector: bool = True  # the generic detector after the packs
    digest: str = ""


def _section(data: dict[str, Any], name: str, cls: Any, path: Path) -> Any:
    raw = data.get(name, {})
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: [{name}] must be a table")
    known = set(cls.__dataclass_fields__)
    for key in raw:
        if key not in known:
            raise ConfigError(
                f"{path}: unknown key {name}.{key} (known: {', '.join(sorted(known))})"
            )
    defaults = cls()
    values = {}
    for key, value in raw.items():
        want = type(getattr(defaults, key))
        if want is tuple:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{path}: {name}.{key} must be a list of strings")
            value = tuple(value)
        elif want is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, want) or isinstance(value, bool) != (want is bool):
            raise ConfigError(f"{path}: {name}.{key} must be {want.__name__}, not {value!r}")
        values[key] = value
    return cls(**values)


def _names(path: Path, key: str, value: Any, positions: bool) -> tuple[str | int, ...]:
    """A field mapping's value as a tuple: one name, a list of names (CSV: or positions)."""
    items = value if isinstance(value, list) else [value]
    for item in items:
        ok = isinstance(item, str) and bool(item.strip())
        if positions:
            ok = ok or (isinstance(item, int) and not isinstance(item, bool) and item >= 0)
        if not ok:
            what = (
                "a column name, a list of them or a position (0, 1, …)"
                if positions
                else ("a field name or a list of field names")
            )
            raise ConfigError(f"{path}: {key} must be {what}, not {value!r}")
    return tuple(items)


def _fields(path: Path, key: str, value: Any, base: Fields, positions: bool) -> Fields:
    """A [ingest.json_fields] or [ingest.csv_columns] table over the defaults it changes."""
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: {key} must be a table (text = ..., title = ..., …)")
    for part in value:
        if part not in PARTS:
            raise ConfigError(f"{path}: unknown key {key}.{part} (known: {', '.join(PARTS)})")
    parts = {p: _names(path, f"{key}.{p}", v, positions) for p, v in value.items()}
    if parts.get("text", base.text) == ():
        raise ConfigError(f"{path}: {key}.text needs at least one field")
    return dataclasses.replace(base, **parts)


def _ingest(data: dict[str, Any], path: Path) -> IngestConfig:
    """[ingest]: the plain keys as every section, the formats and field mappings checked here."""
    raw = data.get("ingest", {})
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: [ingest] must be a table")
    special = {"formats", "json_fields", "csv_columns", "csv_preset", "csv_header"}
    plain = _section({"ingest": {k: v for k, v in raw.items() if k not in special}},
                     "ingest", IngestConfig, path)  # fmt: skip
    values: dict[str, Any] = {}
    if "formats" in raw:
        formats = raw["formats"]
        if not isinstance(formats, list) or not all(isinstance(f, str) for f in formats):
            raise ConfigError(f"{path}: ingest.formats must be a list of strings")
        for f in formats:
            if f not in FORMATS:
                raise ConfigError(
                    f"{path}: ingest.formats: unknown format {f!r} (known: {', '.join(FORMATS)})"
                )
        values["formats"] = tuple(dict.fromkeys(formats))
    preset = raw.get("csv_preset", "")
    if preset not in ("", *CSV_PRESETS):
        raise ConfigError(
            f"{path}: ingest.csv_preset must be {' or '.join(CSV_PRESETS)}, not {preset!r}"
        )
    values["csv_preset"] = preset
    columns = CSV_PRESETS.get(preset, Fields())
    if "csv_columns" in raw:
        columns = _fields(path, "ingest.csv_columns", raw["csv_columns"], columns, True)
    values["csv_columns"] = columns
    if "json_fields" in raw:
        values["json_fields"] = _fields(
            path, "ingest.json_fields", raw["json_fields"], Fields(), False
        )
    header = raw.get("csv_header", "auto")
    if header != "auto" and not isinstance(header, bool):
        raise ConfigError(
            f'{path}: ingest.csv_header must be true, false or "auto", not {header!r}'
        )
    values["csv_header"] = None if header == "auto" else header
    return dataclasses.replace(plain, **values)


def load_config(path: Path) -> Config:
    """Read and validate a pipeline.toml; every problem is a ConfigError naming file and key."""
    try:
        raw_bytes = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"config file {path} not found") from None
    except OSError as exc:
        raise ConfigError(f"config file {path} cannot be read: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw_bytes.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    for key in data:
        if key not in {"pipeline", "ingest", "detect", "tokenize", "strip", "dedup", "pair"}:
            raise ConfigError(f"{path}: unknown section [{key}]")
    pipe = data.get("pipeline", {})
    batch_docs = pipe.get("batch_docs", 256)
    if not isinstance(batch_docs, int) or isinstance(batch_docs, bool) or batch_docs < 1:
        raise ConfigError(f"{path}: pipeline.batch_docs must be a positive integer")
    strip = data.get("strip", {})
    for key in strip:
        if key not in {"channels", "packs", "detector"}:
            raise ConfigError(f"{path}: unknown key strip.{key} (known: channels, detector, packs)")
    channels = strip.get("channels", "channels")
    if not isinstance(channels, str):
        raise ConfigError(f"{path}: strip.channels must be a folder name")
    channels_dir: Path | None = path.parent / channels
    if channels_dir is not None and not channels_dir.is_dir():
        if "channels" in strip:
            raise ConfigError(f"{path}: strip.channels folder {channels_dir} not found")
        channels_dir = None  # the default folder is optional
    packs = strip.get("packs", "all")
    if not isinstance(packs, str) or not packs.strip():
        raise ConfigError(f"{path}: strip.packs must be all, generic, none or pack names")
    detector = strip.get("detector", True)
    if not isinstance(detector, bool):
        raise ConfigError(f"{path}: strip.detector must be true or false")
    detect = _section(data, "detect", DetectConfig, path)
    if not 0.5 <= detect.clear_share <= 1.0 or not 0.5 <= detect.doc_share <= 1.0:
        raise ConfigError(f"{path}: detect shares must lie between 0.5 and 1")
    dedup = _section(data, "dedup", DedupConfig, path)
    for key, value in dataclasses.asdict(dedup).items():
        if key != "enabled" and not 0.0 <= value <= 1.0:
            raise ConfigError(f"{path}: dedup.{key} must lie between 0 and 1, not {value!r}")
    pair = _section(data, "pair", PairConfig, path)
    for key, lowest in (("days_before", 0), ("days_after", 0), ("candidates", 1),
                        ("align_top", 1), ("min_evidence", 0)):  # fmt: skip
        if getattr(pair, key) < lowest:
            raise ConfigError(
                f"{path}: pair.{key} must be {lowest} or more, not {getattr(pair, key)!r}"
            )
    if not 0.0 <= pair.min_cover <= 1.0:
        raise ConfigError(
            f"{path}: pair.min_cover must lie between 0 and 1, not {pair.min_cover!r}"
        )
    return Config(
        path=path,
        batch_docs=batch_docs,
        ingest=_ingest(data, path),
        detect=detect,
        tokenize=_section(data, "tokenize", TokenizeConfig, path),
        dedup=dedup,
        pair=pair,
        channels_dir=channels_dir,
        packs=packs,
        detector=detector,
        digest=hashlib.sha256(raw_bytes).hexdigest()[:16],
    )


def project_config(path: Path | None = None) -> Config:
    """The settings a command runs with: the given file, else config/pipeline.toml where newspipe
    runs when there is one, else the built-in defaults (and no packs of the project's own)."""
    if path is not None:
        return load_config(path)
    if DEFAULT_CONFIG.is_file():
        return load_config(DEFAULT_CONFIG)
    return Config()
