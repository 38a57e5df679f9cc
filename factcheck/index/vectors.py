"""Vector layout and search of the corpus index: FAISS rows in (match group, id) order, per-group top-k.

The FAISS file of an index holds the claims' key vectors with their SQLite ids.  Its rows are kept in
(match group, id) order, so each group is one contiguous slice: `ci` scores only the slices of the new
claims' groups, with one matrix product per block, straight from the (memory-mapped) codes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from factcheck.errors import IndexError_
from factcheck.fileio import atomic_write
from factcheck.index.codec import claim_group, vectors_from_blobs
from factcheck.index.duplicates import (
    MAX_SIMILARITY,
    SEARCH_ROWS,
    DamagedVectors,
    Distinct,
    first_rows,
    load_distinct,
    load_first_rows,
    save_distinct,
    save_first_rows,
    top_k_distinct,
)
from factcheck.index.manifest import (
    REBUILD_HINT,
    VECTOR_DISTINCT,
    VECTOR_ROWS,
    file_identity,
    file_sha256,
    record_vectors_file,
    recorded_groups,
    recorded_rows_file,
    recorded_vectors_file,
)
from factcheck.index.mapped import MappedFile, locate, open_mapped
from factcheck.records import Claim

GROUP_INDEX = "CREATE INDEX IF NOT EXISTS claims_grp ON claims (grp, id)"  # the FAISS row order


def faiss_ids(index: Any) -> np.ndarray:
    """Return the external (SQLite) ids of an IndexIDMap2's rows, in row order."""
    if isinstance(index, MappedFile):
        return np.asarray(index.ids, dtype=np.int64)
    import faiss

    return faiss.vector_to_array(index.id_map).astype(np.int64) if index.ntotal else np.zeros(0, np.int64)


def group_counts(db: sqlite3.Connection) -> list[tuple[str, int, int, int]]:
    """(group, claims, largest id, sum of ids) per match group, in the FAISS row order."""
    sql = "SELECT grp, count(*), max(id), total(id) FROM claims GROUP BY grp ORDER BY grp"
    return [(g, int(n), int(top), int(total)) for g, n, top, total in db.execute(sql)]


def group_slices(index: Any, db: sqlite3.Connection) -> dict[str, tuple[int, int]] | None:
    """Each group's rows [start, end) when the FAISS rows are SQLite's claims in (group, id) order, else None.

    Claim ids are AUTOINCREMENT (never reused), so an older or newer FAISS file always differs from
    SQLite in some group's count or largest id; the id sums guard against anything else.
    """
    ids = faiss_ids(index)
    slices: dict[str, tuple[int, int]] = {}
    start = 0
    for group, count, top, total in group_counts(db):
        part = ids[start : start + count]
        if len(part) != count or int(part[-1]) != top or int(part.sum()) != total:
            return None
        if count > 1 and not bool(np.all(part[1:] > part[:-1])):
            return None
        slices[group] = (start, start + count)
        start += count
    return slices if start == len(ids) else None


def in_group_order(index: Any, db: sqlite3.Connection, empty: Callable[[], Any]) -> Any | None:
    """Return a copy of `index` (holding exactly the stored claims) with rows in (group, id) order.

    None when the index does not hold exactly the stored claims' ids.
    """
    import faiss

    order = np.fromiter((r[0] for r in db.execute("SELECT id FROM claims ORDER BY grp, id")), dtype=np.int64)
    present = faiss_ids(index)
    if len(present) != len(order):
        return None
    by_id = np.argsort(present)
    found = np.searchsorted(present, order, sorter=by_id)
    if len(order) and not np.array_equal(present[by_id[np.minimum(found, len(by_id) - 1)]], order):
        return None
    rows = by_id[found] if len(order) else found
    inner = faiss.downcast_index(index.index)
    rebuilt = empty()
    for begin in range(0, len(order), SEARCH_ROWS):
        chunk = rows[begin : begin + SEARCH_ROWS]
        matrix = np.ascontiguousarray(inner.reconstruct_batch(chunk.astype(np.int64)), dtype=np.float32)
        rebuilt.add_with_ids(matrix, order[begin : begin + len(chunk)])
    return rebuilt


def code_matrix(index: Any, dim: int, vector_type: str) -> np.ndarray:
    """View the stored vectors as an (ntotal, dim) array over the index's own codes (no copy)."""
    if isinstance(index, MappedFile):
        return index.codes
    import faiss

    inner: Any = faiss.downcast_index(index.index)
    kind = np.float16 if vector_type == "float16" else np.float32
    codes = faiss.rev_swig_ptr(inner.codes.data(), int(inner.ntotal) * int(inner.code_size))
    return np.frombuffer(codes, dtype=kind).reshape(int(inner.ntotal), dim)


def neighbours(
    matrix: np.ndarray,
    ids: np.ndarray,
    slices: dict[str, tuple[int, int]],
    claims: Sequence[Claim],
    vectors: np.ndarray,
    threshold: float,
    k: int,
    first: np.ndarray | None = None,
    distinct_vectors: np.ndarray | None = None,
) -> dict[int, list[int]]:
    """Map stored claim ids to the rows of `claims` that have them among their `k` nearest in-group keys.

    With `first` (each row's first identical row, `duplicates.first_rows`), each distinct vector is
    scored once; the neighbours are the same.  `distinct_vectors` (`duplicates.load_distinct`) holds
    those vectors one after another, so a group's are read as one block.
    """
    queries = np.ascontiguousarray(vectors, dtype=np.float32)
    by_group: dict[str, list[int]] = {}
    for row, claim in enumerate(claims):
        by_group.setdefault(claim_group(claim), []).append(row)
    finders: dict[int, list[int]] = {}
    searches = [(members, span) for group, members in sorted(by_group.items())
                if (span := slices.get(group)) is not None]
    distinct = [Distinct.of(first, span) if first is not None else None for _, span in searches]
    work = sum(len(members) * (len(d.rows) if d is not None else span[1] - span[0])
               for (members, span), d in zip(searches, distinct, strict=True))
    ones = np.flatnonzero(first == np.arange(len(first))) if first is not None else None  # distinct rows
    with blas_threads(work):
        for (members, span), unique in zip(searches, distinct, strict=True):
            if unique is not None:
                block = None
                if distinct_vectors is not None and ones is not None:
                    begin, end = np.searchsorted(ones, span)
                    block = distinct_vectors[begin:end] if end - begin == len(unique.rows) else None
                rows, positions = top_k_distinct(queries[members], matrix, unique, k, threshold, block)
            else:
                rows, positions = top_k(queries[members], matrix, span, k, threshold)
            for row, position in zip(rows.tolist(), positions.tolist(), strict=True):
                finders.setdefault(int(ids[position]), []).append(members[row])
    return finders


@contextmanager
def blas_threads(work: int) -> Iterator[None]:
    """Run numpy's BLAS on one thread inside the block when `work` (queries x rows) is small.

    As for FAISS searches (`link.cluster.ONE_THREAD_WORK`): thread start-up and spin-waiting cost more
    than a small product, most of all on busy cores (a 100k `ci` search, ~5M products: ~0.35 s on two
    threads at load ~2, ~0.15 s on one).
    """
    from factcheck.link.cluster import ONE_THREAD_WORK

    if work >= ONE_THREAD_WORK:
        yield
        return
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1, user_api="blas"):
        yield


def top_k(
    queries: np.ndarray, matrix: np.ndarray, span: tuple[int, int], k: int, threshold: float
) -> tuple[np.ndarray, np.ndarray]:
    """(query row, matrix row) of each query's `k` best rows of `matrix[start:end]` scoring >= threshold.

    Rows tied with the k-th best score are all kept, so the answer depends on the stored vectors only,
    not on their row order (which follows the order documents were added): two indexes with the
    same content give the same neighbours.  Pairs come back sorted by (query, row).
    """
    start, end = span
    kk = min(k, end - start)
    found_q: list[np.ndarray] = []
    found_r: list[np.ndarray] = []
    found_s: list[np.ndarray] = []
    for begin in range(start, end, SEARCH_ROWS):
        block = np.asarray(matrix[begin : min(begin + SEARCH_ROWS, end)], dtype=np.float32)
        with np.errstate(all="ignore"):  # damaged bytes must not print numpy warnings; they raise below
            sims = queries @ block.T
            if sims.size and not np.abs(sims).max() <= MAX_SIMILARITY:  # NaN fails this test too
                raise DamagedVectors(f"|similarity| {np.abs(sims).max()!r} in rows from {begin}")
        floor = np.full(len(sims), threshold, dtype=np.float32)
        if sims.shape[1] > kk:  # this block's k-th best per query (the global k-th is at least as high)
            floor = np.maximum(floor, np.partition(sims, sims.shape[1] - kk, axis=1)[:, sims.shape[1] - kk])
        query, column = np.nonzero(sims >= floor[:, None])
        found_q.append(query)
        found_r.append(column + begin)
        found_s.append(sims[query, column])
    if not found_q:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    query, rows, sims = np.concatenate(found_q), np.concatenate(found_r), np.concatenate(found_s)
    if not len(query):
        return query, rows
    order = np.lexsort((rows, -sims, query))  # by query, best first, then row
    query, rows, sims = query[order], rows[order], sims[order]
    first = np.flatnonzero(np.r_[True, query[1:] != query[:-1]])
    sizes = np.diff(np.r_[first, len(query)])
    kth = np.repeat(sims[first + np.minimum(sizes, kk) - 1], sizes)  # each query's k-th best score
    keep = sims >= kth
    query, rows = query[keep], rows[keep]
    order = np.lexsort((rows, query))
    return query[order], rows[order]


class VectorFile:
    """The FAISS file of an index directory, kept consistent with the SQLite claims (the source of truth).

    A run killed between the SQLite commit and the FAISS write leaves the two with different id sets;
    `current()` then patches the index in memory, and `current(write_repair=True)` (writers) repairs
    the file.  Every write records the file's SHA-256 in the manifest; a file that does not match it
    (damaged bytes, a kill between the two writes) or whose vector type is not the manifest's is
    distrusted like a missing one and rebuilt from the database's vectors.
    """

    def __init__(self, path: Path, dim: int, vector_type: str, db: Callable[[], sqlite3.Connection]) -> None:
        self.path = path  # the vectors.faiss file
        self.dim = dim
        self.vector_type = vector_type
        self._db = db
        self._faiss: Any = None
        self.slices: dict[str, tuple[int, int]] = {}  # match group -> its rows [start, end)
        self.identity: str | None = None  # size and mtime of the file as last written by this process
        self.rows_path = path.with_name(VECTOR_ROWS)  # each row's first identical row (duplicates.py)
        self.distinct_path = path.with_name(VECTOR_DISTINCT)  # the distinct vectors, one after another
        self._mapped: str | None = None  # identity of the file `_faiss` maps, when it is the mapped file

    def empty(self) -> Any:
        """Return a new, empty FAISS index of this index's dimension and vector type."""
        import faiss

        if self.vector_type == "float16":
            fp16 = faiss.ScalarQuantizer.QT_fp16
            inner: Any = faiss.IndexScalarQuantizer(self.dim, fp16, faiss.METRIC_INNER_PRODUCT)
        else:
            inner = faiss.IndexFlatIP(self.dim)
        return faiss.IndexIDMap2(inner)

    def write(self, index: Any) -> None:
        """Write `index` (rows put in group order first) atomically over the file."""
        import faiss

        index = self.in_group_order(index)
        atomic_write(self.path, lambda tmp: faiss.write_index(index, tmp))
        self.identity = file_identity(self.path)  # recorded without reading the file back (no hash)
        record_vectors_file(self.path.parent, self.identity, self._write_rows(index, self.identity),
                            self._groups_entry(self.identity, index))
        self._faiss = index
        self._mapped = None

    def _write_rows(self, index: Any, identity: str) -> str:
        """Write each row's first identical row (`duplicates.first_rows`); return the manifest entry."""
        matrix = code_matrix(index, self.dim, self.vector_type)
        first = first_rows(matrix, self.slices)
        atomic_write(self.rows_path, lambda tmp: save_first_rows(Path(tmp), first))
        atomic_write(self.distinct_path, lambda tmp: save_distinct(Path(tmp), matrix, first))
        return self._rows_entry(identity)

    def _claims_state(self) -> list[int]:
        """Return (claims, largest claim id) in SQLite.

        Claim ids are AUTOINCREMENT (never reused) and claims are only inserted or deleted: an addition
        that stays raises the largest id for good, and removals alone lower the count, so an unchanged
        pair means an unchanged set of claims (and of their groups).
        """
        db = self._db()
        count = int(db.execute("SELECT count(*) FROM claims").fetchone()[0])
        top = db.execute("SELECT max(id) FROM claims").fetchone()[0]
        return [count, int(top or 0)]

    def _groups_entry(self, faiss_identity: str, index: Any) -> dict[str, Any]:
        """Return the manifest entry of the group slices (`self.slices`, checked against SQLite).

        `index` is what the file on disk holds: where its codes and ids lie in the file is recorded
        too (`mapped.locate`), so that `ci` can read them without FAISS.
        """
        counts = {group: [count, top, total] for group, count, top, total in group_counts(self._db())}
        layout = locate(self.path, code_matrix(index, self.dim, self.vector_type), faiss_ids(index))
        distinct = file_identity(self.distinct_path) if self.distinct_path.exists() else None
        return {"vectors_file": faiss_identity, "claims": self._claims_state(), "layout": layout,
                "distinct": distinct,
                "slices": {group: [*span, *counts[group][1:]] for group, span in self.slices.items()}}

    def _groups_recorded(self, index: Any) -> bool:
        """Whether the manifest's group entry fits the file and has its layout (or that none was found)."""
        entry = recorded_groups(self.path.parent)
        return (isinstance(entry, dict) and "layout" in entry and entry.get("distinct") is not None
                and self._recorded_slices(index) is not None)

    def _open_recorded(self, identity: str) -> MappedFile | None:
        """Map the file's codes and ids at the recorded layout, when its group slices can be trusted."""
        entry = recorded_groups(self.path.parent)
        if not isinstance(entry, dict) or entry.get("vectors_file") != identity:
            return None
        claims = entry.get("claims")
        if not isinstance(claims, list) or not claims or not isinstance(claims[0], int):
            return None
        kind = np.float16 if self.vector_type == "float16" else np.float32
        mapped = open_mapped(self.path, entry.get("layout"), claims[0], self.dim, kind)
        slices = self._recorded_slices(mapped, identity) if mapped is not None else None
        if slices is None:
            return None
        self.slices = slices
        return mapped

    def _recorded_slices(self, index: Any, identity: str | None = None) -> dict[str, tuple[int, int]] | None:
        """Return the group slices recorded for the FAISS file, when SQLite still holds the same claims.

        `identity`: the file's identity before `index` was read from it (a writer may replace it
        meanwhile: then the identities differ and the record is not used).  Saves `group_slices` (a
        GROUP BY over every claim, ~0.1 s at 400k claims) on each `ci` run: the file's ids are checked
        against the group counts, largest ids and id sums recorded from SQLite.  A missing, malformed or
        stale entry, or ids that do not match, give None (then `agrees` checks against SQLite).
        """
        entry = recorded_groups(self.path.parent)
        try:
            now = file_identity(self.path)
            if entry["vectors_file"] != now or (identity is not None and identity != now):
                return None
            if entry["claims"] != self._claims_state():
                return None
            groups = {str(g): tuple(int(v) for v in span) for g, span in entry["slices"].items()}
            slices = {g: (start, end) for g, (start, end, _, _) in groups.items()}
        except (TypeError, KeyError, ValueError, IndexError, AttributeError, OSError):
            return None
        spans = sorted(slices.values())
        ends = [0, *(end for _, end in spans)]
        if any(start != ends[n] or end <= start for n, (start, end) in enumerate(spans)):
            return None  # not contiguous slices from row 0
        if not ends[-1] == int(index.ntotal) == entry["claims"][0]:
            return None
        # the mapped file's ids, as `group_slices` checks them, against the sums SQLite had (and has)
        ids = faiss_ids(index)
        for start, end, top, total in groups.values():
            part = ids[start:end]
            if int(part[-1]) != top or int(part.sum()) != total or not bool(np.all(part[1:] > part[:-1])):
                return None
        return slices

    def _rows_entry(self, faiss_identity: str) -> str:
        """Return the manifest entry of the rows file on disk, written for the FAISS file `faiss_identity`."""
        return f"{faiss_identity} {file_identity(self.rows_path)}"

    def first_rows(self) -> np.ndarray | None:
        """Each row's first identical row, for the mapped file when its rows file was written for it."""
        if self._mapped is None or self._faiss is None:
            return None
        try:
            wanted = self._rows_entry(self._mapped)
        except OSError:
            return None
        if recorded_rows_file(self.path.parent) != wanted:
            return None  # missing, or written for another FAISS file
        return load_first_rows(self.rows_path, self.slices, int(self._faiss.ntotal))

    def distinct_vectors(self, first: np.ndarray, matrix: np.ndarray) -> np.ndarray | None:
        """Return the distinct vectors file, mapped, when written with the mapped file (else None)."""
        entry = recorded_groups(self.path.parent)
        if self._mapped is None or not isinstance(entry, dict) or entry.get("vectors_file") != self._mapped:
            return None
        try:
            if entry.get("distinct") != file_identity(self.distinct_path):
                return None
        except OSError:
            return None
        return load_distinct(self.distinct_path, first, matrix)

    def read(self, mapped: bool = False) -> Any:
        """Read the file's FAISS index; None when missing, unreadable or not the file last written.

        A writer's read (not `mapped`) distrusts a file whose size or modification time is not what the
        manifest recorded when it was written (a run killed between the two writes, a file changed
        outside factcheck); an older index's recorded SHA-256 is still checked.  With `mapped` (the `ci`
        reader) the file is memory-mapped and not checked.  Every search checks the similarities it
        computes (`DamagedVectors`), and `neighbours` then falls back to vectors rebuilt from the database.
        """
        import faiss

        if not self.path.exists():
            return None
        identity, checksum = (None, None) if mapped else recorded_vectors_file(self.path.parent)
        if identity is not None and file_identity(self.path) != identity:
            return None  # changed since it was written, or written by a run killed before it was recorded
        if identity is None and checksum is not None and file_sha256(self.path) != checksum:
            return None  # an older index's file that does not match its checksum
        try:
            flags = faiss.IO_FLAG_MMAP_IFC if mapped else 0
            index = faiss.read_index(str(self.path), flags)
        except RuntimeError:
            return None
        if getattr(index, "d", None) != self.dim or not hasattr(index, "id_map"):
            return None
        index = faiss.downcast_index(index) if not isinstance(index, faiss.IndexIDMap2) else index
        inner = faiss.downcast_index(index.index)  # type: ignore[attr-defined]
        float16 = isinstance(inner, faiss.IndexScalarQuantizer)
        if float16 != (self.vector_type == "float16") or not (float16 or isinstance(inner, faiss.IndexFlat)):
            return None  # not the vector type the manifest declares: its codes cannot be read as such
        return index

    def current(self, write_repair: bool = False, mapped: bool = True) -> Any:
        """Return the FAISS index made consistent with SQLite (in memory; on disk with `write_repair`).

        Readers get the memory-mapped file when it agrees with SQLite; `mapped=False` reads it
        whole and checks its checksum instead.
        """
        if self._faiss is not None and not write_repair:
            return self._faiss
        if not write_repair and mapped and self.path.exists():
            before = file_identity(self.path)
            quick = self._open_recorded(before)  # no FAISS: codes and ids where the writer found them
            if quick is not None and file_identity(self.path) == before:
                self._faiss = quick
                self._mapped = before
                return quick
            mapped = self.read(mapped=True)  # read-only pages of the file, loaded as touched
            recorded = self._recorded_slices(mapped, before) if mapped is not None else None
            if recorded is not None:
                self.slices = recorded
            if mapped is not None and (recorded is not None or self.agrees(mapped)):
                self._faiss = mapped
                self._mapped = before if file_identity(self.path) == before else None
                return mapped
        index = self.read()
        changed = index is None
        if index is None:
            index = self.empty()
        stored = np.fromiter((r[0] for r in self._db().execute("SELECT id FROM claims")), dtype=np.int64)
        present = faiss_ids(index)
        extra = np.setdiff1d(present, stored, assume_unique=True)
        missing = np.setdiff1d(stored, present, assume_unique=True)
        if extra.size:
            index.remove_ids(extra)
            changed = True
        if missing.size:
            self._add_from_db(index, missing)
            changed = True
        if write_repair and (changed or not self.agrees(index)):
            self.write(index)  # also puts the rows in group order
            index = self._faiss
        elif write_repair and (self._rows_stale() or not self._groups_recorded(index)):
            # an index written before the rows file, the distinct vectors or the group slices were
            identity = file_identity(self.path)
            record_vectors_file(self.path.parent, identity, self._write_rows(index, identity),
                                self._groups_entry(identity, index))
        elif not self.agrees(index):
            index = self.in_group_order(index)  # an index written by an older factcheck: in memory only
        self._faiss = index
        return index

    def _rows_stale(self) -> bool:
        """Whether the rows file is missing or was not written for the FAISS file on disk."""
        try:
            return recorded_rows_file(self.path.parent) != self._rows_entry(file_identity(self.path))
        except OSError:
            return True

    def rebuilt(self) -> Any:
        """Return a FAISS index rebuilt in memory from the database's vectors (the file is not read)."""
        index = self.empty()
        stored = np.fromiter((r[0] for r in self._db().execute("SELECT id FROM claims")), dtype=np.int64)
        self._add_from_db(index, stored)
        self._faiss = self.in_group_order(index)
        self._mapped = None
        return self._faiss

    def agrees(self, index: Any) -> bool:
        """Check that the FAISS rows are SQLite's claims in (group, id) order; remember the group slices."""
        slices = group_slices(index, self._db())
        if slices is not None:
            self.slices = slices
        return slices is not None

    def in_group_order(self, index: Any) -> Any:
        """Return the index with its rows in (group, id) order (a rebuilt copy when they are not)."""
        if self.agrees(index):
            return index
        rebuilt = in_group_order(index, self._db(), self.empty)
        if rebuilt is None or not self.agrees(rebuilt):
            raise IndexError_(f"index {self.path.parent} vectors disagree with its database; {REBUILD_HINT}")
        return rebuilt

    def _add_from_db(self, index: Any, ids: np.ndarray) -> None:
        for begin in range(0, len(ids), 5000):
            chunk = [int(i) for i in ids[begin : begin + 5000]]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT id, vector FROM claims WHERE id IN ({marks})"
            rows = self._db().execute(sql, chunk).fetchall()
            if not rows:
                continue
            matrix = vectors_from_blobs([r[1] for r in rows], self.dim)
            index.add_with_ids(np.ascontiguousarray(matrix), np.asarray([r[0] for r in rows], dtype=np.int64))

    def consistent(self) -> bool:
        """Whether the file on disk holds exactly the stored claims' ids."""
        import faiss

        index = self.read()
        if index is None:
            return False
        stored = np.fromiter(
            (r[0] for r in self._db().execute("SELECT id FROM claims ORDER BY id")), dtype=np.int64
        )
        present = (
            np.sort(faiss.vector_to_array(index.id_map).astype(np.int64)) if index.ntotal else stored[:0]
        )
        return bool(np.array_equal(stored, present))

    def neighbours(
        self, index: Any, claims: Sequence[Claim], vectors: np.ndarray, threshold: float, k: int
    ) -> dict[int, list[int]]:
        """Map stored claim ids to the rows of `claims` that have them among their `k` nearest keys."""
        if not index.ntotal or (not self.slices and not self.agrees(index)):
            return {}
        matrix = code_matrix(index, self.dim, self.vector_type)
        first = self.first_rows() if index is self._faiss else None
        stored = self.distinct_vectors(first, matrix) if first is not None else None
        try:
            return neighbours(matrix, faiss_ids(index), self.slices, claims, vectors, threshold, k, first,
                              stored)
        except DamagedVectors:
            pass
        index = self.rebuilt()  # from the database's vectors, the source of truth
        matrix = code_matrix(index, self.dim, self.vector_type)
        try:
            return neighbours(matrix, faiss_ids(index), self.slices, claims, vectors, threshold, k)
        except DamagedVectors:
            raise IndexError_(f"index {self.path.parent} vectors are damaged; {REBUILD_HINT}") from None
