"""Minimal text edits of a user's ``case.yml``: set a few keys, keep every comment and key.

PyYAML drops comments when it writes, and a user's ``case.yml`` is full of them (the
template's own notes, their sources). So the few keys an import sets are edited in the text:
a top-level value replaced on its own line (its ``# comment`` kept), a child of a top-level
mapping replaced or added, items appended to a top-level list. Each edit is then checked by
:func:`edited` parsing the result: it must equal the original with exactly the intended
changes, or nothing is written (the caller says which lines to add by hand).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import yaml

from roi_kit.errors import CaseError

__all__ = ["scalar", "flow", "set_top", "set_child", "append_items", "edited"]

_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_ ./()-]*")


def scalar(value: object) -> str:
    """``value`` as a YAML scalar: plain where it reads back as itself, else double-quoted.

    >>> scalar("East"), scalar("2017-08"), scalar("yes"), scalar(3)
    ('East', '2017-08', '"yes"', '3')
    """
    if isinstance(value, (bool, int, float)):
        return json.dumps(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and text == text.strip() and yaml.safe_load(text) == text:
        return text
    return json.dumps(text, ensure_ascii=False)


def flow(value: object) -> str:
    """A mapping or list in YAML flow style (``{a: 1, b: x}``), scalars as :func:`scalar`.

    >>> flow({"name": "open_pipeline", "direction": "higher"})
    '{name: open_pipeline, direction: higher}'
    """
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{scalar(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return scalar(value)


def _split_comment(line: str) -> tuple[str, str]:
    """(content, comment) of a line; the comment with its leading spaces, '' if none."""
    # A '#' starts a comment when it follows a space outside quotes (YAML's rule).
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            j = i
            while j > 0 and line[j - 1] in " \t":
                j -= 1
            return line[:j], line[j:]
    return line, ""


def _block(lines: list[str], key: str) -> tuple[int, int] | None:
    """(first, end) line indexes of top-level ``key`` and its indented/blank/comment lines."""
    pattern = re.compile(rf"^{re.escape(key)}\s*:(\s|$)")
    for i, line in enumerate(lines):
        if pattern.match(line):
            end = i + 1
            while end < len(lines) and (
                not lines[end].strip() or lines[end][0] in " \t#" or lines[end].startswith("-")
            ):
                end += 1
            # Trailing blank and comment-only lines belong to what follows.
            while end > i + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip()[0] == "#"):
                end -= 1
            return i, end
    return None


def set_top(text: str, key: str, value_text: str) -> str:
    """Set top-level ``key`` to ``value_text`` (YAML), keeping its comment; appended if absent.

    A block-style value (indented lines below the key) is replaced by the one line; comment
    lines inside it are kept.
    """
    lines = text.splitlines()
    span = _block(lines, key)
    if span is None:
        return text.rstrip("\n") + f"\n{key}: {value_text}\n"
    first, end = span
    _, comment = _split_comment(lines[first])
    kept = [ln for ln in lines[first + 1 : end] if ln.strip().startswith("#")]
    new = [f"{key}: {value_text}{comment}", *kept]
    return "\n".join(lines[:first] + new + lines[end:]) + "\n"


def set_child(text: str, key: str, updates: Mapping[str, Any], current: Mapping) -> str:
    """Set children of the top-level mapping ``key`` (added when absent), keeping comments.

    ``current`` is the mapping as parsed now (for a flow-style value, rewritten whole).
    """
    lines = text.splitlines()
    span = _block(lines, key)
    if span is None:
        block = [f"{key}:  # set by roi-kit import-crm"]
        block += [f"  {k}: {flow(v)}" for k, v in updates.items()]
        # Where the file shows the key commented out (the template's "# groups:" example),
        # the real block goes right after that example; else at the end.
        hint = re.compile(rf"^#\s*{re.escape(key)}\s*:")
        at = next((i for i, ln in enumerate(lines) if hint.match(ln)), None)
        if at is None:
            return text.rstrip("\n") + "\n\n" + "\n".join(block) + "\n"
        while at + 1 < len(lines) and lines[at + 1].startswith("#"):
            at += 1
        return "\n".join(lines[: at + 1] + block + lines[at + 1 :]) + "\n"
    first, end = span
    content, comment = _split_comment(lines[first])
    if content.split(":", 1)[1].strip():  # flow style on the key's line
        merged = {**current, **updates}
        return set_top(text, key, flow(merged))
    children = lines[first + 1 : end]
    indent = next(
        (
            ln[: len(ln) - len(ln.lstrip())]
            for ln in children
            if ln.strip() and ln.strip()[0] != "#"
        ),
        "  ",
    )
    for child, value in updates.items():
        pattern = re.compile(rf"^{re.escape(indent)}{re.escape(child)}\s*:(\s|$)")
        hit = next((j for j, ln in enumerate(children) if pattern.match(ln)), None)
        if hit is None:
            last = max(
                (j for j, ln in enumerate(children) if ln.strip() and ln.strip()[0] != "#"),
                default=-1,
            )
            children.insert(last + 1, f"{indent}{child}: {flow(value)}")
        else:
            _, note = _split_comment(children[hit])
            children[hit] = f"{indent}{child}: {flow(value)}{note}"
    return "\n".join(lines[: first + 1] + children + lines[end:]) + "\n"


def append_items(text: str, key: str, items: list[Mapping[str, Any]], current: list) -> str:
    """Append ``items`` to the top-level list ``key`` (created when absent), one per line."""
    if not items:
        return text
    lines = text.splitlines()
    span = _block(lines, key)
    if span is None:
        return text.rstrip("\n") + f"\n\n{key}:\n" + "".join(f"  - {flow(i)}\n" for i in items)
    first, end = span
    content, comment = _split_comment(lines[first])
    if content.split(":", 1)[1].strip():  # flow style, e.g. the template's "custom_kpis: []"
        new = [f"{key}:{comment}"] + [f"  - {flow(i)}" for i in [*current, *items]]
        kept = [ln for ln in lines[first + 1 : end] if ln.strip()]
        return "\n".join(lines[:first] + new + kept + lines[end:]) + "\n"
    children = lines[first + 1 : end]
    indent = next(
        (ln[: len(ln) - len(ln.lstrip())] for ln in children if ln.lstrip()[:1] == "-"), "  "
    )
    last = max(
        (j for j, ln in enumerate(children) if ln.strip() and ln.strip()[0] != "#"), default=-1
    )
    children[last + 1 : last + 1] = [f"{indent}- {flow(i)}" for i in items]
    return "\n".join(lines[: first + 1] + children + lines[end:]) + "\n"


def edited(before: str, after: str, expected: Mapping[str, Any], path: object) -> str:
    """Return ``after`` if it parses to ``expected``; else refuse, naming what to add by hand.

    Raises
    ------
    CaseError
        The edit would change more (or less) than intended: nothing is written.
    """
    try:
        got = yaml.safe_load(after)
    except yaml.YAMLError:
        got = None
    if got != dict(expected):
        wanted = {k: v for k, v in expected.items() if yaml.safe_load(before).get(k) != v}
        lines = "; ".join(f"{k}: {flow(v)}" for k, v in wanted.items())
        raise CaseError(
            f"{path}: its layout is too unusual to edit safely; nothing was changed. Fix: set "
            f"these keys by hand ({lines}), then import with -o FILE"
        )
    return after
