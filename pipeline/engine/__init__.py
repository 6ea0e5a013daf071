"""How batches are executed: in this process, in a pool of local processes, or on Dask.

    protocol.py  what an engine is (Engine), the job it is given (BatchJob), what comes back
    worker.py    what runs one batch in a process (run_batch), and the warm-up (warm)
    local.py     InProcess and LocalProcesses
    dask.py      DaskEngine
    spread.py    a corpus stage's pure work over this machine's cores (forked, memory shared)
    choose.py    the engine a command line asks for

Every engine runs the same `run_batch(job, batch)`, which writes the batch's parts itself.
"""

from pipeline.engine.protocol import BatchJob, BatchResult, Engine

__all__ = ["BatchJob", "BatchResult", "Engine"]
