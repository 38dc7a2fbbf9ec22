"""The case layer's one input-check idiom: small checks that raise a :class:`CaseError`.

Each takes the value and ``where`` it was found (``"assumptions.gross_margin"``,
``"goals[2].target"``), and its message names what was expected, where, the value found and
the fix. The ``case.yml`` parser, the KPI catalogue and the quality report all use these.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping

from roi_kit.errors import CaseError

__all__: list[str] = []


def _join(where: str, key: object) -> str:
    return f"{where}.{key}" if where else str(key)


def _check_keys(mapping: Mapping, valid: Iterable[str], where: str) -> None:
    valid = tuple(valid)
    for key in mapping:
        if key in valid:
            continue
        listed = ", ".join(valid)
        if not isinstance(key, str):
            # YAML reads a bare 1, 2024-01-31 or yes as a number, a date or a yes/no flag.
            raise CaseError(
                f"key {key!r} {'at ' + where if where else 'at the top level'} is not a name "
                f"(YAML read it as {_KIND_OF_KEY.get(type(key).__name__, 'a value')}); "
                f"valid keys here: {listed}"
            )
        near = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
        hint = f"; did you mean {near[0]!r}? Valid" if near else "; valid"
        raise CaseError(f"unknown key {key!r} at {_join(where, key)}{hint} keys here: {listed}")


# How a key that is not text was read, in words (see _check_keys).
_KIND_OF_KEY = {
    "int": "a number",
    "float": "a number",
    "bool": "a yes/no value",
    "date": "a date",
    "datetime": "a date",
    "NoneType": "an empty key",
}


def _mapping(value: object, where: str) -> Mapping:
    if not isinstance(value, Mapping):
        raise CaseError(f"{where} must be a mapping of key: value lines (found {value!r})")
    return value


def _list(value: object, where: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise CaseError(f"{where} must be a list of '- ...' items (found {value!r})")
    return value


def _text(value: object, where: str) -> str:
    if isinstance(value, bool):
        # YAML 1.1 reads bare yes/no/on/off (and the country code NO) as booleans.
        raise CaseError(f"{where}: {value!r} was read as a yes/no value; put the text in quotes")
    if isinstance(value, (int, float)):
        return str(value)
    if not isinstance(value, str) or not value.strip():
        raise CaseError(f"{where} must be non-empty text (found {value!r})")
    return value.strip()


def _number(value: object, where: str) -> float:
    """A finite number; numeric text such as ``"1e-3"`` or ``"12%"`` is accepted."""
    if isinstance(value, bool):
        raise CaseError(f"{where} must be a number (found {value!r})")
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip().replace("_", "")
        scale = 1.0
        if text.endswith("%"):
            text, scale = text[:-1].strip(), 0.01
        try:
            number = float(text) * scale
        except ValueError:
            raise CaseError(f"{where} must be a number (found {value!r})") from None
    else:
        raise CaseError(f"{where} must be a number (found {value!r})")
    if not math.isfinite(number):
        raise CaseError(f"{where} must be a finite number (found {value!r})")
    return number


def _fraction(value: object, where: str, *, open_top: bool = False) -> float:
    number = _number(value, where)
    top_ok = number < 1 if open_top else number <= 1
    if number < 0 or not top_ok:
        limit = "below 1" if open_top else "at most 1"
        raise CaseError(
            f"{where} must be a fraction at least 0 and {limit} (found {value!r}); "
            "write 0.10 for 10%"
        )
    return number


def _choice(value: object, options: Iterable[str], where: str) -> str:
    options = tuple(options)
    if value not in options:
        near = difflib.get_close_matches(str(value), options, n=1, cutoff=0.5)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        raise CaseError(f"{where} must be one of {', '.join(options)} (found {value!r}){hint}")
    return value  # type: ignore[return-value]
