"""Reading and writing user files: text decoding, numbers and months, tables, YAML, atomic
writes, CRM exports.

The only layer that opens a user's file. Modules: :mod:`~roi_kit.io.encoding` (the one text
decoder), :mod:`~roi_kit.io.parse` (numbers, months), :mod:`~roi_kit.io.records` and
:mod:`~roi_kit.io.columns` (the parts of :mod:`~roi_kit.io.tables`), :mod:`~roi_kit.io.atomic`,
:mod:`~roi_kit.io.yaml_file`, and the CRM importer :mod:`~roi_kit.io.crm_export` with its
format knowledge in :mod:`~roi_kit.io.crm_formats`.

``import_crm_command`` moved to :mod:`roi_kit.cli` (the command glue lives with the commands).
"""

# The package's public names; modules inside import each other directly, never through
# this file, so the order below is free.

from roi_kit.io.atomic import atomic_write_bytes, atomic_write_csv, atomic_write_text
from roi_kit.io.columns import KINDS
from roi_kit.io.crm_export import ImportResult, describe_import, import_opportunities
from roi_kit.io.crm_formats import (
    FIELDS,
    OUTCOMES,
    REQUIRED_FIELDS,
    Mapping,
    detect_mapping,
)
from roi_kit.io.encoding import Decoded, decode, decode_text, detect_encoding
from roi_kit.io.parse import DATE_ORDERS, parse_month, parse_number
from roi_kit.io.tables import read_raw, read_table
from roi_kit.io.yaml_file import read_yaml

__all__ = [
    "atomic_write_text",
    "atomic_write_bytes",
    "atomic_write_csv",
    "Decoded",
    "decode",
    "decode_text",
    "detect_encoding",
    "read_raw",
    "read_table",
    "KINDS",
    "parse_number",
    "parse_month",
    "DATE_ORDERS",
    "read_yaml",
    "FIELDS",
    "REQUIRED_FIELDS",
    "OUTCOMES",
    "Mapping",
    "ImportResult",
    "detect_mapping",
    "import_opportunities",
    "describe_import",
]
