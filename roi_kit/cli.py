"""The ``roi-kit`` command.

Each subcommand is a thin wrapper over a function in the package; errors the user can
fix (a ``RoiKitError``) are printed as one clear line with exit status 2, never as a
traceback.
"""

from __future__ import annotations

import argparse
import ast
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from roi_kit import __version__, formatting
from roi_kit.errors import RoiKitError
from roi_kit.money import finance

if TYPE_CHECKING:
    from roi_kit.io import Mapping

__all__ = ["main", "build_parser", "validate_command", "import_crm_command"]


def _parse_param(text: str) -> tuple[str, object]:
    """``NAME=VALUE`` -> (name, value); VALUE as a Python literal when it is one."""
    name, sep, raw = text.partition("=")
    if not sep or not name.isidentifier():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    try:
        value: object = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        value = raw
    return name, value


def _cmd_quick(args: argparse.Namespace) -> int:
    q = finance.quick_estimate(
        args.gain, args.cost, years=args.years, discount_rate=args.discount_rate
    )
    print(formatting.as_lines(finance.quick_table(q, args.currency), "Measure", "Value"))
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from roi_kit import report

    params = dict(args.param or [])
    if args.case is not None:
        params.setdefault("case_path", str(Path(args.case).resolve()))
    result = report.build_report(args.output, parameters=params, with_code=args.with_code)
    print(f"report written: {result.index}")
    return 0


def _cmd_new(args: argparse.Namespace) -> int:
    from roi_kit.case import scaffold_case

    path = scaffold_case(args.path)
    print(f"new case: {path} (edit case.yml and the CSV files, then `roi-kit validate {path}`)")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    return validate_command(args.path)


def _cmd_import_crm(args: argparse.Namespace) -> int:
    from roi_kit.case import crm_mapping

    mapping = crm_mapping(args.case) if args.case else None
    return import_crm_command(args.export, args.output, by=args.by, mapping=mapping)


def _cmd_sample(args: argparse.Namespace) -> int:
    from roi_kit.case.sample import main as sample_main

    return sample_main([args.out] if args.out else [])


def _cmd_summary(args: argparse.Namespace) -> int:
    from roi_kit.case import load_case
    from roi_kit.study import summary

    study = summary.run_study(load_case(args.case), n=args.draws, seed=args.seed)
    if args.json:
        print(summary.summary_json(study))
        return 0
    data = summary.case_summary(study)
    cur = data["case"]["currency"]
    roi, mc = data["roi"], data["monte_carlo"]
    print(f"{data['case']['name']} ({data['case']['kind']})")
    print(f"  NPV: {formatting.money(data['npv'], cur)}")
    pct, mon = formatting.percent, formatting.months
    print(f"  TEI ROI: {pct(roi['tei'])}  simple ROI: {pct(roi['simple'])}")
    print(f"  IRR: {pct(data['irr'])}  payback: {mon(data['payback_months'])}")
    print(
        f"  Monte Carlo ({mc['n']:,} draws): ROI P5 {pct(mc['roi_p5'])}, "
        f"P50 {pct(mc['roi_p50'])}, P95 {pct(mc['roi_p95'])}; "
        f"P(ROI > 0) = {pct(mc['prob_roi_positive'])}"
    )
    if mc["roi_p5"] is not None and mc["roi_p5"] < 0 < mc["roi_p95"]:
        print("  The 90% interval of ROI includes zero: a loss is possible on these assumptions.")
    return 0


def validate_command(path: str | Path) -> int:
    """``roi-kit validate PATH``: load a case, print its quality report.

    Lives here, not in :mod:`roi_kit.case`: it is the one place that joins loading
    (:func:`roi_kit.case.load_case`) and the quality report, so ``case.load`` and
    ``case.quality`` need not import each other.

    Parameters
    ----------
    path : str or Path
        Case folder or ``case.yml``.

    Returns
    -------
    int
        Exit code: 1 if the case does not load or the report has an error finding, else 0.
    """
    from roi_kit.case import check_case, format_report, load_case

    try:
        case = load_case(path)
    except RoiKitError as exc:
        print(f"The case could not be loaded.\n{exc}")
        return 1
    report = check_case(case)
    print(f"Case: {case.name} ({case.kind}), {case.path}")
    print(format_report(report))
    return 1 if any(f.severity == "error" for f in report.findings) else 0


def import_crm_command(
    export: str,
    out: str,
    by: str | None = None,
    *,
    mapping: Mapping | dict[str, Any] | None = None,
) -> int:
    """``roi-kit import-crm EXPORT -o kpis.csv [--by COLUMN]``.

    Reads the export, prints what was detected, writes the monthly table atomically.

    Parameters
    ----------
    export : str
        The CRM export to read.
    out : str
        The CSV file to write (replaced if it exists; never the export itself).
    by : str, optional
        Group column (see :func:`import_opportunities`).
    mapping : Mapping or dict, optional
        A custom mapping (for example from ``case.yml``).

    Returns
    -------
    int
        0 on success, 1 when the export was refused (the reason printed as one line).
    """
    from roi_kit.io import atomic_write_csv, describe_import, import_opportunities

    try:
        src, dst = Path(export), Path(out)
        # samefile also catches a hard link or a symlink to the export.
        same = dst.resolve() == src.resolve() or (
            dst.exists() and src.exists() and os.path.samefile(src, dst)
        )
        if same:
            raise RoiKitError(
                f"the output {out} is the export itself; the kit never overwrites its input. "
                "Fix: choose another file name with -o"
            )
        result = import_opportunities(src, mapping=mapping, by=by)
        print(describe_import(result))
        atomic_write_csv(result.monthly, dst)
        print(f"wrote {len(result.monthly)} rows to {dst}")
    except RoiKitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: {exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr)
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``roi-kit`` (exposed for tests and docs)."""
    parser = argparse.ArgumentParser(
        prog="roi-kit",
        description="crm-roi-kit: was our CRM worth it? ROI studies from notebooks.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    quick = sub.add_parser("quick", help="every ROI definition for one gain and one cost")
    quick.add_argument("gain", type=float, help="total gain over the period (currency)")
    quick.add_argument("cost", type=float, help="total cost, paid up front (currency)")
    quick.add_argument("--years", type=int, default=3, help="years the gain is spread over")
    quick.add_argument("--discount-rate", type=float, default=0.10, help="annual, fraction")
    quick.add_argument("--currency", default="", help="written before amounts")
    quick.set_defaults(func=_cmd_quick)

    rep = sub.add_parser("report", help="execute the notebooks and write the HTML report")
    rep.add_argument("case", nargs="?", help="case folder (default: the notebooks' default)")
    rep.add_argument("-o", "--output", default="reports", help="report folder")
    rep.add_argument(
        "-p",
        "--param",
        action="append",
        type=_parse_param,
        metavar="NAME=VALUE",
        help="override a notebook parameter (repeatable)",
    )
    rep.add_argument("--with-code", action="store_true", help="show code cells in the pages")
    rep.set_defaults(func=_cmd_report)

    new = sub.add_parser("new", help="start a new case folder from the template")
    new.add_argument("path", help="a new (or empty) folder")
    new.set_defaults(func=_cmd_new)

    val = sub.add_parser("validate", help="load a case and print its data-quality report")
    val.add_argument("path", help="case folder")
    val.set_defaults(func=_cmd_validate)

    imp = sub.add_parser("import-crm", help="opportunity export (CSV) -> monthly kpis.csv")
    imp.add_argument("export", help="Salesforce, HubSpot or generic opportunity export")
    imp.add_argument("-o", "--output", required=True, help="the kpis.csv to write (new file)")
    imp.add_argument("--by", help="group by this column (owner, team, region)")
    imp.add_argument(
        "--case", help="take a custom column/stage mapping from this case's crm_export section"
    )
    imp.set_defaults(func=_cmd_import_crm)

    sam = sub.add_parser("sample", help="regenerate the sample case (deterministic)")
    sam.add_argument("out", nargs="?", help="folder (default: data/sample_case)")
    sam.set_defaults(func=_cmd_sample)

    summ = sub.add_parser("summary", help="headline figures of a case (text or --json)")
    summ.add_argument("case", help="case folder")
    summ.add_argument("--json", action="store_true", help="machine-readable JSON")
    summ.add_argument("--draws", type=int, default=100_000, help="Monte Carlo draws")
    summ.add_argument("--seed", type=int, default=0, help="random seed")
    summ.set_defaults(func=_cmd_summary)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``roi-kit`` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except RoiKitError as exc:
        print(f"roi-kit: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
