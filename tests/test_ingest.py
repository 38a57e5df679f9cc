"""Ingest: discovery, decoding, formats, metadata and the boilerplate filter."""

from __future__ import annotations

import datetime as dt
import glob
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.errors import ConfigError, InputError
from factcheck.read.ingest import decode_bytes, discover, find_boilerplate, load_documents, parse_date
from factcheck.read.segment import segment
from factcheck.records import Document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = ROOT / "fixtures" / "ingest"
DEV_DOCS = sorted(glob.glob(str(ROOT.parent / "shared" / "eval" / "dev" / "*" / "docs" / "*.txt")))

PROSE = (
    "The council approved the new budget on Tuesday after a long debate. "
    "Officials said spending on roads would rise by 4.5% next year.\n"
)


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def _load(*paths: Path | str, **kwargs: object) -> tuple[list[Document], list[str]]:
    warnings: list[str] = []
    docs = load_documents([str(p) for p in paths], warn=warnings.append, **kwargs)  # type: ignore[arg-type]
    return docs, warnings


# --------------------------------------------------------------------------- discovery


def test_discover_walks_directories_sorted_and_skips_non_documents(tmp_path: Path) -> None:
    _write(tmp_path / "b.txt", PROSE)
    _write(tmp_path / "a.md", PROSE)
    _write(tmp_path / "sub" / "c.html", "<p>x</p>")
    _write(tmp_path / "sub" / "d.htm", "<p>x</p>")
    _write(tmp_path / "notes.pdf", b"%PDF")
    _write(tmp_path / "README.md", "# readme")
    _write(tmp_path / "factcheck.toml", "")
    _write(tmp_path / ".hidden" / "e.txt", PROSE)
    found = discover([str(tmp_path)])
    rel = [os.path.relpath(p, tmp_path).replace(os.sep, "/") for p in found]
    assert rel == ["a.md", "b.txt", "sub/c.html", "sub/d.htm"]


def test_discover_explicit_readme_is_a_document(tmp_path: Path) -> None:
    readme = _write(tmp_path / "README.md", PROSE)
    assert discover([str(readme)]) == [str(readme)]


def test_discover_include_exclude_and_stdin(tmp_path: Path) -> None:
    _write(tmp_path / "keep.txt", PROSE)
    _write(tmp_path / "drop.txt", PROSE)
    _write(tmp_path / "sub" / "page.md", PROSE)
    found = discover([str(tmp_path), "-"], exclude=["drop*"])
    assert [os.path.basename(p) for p in found] == ["keep.txt", "page.md", "-"]
    only_md = discover([str(tmp_path)], include=["sub/*.md"])
    assert [os.path.basename(p) for p in only_md] == ["page.md"]


def test_discover_nonexistent_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    with pytest.raises(InputError, match=r"path not found: .*nope\.txt"):
        discover([str(missing)])


def test_discover_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    _write(tmp_path / "empty" / "image.png", b"\x89PNG")
    with pytest.raises(InputError, match=r"no documents found in .*empty \(looked for \.txt, \.md, \.html\)"):
        discover([str(tmp_path / "empty")])


# --------------------------------------------------------------------------- reading and decoding


def test_empty_and_whitespace_files_are_skipped_with_warning(tmp_path: Path) -> None:
    empty = _write(tmp_path / "empty.txt", b"")
    blank = _write(tmp_path / "blank.txt", " \n\r\n\t ")
    good = _write(tmp_path / "good.txt", PROSE)
    docs, warnings = _load(empty, blank, good)
    assert [d.path for d in docs] == [str(good)]
    assert warnings == [f"skipping empty file: {empty}", f"skipping empty file: {blank}"]


def test_binary_file_is_skipped_with_warning(tmp_path: Path) -> None:
    binary = _write(tmp_path / "data.txt", bytes(range(256)) * 10)
    good = _write(tmp_path / "good.txt", PROSE)
    docs, warnings = _load(binary, good)
    assert [d.path for d in docs] == [str(good)]
    assert warnings == [f"skipping binary file: {binary}"]


def test_nothing_readable_left(tmp_path: Path) -> None:
    empty = _write(tmp_path / "empty.txt", b"")
    with pytest.raises(InputError, match="no readable documents in the given paths"):
        _load(empty)


def test_invalid_utf8_random_bytes_names_file_and_offset(tmp_path: Path) -> None:
    data = b"Prices rose sharply on Monday. " + bytes([0x81, 0xFF, 0x9D, 0x80]) + b" More text.\n"
    bad = _write(tmp_path / "bad.txt", data)
    with pytest.raises(InputError) as info:
        _load(bad)
    message = str(info.value)
    assert str(bad) in message
    assert "invalid byte 0x81 at offset 31" in message
    assert "convert the file to UTF-8" in message


def test_cp1252_text_is_decoded_when_detection_is_confident(tmp_path: Path) -> None:
    text = (
        "Le café du coin a fermé. Une naïve résumé de la réunion: la crème brûlée était délicieuse. "
        "The café owner said the résumé of the naïve plan was déjà vu for everyone in town.\n"
    ) * 3
    legacy = _write(tmp_path / "legacy.txt", text.encode("cp1252"))
    docs, _ = _load(legacy)
    assert docs[0].text == text
    assert docs[0].encoding == "cp1252"
    assert docs[0].sha256 == __import__("hashlib").sha256(text.encode("cp1252")).hexdigest()


@pytest.mark.parametrize(
    ("codec", "bom", "name"),
    [("utf-16-le", b"\xff\xfe", "utf-16-le"), ("utf-16-be", b"\xfe\xff", "utf-16-be")],
)
def test_utf16_with_bom(tmp_path: Path, codec: str, bom: bytes, name: str) -> None:
    text = "Tokyo’s offer rose 5% — 東京.\r\nSecond line here.\r\n"
    path = _write(tmp_path / "wide.txt", bom + text.encode(codec))
    docs, warnings = _load(path)
    assert warnings == []
    assert docs[0].text == text
    assert docs[0].encoding == name


def test_utf8_bom_is_stripped_and_offsets_refer_to_text_without_it(tmp_path: Path) -> None:
    path = _write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + PROSE.encode())
    docs, _ = _load(path)
    doc = docs[0]
    assert doc.text == PROSE
    assert doc.encoding == "utf-8-sig"
    sentences = segment(doc, 0)
    assert sentences[0].start == 0
    assert sentences[0].text.startswith("The council")


def test_decode_bytes_plain_utf8() -> None:
    assert decode_bytes("naïve ✓".encode(), "x.txt") == ("naïve ✓", "utf-8")


def test_markup_and_ansi_escapes_are_kept_literally(tmp_path: Path) -> None:
    text = "The [bold red]minister[/] said \x1b[31mred\x1b[0m numbers were wrong.\n"
    path = _write(tmp_path / "markup.txt", text)
    docs, warnings = _load(path)
    assert warnings == []
    assert docs[0].text == text
    assert segment(docs[0], 0)[0].text == text.strip()


def test_crlf_is_kept_as_decoded(tmp_path: Path) -> None:
    text = "First line ends here.\r\n\r\nSecond paragraph.\r\n"
    path = _write(tmp_path / "crlf.txt", text.encode())
    docs, _ = _load(path)
    assert docs[0].text == text


def test_stdin(tmp_path: Path) -> None:
    docs, _ = _load("-", stdin_text="Date: 2025-07-01\n\n" + PROSE)
    assert docs[0].path == "<stdin>"
    assert docs[0].date == dt.date(2025, 7, 1)


def test_large_file_loads_and_segments(tmp_path: Path) -> None:
    paragraph = (
        "Revenue rose 3.35% to $2.5 billion in the U.S. market, Mr. Smith said. Costs fell sharply!\n\n"
    )
    repeats = 20_000_000 // len(paragraph) + 1
    path = _write(tmp_path / "big.txt", paragraph * repeats)
    docs, _ = _load(path)
    doc = docs[0]
    assert len(doc.text) >= 20_000_000
    sentences = segment(doc, 0, find_boilerplate(doc))
    assert len(sentences) == 2 * repeats
    last = sentences[-1]
    assert doc.text[last.start : last.end] == last.text == "Costs fell sharply!"


# --------------------------------------------------------------------------- formats and metadata


def test_html_main_text_and_meta_date(tmp_path: Path) -> None:
    docs, _ = _load(FIXTURES / "article.html")
    doc = docs[0]
    assert doc.format == "html"
    assert doc.date == dt.date(2025, 7, 1)
    assert doc.outlet == "Coastal Daily"
    assert "Engineers replaced 42 steel cables" in doc.text
    assert "About 35,000 vehicles crossed the bridge" in doc.text
    for junk in ("Sport navigation link", "do not extract this script", "font-family", "footer text"):
        assert junk not in doc.text
    for s in segment(doc, 0, find_boilerplate(doc)):
        assert doc.text[s.start : s.end] == s.text


def test_date_header_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.txt", "Headline of the story\n\nPublished: July 1, 2025\n\n" + PROSE)
    docs, _ = _load(path)
    assert docs[0].date == dt.date(2025, 7, 1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-07-01", dt.date(2025, 7, 1)),
        ("2025-07-01T08:30:00Z", dt.date(2025, 7, 1)),
        ("July 1, 2025", dt.date(2025, 7, 1)),
        ("1 July 2025", dt.date(2025, 7, 1)),
        ("09 Sep 2013 11:25 GMT+02:00", dt.date(2013, 9, 9)),
        ("Sept. 27, 2013 5:50 PM", dt.date(2013, 9, 27)),
        ("2025-02-30", None),
        ("soon", None),
    ],
)
def test_parse_date(value: str, expected: dt.date | None) -> None:
    assert parse_date(value) == expected


def test_sidecar_date_and_outlet_and_priority(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.txt", "Date: 2020-01-01\n\n" + PROSE)
    b = _write(tmp_path / "b.txt", "Date: 2020-01-01\n\n" + PROSE)
    c = _write(tmp_path / "c.txt", "Date: 2020-01-01\n\n" + PROSE)
    _write(
        tmp_path / "factcheck.toml",
        '[documents."a.txt"]\ndate = 2025-07-01\noutlet = "Cryptopolitan"\n\n'
        '[documents."b.txt"]\ndate = "2025-07-02"\n\n[documents."unknown.txt"]\ndate = 2025-01-01\n',
    )
    docs, _ = _load(a, b, c, dates={"b.txt": dt.date(2024, 5, 5)})
    by_name = {d.name: d for d in docs}
    assert by_name["a.txt"].date == dt.date(2025, 7, 1)
    assert by_name["a.txt"].outlet == "Cryptopolitan"
    assert by_name["b.txt"].date == dt.date(2024, 5, 5)  # --date beats the sidecar
    assert by_name["c.txt"].date == dt.date(2020, 1, 1)  # header line when no sidecar entry


def test_dates_mapping_matches_exact_path(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.txt", PROSE)
    docs, _ = _load(a, dates={str(a): dt.date(2023, 3, 3)})
    assert docs[0].date == dt.date(2023, 3, 3)


def test_malformed_sidecar_names_file_and_line(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.txt", PROSE)
    _write(tmp_path / "factcheck.toml", '[documents."a.txt"]\ndate = 2025-07-01\noutlet = = "x"\n')
    with pytest.raises(ConfigError, match=r"factcheck\.toml: line 3: "):
        _load(a)


def test_sidecar_invalid_date_names_file_and_key(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.txt", PROSE)
    _write(tmp_path / "factcheck.toml", '[documents."a.txt"]\ndate = "first of July"\n')
    with pytest.raises(ConfigError, match=r'factcheck\.toml: documents\."a\.txt"\.date: invalid date'):
        _load(a)


def test_language_ignores_cjk_lines() -> None:
    docs, _ = _load(SEEDS / "000_48df2dfc749e10e2.txt")
    assert docs[0].language == "en"


def test_language_of_french_document(tmp_path: Path) -> None:
    text = (
        "Le gouvernement a annoncé mardi une nouvelle politique économique pour soutenir les entreprises.\n\n"
        "Selon le ministre, les exportations vers les États-Unis ont baissé de 5 % "
        "depuis le début de l'année.\n"
    )
    docs, _ = _load(_write(tmp_path / "fr.txt", text))
    assert docs[0].language == "fr"


# --------------------------------------------------------------------------- boilerplate


def _seed(name: str) -> Document:
    path = next(SEEDS.glob(f"{name}_*.txt"))
    return _load(path)[0][0]


def _ignored_lines(doc: Document) -> dict[str, str]:
    return {span.text.strip(): span.reason for span in find_boilerplate(doc)}


def test_seed_000_footer_and_credits_are_ignored() -> None:
    doc = _seed("000")
    spans = find_boilerplate(doc)
    ignored = {s.text.strip(): s.reason for s in spans}
    assert ignored["來源 Cryptopolitan"] == "byline"
    assert ignored["Source: US Census Bureau"] == "byline"
    assert ignored["placeholder"] == "widget"
    assert ignored["goTop"] == "widget"
    assert ignored["quote"] == "widget"
    assert ignored["10 小時前"] == "foreign-script"
    assert any(t.startswith("作者") and r == "byline" for t, r in ignored.items())
    # Everything from the ad line to the end is ignored, line by line.
    lines = doc.text.split("\n")
    ad_line = next(
        i for i, line in enumerate(lines) if line.startswith("Your crypto news deserves attention")
    )
    ignored_line_numbers = {s.line for s in spans}
    for number in range(ad_line + 1, len(lines) + 1):
        if lines[number - 1].strip():
            assert number in ignored_line_numbers, lines[number - 1]
    assert {s.line for s in spans} == ignored_line_numbers
    for s in spans:
        assert doc.text[s.start : s.end] == s.text
        assert "\n" not in s.text


def test_seed_003_contact_lines_are_ignored() -> None:
    ignored = _ignored_lines(_seed("003"))
    assert ignored == {
        "For queries, please contact Lemon Zhao at lemonzhao@smm.cn": "contact",
        "For more information on how to access our research reports, "
        "please email service.en@smm.cn": "contact",
    }


def test_seed_004_ad_and_hashtags_are_ignored() -> None:
    ignored = _ignored_lines(_seed("004"))
    assert ignored["For latest Business and Finance News subscribe to Globalfinserve, Click here"] == "ad"
    hashtags = next(t for t in ignored if t.startswith("#NYSE"))
    assert hashtags.endswith("#Analysis #AI #Tech")
    assert ignored[hashtags] == "hashtags"
    assert len(ignored) == 2


@pytest.mark.parametrize("name", ["000", "003", "004"])
def test_seed_english_prose_is_kept(name: str) -> None:
    doc = _seed(name)
    ignored = {s.line for s in find_boilerplate(doc)}
    lines = doc.text.split("\n")
    kept = {line.strip() for n, line in enumerate(lines, 1) if n not in ignored}
    for must_keep in (
        "Japan’s business outlook stays strong",
        "Tokyo focuses on jobs and autos as key to U.S. trade talks",
        "Key Takeaways:",
        "Japan risks missing out on a trade deal with U.S",
    ):
        if must_keep in doc.text:
            assert must_keep in kept


def test_seed_prose_lines_are_not_ignored() -> None:
    for name in ("000", "003", "004"):
        doc = _seed(name)
        for span in find_boilerplate(doc):
            words = span.text.split()
            english_prose = (
                len(words) >= 8 and span.text.isascii() and span.reason not in ("contact", "ad", "hashtags")
            )
            assert not english_prose, span


@pytest.mark.skipif(not DEV_DOCS, reason="../shared/eval/dev is not available")
def test_dev_docs_are_almost_all_kept() -> None:
    docs, _ = _load(*DEV_DOCS)
    lines = ignored = 0
    for doc in docs:
        lines += sum(1 for line in doc.text.split("\n") if line.strip())
        for span in find_boilerplate(doc):
            if span.reason == "metadata":
                assert len(span.text.split()) <= 12 and any(c.isdigit() for c in span.text), span
            else:
                ignored += 1
    assert lines > 1000
    assert ignored < 0.01 * lines


@pytest.mark.skipif(not DEV_DOCS, reason="../shared/eval/dev is not available")
def test_dev_date_header_is_metadata_not_a_sentence() -> None:
    with_header = [p for p in DEV_DOCS if Path(p).read_text(encoding="utf-8").startswith("Date: ")]
    assert with_header
    doc = _load(with_header[0])[0][0]
    spans = find_boilerplate(doc)
    assert spans[0].line == 1 and spans[0].reason == "metadata"
    assert doc.date is not None
    assert all(not s.text.startswith("Date:") for s in segment(doc, 0, spans))


def _doc(text: str, language: str = "en") -> Document:
    return Document(path="t.txt", text=text, sha256="0", language=language)


GERMAN = "Das ist ein ganz normaler deutscher Satz über die Wirtschaft und die Politik im Land."


def test_generic_boilerplate_shapes() -> None:
    text = "\n".join(
        [
            "By Jane Doe and John Smith",
            "The minister said the plan would cut costs by 10% over five years.",
            "3 hours ago",
            "Updated 12:30 GMT",
            "menu",
            "Conclusion",
            "Sign up for our newsletter today!",
            "Download the app now",
            "Photo: Getty Images",
            "Disclaimer: This article is for informational purposes only.",
            GERMAN,
            "Правительство объявило о новых мерах",
            "#breaking #news",
            "<!-- tracking pixel -->",
        ]
    )
    reasons = {s.text: s.reason for s in find_boilerplate(_doc(text))}
    assert reasons == {
        "By Jane Doe and John Smith": "byline",
        "3 hours ago": "byline",
        "Updated 12:30 GMT": "byline",
        "menu": "widget",
        "Sign up for our newsletter today!": "ad",
        "Download the app now": "ad",
        "Photo: Getty Images": "byline",
        "Disclaimer: This article is for informational purposes only.": "disclaimer",
        GERMAN: "foreign-language",
        "Правительство объявило о новых мерах": "foreign-script",
        "#breaking #news": "hashtags",
        "<!-- tracking pixel -->": "markup",
    }


def test_wrapped_lowercase_word_is_not_a_widget() -> None:
    text = "The council said that spending on new roads would rise by a large\namount\nnext year.\n"
    assert find_boilerplate(_doc(text)) == []


def test_markdown_front_matter_and_inline_comment() -> None:
    text = (
        "---\ntitle: Report\ndate: 2025-07-01\n---\n# Budget passes\n\n"
        "The budget passed <!-- draft --> on Monday.\n"
    )
    doc = _doc(text)
    spans = find_boilerplate(doc)
    assert [(s.line, s.reason) for s in spans] == [
        (1, "markup"),
        (2, "markup"),
        (3, "markup"),
        (4, "markup"),
        (7, "markup"),
    ]
    assert spans[-1].text == "<!-- draft -->"
    sentences = segment(doc, 0, spans)
    assert [s.text for s in sentences] == ["Budget passes", "The budget passed", "on Monday."]
    assert sentences[0].kind == "headline"


def test_legacy_cjk_encoding_is_detected(tmp_path: Path) -> None:
    text = "北京今天天氣很好，我們去公園散步吧。美國股市上漲。\n" * 3
    docs, _ = _load(_write(tmp_path / "gbk.txt", text.encode("gbk")))
    assert docs[0].text == text
    assert docs[0].encoding in ("gb18030", "gbk", "gb2312")


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_boilerplate_spans_index_the_text(text: str) -> None:
    doc = _doc(text)
    spans = find_boilerplate(doc)
    for span in spans:
        assert doc.text[span.start : span.end] == span.text
        assert "\n" not in span.text
    for s in segment(doc, 0, spans):
        assert doc.text[s.start : s.end] == s.text
