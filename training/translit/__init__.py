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

How the shipped models were trained towards the NIKL standard (issue 13; one GPU run of a few minutes each,
CPU works too at ~30x the time; nothing at run time needs a GPU):

    PYTHONPATH=. python -m training.translit.clean /work/shared/data/names/wd_korean.tsv --out build/translit
    PYTHONPATH=. python -m training.translit.nikl_pairs --wikidata build/translit --out build/nikl
    mkdir -p build/nikl/ft && cp build/nikl/nikl_train.tsv build/nikl/ft/train.tsv && cp build/nikl/dev.tsv build/nikl/ft/
    # glossary/data/translit (seed 17, batch 256):
    python -m training.translit.train --data build/nikl --vocab-data build/nikl/train.tsv --out build/d1 \
        --ckpt build/d1.pt --device cuda --batch 256 --lr 2e-3 --warmup 300 --epochs 16 --seed 17
    python -m training.translit.train --data build/nikl/ft --vocab-data build/nikl/train.tsv --init build/d1.pt \
        --out glossary/data/translit --ckpt build/d2.pt --device cuda --batch 64 --lr 4e-4 --warmup 100 \
        --epochs 6 --minutes 0.9 --seed 17          # stopped by --minutes after epoch 5
    # glossary/data/translit/second: the same with --batch 128 --lr 1.5e-3 --warmup 400 --epochs 18
    # --minutes 4.8 (stopped after epoch 12), then the fine-tuning with --epochs 10 --minutes 1.5 (9 epochs)
    PYTHONPATH=. OMP_NUM_THREADS=1 python bench/nikl_bench.py --split dev

The choices (model sizes 2.6 M / 7.4 M / 16.7 M, which models to ensemble, glossary.translit.standard.RULE_BONUS)
were made on the NIKL dev words; the test split was only reported.

``clean`` turns the Wikidata name pairs into deduplicated word pairs with a
fixed, hash-based split by English word; ``model`` holds the vocabulary, the
BART configuration and the exporter to the numpy format that
:mod:`glossary.translit` loads; ``train`` trains from scratch on CPU (or
fine-tunes with ``--init``); ``average`` averages checkpoints, choosing on
the dev split.
"""
