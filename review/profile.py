"""A project's house-style profile: a TOML file that sets severities, allow-lists and thresholds.

    # mtreview profile
    [severity]              # per check: minor, major, critical, or off
    fluency = "minor"
    semantic-drift = "off"

    [style]                 # choices translators make on purpose: ignore, minor, major or critical
    latin-names = "ignore"  # a name the document keeps in Latin as the English writes it
    glosses = "ignore"      # 코무치(Komuch) at the first mention ("note" by default: shown, not counted)
    repeated-glosses = "minor"
    foreign-quotes = "ignore"
    short-translations = "minor"  # a short Korean with nothing else missing ("note" by default: shown, not counted)

    [allow]
    acronyms = ["MWP", "PIP"]            # added to the shipped list (review/data/acronyms.txt)
    do-not-translate = ["Acme Widgets"]  # product names and the like, left in Latin on purpose
    ignore = ["Solid"]                   # flagged text dismissed everywhere (mtreview serve writes here)

    [thresholds]
    drift-cosine = 0.25     # semantic-drift: cross-lingual cosine below which a pair has drifted
    fluency-gain = 5.0      # fluency: LM gain per word below which the word order is implausible
    omission-share = 0.4    # omission: Korean shorter than this share of the expected length
    kept-name-pairs = 3     # untranslated: pairs a Latin name must recur in to count as house style

``mtreview review/score/checks --profile FILE`` read it (:func:`load_profile`); ``mtreview checks
--profile FILE`` prints the effective settings (:func:`describe`).  Errors name the file and the
problem.  :func:`add_ignored_text` adds a dismissed text to ``[allow] ignore`` and rewrites the file
atomically, keeping its comments.
"""
from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from corpus.atomic import atomic_write
from corpus.errors import InputError
from review.policy import CHOICES, DEFAULT_POLICY, NOTE, NOTE_SETTINGS, OFF, THRESHOLDS, Policy, shipped_acronyms
from review.records import Severity

STYLE_KEYS = {"latin-names": "latin_names", "glosses": "glosses", "repeated-glosses": "repeated_glosses",
              "foreign-quotes": "foreign_quotes", "short-translations": "short_translations"}
ALLOW_KEYS = {"acronyms", "do-not-translate", "ignore"}
SECTIONS = {"severity", "style", "allow", "thresholds"}
SEVERITY_CHOICES = (OFF, Severity.MINOR.value, Severity.MAJOR.value, Severity.CRITICAL.value)


def load_profile(path: str | Path) -> Policy:
    """The :class:`~review.policy.Policy` a profile file describes (defaults for what it leaves out)."""
    from review.checks import CHECKS

    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(str(path), "profile not found") from None
    except UnicodeDecodeError as e:
        raise InputError(str(path), f"profile is not UTF-8 text ({e.reason} at byte {e.start})") from None
    except tomllib.TOMLDecodeError as e:
        raise InputError(str(path), f"not valid TOML: {e}") from None

    def fail(message: str):
        raise InputError(str(path), message)

    for section in data:
        if section not in SECTIONS:
            fail(f"unknown section [{section}] (known: {', '.join(sorted(SECTIONS))})")
        if not isinstance(data[section], dict):
            fail(f"[{section}] must be a table")
    severities: dict[str, str] = {}
    for name, value in data.get("severity", {}).items():
        if name not in CHECKS:
            fail(f"[severity] {name}: unknown check (known: {', '.join(sorted(CHECKS))})")
        if value not in SEVERITY_CHOICES:
            fail(f"[severity] {name} = {value!r}: expected one of {', '.join(SEVERITY_CHOICES)}")
        severities[name] = value
    style: dict[str, str] = {}
    for key, value in data.get("style", {}).items():
        if key not in STYLE_KEYS:
            fail(f"[style] {key}: unknown setting (known: {', '.join(STYLE_KEYS)})")
        choices = CHOICES if STYLE_KEYS[key] in NOTE_SETTINGS else tuple(c for c in CHOICES if c != NOTE)
        if value not in choices:
            fail(f"[style] {key} = {value!r}: expected one of {', '.join(choices)}")
        style[STYLE_KEYS[key]] = value
    allow: dict[str, frozenset[str]] = {}
    for key, value in data.get("allow", {}).items():
        if key not in ALLOW_KEYS:
            fail(f"[allow] {key}: unknown list (known: {', '.join(sorted(ALLOW_KEYS))})")
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            fail(f"[allow] {key} must be a list of non-empty strings")
        allow[key] = frozenset(v.strip() for v in value)
    thresholds: dict[str, float] = {}
    for key, value in data.get("thresholds", {}).items():
        if key not in THRESHOLDS:
            fail(f"[thresholds] {key}: unknown threshold (known: {', '.join(THRESHOLDS)})")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            fail(f"[thresholds] {key} = {value!r}: expected a number")
        thresholds[key] = float(value)
    return Policy(**style, acronyms=shipped_acronyms() | allow.get("acronyms", frozenset()),
                  do_not_translate=allow.get("do-not-translate", frozenset()),
                  ignore_texts=allow.get("ignore", frozenset()), severities=severities, thresholds=thresholds)


def add_ignored_text(path: str | Path, text: str) -> bool:
    """Add ``text`` to the profile's ``[allow] ignore`` list (creating the file if needed), atomically.

    Comments and layout are kept.  Returns False when the text was already there.
    """
    import tomlkit

    path = Path(path)
    text = text.strip()
    if not text:
        raise InputError(str(path), "cannot ignore an empty text")
    if path.exists():
        load_profile(path)  # a clear error for a broken profile before touching it
        doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    else:
        doc = tomlkit.document()
        doc.add(tomlkit.comment("mtreview profile: see `mtreview checks --profile FILE` for the effective settings"))
    allow = doc.setdefault("allow", tomlkit.table())
    ignored = allow.setdefault("ignore", tomlkit.array())
    if text in [str(v) for v in ignored]:
        return False
    ignored.append(text)
    with atomic_write(path) as fh:
        fh.write(tomlkit.dumps(doc))
    return True


def describe(policy: Policy = DEFAULT_POLICY) -> str:
    """The effective settings of a policy, as ``mtreview checks --profile`` prints them."""
    from review.checks import CHECKS

    lines = ["severity (profile overrides marked *):"]
    for name, spec in CHECKS.items():
        value = policy.severities.get(name)
        lines.append(f"  {name:<20} {value or spec.severity.value}{' *' if value else ''}")
    lines.append("style:")
    for key, attr in STYLE_KEYS.items():
        value = getattr(policy, attr)
        lines.append(f"  {key:<20} {value}{' *' if value != getattr(DEFAULT_POLICY, attr) else ''}")
    extra = sorted(policy.acronyms - shipped_acronyms())
    lines.append(f"allow:\n  acronyms             {len(policy.acronyms)} ({len(shipped_acronyms())} shipped"
                 + (f"; added: {', '.join(extra)}" if extra else "") + ")")
    lines.append(f"  do-not-translate     {', '.join(sorted(policy.do_not_translate)) or '-'}")
    lines.append(f"  ignore               {', '.join(sorted(policy.ignore_texts)) or '-'}")
    lines.append("thresholds:")
    for key, (default, meaning) in THRESHOLDS.items():
        value = policy.threshold(key)
        lines.append(f"  {key:<20} {value:g}{' *' if value != default else ''}  {meaning}")
    return "\n".join(lines)


def profile_summary(policy: Policy) -> dict[str, Any]:
    """What a profile changed, for the output header (so that a run records the house style it used)."""
    out: dict[str, Any] = {}
    if policy.severities:
        out["severity"] = dict(policy.severities)
    style = {k: getattr(policy, a) for k, a in STYLE_KEYS.items() if getattr(policy, a) != getattr(DEFAULT_POLICY, a)}
    if style:
        out["style"] = style
    if policy.thresholds:
        out["thresholds"] = dict(policy.thresholds)
    for key, values in (("acronyms", policy.acronyms - shipped_acronyms()), ("do-not-translate", policy.do_not_translate),
                        ("ignore", policy.ignore_texts)):
        if values:
            out.setdefault("allow", {})[key] = sorted(values)
    return out
