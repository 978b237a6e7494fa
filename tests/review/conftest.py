"""One BLAS thread for the review tests (numpy's busy-waiting OpenBLAS threads slow the encoder down)."""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
