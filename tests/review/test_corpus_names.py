"""Names across a corpus run (--manifest --corpus-names): the wiring, the inconsistency rows, the worklist."""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from corpus.records import Bead
from review.batch import run_manifest
from review.cli import main
from review.corpus_names import inconsistencies, read_corpus_names
from review.pipeline import ReviewConfig
from review.report.worklist import merge_outputs, write_merged


def _paired_aligner(bitext, encoder=None, params=None, hints=None, progress=None, leave_out=None):
    return [Bead((), (s.index,), 0.0) for s in bitext.target.iter_segments()]


@dataclass
class _Proposal:
    english: str | None
    variants: list[str]
    counts: dict[str, int]
    documents: dict[str, dict] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"english": self.english, "variants": self.variants, "counts": self.counts,
                "canonical": self.variants[0], "documents": self.documents}


@dataclass(frozen=True)
class _CorpusDocument:
    doc_id: str
    ko_text: str
    en_text: str | None = None


class _Discovery:
    """Stands in for glossary.discovery.discover_corpus: finds 마이스키/메이스키 by plain counting."""

    def __init__(self):
        self.calls: list[list[_CorpusDocument]] = []

    def __call__(self, documents, glossary=None, **_):
        documents = list(documents)
        self.calls.append(documents)
        per_doc = {d.doc_id: {s: d.ko_text.count(s) for s in ("마이스키", "메이스키") if s in d.ko_text}
                   for d in documents}
        total = {s: sum(c.get(s, 0) for c in per_doc.values()) for s in ("마이스키", "메이스키")}
        return [_Proposal("Maisky", [s for s, n in sorted(total.items(), key=lambda kv: -kv[1]) if n], total,
                          {d: {"counts": c, "lines": [1]} for d, c in per_doc.items() if c}),
                _Proposal(None, ["런던"], {"런던": len(documents)},
                          {d.doc_id: {"counts": {"런던": 1}, "lines": [2]} for d in documents})]


@pytest.fixture
def discovery(monkeypatch):
    fake = _Discovery()
    monkeypatch.setattr("review.pipeline.align_bitext", _paired_aligner, raising=False)
    monkeypatch.setattr("glossary.discovery.discover_corpus", fake, raising=False)
    monkeypatch.setattr("glossary.discovery.CorpusDocument", _CorpusDocument, raising=False)
    return fake


def _corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    texts = {"a": "마이스키는 대사였다. 마이스키는 런던에 있었다.\n\n런던은 컸다.\n",
             "b": "메이스키는 1932년에 왔다.\n\n그는 런던에 갔다.\n",
             "c": "마이스키가 말했다.\n\n런던.\n"}
    rows = ["target\tbitext\tdoc_id"]
    for doc_id, text in texts.items():
        (folder / f"{doc_id}.ko.txt").write_text(text, encoding="utf-8")
        rows.append(f"{doc_id}.ko.txt\t\t{doc_id}")
    (folder / "broken.xlf").write_text("<xliff><file>", encoding="utf-8")
    rows.append("\tbroken.xlf\tbroken")
    manifest = folder / "manifest.tsv"
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return manifest


def test_inconsistency_rows_need_two_spellings_in_two_documents():
    proposals = [
        {"english": "Maisky", "variants": ["마이스키", "메이스키"], "counts": {"마이스키": 3, "메이스키": 1},
         "canonical": "마이스키", "documents": {"a": {"counts": {"마이스키": 2}}, "b": {"counts": {"메이스키": 1}},
                                               "c": {"counts": {"마이스키": 1}}}},
        # two spellings, but all in one document: that document's own worklist has it
        {"english": "Drax", "variants": ["드락스", "드랙스"], "counts": {"드락스": 1, "드랙스": 1},
         "documents": {"a": {"counts": {"드락스": 1, "드랙스": 1}}}},
        # one spelling across documents: consistent
        {"english": "London", "variants": ["런던"], "counts": {"런던": 5},
         "documents": {"a": {"counts": {"런던": 3}}, "b": {"counts": {"런던": 2}}}},
        {"english": None, "variants": ["던커크", "됭케르크"], "counts": {"던커크": 1, "됭케르크": 1},
         "documents": {"a": {"counts": {"던커크": 1}}, "b": {"counts": {"됭케르크": 1}}}},
    ]
    rows = inconsistencies(proposals)
    assert [r["name"] for r in rows] == ["마이스키", "던커크"]  # more documents first
    assert rows[0]["spellings"] == "마이스키 (a: 2, c: 1) | 메이스키 (b: 1)"
    assert (rows[0]["documents"], rows[0]["occurrences"], rows[0]["english"]) == (3, 4, "Maisky")
    assert rows[0]["by_document"] == {"a": {"마이스키": 2}, "b": {"메이스키": 1}, "c": {"마이스키": 1}}


@pytest.mark.slow
def test_manifest_run_discovers_across_documents_once_and_worklist_shows_it(tmp_path, discovery, capsys):
    manifest = _corpus(tmp_path / "in")
    out = tmp_path / "out"
    config = ReviewConfig(use_models=False)
    result = run_manifest(manifest, out, base_config=config, progress=False, corpus_names=True)
    assert result.count("done") == 3 and result.count("failed") == 1
    # every readable document went to one discovery, with its Korean text; the broken one did not
    assert [(d.doc_id, d.en_text) for d in discovery.calls[0]] == [("a", None), ("b", None), ("c", None)]
    assert discovery.calls[0][1].ko_text.startswith("메이스키는 1932년에")
    header, *records = [json.loads(line) for line in (out / "names.jsonl").read_text(encoding="utf-8").splitlines()]
    assert header["corpus"] is True and header["proposals"] == 2 and header["inconsistencies"] == 1
    assert records[0]["id"] == "en:maisky" and records[0]["documents"]["b"]["counts"] == {"메이스키": 1}
    with open(out / "name-inconsistencies.csv", encoding="utf-8-sig", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert [(r["name"], r["spellings"], r["documents"]) for r in table] == [
        ("마이스키", "마이스키 (a: 2, c: 1) | 메이스키 (b: 1)", "3")]

    # a rerun with nothing changed skips the documents and the corpus discovery
    again = run_manifest(manifest, out, base_config=config, progress=False, corpus_names=True)
    assert again.count("skipped") == 3 and len(discovery.calls) == 1
    # a changed document is reviewed again and the corpus discovered again
    (tmp_path / "in" / "c.ko.txt").write_text("메이스키가 말했다.\n", encoding="utf-8")
    run_manifest(manifest, out, base_config=config, progress=False, corpus_names=True)
    assert len(discovery.calls) == 2
    assert read_corpus_names(out)[0]["spellings"] == "마이스키 (a: 2) | 메이스키 (b: 1, c: 1)"

    merged = merge_outputs([out])
    assert [r["name"] for r in merged.names] == ["마이스키"]
    assert merged.to_dict()["name_inconsistencies"][0]["english"] == "Maisky"
    files = write_merged(tmp_path / "queue.csv", merged)
    assert files["names"] == tmp_path / "queue.names.csv" and "메이스키 (b: 1, c: 1)" in files["names"].read_text(
        encoding="utf-8-sig")
    assert main(["worklist", str(out)]) == 0
    shown = capsys.readouterr().out
    assert "names spelled differently across documents (1):" in shown
    assert "마이스키 (a: 2) | 메이스키 (b: 1, c: 1)" in shown
    # a document's own folder is not a corpus: no corpus names there
    assert read_corpus_names(out / "a") is None and merge_outputs([out / "a"]).names == []


@pytest.mark.slow
def test_corpus_names_from_the_command_line(tmp_path, discovery, capsys):
    manifest = _corpus(tmp_path / "in")
    out = tmp_path / "out"
    assert main(["review", "--manifest", str(manifest), "--out", str(out), "--no-models", "--corpus-names",
                 "-q"]) == 1  # the broken document fails the run
    assert (out / "name-inconsistencies.csv").is_file()
    code = main(["review", "--manifest", str(manifest), "--out", str(out), "--no-models", "--corpus-names"])
    assert code == 1
    assert "names across the corpus: 1 spelled differently in different documents" in capsys.readouterr().out
    # without names there is nothing to discover
    other = tmp_path / "other"
    main(["review", "--manifest", str(manifest), "--out", str(other), "--no-models", "--no-names",
          "--corpus-names", "-q"])
    assert not (other / "names.jsonl").exists()


@pytest.mark.slow
def test_real_corpus_discovery_joins_one_name_spelled_differently_in_two_articles(tmp_path, monkeypatch):
    """glossary.discovery.discover_corpus itself (Kiwi and the transliteration scorer), no stand-in."""
    monkeypatch.setattr("review.pipeline.align_bitext", _paired_aligner, raising=False)
    folder = tmp_path / "in"
    folder.mkdir()
    texts = {"a": "이반 마이스키는 소련의 대사였다. 마이스키는 런던에 도착했다.\n\n마이스키는 처칠을 만났다.\n",
             "b": "메이스키는 1932년에 런던에 왔다.\n\n메이스키는 이든과 이야기했다. 메이스키는 돌아갔다.\n",
             "c": "마이스키가 말했다.\n"}
    for doc_id, text in texts.items():
        (folder / f"{doc_id}.ko.txt").write_text(text, encoding="utf-8")
    (folder / "m.tsv").write_text("target\tdoc_id\n" + "".join(f"{d}.ko.txt\t{d}\n" for d in texts), encoding="utf-8")
    result = run_manifest(folder / "m.tsv", tmp_path / "out", base_config=ReviewConfig(use_models=False),
                          progress=False, corpus_names=True)
    assert result.count("done") == 3
    rows = read_corpus_names(tmp_path / "out")
    assert [(r["name"], r["spellings"]) for r in rows] == [("마이스키", "마이스키 (a: 3, c: 1) | 메이스키 (b: 3)")]
    assert "런던" not in {r["name"] for r in rows}  # spelled one way everywhere
