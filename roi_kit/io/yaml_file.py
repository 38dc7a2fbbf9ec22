"""Reading a user's YAML file (``case.yml``) strictly: safe types only, no key written twice.

The io layer is the only one that opens user files; the case layer parses what this returns.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from roi_kit.errors import CaseError

__all__ = ["read_yaml"]


class _StrictLoader(yaml.SafeLoader):
    """A safe loader that refuses a key written twice (PyYAML silently keeps the last)."""


def _construct_unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False):
    """Build a mapping like SafeLoader does, refusing a repeated key with its line."""
    loader.flatten_mapping(node)
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            duplicate = key in seen
            seen.add(key)
        except TypeError:
            continue
        if duplicate:
            raise CaseError(
                f"line {key_node.start_mark.line + 1}: key {key!r} is written twice in the "
                "same block; keep one"
            )
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping
)


def read_yaml(path: Path) -> object:
    """The content of a YAML file, read strictly.

    Parameters
    ----------
    path : pathlib.Path
        The file (UTF-8, with or without a byte order mark).

    Returns
    -------
    object
        What the YAML holds (mappings, lists, str, int, float, bool, None, dates).

    Raises
    ------
    CaseError
        The file is not UTF-8, cannot be read, is not valid YAML (the message names the line
        and column) or writes a key twice in one block.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CaseError(f"{path}: not UTF-8 text; save case.yml as UTF-8") from None
    except OSError as exc:
        raise CaseError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass: no arbitrary objects
    except CaseError as exc:
        raise CaseError(f"{path}, {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CaseError(
            f"{path}: not valid YAML{where}: {problem}. Fix: check the indentation there and put "
            "text containing ':' or '#' in quotes"
        ) from None
