"""Read documents: find files, decode bytes, extract HTML main text, find date and outlet.

`load_documents` is the entry point: it never prints; every warning goes through `warn`
as one line.  Offsets of later stages index `Document.text` exactly as decoded (no newline
normalisation), or the extracted main text for HTML.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import sys
import tomllib
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

from factcheck.config import toml_date
from factcheck.errors import ConfigError, InputError
from factcheck.read.boilerplate import classify_language, line_script, main_script, script_of
from factcheck.read.boilerplate import find_boilerplate as _find_boilerplate
from factcheck.read.files import (
    DEFAULT_MAX_FILE_SIZE,
    DOCUMENT_SUFFIXES,
    SIDECAR,
    STDIN,
    discover,
    read_bounded,
    unreadable,
)
from factcheck.records import Document, IgnoredSpan

__all__ = [
    "DOCUMENT_SUFFIXES",
    "decode_bytes",
    "discover",
    "find_boilerplate",
    "load_documents",
    "parse_date",
]

_FORMATS = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
STDIN_PATH = "<stdin>"


def read_stdin(max_bytes: int = DEFAULT_MAX_FILE_SIZE) -> str:
    """Read standard input as UTF-8 with a bounded read; InputError when too large or not UTF-8."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text stream without bytes underneath (tests, embedding)
        text = sys.stdin.read(max_bytes + 1)
        if len(text) > max_bytes:
            raise InputError(f"{STDIN_PATH}: larger than the per-file limit of {max_bytes:,} bytes")
        return text
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(f"{STDIN_PATH}: larger than the per-file limit of {max_bytes:,} bytes")
    return decode_bytes(data, STDIN_PATH)[0]


# --------------------------------------------------------------------------- decoding


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or mostly control bytes in the first 8 KB (callers rule out UTF-16/32 first)."""
    head = data[:8192]
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls * 10 > len(head)


def _has_wide_bom(data: bytes) -> bool:
    return data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff"))


_TOKEN = re.compile(r"\w+|[^\w\x00-\x7f]")


def _plausible_decoding(text: str) -> bool:
    """Tell whether the non-ASCII characters of a legacy decoding look like real words.

    A word with non-ASCII letters must be all letters and either contain ASCII letters
    ("café"), be one lower-case letter ("à"), or be written in a single non-Latin script;
    other non-ASCII characters must be punctuation or currency signs.  At least 90 % of the
    non-ASCII words and signs must pass.
    """
    good = total = 0
    for m in _TOKEN.finditer(text):
        word = m.group()
        if word.isascii():
            continue
        total += 1
        if not word.isalpha():
            if len(word) == 1 and unicodedata.category(word)[0] in "PS" and word != "\xa0":
                good += 1
            continue
        if any(c.isascii() for c in word):
            good += 1
            continue
        scripts = {script_of(c) for c in word}
        if scripts == {"latin"}:
            good += len(word) == 1 and word.islower()
        elif len(scripts) == 1 and "other" not in scripts:
            good += 1
    return total > 0 and good * 10 >= total * 9


def decode_bytes(data: bytes, path: str) -> tuple[str, str]:
    """Decode file bytes to text; returns (text, encoding name).

    UTF-8 (a BOM is stripped), UTF-16/32 with a BOM, else a legacy encoding when the
    detection is confident; otherwise InputError naming the first invalid byte.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise _undecodable(path, data, exc.start + 3) from None
    for bom, codec, name in (
        (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be", "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), name
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{path}: cannot decode as {name.upper()} (invalid data at offset "
                    f"{exc.start + len(bom)}); convert the file to UTF-8"
                ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    legacy = _detect_legacy(data)
    if legacy is not None:
        return legacy
    raise _undecodable(path, data, first_bad)


def _undecodable(path: str, data: bytes, offset: int) -> InputError:
    return InputError(
        f"{path}: cannot decode as UTF-8 (invalid byte 0x{data[offset]:02x} at offset {offset}); "
        "convert the file to UTF-8"
    )


def _detect_legacy(data: bytes) -> tuple[str, str] | None:
    """Return a confident single-byte/legacy decoding of non-UTF-8 bytes, or None."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = ""
    if text and _plausible_decoding(text):
        return text, "cp1252"
    try:
        import charset_normalizer
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    best = charset_normalizer.from_bytes(data[:1_000_000]).best()
    if best is None or best.chaos > 0.1:
        return None
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    # charset_normalizer measures no coherence for CJK text; its script must then speak for it.
    coherent = best.coherence >= 0.2 or main_script(text) == "cjk"
    return (text, best.encoding) if coherent and _plausible_decoding(text) else None


# --------------------------------------------------------------------------- HTML


class _PageParser(HTMLParser):
    """Collects <meta> values, <time datetime>, <title> and a rough main text (fallback)."""

    _SKIP = frozenset({"script", "style", "noscript", "nav", "footer", "header", "aside", "form", "template"})
    _BLOCK = frozenset(
        {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "article", "section", "tr", "blockquote"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.times: list[str] = []
        self.parts: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and "content" in a:
                self.meta.setdefault(key, a["content"].strip())
        elif tag == "time" and a.get("datetime"):
            self.times.append(a["datetime"])
        if tag in self._SKIP:
            self._skip_depth += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.parts.append(data)

    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self.parts).split("\n"))
        return "\n\n".join(line for line in lines if line)


def _extract_html(html: str) -> tuple[str, _PageParser]:
    """Return the main text of an HTML page (trafilatura, else the stdlib parser) and the parsed metadata."""
    page = _PageParser()
    page.feed(html)
    page.close()
    text: str | None = None
    try:
        import trafilatura

        text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    except ImportError:
        text = None
    except Exception:  # a broken page falls back to the stdlib extraction
        text = None
    return (text if text and text.strip() else page.text()), page


def _html_metadata(page: _PageParser) -> tuple[dt.date | None, str | None]:
    date = None
    for key in ("article:published_time", "date", "pubdate", "publishdate", "datepublished", "dc.date"):
        if key in page.meta and (date := parse_date(page.meta[key])):
            break
    if date is None:
        for value in page.times:
            if date := parse_date(value):
                break
    outlet = page.meta.get("og:site_name") or page.meta.get("application-name") or None
    return date, outlet


# --------------------------------------------------------------------------- dates


_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d])")
_MDY = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_DMY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")
_HEADER = re.compile(r"\s*(?:date|dated|published(?:\s+on)?|posted(?:\s+on)?)\s*[:：]\s*(.+)", re.I)


def _date_prefix(value: str) -> tuple[dt.date | None, int]:
    """Return the date at the start of `value` (already stripped) and where it ends; (None, 0) if none."""
    for pattern, order in ((_ISO, "ymd"), (_MDY, "mdy"), (_DMY, "dmy")):
        m = pattern.match(value)
        if not m:
            continue
        a, b, c = m.groups()
        try:
            if order == "ymd":
                return dt.date(int(a), int(b), int(c)), m.end()
            if order == "mdy" and a.lower() in _MONTHS:
                return dt.date(int(c), _MONTHS[a.lower()], int(b)), m.end()
            if order == "dmy" and b.lower() in _MONTHS:
                return dt.date(int(c), _MONTHS[b.lower()], int(a)), m.end()
        except ValueError:
            return None, 0
    return None, 0


def parse_date(value: str) -> dt.date | None:
    """Return the date at the start of `value` (ISO, "July 1, 2025", "1 July 2025") or None."""
    return _date_prefix(value.strip())[0]


def _header_date(text: str) -> dt.date | None:
    """Return the date of a `Date:`/`Published:` or date-only line among the first 5 non-empty lines."""
    seen = 0
    pos = 0
    while seen < 5 and pos < len(text):
        nl = text.find("\n", pos)
        line = text[pos : nl if nl >= 0 else len(text)].strip()
        pos = len(text) if nl < 0 else nl + 1
        if not line:
            continue
        seen += 1
        m = _HEADER.match(line)
        if m and (date := parse_date(m.group(1))):
            return date
        date, end = _date_prefix(line)
        if date is not None and line[end:].strip(" .") == "":
            return date
    return None


# --------------------------------------------------------------------------- sidecars


@dataclass(frozen=True, slots=True)
class _SidecarEntry:
    date: dt.date | None
    outlet: str | None
    story: str | None = None


def _sidecar_date(value: object, where: str, key: str) -> dt.date | None:
    if value is None:
        return None
    date = toml_date(value)
    if date is None:
        raise ConfigError(f'{where}: documents."{key}".date: invalid date {value!r} (use YYYY-MM-DD)')
    return date


def load_sidecar(path: str) -> dict[str, _SidecarEntry]:
    """Parse a `factcheck.toml` sidecar: `[documents."NAME"]` tables with `date`, `outlet` and `story`."""
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\s*\(at line (\d+), column \d+\)\s*$", msg)
        if m:
            msg = f"line {m.group(1)}: {msg[: m.start()]}"
        raise ConfigError(f"{path}: {msg}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 (invalid byte at offset {exc.start}); save as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    documents = data.get("documents", {})
    if not isinstance(documents, dict):
        raise ConfigError(f'{path}: `documents` must be a table of [documents."NAME"] entries')
    entries: dict[str, _SidecarEntry] = {}
    for key, table in documents.items():
        if not isinstance(table, dict):
            raise ConfigError(f'{path}: documents."{key}" must be a table with date/outlet')
        outlet = table.get("outlet")
        if outlet is not None and not isinstance(outlet, str):
            raise ConfigError(f'{path}: documents."{key}".outlet: expected a string, got {outlet!r}')
        story = table.get("story")
        if story is not None and not isinstance(story, str):
            raise ConfigError(f'{path}: documents."{key}".story: expected a string, got {story!r}')
        entries[key] = _SidecarEntry(_sidecar_date(table.get("date"), path, key), outlet or None,
                                     story or None)
    return entries


# --------------------------------------------------------------------------- language


def detect_language(text: str, sample: int = 2_000) -> str:
    """Return the main language of `text`; default "en".

    py3langid reads a bounded sample, not the whole document (its cost grows with the text, and a
    few thousand characters decide a language as well as a whole article): when most letters of the
    first `20 * sample` characters are Latin, the first `sample` characters of their Latin lines
    (boilerplate in other scripts is skipped), otherwise the first `sample` characters.
    """
    window = text[: 20 * sample]
    if main_script(window) == "latin":
        kept: list[str] = []
        size = 0
        for line in window.split("\n"):
            script, share, letters = line_script(line)
            if letters and script == "latin" and share > 0.5:
                kept.append(line)
                size += len(line) + 1
                if size >= sample:
                    break
        head = "\n".join(kept)
    else:
        head = window[:sample]
    if sum(1 for ch in head if ch.isalpha()) < 20:
        return "en"
    lang, _ = classify_language(head)
    return lang or "en"


# --------------------------------------------------------------------------- loading


def _date_from_mapping(path: str, dates: Mapping[str, dt.date]) -> dt.date | None:
    if path in dates:
        return dates[path]
    norm = os.path.normpath(path)
    base = os.path.basename(path)
    for key, value in dates.items():
        if os.path.normpath(key) == norm or key == base:
            return value
    return None


def load_documents(
    paths: Sequence[str],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    dates: Mapping[str, dt.date] | None = None,
    stdin_text: str | None = None,
    warn: Callable[[str], None] = lambda m: None,
    language_of: Callable[[str], str] = detect_language,
    max_file_size: int = DEFAULT_MAX_FILE_SIZE,
    skip_unreadable: bool = False,
) -> list[Document]:
    """Discover, read and decode documents and find their date, outlet and language.

    Documents come back sorted by path, whatever the order of `paths`.
    Date priority: `dates` (by path or base name) > sidecar `factcheck.toml` > a date
    header line > HTML metadata.  Empty and binary files are skipped with a warning.  A file
    larger than `max_file_size` bytes is an InputError; an unreadable one too, or a warning
    with `skip_unreadable`.  `language_of` identifies a text's language (the pipeline passes a
    cached `detect_language`).
    """
    sidecars: dict[str, dict[str, _SidecarEntry]] = {}
    documents: list[Document] = []
    for path in discover(paths, include, exclude, skip_unreadable=skip_unreadable, warn=warn):
        if path == STDIN:
            text = stdin_text if stdin_text is not None else read_stdin(max_file_size)
            raw = text.encode("utf-8", "surrogatepass")
            doc_path, encoding, fmt = STDIN_PATH, "utf-8", "txt"
        else:
            try:
                raw = read_bounded(path, max_file_size)
            except OSError as exc:
                unreadable(path, exc, skip_unreadable, warn)
                continue
            if not _has_wide_bom(raw) and _looks_binary(raw):
                warn(f"skipping binary file: {path}")
                continue
            text, encoding = decode_bytes(raw, path)
            doc_path = path
            fmt = _FORMATS.get(os.path.splitext(path)[1].lower(), "txt")
        if not text.strip():
            warn(f"skipping empty file: {doc_path}")
            continue
        html_date: dt.date | None = None
        html_outlet: str | None = None
        if fmt == "html":
            text, page = _extract_html(text)
            html_date, html_outlet = _html_metadata(page)
            if not text.strip():
                warn(f"skipping HTML page without main text: {doc_path}")
                continue
        entry = None
        if doc_path != STDIN_PATH:
            directory = os.path.dirname(os.path.abspath(path))
            if directory not in sidecars:
                sidecar = os.path.join(directory, SIDECAR)
                shown = os.path.join(os.path.dirname(path), SIDECAR)
                sidecars[directory] = load_sidecar_as(sidecar, shown) if os.path.isfile(sidecar) else {}
            table = sidecars[directory]
            entry = table.get(os.path.basename(path)) or table.get(path)
        date = _date_from_mapping(doc_path, dates) if dates else None
        if date is None and entry is not None:
            date = entry.date
        if date is None:
            date = _header_date(text)
        if date is None:
            date = html_date
        outlet = (entry.outlet if entry else None) or html_outlet
        documents.append(
            Document(
                path=doc_path,
                text=text,
                sha256=hashlib.sha256(raw).hexdigest(),
                format=fmt,
                date=date,
                outlet=outlet,
                language=language_of(text),
                encoding=encoding,
                story=entry.story if entry else None,
            )
        )
    if not documents:
        raise InputError("no readable documents in the given paths")
    # Results must not depend on the order the paths were given in (baselines key on fingerprints):
    # every later stage numbers documents, sentences and claims in this order.
    documents.sort(key=lambda d: (d.path.replace(os.sep, "/"), d.sha256))
    return documents


def load_sidecar_as(path: str, shown: str) -> dict[str, _SidecarEntry]:
    """`load_sidecar`, with errors naming the sidecar as `shown` (the path the user typed)."""
    try:
        return load_sidecar(path)
    except ConfigError as exc:
        raise ConfigError(str(exc).replace(path, shown, 1)) from None


def find_boilerplate(doc: Document) -> list[IgnoredSpan]:
    """Lines of `doc` that are not prose in its main language (see `factcheck.read.boilerplate`)."""
    return _find_boilerplate(doc)
