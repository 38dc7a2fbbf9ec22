"""Reading a user's YAML file (``case.yml``) strictly: safe types only, no key written twice,
bounded nesting and alias expansion.

The io layer is the only one that opens user files; the case layer parses what this returns.

Why the bounds: YAML aliases let a 2.5 KB file stand for a billion nodes ("billion laughs");
PyYAML shares the aliased objects, but everything that walks the result afterwards expands
them, and a deeply nested file makes PyYAML's recursive composer raise RecursionError. A
``case.yml`` needs neither: the file is composed to its node graph first, and refused when it
nests deeper than :data:`MAX_DEPTH` or its aliases expand to more than :data:`MAX_ALIAS_NODES`
nodes, before any Python object is built.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from roi_kit.errors import CaseError

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_ALIAS_NODES", "expanded_size", "read_yaml"]

#: Largest case file read, bytes (the sample's case.yml is under 5 KB; PyYAML reads about
#: 1 MB a second, so a 50 MB file would take a minute before saying anything).
MAX_BYTES = 1_000_000

#: Deepest nesting of mappings and lists accepted (a ``case.yml`` uses about 5 levels).
MAX_DEPTH = 100
#: Most nodes that aliases (``*name``) may add when expanded (a ``case.yml`` needs none).
MAX_ALIAS_NODES = 10_000

_FIX_NESTING = "Fix: write the values out instead of nesting them (data/README.md)"


class _TooDeep(Exception):
    """Raised inside the composer; turned into a CaseError that names the file."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class _StrictLoader(yaml.SafeLoader):
    """A safe loader that refuses a key written twice (PyYAML silently keeps the last) and
    nesting deeper than :data:`MAX_DEPTH` (checked while composing, before Python recurses)."""

    _depth = 0

    def compose_node(self, parent, index):  # PyYAML calls it once per node, nested
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _TooDeep(self.peek_event().start_mark.line + 1)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


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


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def expanded_size(root: yaml.Node) -> tuple[int, int, int]:
    """(distinct nodes, nodes once aliases are expanded, expanded depth) of a node graph.

    An alias is the same node object as its anchor, so sizes are computed once per node
    (memoised, iteratively: no recursion however deep the graph) and the expansion is never
    built. A node that contains itself (``&a [*a]``) is refused.

    Parameters
    ----------
    root : yaml.Node
        A composed document.

    Returns
    -------
    tuple of int
        Distinct nodes, expanded nodes, expanded depth (a scalar alone has depth 1).

    Examples
    --------
    >>> node = yaml.compose("a: &x [1, 2]\\nb: *x\\n")
    >>> expanded_size(node)   # map, 2 keys, the list, its 2 items; b repeats the list (3)
    (6, 9, 3)
    """
    size: dict[int, tuple[int, int]] = {}
    active: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            kids = [size[id(c)] for c in _children(node)]
            size[key] = (1 + sum(k[0] for k in kids), 1 + max((k[1] for k in kids), default=0))
            active.discard(key)
            continue
        if key in size:
            continue
        if key in active:
            raise ValueError(f"line {node.start_mark.line + 1}: an alias refers to itself")
        active.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node) if id(c) not in size)
    return len(size), *size[id(root)]


def _check_graph(path: Path, root: yaml.Node) -> None:
    """Refuse a document whose aliases expand too far or that nests too deep through them."""
    try:
        distinct, expanded, depth = expanded_size(root)
    except ValueError as exc:
        raise CaseError(f"{path}: {exc}. Fix: remove that alias") from None
    if expanded - distinct > MAX_ALIAS_NODES:
        raise CaseError(
            f"{path}: its aliases (*name) expand to {expanded:,} values, more than the "
            f"{MAX_ALIAS_NODES:,} a case file may use. Fix: write the values out without "
            "aliases (data/README.md)"
        )
    if depth > MAX_DEPTH:
        raise CaseError(
            f"{path}: nested {depth} levels deep through aliases, more than {MAX_DEPTH}. "
            f"{_FIX_NESTING}"
        )


def _load(path: Path, text: str) -> object:
    """Compose, check the bounds, then construct (what ``yaml.load`` does, with the checks)."""
    loader = _StrictLoader(text)  # a SafeLoader subclass: no arbitrary objects
    try:
        try:
            root = loader.get_single_node()
        except _TooDeep as exc:
            raise CaseError(
                f"{path}: nested more than {MAX_DEPTH} levels deep (at line {exc.line}). "
                f"{_FIX_NESTING}"
            ) from None
        if root is None:
            return None
        _check_graph(path, root)
        return loader.construct_document(root)
    finally:
        loader.dispose()


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
        The file is not a regular file, is larger than :data:`MAX_BYTES`, is not UTF-8,
        cannot be read, is not valid YAML (the message names the line and column), writes a
        key twice in one block, nests deeper than :data:`MAX_DEPTH` or has aliases that
        expand past :data:`MAX_ALIAS_NODES`.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "case.yml"
    >>> _ = f.write_text("name: Acme\\nhorizon_years: 3\\n")
    >>> read_yaml(f)
    {'name': 'Acme', 'horizon_years': 3}
    """
    # A FIFO or device would block or stream forever: only regular files are read.
    if path.exists() and not path.is_file():
        raise CaseError(
            f"{path}: not a regular file (a folder, pipe or device). Fix: put the case "
            "settings in a plain text file named case.yml"
        )
    try:
        size = path.stat().st_size if path.exists() else 0
        if size > MAX_BYTES:
            raise CaseError(
                f"{path}: {size:,} bytes, more than the {MAX_BYTES:,} a case file may have. "
                "Fix: keep the data in the CSV tables; case.yml holds the settings only"
            )
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CaseError(f"{path}: not UTF-8 text; save case.yml as UTF-8") from None
    except OSError as exc:
        raise CaseError(
            f"{path}: cannot be read ({exc.strerror}). Fix: check that the file exists and "
            "that you may read it"
        ) from None
    try:
        return _load(path, text)
    except CaseError as exc:
        if str(exc).startswith(str(path)):
            raise
        raise CaseError(f"{path}, {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CaseError(
            f"{path}: not valid YAML{where}: {problem}. Fix: check the indentation there and put "
            "text containing ':' or '#' in quotes"
        ) from None
    except (ValueError, OverflowError) as exc:
        # PyYAML's int/float/date constructors: a 5,000-digit number, a date like 2024-13-45.
        raise CaseError(
            f"{path}: a value cannot be read ({exc}). Fix: write it as plain text in quotes "
            "or as a smaller number"
        ) from None
