"""The bytes of a report file: size, encoding, CSV delimiter, or the first sheet of a workbook."""

import csv
import datetime
import hashlib
import io
import warnings
import zipfile

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from apopms.exceptions import DomainError


class ReportError(DomainError):
    """The file is not a participant report this importer can read. Nothing is saved."""


MAX_BYTES = 20 * 1024 * 1024


def check_size(data):
    """Refuse an empty file, and one too large to be a participant report."""
    if not data or not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ReportError("The file is empty.")
    if len(data) > MAX_BYTES:
        raise ReportError(
            f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; is it really a participant report?"
        )


def file_hash(data):
    return hashlib.sha256(data).hexdigest()


def decode(data):
    """Text of the report: UTF-8 with or without BOM, or UTF-16 (with BOM, or guessed by its NULs)."""
    check_size(data)
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        if data.startswith(b"\xef\xbb\xbf"):
            return data.decode("utf-8-sig")
        head = data[:200]
        if head.count(b"\x00") > len(head) // 4:
            return data.decode("utf-16-le" if head[1:2] == b"\x00" else "utf-16-be")
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ReportError(
            "The file's characters could not be read: save the report as CSV in UTF-8 or UTF-16 "
            "(Zoom's own export is UTF-8) and upload it again."
        ) from None


def csv_rows(text, delimiter):
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise ReportError(f"The file is not a CSV report ({exc}).") from None


XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary Excel format (.xls)
EXPORT_CSV_HINT = (
    "export the report from Zoom as CSV again, or in Excel use File > Save As > “CSV UTF-8 (Comma delimited)”"
)


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def xlsx_rows(data):
    """The first sheet of an Excel workbook as rows of text (date cells as ISO times)."""
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it does not read; the values are what count.
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = workbook.worksheets[0]
                return [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
            finally:
                workbook.close()
    except (zipfile.BadZipFile, InvalidFileException, KeyError, IndexError, ValueError, OSError):
        raise ReportError(
            f"This file is a ZIP archive but not an Excel workbook that can be read: {EXPORT_CSV_HINT}."
        ) from None
