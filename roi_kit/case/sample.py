"""The sample case: a fictional company whose true CRM effects are known.

"Northwind Supplies" is a fictional mid-size B2B distributor (currency EUR). Its North
region went live with a CRM in January 2024; its South region did not and serves as the
control group. Both regions share a growth trend and seasonality (a Q4 peak, a summer dip in
July/August), so a naive before/after comparison credits the CRM with growth it did not cause.

The CRM effects are injected into North's after-period KPIs, scaled each month by the share
of licensed users who were active (``adoption.csv``), on top of seeded noise. Because the same
noise draws are used with and without the effects, the effect actually present in the files
is known exactly; ``true_effects.yml`` records it, so estimators (naive, counterfactual,
difference-in-differences) can be tested against the truth.

The simulation lives in :mod:`roi_kit.case.sample_world`, the text of the files in
:mod:`roi_kit.case.sample_files`; this module writes them and holds the command line.

Regenerate the committed copy with ``python -m roi_kit.case.sample`` (or pass an output folder).
The output is byte-identical for the same seed: fixed float formatting, ``"\\n"`` line
endings, sorted keys, no timestamps.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from roi_kit.case.sample_files import SAMPLE_FILES, _render
from roi_kit.case.sample_world import (
    DEFAULT_SEED,
    DERIVED_KPIS,
    TRUE_EFFECTS,
    ZERO_EFFECT_KPIS,
    TrueEffect,
    _check_args,
    true_average_effects,
)
from roi_kit.errors import CaseError
from roi_kit.io import atomic_write_text
from roi_kit.io.atomic import backup_files

__all__ = [
    "DEFAULT_SEED",
    "TrueEffect",
    "TRUE_EFFECTS",
    "DERIVED_KPIS",
    "ZERO_EFFECT_KPIS",
    "SAMPLE_FILES",
    "default_sample_dir",
    "true_average_effects",
    "generate_sample_case",
    "main",
]


def default_sample_dir() -> Path:
    """The committed sample case folder: ``<repository>/data/sample_case``.

    Returns
    -------
    pathlib.Path
        Resolved relative to this file, so it works from any working directory.
    """
    return Path(__file__).resolve().parents[2] / "data" / "sample_case"


def _is_kit_sample(folder: Path) -> bool:
    """True for the kit's own committed sample folder, which the generator may rewrite.

    It is :func:`default_sample_dir` holding only sample files, ``true_effects.yml`` among
    them (the file only the generator writes); the copy in git keeps what it replaces.
    """
    try:
        if folder.resolve() != default_sample_dir().resolve():
            return False
        names = {p.name for p in folder.iterdir()}
    except OSError:
        return False
    return "true_effects.yml" in names and names <= set(SAMPLE_FILES)


def _check_out_dir(out: Path, force: bool) -> bool:
    """Refuse a file or a foreign non-empty folder unless forced; True if a backup is due."""
    if out.exists() and not out.is_dir():
        raise CaseError(
            f"{out} already exists and is a file, not a folder. Fix: give a new folder for "
            "the sample case"
        )
    if not out.is_dir() or not any(out.iterdir()) or _is_kit_sample(out):
        return False
    if not force:
        held = sorted(p.name for p in out.iterdir())
        shown = ", ".join(held[:5]) + (f" and {len(held) - 5} more" if len(held) > 5 else "")
        raise CaseError(
            f"{out} already exists and is not empty (it holds {shown}); nothing was changed. "
            "Fix: give a new folder, or add --force to write the sample there (the files it "
            "replaces are backed up first)"
        )
    return True


def generate_sample_case(
    out_dir: str | Path,
    *,
    seed: int = DEFAULT_SEED,
    effect_scale: float = 1.0,
    force: bool = False,
    on_backup: Callable[[Path], None] | None = None,
) -> Path:
    """Write the Northwind Supplies sample case folder.

    Writes ``case.yml``, ``kpis.csv``, ``costs.csv``, ``adoption.csv``,
    ``true_effects.yml`` and ``README.md`` (see :data:`SAMPLE_FILES`), each atomically.
    Other files in ``out_dir`` are left alone. The same arguments always give the same
    bytes.

    Parameters
    ----------
    out_dir : str or Path
        The folder to write: new, empty, or the kit's own ``data/sample_case``
        (:func:`default_sample_dir`, which ``make sample`` regenerates); created if missing.
    seed : int, default 20240101
        Seed of the noise (numpy ``default_rng``); a different seed gives different data.
    effect_scale : float, default 1.0
        Multiplier of every injected effect in :data:`TRUE_EFFECTS`; 0 writes a world in
        which the CRM changed nothing (with the same noise), for null tests of estimators.
    force : bool, default False
        Also write into any other non-empty folder; the files it replaces are first copied
        to a new folder beside it (``NAME.bak-YYYYmmdd-HHMMSS``).
    on_backup : callable, optional
        Called with the backup folder when one was made.

    Returns
    -------
    pathlib.Path
        ``out_dir``.

    Raises
    ------
    CaseError
        If ``seed`` is not a non-negative integer or ``effect_scale`` not a finite
        number >= 0; if ``out_dir`` is a file, or a non-empty folder other than the kit's
        sample folder and ``force`` is not given (nothing is written then).

    Examples
    --------
    >>> import tempfile
    >>> folder = generate_sample_case(Path(tempfile.mkdtemp()) / "northwind")
    >>> sorted(p.name for p in folder.iterdir()) == sorted(SAMPLE_FILES)
    True
    """
    seed, scale = _check_args(seed, effect_scale)
    out = Path(out_dir)
    files = _render(seed, scale)  # rendered first: a bad argument never touches the disk
    if _check_out_dir(out, force):
        backup = backup_files(out, files)
        if backup is not None and on_backup is not None:
            on_backup(backup)
    out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        atomic_write_text(out / name, text)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m roi_kit.case.sample [OUT] [--seed N]``.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; ``sys.argv[1:]`` when None.

    Returns
    -------
    int
        The exit code: 0 on success, 2 on a bad argument or a refused folder (the reason
        printed as one line on stderr).
    """
    parser = argparse.ArgumentParser(
        prog="python -m roi_kit.case.sample",
        description="Regenerate the Northwind Supplies sample case (known true CRM effects).",
    )
    parser.add_argument(
        "out",
        nargs="?",
        type=Path,
        default=None,
        help=f"output folder (default: {default_sample_dir()})",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="noise seed")
    parser.add_argument(
        "--force",
        action="store_true",
        help="write into an existing non-empty folder (its replaced files are backed up first)",
    )
    args = parser.parse_args(argv)
    out = args.out if args.out is not None else default_sample_dir()

    def said(backup: Path) -> None:
        print(f"kept a backup of the replaced files in {backup}")

    try:
        written = generate_sample_case(out, seed=args.seed, force=args.force, on_backup=said)
    except CaseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.filename or out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"wrote the sample case to {written}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
