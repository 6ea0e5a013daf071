"""Run stages over the live batches: only what is not done, resumable, published atomically.

plan.py      fingerprints, the batches, which of them are not done, the steps of a run
loop.py      the run itself (run_stages): ingest, each step through the engine, publish
overlap.py   the first run's overlap of ingest, the engine's warm-up and detect
corpus.py    the seam for corpus-level stages (their whole-corpus input, their index)
manifest.py  the run's reports and runs/<run id>.json
"""

from pipeline.runner.loop import run_stages
from pipeline.runner.manifest import RunReport, StageReport, new_run_id, write_manifest
from pipeline.runner.plan import fingerprints

__all__ = [
    "RunReport",
    "StageReport",
    "fingerprints",
    "new_run_id",
    "run_stages",
    "write_manifest",
]
