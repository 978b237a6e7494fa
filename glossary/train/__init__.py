"""Training code for the shipped transliteration model (needs torch; never runs in CI or tests).

    PYTHONPATH=. python -m glossary.train.clean /work/shared/data/names/wd_korean.tsv --out build/translit
    PYTHONPATH=. OMP_NUM_THREADS=1 python -m glossary.train.train --data build/translit \\
        --out glossary/data/translit --epochs 12 --lr 1e-3 --minutes 48
    cp build/translit/test.tsv bench/data/translit_heldout.tsv
    PYTHONPATH=. OMP_NUM_THREADS=1 python bench/translit_bench.py

``clean`` turns the Wikidata name pairs into deduplicated word pairs with a
fixed, hash-based split by English word; ``model`` holds the vocabulary, the
BART configuration and the exporter to the numpy format that
:mod:`glossary.translit` loads; ``train`` trains from scratch on CPU.
"""
