"""The ``roi-kit`` command.

Each subcommand is a thin wrapper over a function in the package. Whatever happens, the
user reads one or two lines, never a traceback (``--debug`` prints it):

============================================  =============================================
what happened                                 what the command prints and returns
============================================  =============================================
an error the user can fix (``RoiKitError``)   ``roi-kit: error: ...``, exit 2 (``validate``
                                              and ``import-crm`` print theirs, exit 1)
a file-system fault (``OSError``)             ``roi-kit: error: PATH: reason. Fix: ...``, 1
the reader closed the pipe (``| head``)       nothing more; exit 141 (128 + SIGPIPE, as a
                                              shell reports ``git log | head``)
Ctrl-C                                        ``roi-kit: interrupted``, exit 130
anything else                                 ``roi-kit: internal error: TYPE: message (run
                                              with --debug for the traceback)``, exit 1
============================================  =============================================

Values quoted in a message are cut to :data:`QUOTE_LIMIT` characters: a 50 MB one-line file
gives a short error, not a screenful.
"""

from __future__ import annotations

import argparse
import ast
import csv
import errno
import os
import re
import signal
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from roi_kit import __version__, formatting
from roi_kit.errors import RoiKitError
from roi_kit.money import finance

if TYPE_CHECKING:
    from roi_kit.io import Mapping

__all__ = [
    "QUOTE_LIMIT",
    "main",
    "build_parser",
    "validate_command",
    "import_crm_command",
    "clip_message",
]

#: Longest quoted value (characters) a printed message keeps; longer ones end in "...".
QUOTE_LIMIT = 80
#: Longest message (characters) printed at all; the middle of a longer one is cut.
MESSAGE_LIMIT = 2_000
#: Exit status after the reader of stdout went away: 128 + SIGPIPE, as the shell reports.
EXIT_PIPE = 128 + getattr(signal, "SIGPIPE", 13)
#: Exit status after Ctrl-C: 128 + SIGINT.
EXIT_INTERRUPTED = 130

# A quoted value as repr() writes it: opens after a non-word character (so the apostrophe
# in "case's" opens nothing) and closes before one; backslash escapes inside.
_QUOTED = re.compile(r"""(?<![\w])('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")(?![\w])""")


def clip_message(text: str, limit: int = QUOTE_LIMIT) -> str:
    """``text`` with every quoted value longer than ``limit`` characters cut, ending in "...".

    Parameters
    ----------
    text : str
        A message to print.
    limit : int, default :data:`QUOTE_LIMIT`
        Characters kept of a quoted value (its quotes not counted).

    Returns
    -------
    str
        The message; at most :data:`MESSAGE_LIMIT` characters (the middle cut with "...").

    Examples
    --------
    >>> clip_message("row 2: not a number (found '" + "9" * 200 + "')") == (
    ...     "row 2: not a number (found '" + "9" * 77 + "...')")
    True
    >>> clip_message("the case's file 'kpis.csv'")
    "the case's file 'kpis.csv'"
    """

    def cut(match: re.Match[str]) -> str:
        quoted = match.group(0)
        inner = quoted[1:-1]
        if len(inner) <= limit:
            return quoted
        return f"{quoted[0]}{inner[: limit - 3]}...{quoted[0]}"

    text = _QUOTED.sub(cut, text)
    if len(text) > MESSAGE_LIMIT:
        half = MESSAGE_LIMIT // 2
        text = f"{text[:half]} ... {text[-half:]}"
    return text


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
    try:
        result = report.build_report(
            args.output, parameters=params, with_code=args.with_code, pdf=args.pdf,
            force=args.force,
        )  # fmt: skip
    except OSError as exc:
        # The report is staged in a hidden folder beside the destination: name the
        # destination the user gave, not the staging folder.
        dest = Path(args.output).expanduser().absolute()
        where = Path(exc.filename) if exc.filename else None
        if where is None or where in (dest, dest.parent) or where.parent in (dest, dest.parent):
            raise OSError(exc.errno, exc.strerror, args.output) from None
        raise
    print(f"report written: {result.index}")
    if result.workbook is not None:
        print(f"workbook written: {result.workbook}")
    for backup in result.backups:  # an edited file replaced with --force, or old pages
        if backup.is_dir():
            _said_backup(backup)
        else:
            print(f"kept the old {backup.name.rpartition('.bak-')[0]} as {backup}")
    if result.pdf is not None:
        print(f"PDF written: {result.pdf}")
    if result.pdf_refused:
        # The HTML report is written all the same; the missing PDF is an error to fix.
        raise report.ReportError(result.pdf_refused)
    return 0


def _said_backup(backup: Path) -> None:
    print(f"kept a backup of the replaced files in {backup}")


def _cmd_new(args: argparse.Namespace) -> int:
    from roi_kit.case import scaffold_case

    path = scaffold_case(args.path, force=args.force, on_backup=_said_backup)
    print(f"new case: {path} (edit case.yml and the CSV files, then `roi-kit validate {path}`)")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    return validate_command(args.path)


def _cmd_import_crm(args: argparse.Namespace) -> int:
    from roi_kit.case import crm_mapping

    case = args.case
    # With -o the case only names the export's columns (crm_export); without, it is the
    # case to create (no case.yml yet) or update.
    has_yml = bool(case) and (Path(case) / "case.yml").is_file()
    mapping = crm_mapping(case) if case and (args.output or has_yml) else None
    return import_crm_command(
        args.export,
        args.output,
        by=args.by,
        mapping=mapping,
        force=args.force,
        encoding=args.encoding,
        unit=args.unit,
        teams=args.teams,
        teams_owner=args.teams_owner,
        sheet=args.sheet,
        case=None if args.output else case,
        go_live=args.go_live,
        treated=args.treated,
        control=args.control,
        currency=args.currency,
    )


def _cmd_sample(args: argparse.Namespace) -> int:
    from roi_kit.case.sample import main as sample_main

    return sample_main([*([args.out] if args.out else []), *(["--force"] if args.force else [])])


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
    print(f"  Verdict: {data['verdict']['label']}")
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


def _cmd_workbook(args: argparse.Namespace) -> int:
    from roi_kit.case import load_case
    from roi_kit.workbook import write_workbook

    def said(backup: Path) -> None:
        print(f"kept the old {args.output} as {backup}")

    path = write_workbook(load_case(args.case), args.output, force=args.force, on_backup=said)
    print(f"workbook written: {path} (open it in Excel or LibreOffice; blue cells are inputs)")
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
        print(f"The case could not be loaded.\n{clip_message(str(exc))}")
        return 1
    report = check_case(case)
    print(f"Case: {case.name} ({case.kind}), {case.path}")
    print(format_report(report))
    if case.after is not None:  # a review: say what its baseline can support (issue 12)
        from roi_kit.measure import case_baseline_limits

        print(f"Baseline: {case_baseline_limits(case).message}")
    return 1 if any(f.severity == "error" for f in report.findings) else 0


def _check_import_paths(src: Path, dst: Path, out: str, force: bool) -> None:
    """Refuse an export that is not a regular file, and an output that is the export, a
    folder, or (unless ``force``) an existing file."""
    if src.exists() and not src.is_file():
        raise RoiKitError(
            f"the export {src} is not a regular file (a folder, pipe or device). "
            "Fix: give the CSV file the CRM exported"
        )
    # samefile also catches a hard link or a symlink to the export.
    if dst.resolve() == src.resolve() or (
        dst.exists() and src.exists() and os.path.samefile(src, dst)
    ):
        raise RoiKitError(
            f"the output {out} is the export itself; the kit never overwrites its input. "
            "Fix: choose another file name with -o"
        )
    if dst.is_dir():
        raise RoiKitError(
            f"the output {out} is a folder. Fix: name the file to write, e.g. -o {dst / 'kpis.csv'}"
        )
    if dst.exists() and not force:
        raise RoiKitError(
            f"the output {out} already exists; nothing was written. Fix: choose a new file "
            "name with -o, or add --force to replace it (the old file is kept as a .bak copy)"
        )


def import_crm_command(
    export: str,
    out: str | None,
    by: str | None = None,
    *,
    mapping: Mapping | dict[str, Any] | None = None,
    force: bool = False,
    encoding: str | None = None,
    unit: str | None = None,
    teams: str | None = None,
    teams_owner: str | None = None,
    sheet: str | None = None,
    case: str | None = None,
    go_live: str | None = None,
    treated: str | None = None,
    control: list[str] | None = None,
    currency: str | None = None,
) -> int:
    """``roi-kit import-crm EXPORT (-o kpis.csv | --case DIR) [--by COL] [--unit COL] ...``.

    Reads the export, prints what was detected, writes the monthly table atomically: to
    ``out``, or into the case ``case`` (created or updated by
    :func:`roi_kit.case.imported.write_import`, so that it loads as it is).

    Parameters
    ----------
    export : str
        The CRM export to read (a regular CSV or XLSX file; never written).
    out : str or None
        The CSV file to write: a new file. An existing one is refused unless ``force``.
    by, unit : str, optional
        Group and unit columns (see :func:`roi_kit.io.import_opportunities`).
    mapping : Mapping or dict, optional
        A custom mapping (for example from ``case.yml``).
    force : bool, default False
        Replace an existing output, after copying it to ``OUT.bak-YYYYmmdd-HHMMSS``.
    encoding : str, optional
        The export's encoding (Python codec name); default: detected.
    teams, teams_owner : str, optional
        The teams file for the owner -> team -> region join, and its owner column.
    sheet : str, optional
        XLSX only: the sheet (name, or a number counting from 0).
    case : str, optional
        A case folder to create or update instead of ``out``.
    go_live, treated, control, currency : optional
        For ``case``: the go-live month (sets the periods; needed for a new case), the
        treated group, the control groups and the currency code.

    Returns
    -------
    int
        0 on success, 1 when the export or the output was refused, or a file could not be
        read or written (the reason printed as one line on stderr).
    """
    from roi_kit.io import atomic_write_csv, describe_import, import_opportunities
    from roi_kit.io.atomic import backup_file

    src = Path(export)
    try:
        if (out is None) == (case is None):
            raise RoiKitError(
                "import-crm writes either a table or a case. Fix: add -o kpis.csv, or --case "
                "DIR to create or update a case folder"
            )
        if out is not None and (go_live or treated or control or currency):
            raise RoiKitError(
                "--go-live, --treated, --control and --currency set a case's keys, but -o "
                "writes only a table. Fix: drop -o and give --case DIR"
            )
        if out is not None:
            _check_import_paths(src, Path(out), out, force)
        result = import_opportunities(
            src,
            mapping=mapping,
            by=by,
            encoding=encoding,
            unit=unit,
            teams=teams,
            teams_owner=teams_owner,
            sheet=int(sheet) if sheet is not None and sheet.isdigit() else sheet,
        )
        print(describe_import(result))
        if case is not None:
            return _import_into_case(result, case, (go_live, treated, control, currency), force)
        dst = Path(out or "")
        # Checked again: the file may have appeared while the export was read.
        _check_import_paths(src, dst, str(out), force)
        if dst.exists():
            print(f"kept the old {out} as {backup_file(dst)}")
        atomic_write_csv(result.monthly, dst)
        print(f"wrote {len(result.monthly)} rows to {dst}")
    except RoiKitError as exc:
        print(f"error: {clip_message(str(exc))}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: {_os_error_text(exc)}", file=sys.stderr)
        return 1
    except csv.Error as exc:
        # The header line is split by the csv module (roi_kit.io.crm_read), which raises
        # csv.Error on a line longer than its field limit.
        print(
            f"error: {export}: the first line is not a CSV header ({exc}). Fix: export the "
            "opportunities again as CSV",
            file=sys.stderr,
        )
        return 1
    return 0


def _import_into_case(result: Any, case: str, keys: tuple, force: bool) -> int:
    """Write an import into a case folder and say what was set (see ``import_crm_command``).

    ``keys`` holds go_live, treated, control and currency, as given.
    """
    from roi_kit.case.imported import write_import

    go_live, treated, control, currency = keys
    done = write_import(
        case,
        result.monthly,
        by=result.by,
        unit=result.unit,
        go_live=go_live,
        treated=treated,
        control=control,
        partial_month=result.partial_month,
        currency=currency,
        force=force,
        on_backup=lambda p: print(f"kept a backup: {p}"),
    )
    verb = "created" if done.created else "updated"
    print(f"wrote {len(result.monthly)} rows to {done.kpis}")
    for line in done.lines:
        print(line)
    print(f"{verb} case {done.folder}; next: roi-kit validate {done.folder}")
    return 0


#: How to proceed after a file-system fault, by errno.
_OS_FIXES = {
    errno.EACCES: "check that you may read or write there, or choose another path",
    errno.EPERM: "check that you may read or write there, or choose another path",
    errno.EROFS: "the file system is read-only; choose another path",
    errno.ENOTDIR: "a part of the path is a file, not a folder; check the path",
    errno.ENOENT: "check the path",
    errno.EISDIR: "it is a folder; give a file name",
    errno.ENOSPC: "free some disk space or choose another disk",
    errno.EEXIST: "choose a new name",
}


def _os_error_text(exc: OSError, path: object = None) -> str:
    """``PATH: reason. Fix: ...`` for a file-system fault (no traceback, no temp names)."""
    where = exc.filename if exc.filename is not None else path
    reason = exc.strerror or str(exc) or type(exc).__name__
    code = exc.errno or 0
    if code == errno.EEXIST and where is not None and not Path(str(where)).is_dir():
        # mkdir(exist_ok=True) says "File exists" when a file stands where a folder must be.
        reason, code = "a file is in the way where a folder is needed", errno.ENOTDIR
    text = f"{where}: {reason}" if where is not None else reason
    fix = _OS_FIXES.get(code)
    return clip_message(text + (f". Fix: {fix}" if fix else ""))


def _add_import_crm(sub: Any, common: argparse.ArgumentParser) -> None:
    """The ``import-crm`` command and its options (every one written in ``--help``)."""
    imp = sub.add_parser(
        "import-crm",
        help="opportunity export (CSV or XLSX) -> monthly KPI table, or a case",
        description="Count an opportunity export (one row per deal) into one row per month "
        "(per group with --by, per unit inside groups with --unit): new opportunities, deals "
        "won and lost, revenue (rounded to cents), win rate, average deal size, sales cycle "
        "days, open pipeline. Months before the first won or lost deal are left out (no "
        "outcome is known there: not zero revenue), and a last month the export only partly "
        "covers is named. The export is only read. Write the table with -o, or with --case "
        "DIR create a case (or update one) that loads as it is.",
        epilog="Examples: the public dataset by region and agent: import-crm "
        "sales_pipeline.csv --teams sales_teams.csv --by regional_office --unit sales_agent "
        "--case my_case --go-live 2017-08 --treated East. A Salesforce report: import-crm "
        "opps.csv --teams users.csv --teams-owner 'Full Name' --by Region -o kpis.csv. A "
        "HubSpot export: import-crm deals.xlsx --teams owners.csv --by Team -o kpis.csv.",
        parents=[common],
    )
    imp.add_argument(
        "export",
        help="the export as CSV (comma, semicolon or tab; UTF-8, UTF-16, GBK or cp1252) or "
        "XLSX: a Salesforce opportunity report, a HubSpot deals export, the public CRM Sales "
        "Opportunities dataset, or any other with --case (its crm_export section)",
    )
    imp.add_argument(
        "-o",
        "--output",
        help="the CSV file to write; it must not exist yet (see --force). With --case, the "
        "case only names the export's columns (crm_export) and is not changed",
    )
    imp.add_argument(
        "--force",
        action="store_true",
        help="replace an existing output file (or the case's KPI table), after copying it to "
        "NAME.bak-YYYYmmdd-HHMMSS",
    )
    imp.add_argument(
        "--encoding",
        metavar="NAME",
        help="the export's text encoding when detection cannot tell (a Python codec: utf-8, "
        "utf-16, gbk, cp1252, latin-1, ...); default: detected",
    )
    imp.add_argument("--sheet", help="XLSX only: the sheet name or number (0 = first)")
    imp.add_argument(
        "--by",
        metavar="COLUMN",
        help="one row per month and group: an export column (e.g. 'Opportunity Owner'), a "
        "field name (owner) or a column of the teams file (manager, regional_office); the "
        "output column is named as given",
    )
    imp.add_argument(
        "--unit",
        metavar="COLUMN",
        help="units inside the groups (one row per month x group x unit), named like --by: "
        "e.g. sales_agent, owner, or a teams-file column",
    )
    imp.add_argument(
        "--teams",
        metavar="FILE",
        help="a teams file (CSV or XLSX, one row per deal owner) giving each owner's team or "
        "region for --by/--unit; default: sales_teams.csv beside the export, if there",
    )
    imp.add_argument(
        "--teams-owner",
        metavar="COLUMN",
        help="the teams file's owner column (e.g. sales_agent, 'Full Name', 'Deal owner'); "
        "default: the column holding the most of the export's owner names",
    )
    _add_import_crm_case_options(imp)
    imp.set_defaults(func=_cmd_import_crm)


def _add_import_crm_case_options(imp: argparse.ArgumentParser) -> None:
    """``import-crm``'s options for writing a case: --case, --go-live, --treated, --control."""
    imp.add_argument(
        "--case",
        metavar="DIR",
        help="create the case DIR (as roi-kit new does) or update it, so that it loads as it "
        "is: the table goes where case.yml points files.kpis, the import's KPIs "
        "(new_opportunities, deals_lost, open_pipeline, ...) are declared in custom_kpis, and "
        "groups are set from --by/--unit; case.yml keeps its comments and is backed up first. "
        "Its crm_export section, if any, names the export's columns and stages",
    )
    imp.add_argument(
        "--go-live",
        metavar="YYYY-MM",
        help="with --case: the first month with the CRM; sets go_live, baseline (first month "
        "to the month before) and after (to the last complete month). Needed for a new case",
    )
    imp.add_argument(
        "--treated",
        metavar="GROUP",
        help="with --case and --by: the group that got the CRM (groups.treated)",
    )
    imp.add_argument(
        "--control",
        metavar="GROUP",
        action="append",
        help="with --case and --by: a control group (repeat for several); default: every "
        "other group",
    )
    imp.add_argument(
        "--currency",
        metavar="CODE",
        help="with --case: the ISO 4217 code of the export's amounts (e.g. USD); sets currency",
    )


def _add_writing_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """The commands that write files (``new``, ``import-crm``, ``sample``) and their --force."""
    new = sub.add_parser("new", help="start a new case folder from the template", parents=[common])
    new.add_argument("path", help="a new (or empty) folder")
    new.add_argument(
        "--force",
        action="store_true",
        help="write the template into a non-empty folder (the files it replaces are first "
        "copied to a PATH.bak-YYYYmmdd-HHMMSS folder beside it)",
    )
    new.set_defaults(func=_cmd_new)

    _add_import_crm(sub, common)

    sam = sub.add_parser(
        "sample", help="regenerate the sample case (deterministic)", parents=[common]
    )
    sam.add_argument("out", nargs="?", help="folder (default: data/sample_case)")
    sam.add_argument(
        "--force",
        action="store_true",
        help="write into an existing non-empty folder other than data/sample_case (the files "
        "it replaces are first copied to an OUT.bak-YYYYmmdd-HHMMSS folder beside it)",
    )
    sam.set_defaults(func=_cmd_sample)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``roi-kit`` (exposed for tests and docs)."""
    parser = argparse.ArgumentParser(
        prog="roi-kit",
        description="crm-roi-kit: was our CRM worth it? ROI studies from notebooks.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of any error (for bug reports)"
    )
    # Accepted after the command too; SUPPRESS keeps a subcommand from resetting it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    quick = sub.add_parser(
        "quick", help="every ROI definition for one gain and one cost", parents=[common]
    )
    quick.add_argument("gain", type=float, help="total gain over the period (currency)")
    quick.add_argument("cost", type=float, help="total cost, paid up front (currency)")
    quick.add_argument("--years", type=int, default=3, help="years the gain is spread over")
    quick.add_argument("--discount-rate", type=float, default=0.10, help="annual, fraction")
    quick.add_argument("--currency", default="", help="written before amounts")
    quick.set_defaults(func=_cmd_quick)

    rep = sub.add_parser(
        "report", help="execute the notebooks and write the HTML report", parents=[common]
    )
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
    rep.add_argument(
        "--pdf",
        nargs="?",
        const="summary",
        choices=("summary", "all"),
        default=None,
        help="also write report.pdf (A4, headless Chromium): the executive summary, "
        "or every page with --pdf all",
    )
    rep.add_argument(
        "--force",
        action="store_true",
        help="replace files of the earlier report edited since the kit wrote them, such as "
        "a saved model.xlsx (each is first kept as NAME.bak-YYYYmmdd-HHMMSS beside it)",
    )
    rep.set_defaults(func=_cmd_report)

    val = sub.add_parser(
        "validate", help="load a case and print its data-quality report", parents=[common]
    )
    val.add_argument("path", help="case folder")
    val.set_defaults(func=_cmd_validate)

    _add_writing_commands(sub, common)

    summ = sub.add_parser(
        "summary", help="headline figures of a case (text or --json)", parents=[common]
    )
    summ.add_argument("case", help="case folder")
    summ.add_argument("--json", action="store_true", help="machine-readable JSON")
    summ.add_argument("--draws", type=int, default=100_000, help="Monte Carlo draws")
    summ.add_argument("--seed", type=int, default=0, help="random seed")
    summ.set_defaults(func=_cmd_summary)

    book = sub.add_parser(
        "workbook", help="write the Excel model of a case (live formulas)", parents=[common]
    )
    book.add_argument("case", help="case folder")
    book.add_argument("-o", "--output", required=True, help="the .xlsx file to write")
    book.add_argument(
        "--force",
        action="store_true",
        help="replace an existing file (the old one is kept as NAME.bak-YYYYmmdd-HHMMSS)",
    )
    book.set_defaults(func=_cmd_workbook)
    return parser


def _closed_pipe() -> int:
    """The reader of stdout went away (``roi-kit ... | head``): stop quietly.

    stdout is pointed at the null device so that flushing what is still buffered at exit
    does not raise again (the recipe of the Python documentation, "Note on SIGPIPE").
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    return EXIT_PIPE


def _say(line: str) -> None:
    """Print one line on stderr; a closed stderr is not worth a traceback either."""
    try:
        print(line, file=sys.stderr)
    except (OSError, ValueError):
        pass


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def _run(args: argparse.Namespace) -> int:
    code = int(args.func(args))
    sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``roi-kit`` command; returns the exit status (see the module docstring)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in arguments
    try:
        args = build_parser().parse_args(arguments)
        return _run(args)
    except BrokenPipeError:
        return _closed_pipe()
    except KeyboardInterrupt:
        if debug:
            traceback.print_exc()
        _say("roi-kit: interrupted")
        return EXIT_INTERRUPTED
    except RoiKitError as exc:
        if debug:
            traceback.print_exc()
        _say(f"roi-kit: error: {clip_message(str(exc))}")
        return 2
    except OSError as exc:
        if debug:
            traceback.print_exc()
        _say(f"roi-kit: error: {_os_error_text(exc)}")
        return 1
    except Exception as exc:  # the last line of defence: one line, never a traceback
        if debug:
            traceback.print_exc()
        _say(
            f"roi-kit: internal error: {type(exc).__name__}: {clip_message(_one_line(exc))} "
            "(run with --debug for the traceback)"
        )
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
