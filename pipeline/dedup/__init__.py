"""Copies of the same report among clean bodies: exact, near and contained, clustered.

    from pipeline.dedup import DedupIndex, Doc
    index = DedupIndex()
    index.add([Doc("a1", body, date, "ko"), ...])     # again later with more; remove(ids)
    index.assignments()["a1"]                          # cluster_id, relation, similarity, ...
    index.save(Path(".state/dedup")); DedupIndex.load(Path(".state/dedup"))

text.py shingles a body, ceiling.py drops candidates that cannot be copies, verify.py decides
on a candidate pair, cluster.py turns verified pairs into clusters, index.py keeps documents,
LSH bands and pairs, and evaluate.py scores it all against a labelled folder.
"""

from pipeline.dedup.cluster import Assignment
from pipeline.dedup.index import DedupIndex, Doc
from pipeline.dedup.verify import RELATIONS, UNTUNED, Params

__all__ = ["RELATIONS", "UNTUNED", "Assignment", "DedupIndex", "Doc", "Params"]
