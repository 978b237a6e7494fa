"""Recipes that build the models the packages ship; beside the project, not part of the installed package.

``training.translit`` trains the transliteration model and cost table in glossary/data;
``training.qe`` fits the quality estimate in review/data.  Run from the project root with
``PYTHONPATH=.``; tests/training and tests/review/test_quality.py cover the parts tests can reach.
"""
