"""The ``roi-kit`` command.

Each subcommand is a thin wrapper over a function in the package; errors the user can
fix (a ``RoiKitError``) are printed as one clear line with exit status 2, never as a
traceback.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Sequence
from pathlib import Path

from roi_kit import __version__, finance, formatting
from roi_kit.errors import RoiKitError

__all__ = ["main", "build_parser"]


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
