"""Sentence alignment (placeholder until the aligner lands: pairs given paragraphs only).

Public interface: :func:`align_bitext` returns beads over the documents'
segment indices, covering every segment exactly once, in order.
"""
from __future__ import annotations

from corpus.readers import Bitext
from corpus.records import Bead


def align_bitext(bitext: Bitext, encoder=None) -> list[Bead]:
    """Beads for a bitext; paragraphs are paired when the input says so."""
    tgt = bitext.target
    if bitext.source is None:
        return [Bead((), (s.index,), 0.0) for s in tgt.iter_segments()]
    src = bitext.source
    if bitext.paired_paragraphs:
        beads = []
        for ps, pt in zip(src.paragraphs, tgt.paragraphs):
            s_idx = tuple(s.index for s in ps.segments)
            t_idx = tuple(s.index for s in pt.segments)
            if s_idx or t_idx:
                beads.append(Bead(s_idx, t_idx, 0.0))
        return beads
    return [Bead((s.index,), (), 0.0) for s in src.iter_segments()] + \
        [Bead((), (s.index,), 0.0) for s in tgt.iter_segments()]
