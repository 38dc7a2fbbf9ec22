"""Reading and writing user files: text decoding, numbers and months, tables, atomic
writes, CRM exports.

The only layer that opens a user's file.
"""

# The package's public names; modules inside import each other directly, never through
# this file, so the order below is free.

from roi_kit.io.crm_export import (
    FIELDS,
    OUTCOMES,
    REQUIRED_FIELDS,
    ImportResult,
    Mapping,
    describe_import,
    detect_mapping,
    import_crm_command,
    import_opportunities,
)
from roi_kit.io.tables import (
    atomic_write_bytes,
    atomic_write_csv,
    atomic_write_text,
    parse_month,
    parse_number,
    read_raw,
    read_table,
)

__all__ = [
    "atomic_write_text",
    "atomic_write_bytes",
    "atomic_write_csv",
    "read_raw",
    "read_table",
    "parse_number",
    "parse_month",
    "FIELDS",
    "REQUIRED_FIELDS",
    "OUTCOMES",
    "Mapping",
    "ImportResult",
    "detect_mapping",
    "import_opportunities",
    "describe_import",
    "import_crm_command",
]
