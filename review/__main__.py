"""``python -m review`` is the same as the ``mtreview`` command."""
from review.cli import main

raise SystemExit(main())
