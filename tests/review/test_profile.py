"""House-style profiles (review.profile): loading and its errors, what they change in the checks, the CLI
(`checks --profile`, `score --profile`) and serve's "ignore everywhere" written into the profile."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.errors import InputError
from review.assess import assess_pairs
from review.checks import CheckPair
from review.cli import main
from review.policy import DEFAULT_POLICY, Policy
from review.profile import add_ignored_text, describe, load_profile
from review.records import Severity

PROFILE = """# house style of a test project
[severity]
glued-words = "off"
number-mismatch = "minor"

[style]
latin-names = "ignore"
glosses = "ignore"
short-translations = "minor"

[allow]
acronyms = ["WMP"]
do-not-translate = ["Acme Widgets"]
ignore = ["Solid"]

[thresholds]
drift-cosine = 0.2
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "house.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_profile_sets_severities_style_allow_lists_and_thresholds(tmp_path):
    policy = load_profile(write(tmp_path, PROFILE))
    assert policy.severities == {"glued-words": "off", "number-mismatch": "minor"}
    assert policy.disabled_checks == {"glued-words"}
    assert policy.latin_names == "ignore" and policy.glosses == "ignore" and policy.foreign_quotes == "ignore"
    assert policy.short_translations == "minor" and DEFAULT_POLICY.short_translations == "note"
    assert {"WMP", "EU", "NATO"} <= policy.acronyms and policy.allows_latin("Acme widgets")
    assert policy.ignores("Solid") and policy.threshold("drift-cosine") == 0.2
    assert policy.threshold("omission-share") == DEFAULT_POLICY.threshold("omission-share")


@pytest.mark.parametrize("text,message", [
    ("[severity]\nno-such-check = 'minor'\n", "[severity] no-such-check: unknown check"),
    ("[severity]\nfluency = 'loud'\n", "[severity] fluency = 'loud': expected one of off, minor, major, critical"),
    ("[style]\nlatin-names = 'off'\n", "[style] latin-names = 'off': expected one of ignore, minor, major, critical"),
    ("[style]\ncolour = 'ignore'\n", "[style] colour: unknown setting"),
    ("[allow]\nacronyms = 'EU'\n", "[allow] acronyms must be a list of non-empty strings"),
    ("[thresholds]\ndrift-cosine = 'low'\n", "[thresholds] drift-cosine = 'low': expected a number"),
    ("[thresholds]\nspeed = 3\n", "[thresholds] speed: unknown threshold"),
    ("[colours]\nred = 1\n", "unknown section [colours]"),
    ("[severity\n", "not valid TOML"),
])
def test_profile_errors_name_the_file_and_the_problem(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as e:
        load_profile(path)
    assert str(path) in str(e.value) and message in str(e.value)


def test_a_missing_profile_is_an_error(tmp_path):
    with pytest.raises(InputError, match="profile not found"):
        load_profile(tmp_path / "nope.toml")


def test_the_profile_changes_what_the_checks_report(tmp_path):
    policy = load_profile(write(tmp_path, PROFILE))
    pairs = [CheckPair("a", "In 1902 Annie met WMP at Acme Widgets.", "1903년 Annie는 Acme Widgets에서 WMP를 만났다."),
             CheckPair("b", "Annie left.", "Annie는 떠났다.")]
    default = {f.check: f for f in assess_pairs(pairs, use_models=False)[0].findings}
    assert default["number-mismatch"].severity is Severity.MAJOR and "untranslated" in default
    found = assess_pairs(pairs, use_models=False, policy=policy)[0].findings
    assert [(f.check, f.severity) for f in found if f.check != "garble"] == [("number-mismatch", Severity.MINOR)]
    # a text dismissed everywhere is dropped whatever check flags it
    ignoring = Policy(ignore_texts=frozenset({"1903"}))
    assert "number-mismatch" not in {f.check for f in assess_pairs(pairs, use_models=False, policy=ignoring)[0].findings}


def test_checks_cli_shows_the_effective_settings(tmp_path, capsys):
    path = write(tmp_path, PROFILE)
    assert main(["checks", "--profile", str(path)]) == 0
    out = capsys.readouterr().out
    assert "glued-words          off *" in out and "number-mismatch      minor *" in out
    assert "fluency              major\n" in out  # not overridden: the default, unmarked
    assert "latin-names          ignore *" in out and "added: WMP" in out and "Acme Widgets" in out
    assert "drift-cosine         0.2 *" in out and "omission-share       0.45  " in out
    assert describe() != describe(load_profile(path))


def test_checks_cli_reports_a_broken_profile(tmp_path, capsys):
    path = write(tmp_path, "[severity]\nfluency = 'loud'\n")
    assert main(["checks", "--profile", str(path)]) == 1
    assert str(path) in capsys.readouterr().err


def test_score_cli_applies_the_profile_and_records_it(tmp_path):
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(json.dumps({"id": "1", "src": "In 1902 he left.", "tgt": "1903년 그는 떠났다."}) + "\n",
                     encoding="utf-8")
    out = tmp_path / "scored.jsonl"
    assert main(["score", "--input", str(pairs), "--output", str(out), "--no-models",
                 "--profile", str(write(tmp_path, PROFILE))]) == 0
    header, record = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert header["profile"]["severity"]["number-mismatch"] == "minor"
    assert [f["severity"] for f in record["findings"] if f["check"] == "number-mismatch"] == ["minor"]


def test_ignored_texts_are_added_keeping_comments(tmp_path):
    path = write(tmp_path, PROFILE)
    assert add_ignored_text(path, "Inrupt") is True
    assert add_ignored_text(path, "Inrupt") is False  # already there
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# house style of a test project") and load_profile(path).ignores("Inrupt")
    fresh = tmp_path / "new.toml"
    assert add_ignored_text(fresh, "Solid") and load_profile(fresh).ignore_texts == {"Solid"}
    broken = write(tmp_path, "[severity\n")
    with pytest.raises(InputError, match="not valid TOML"):
        add_ignored_text(broken, "x")
    assert broken.read_text(encoding="utf-8") == "[severity\n"  # left as it was


def _post(server, body):
    import http.client
    host, port = server.httpd.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.request("POST", "/api/decision", body=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    resp = conn.getresponse()
    payload = json.loads(resp.read())
    conn.close()
    return resp.status, payload


@pytest.mark.slow
def test_serve_widens_a_false_alarm_to_ignore_everywhere(tmp_path):
    """A reviewer's false alarm, widened to "ignore everywhere", goes into the profile; a review with the
    profile no longer flags that text."""
    from _serve_sample import make_review
    from review.serve import start_in_thread

    ko, glossary, out = make_review(tmp_path / "r")
    profile = tmp_path / "house.toml"
    server = start_in_thread(str(out), port=0, profile=str(profile))
    try:
        state = server.httpd.app.state()
        assert state["profile"] == {"path": str(profile), "reason": ""}
        pair, finding = next((p, f) for p in state["pairs"] for f in p["findings"]
                             if f["check"] == "untranslated" and f["tgt_spans"])
        text = finding["tgt_spans"][0]["text"]
        status, reply = _post(server, {"fingerprint": finding["fingerprint"], "verdict": "confirmed",
                                       "everywhere": True})
        assert status == 400 and "false_alarm" in reply["error"]
        status, reply = _post(server, {"fingerprint": finding["fingerprint"], "verdict": "false_alarm",
                                       "everywhere": True})
        assert status == 200 and reply["decision"]["verdict"] == "false_alarm"
        assert reply["ignored_everywhere"] == {"text": text, "profile": str(profile), "added": True}
        assert load_profile(profile).ignores(text)
    finally:
        server.stop()
    # without a profile, widening is refused with the reason
    server = start_in_thread(str(out), port=0)
    try:
        status, reply = _post(server, {"fingerprint": finding["fingerprint"], "verdict": "false_alarm",
                                       "everywhere": True})
        assert status == 409 and "--profile" in reply["error"]
    finally:
        server.stop()
    again = tmp_path / "again"
    assert main(["review", str(ko), "--out", str(again), "--quiet", "--no-models", "--glossary", str(glossary),
                 "--profile", str(profile)]) == 0
    from review.report.worklist import load_output
    flagged = {f.tgt_spans[0].text for p in load_output(again).pairs for f in p.findings if f.tgt_spans}
    assert text not in flagged
