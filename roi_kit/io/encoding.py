"""THE text decoder of the kit: which encoding a user's file is in, and its text.

Both readers of user files use it: the case-table reader (:func:`roi_kit.io.tables.read_raw`)
and the CRM-export importer (:func:`roi_kit.io.crm_export.import_opportunities`), so the same
bytes always give the same text.

Encodings are tried in this order, first match wins:

1. a UTF-16 byte order mark -> UTF-16 (Excel "Unicode Text");
2. UTF-16 LE or BE without a byte order mark: NUL bytes in every other position only
   (what ASCII-heavy UTF-16 text looks like), and the bytes decode strictly;
3. strict UTF-8, with or without a byte order mark;
4. GB18030 (a superset of GBK), only if it decodes strictly *and* the text holds CJK
   characters of which at least 90% are common (GB2312) characters: Windows-1252 text
   such as ``Müller`` can decode as GB18030 too, but into rare ideographs;
5. Windows-1252 (cp1252), the Western-European Excel default.

Other NUL bytes, workbooks, PDFs and bytes no encoding above reads are refused with a
:class:`~roi_kit.errors.FileEncodingError` naming the line and the fix.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from roi_kit.errors import FileEncodingError

__all__ = ["Decoded", "decode", "decode_text", "detect_encoding", "SAVE_AS_UTF8"]

#: The fix every encoding error proposes.
SAVE_AS_UTF8 = (
    "save the file as 'CSV UTF-8' (Excel: File > Save As > CSV UTF-8), or name its encoding "
    "(roi-kit import-crm --encoding NAME)"
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Chinese text encoded as GBK mostly uses the common GB2312 characters; Latin text in
# cp1252 that happens to decode as GB18030 gives rare ideographs (a high byte followed by
# an ASCII letter), which GB2312 does not contain. This is what "plausibly CJK" means.
_CJK_RANGES = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x3000, 0x303F), (0xFF00, 0xFFEF))

# Files that are not text at all, recognised by their first bytes: (magic, problem, fix).
_SIGNATURES = (
    (
        b"PK\x03\x04",
        "this is an Excel workbook (.xlsx) or another zip file, not CSV text",
        "give the file the .xlsx extension, or save it as 'CSV UTF-8'",
    ),
    (
        b"\xd0\xcf\x11\xe0",
        "this is an old Excel .xls workbook, not CSV text",
        "open it in Excel and save it as .xlsx or as 'CSV UTF-8'",
    ),
    (b"%PDF", "this is a PDF document, not a table", "export the table as CSV or XLSX"),
)


@dataclass(frozen=True)
class Decoded:
    """The text of a file and the encoding it was read with.

    Attributes
    ----------
    text : str
        The decoded text, without a byte order mark.
    encoding : str
        The Python codec that decoded it: ``"utf-8-sig"`` (UTF-8, with or without a byte
        order mark), ``"utf-16"`` (with a byte order mark), ``"utf-16-le"``,
        ``"utf-16-be"``, ``"gb18030"`` or ``"cp1252"``.
    """

    text: str
    encoding: str

    @property
    def is_utf8(self) -> bool:
        """Whether the bytes were UTF-8 already (no transcoding needed)."""
        return self.encoding == "utf-8-sig"


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return any(lo <= code <= hi for lo, hi in _CJK_RANGES)


def _plausibly_chinese(text: str) -> bool:
    """Whether GB18030-decoded ``text`` reads as Chinese rather than as mis-decoded Latin."""
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii or not any(_is_cjk(c) for c in non_ascii):
        return False
    common = 0
    for char in non_ascii:
        try:
            char.encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += 1
    return common >= 0.9 * len(non_ascii)


def _line_of(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


def _bomless_utf16(data: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` when ``data`` looks like UTF-16 without a BOM, else None.

    Table text is mostly ASCII (digits, separators, header names), which UTF-16 writes as
    the byte and a NUL: NULs in one byte position only, in at least half of the characters.
    """
    if len(data) % 2:
        return None
    half = len(data) // 2
    even, odd = data[0::2], data[1::2]
    for nuls, other, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if nuls.count(0) >= 0.5 * half and other.count(0) == 0:
            try:
                data.decode(codec)
            except UnicodeDecodeError:
                return None
            return codec
    return None


def _decode_8bit(data: bytes, file: Path | None) -> Decoded:
    """UTF-8, else plausible GB18030, else cp1252 (see the module docstring)."""
    try:
        return Decoded(data.decode("utf-8-sig"), "utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            candidate = data.decode("gb18030")
        except UnicodeDecodeError:
            candidate = None
        if candidate is not None and _plausibly_chinese(candidate):
            return Decoded(candidate, "gb18030")
        try:
            return Decoded(data.decode("cp1252"), "cp1252")
        except UnicodeDecodeError:
            raise FileEncodingError(
                "the file is not text in UTF-8, GBK/GB18030 or Windows-1252",
                file=file,
                row=_line_of(data, utf8_error.start),
                found=data[utf8_error.start : utf8_error.start + 4],
                fix=SAVE_AS_UTF8,
            ) from None


def _decode_as(data: bytes, encoding: str, file: Path | None) -> Decoded:
    """Decode with the codec the user named (no detection); refuse an unknown or wrong one."""
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise FileEncodingError(
            f"unknown encoding {encoding!r}",
            file=file,
            fix="name a Python codec, e.g. utf-8, utf-16, gbk, gb18030, cp1252, latin-1",
        ) from None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise FileEncodingError(
            f"the file is not valid {encoding} text",
            file=file,
            row=_line_of(data, exc.start),
            found=data[exc.start : exc.start + 4],
            fix="check the encoding the CRM exported, or leave --encoding out to detect it",
        ) from None
    return Decoded(text.lstrip("\ufeff"), codec)


def decode(data: bytes, file: Path | None = None, encoding: str | None = None) -> Decoded:
    """Decode a text file's bytes by the rule of the module docstring.

    Parameters
    ----------
    data : bytes
        The whole file.
    file : pathlib.Path, optional
        Named in error messages.
    encoding : str, optional
        The codec to use instead of detecting one (``--encoding``): for a file whose
        encoding the rule cannot decide, e.g. a Latin-1 export read as cp1252.

    Returns
    -------
    Decoded
        The text (byte order mark removed) and the codec used.

    Raises
    ------
    FileEncodingError
        A workbook, PDF or binary file, invalid UTF-16, or bytes no supported encoding reads.

    Examples
    --------
    >>> decode("华东,Müller".encode("gbk")[:6]).encoding
    'gb18030'
    >>> decode("month,revenue".encode("utf-16-le")).encoding
    'utf-16-le'
    """
    for magic, problem, fix in _SIGNATURES:
        if data.startswith(magic):
            raise FileEncodingError(problem, file=file, fix=fix)
    if encoding is not None:
        return _decode_as(data, encoding, file)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode Text" export: UTF-16 with a byte order mark.
        try:
            return Decoded(data.decode("utf-16").lstrip("\ufeff"), "utf-16")
        except UnicodeDecodeError as exc:
            raise FileEncodingError(
                "the file starts like UTF-16 text but is not valid UTF-16",
                file=file,
                row=_line_of(data, exc.start),
                fix=SAVE_AS_UTF8,
            ) from None
    if b"\x00" in data:
        codec = _bomless_utf16(data)
        if codec is not None:
            return Decoded(data.decode(codec).lstrip("\ufeff"), codec)
        raise FileEncodingError(
            "the file contains NUL bytes: it is binary, or UTF-16 text without a byte order mark",
            file=file,
            row=_line_of(data, data.index(b"\x00")),
            fix=SAVE_AS_UTF8,
        )
    decoded = _decode_8bit(data, file)
    return Decoded(decoded.text.lstrip("\ufeff"), decoded.encoding)


def detect_encoding(data: bytes, file: Path | None = None) -> str:
    """The codec :func:`decode` reads ``data`` with (raises as :func:`decode` does).

    Examples
    --------
    >>> detect_encoding("Zoë".encode("cp1252")), detect_encoding(b"plain")
    ('cp1252', 'utf-8-sig')
    """
    return decode(data, file).encoding


def decode_text(data: bytes, file: Path | None = None) -> str:
    """The text of a table file: :func:`decode`, then refuse control characters.

    Raises
    ------
    FileEncodingError
        As :func:`decode`, and for control characters (other than tab and line breaks),
        which mean the file is not a text table.

    Examples
    --------
    >>> decode_text("\ufeffmonth,revenue".encode("utf-8"))
    'month,revenue'
    """
    text = decode(data, file).text
    control = _CONTROL.search(text)
    if control:
        raise FileEncodingError(
            "the file contains control characters, so it is probably not a text table",
            file=file,
            row=text.count("\n", 0, control.start()) + 1,
            found=control.group(),
            fix=SAVE_AS_UTF8,
        )
    return text
