"""The FAISS file's codes and ids read in place by numpy, at offsets verified when the file was written.

`ci` needs only two arrays of the FAISS file: the codes (one vector per row) and the row ids.  Reading
them through FAISS costs `read_index` (~0.05-0.08 s at 400k rows: it builds the id map's reverse
table).  Writers therefore locate both arrays in the file they just wrote (`locate`: they are the last two
vectors of an `IndexIDMap2` file, each after its 64-bit length) and check them byte for byte against the
index in memory; the offsets go into the manifest with the file's identity.  `ci` maps the file with
`mmap` (`open_mapped`) only while the file is the one recorded.  (Asking the kernel to map the searched
groups' pages up front, `MADV_POPULATE_READ`, made no difference to a 100k `ci` and raised its RSS.)
"""

from __future__ import annotations

import mmap
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["MappedFile", "locate", "open_mapped"]

_BLOCK = 1 << 26  # bytes compared at a time when checking a layout


@dataclass(frozen=True)
class MappedFile:
    """A FAISS file's codes, as an (ntotal, dim) array, and row ids, mapped read-only."""

    codes: np.ndarray
    ids: np.ndarray
    handle: mmap.mmap
    codes_offset: int

    @property
    def ntotal(self) -> int:
        """Rows in the file (as FAISS indexes say)."""
        return len(self.ids)


def _views(handle: Any, ntotal: int, dim: int, dtype: type, codes_offset: int,
           ids_offset: int) -> tuple[np.ndarray, np.ndarray]:
    codes: np.ndarray = np.frombuffer(handle, dtype=dtype, count=ntotal * dim, offset=codes_offset)
    codes = codes.reshape(ntotal, dim)
    ids = np.frombuffer(handle, dtype="<i8", count=ntotal, offset=ids_offset)
    return codes, ids


def locate(path: Path, codes: np.ndarray, ids: np.ndarray) -> list[int] | None:
    """Return [codes offset, ids offset] of a just-written FAISS file holding exactly `codes` and `ids`.

    None unless the file ends with the codes and then the ids, each after its 64-bit little-endian
    length (of bytes, or of floats for an `IndexFlat`), and both match the given arrays byte for byte.
    """
    ntotal = len(codes)
    size = path.stat().st_size
    ids_offset = size - 8 * ntotal
    codes_offset = ids_offset - 8 - codes.nbytes
    if ntotal == 0 or codes_offset < 8 or codes.dtype.byteorder == ">":
        return None
    with path.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as handle:
        same = _holds(handle, codes, ids, codes_offset, ids_offset)
    return [codes_offset, ids_offset] if same else None


def _holds(handle: mmap.mmap, codes: np.ndarray, ids: np.ndarray, codes_offset: int, ids_offset: int) -> bool:
    """Whether the mapped file holds the lengths, `codes` and `ids` at these offsets (its views end here)."""
    ntotal, dim = codes.shape
    count = int(np.frombuffer(handle, dtype="<u8", count=1, offset=ids_offset - 8)[0])
    length = int(np.frombuffer(handle, dtype="<u8", count=1, offset=codes_offset - 8)[0])
    if count != ntotal or length not in (codes.nbytes, codes.size):  # bytes, or floats (IndexFlat)
        return False
    stored_codes, stored_ids = _views(handle, ntotal, dim, codes.dtype.type, codes_offset, ids_offset)
    if not np.array_equal(stored_ids, ids):
        return False
    rows = max(1, _BLOCK // max(codes.strides[0], 1))  # blocks: no bool array the size of the file
    return all(np.array_equal(stored_codes[begin : begin + rows], codes[begin : begin + rows])
               for begin in range(0, ntotal, rows))


def open_mapped(path: Path, layout: object, ntotal: int, dim: int, dtype: type) -> MappedFile | None:
    """Map the file's codes and ids at a recorded layout; None when the layout does not fit the file."""
    try:
        codes_offset, ids_offset = (int(v) for v in layout)  # type: ignore[attr-defined]
        size = os.path.getsize(path)
        if ntotal <= 0 or codes_offset < 8 or ids_offset != size - 8 * ntotal:
            return None
        if codes_offset + ntotal * dim * np.dtype(dtype).itemsize + 8 != ids_offset:
            return None
        with path.open("rb") as file:
            handle = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, TypeError, ValueError):
        return None
    codes, ids = _views(handle, ntotal, dim, dtype, codes_offset, ids_offset)
    return MappedFile(codes, ids, handle, codes_offset)
