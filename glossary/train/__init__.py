"""Training code for what glossary/data ships (never runs in CI or tests).

``learn_translit`` learns the small transliteration cost table that discovery uses
(glossary/data/translit_costs.json; numpy only, seconds).  The rest trains the neural
transliteration model (needs torch).

How glossary/data/translit/ was built (2 shared CPU cores, about 40 minutes):

    PYTHONPATH=. python -m glossary.train.clean /work/shared/data/names/wd_korean.tsv --out build/translit
    cp build/translit/test.tsv bench/data/translit_heldout.tsv
    PYTHONPATH=. OMP_NUM_THREADS=1 python -m glossary.train.train --data build/translit \\
        --out build/translit/export --epochs 12 --lr 1e-3 --minutes 48
    # the run's checkpoints after epochs 10 and 11 were copied to ckpt-e10.pt / ckpt-e11.pt
    PYTHONPATH=. OMP_NUM_THREADS=1 python -m glossary.train.average build/translit/ckpt-e10.pt \\
        build/translit/ckpt-e11.pt build/translit/ckpt.pt --data build/translit --out glossary/data/translit
    PYTHONPATH=. OMP_NUM_THREADS=1 python bench/translit_bench.py

``clean`` turns the Wikidata name pairs into deduplicated word pairs with a
fixed, hash-based split by English word; ``model`` holds the vocabulary, the
BART configuration and the exporter to the numpy format that
:mod:`glossary.translit` loads; ``train`` trains from scratch on CPU (or
fine-tunes with ``--init``); ``average`` averages checkpoints, choosing on
the dev split.
"""
