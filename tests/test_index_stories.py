"""The index keeps its documents' story features numbered (`index.stories`); `ci` groups alike from them."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEEDS, FakeEmbedder

import factcheck.index.stories as stored_stories
from factcheck.config import Config
from factcheck.index import incremental
from factcheck.index.store import CorpusIndex
from factcheck.read import stories
from factcheck.read.ingest import load_documents
from factcheck.records import Document

CONFIG = Config(use_cache=False)
TOPICS = {
    "harbour": "Harbour master Ellen Marwick said the Delmar ferries sailed from the Ostrava pier",
    "budget": "Finance minister Piet Brandt said the Kessler budget would cut pensions in Varga county",
    "storm": "Forecaster Amina Onyango said the Tamsin storm flooded the Pike valley railway",
}


def _texts() -> dict[str, str]:
    """Three reports of each of three stories, plus the seeds' texts (another story)."""
    out = {}
    for topic, sentence in TOPICS.items():
        for copy in range(3):
            text = f"{topic.title()}\n\nOn Monday the {sentence}, officials said {copy}.\n"
            out[f"{topic}-{copy}.txt"] = text
    return out


@pytest.fixture
def index(tmp_path: Path) -> CorpusIndex:
    for name, text in _texts().items():
        (tmp_path / "docs").mkdir(exist_ok=True)
        (tmp_path / "docs" / name).write_text(text)
    index = CorpusIndex.open(tmp_path / "ix", FakeEmbedder(), create=True)
    index.add(load_documents([str(tmp_path / "docs"), str(SEEDS)]), CONFIG)
    return index


def _stored(index: CorpusIndex) -> tuple[list[Document], list[int]]:
    """All stored documents (in path order) with their ids, as `ci` would retrieve them."""
    rows = index.db.execute("SELECT id, path, sha256, text FROM documents ORDER BY path").fetchall()
    return [Document(path=p, text=t, sha256=s) for _, p, s, t in rows], [int(r[0]) for r in rows]


def _labels(index: CorpusIndex, new: list[Document]) -> list[str]:
    stored, ids = _stored(index)
    return incremental._stories(new, stored, ids, index, CONFIG)


def _by_strings(index: CorpusIndex, new: list[Document]) -> list[str]:
    stored, _ = _stored(index)
    together = [*new, *stored]
    population = len(new) + len(stored)
    return stories.assign_stories(together, by_folder=False, population=population)


def _new(tmp_path: Path) -> list[Document]:
    path = tmp_path / "new-harbour.txt"
    path.write_text("Harbour\n\nOn Tuesday the Harbour master Ellen Marwick said the Delmar ferries were"
                    " late.\n")
    return load_documents([str(path)])


def test_index_add_numbers_every_document_and_ci_groups_as_from_strings(index: CorpusIndex,
                                                                        tmp_path: Path) -> None:
    stored, ids = _stored(index)
    assert index.db.execute("SELECT count(*) FROM story_ids").fetchone()[0] == len(stored)
    new = _new(tmp_path)
    assert index.story_numbers([stories.story_features(new[0].text)], ids) is not None  # the fast path
    labels = _labels(index, new)
    assert labels == _by_strings(index, new)
    harbour = [label for label, d in zip(labels[1:], stored, strict=True) if "harbour" in d.path]
    assert set(harbour) == {labels[0]}  # the new report joins its story ...
    assert sum(label == labels[0] for label in labels) == 4  # ... and only its story


def test_stale_damaged_or_missing_rows_fall_back_to_strings(index: CorpusIndex, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    new = _new(tmp_path)
    features = [stories.story_features(new[0].text)]
    _, ids = _stored(index)
    expected = _by_strings(index, new)
    db = index.db
    # another version of the feature reader made the rows: not used, and the next `index add` renumbers
    monkeypatch.setattr(stored_stories, "_version", "another-version")
    assert index.story_numbers(features, ids) is None
    assert _labels(index, new) == expected
    index.add([], CONFIG)
    assert index.story_numbers(features, ids) is not None
    assert _labels(index, new) == expected
    # a damaged row (a truncated id; an id the vocabulary never gave)
    for damage in ("x'010203'", "x'ffffff7f'"):
        (names,) = db.execute("SELECT names FROM story_ids WHERE doc_id=?", (ids[0],)).fetchone()
        with db:
            db.execute(f"UPDATE story_ids SET names={damage} WHERE doc_id=?", (ids[0],))
        assert index.story_numbers(features, ids) is None
        assert _labels(index, new) == expected
        with db:
            db.execute("UPDATE story_ids SET names=? WHERE doc_id=?", (names, ids[0]))
        assert index.story_numbers(features, ids) is not None
    # an index written before the tables existed: `ci` reads strings, `index add` fills the tables
    with db:
        db.execute("DROP TABLE story_ids")
        db.execute("DROP TABLE story_vocab")
    assert index.story_numbers(features, ids) is None
    assert _labels(index, new) == expected
    index.add([], CONFIG)
    assert index.story_numbers(features, ids) is not None
    assert _labels(index, new) == expected


def test_removed_and_replaced_documents_lose_their_rows(index: CorpusIndex, tmp_path: Path) -> None:
    db = index.db
    before = db.execute("SELECT count(*) FROM story_ids").fetchone()[0]
    index.remove([str(tmp_path / "docs" / "storm-0.txt")])
    assert db.execute("SELECT count(*) FROM story_ids").fetchone()[0] == before - 1
    path = tmp_path / "docs" / "budget-1.txt"
    path.write_text("Budget\n\nOn Friday the finance minister Piet Brandt withdrew the Kessler budget.\n")
    index.add(load_documents([str(path)]), CONFIG)
    assert db.execute("SELECT count(*) FROM story_ids").fetchone()[0] == before - 1
    orphans = db.execute("SELECT count(*) FROM story_ids s LEFT JOIN documents d ON d.id = s.doc_id"
                         " WHERE d.id IS NULL").fetchone()[0]
    assert orphans == 0
    _, ids = _stored(index)
    assert index.story_numbers([stories.story_features(path.read_text())], ids) is not None


def test_an_unknown_feature_of_a_new_document_is_shared_with_no_stored_one(index: CorpusIndex) -> None:
    _, ids = _stored(index)
    new = [(frozenset({"zyxwv"}), frozenset({"qqqqword"})), (frozenset({"zyxwv"}), frozenset())]
    numbered = index.story_numbers(new, ids)
    assert numbered is not None
    stored_ids = set(numbered.names[int(numbered.name_counts[:2].sum()):].tolist())
    assert numbered.names[0] == numbered.names[1]  # the same unknown name: one id
    assert int(numbered.names[0]) not in stored_ids
