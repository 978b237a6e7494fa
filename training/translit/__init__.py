"""Training code for what glossary/data ships: a recipe beside the project, not part of the installed package.

Run from the project root with ``PYTHONPATH=.``.  ``SHARED`` below is the shared data folder
(``--shared`` / ``$MTREVIEW_SHARED`` in the benches); ``SHARED/data/names/wd_korean.tsv`` holds the
Wikidata English/Korean name labels (CC0).  tests/training covers the cleaning and the exporter.

``learn_translit`` learns the small transliteration cost table that discovery uses
(glossary/data/translit_costs.json; numpy only, seconds).  The rest trains the neural
transliteration model (needs torch).

How glossary/data/translit/ was built (2 shared CPU cores, about 35 minutes per run):

    PYTHONPATH=. python -m training.translit.clean SHARED/data/names/wd_korean.tsv --out build/translit
    cp build/translit/test.tsv bench/data/translit_heldout.tsv
    PYTHONPATH=. OMP_NUM_THREADS=1 python -m training.translit.train --data build/translit \
        --out build/translit/export --ckpt build/translit/ckpt.pt --seed 17 --epochs 16 --lr 1e-3 \
        --minutes 45 --keep-from 14
    PYTHONPATH=. OMP_NUM_THREADS=1 python -m training.translit.average build/translit/ckpt-e14.pt \
        build/translit/ckpt-e15.pt build/translit/ckpt-e16.pt --data build/translit --out glossary/data/translit
    PYTHONPATH=. OMP_NUM_THREADS=1 python bench/translit_bench.py

(Three other runs on the same data, seed 13 with 12 epochs, and without label smoothing, scored within
noise of it on dev; it was chosen on the dev split, before the held-out figures were looked at.)

``clean`` turns the Wikidata name pairs into deduplicated word pairs with a
fixed, hash-based split by English word; ``model`` holds the vocabulary, the
BART configuration and the exporter to the numpy format that
:mod:`glossary.translit` loads; ``train`` trains from scratch on CPU (or
fine-tunes with ``--init``); ``average`` averages checkpoints, choosing on
the dev split.
"""
