"""User text is text in every figure: no ``$`` in a label may become matplotlib math text.

Each hostile string goes into every user field of a copy of the sample case that reaches a
figure (the case name, a custom KPI's label and unit, the group names, the scenario names,
the intangible names, the cost items) and, where a figure takes one, into the currency.
Every figure function of :mod:`roi_kit.views` must then render to PNG, no text artist may
be math text, and the user's string must be drawn literally.

The escaped forms are written out by hand from matplotlib's rule (``Text._preprocess_math``
in matplotlib 3.x): a string is math text only with an even, non-zero number of unescaped
``$``; otherwise each ``\\$`` is drawn as ``$``. So the kit stores ``$`` as ``\\$``
(``Text.get_text()`` returns that stored form) and the reader sees ``$``.
"""

from __future__ import annotations

import dataclasses
import inspect
import warnings

import matplotlib.cbook
import pandas as pd
import pytest
import yaml
from matplotlib.figure import Figure
from matplotlib.text import Text

from roi_kit import views
from roi_kit.case import load_case
from roi_kit.measure import adoption as adopt
from roi_kit.measure import progress
from roi_kit.money import scorecard
from roi_kit.study import model, run_study
from roi_kit.study.worked_examples import (
    HealthcareAssumptions,
    b2b_example,
    healthcare_sensitivity,
)
from roi_kit.views.style import plain, to_png

#: hostile text -> what Text.get_text() must hold (every "$" written "\$", nothing else).
ESCAPED = {
    "$x^$": r"\$x^\$",
    r"$\undefinedcmd$": r"\$\undefinedcmd\$",
    "50% $": r"50% \$",
    "<b>": "<b>",
    "客户满意度 顧客": "客户满意度 顧客",
}
HOSTILE = list(ESCAPED)
CUSTOM = "opportunities_closed"  # the sample case's custom KPI (a column of kpis.csv)


def _hostile_case(folder, text: str):
    """The sample case copy in ``folder`` with ``text`` in every user text field."""
    config = yaml.safe_load((folder / "case.yml").read_text(encoding="utf-8"))
    config["name"] = f"{text} case"
    config["custom_kpis"][0].update(label=f"Closed {text} opps", unit=text)
    config["groups"].update(treated=f"North {text}", control=f"South {text}")
    config["scenarios"] = {f"{text} {key}": value for key, value in config["scenarios"].items()}
    for item in config["intangibles"]:
        item["name"] = f"{item['name']} {text}"
    (folder / "case.yml").write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    kpis = (folder / "kpis.csv").read_text(encoding="utf-8")
    kpis = kpis.replace(",North,", f",North {text},").replace(",South,", f",South {text},")
    (folder / "kpis.csv").write_text(kpis, encoding="utf-8")
    costs = (folder / "costs.csv").read_text(encoding="utf-8").splitlines()
    # The first ledger item gets the text too (tables only; no figure draws items).
    costs[1] = costs[1].replace("CRM licences", f"CRM licences {text}", 1)
    (folder / "costs.csv").write_text("\n".join(costs) + "\n", encoding="utf-8")
    return load_case(folder)


@pytest.fixture(scope="module", params=HOSTILE, ids=range(len(HOSTILE)))
def hostile(request, tmp_path_factory):
    """(text, case, study) for one hostile text; the study uses few draws (speed only)."""
    import shutil

    from tests.paths import SAMPLE_CASE

    folder = tmp_path_factory.mktemp("hostile") / "case"
    shutil.copytree(SAMPLE_CASE, folder)
    case = _hostile_case(folder, request.param)
    return request.param, case, run_study(case, n=500, seed=0)


def _texts(fig) -> list[str]:
    """Every text artist's stored string, after a render (tick labels exist only then)."""
    with warnings.catch_warnings():
        # CJK glyphs may be missing from the default font: a warning, drawn as boxes.
        warnings.simplefilter("ignore", UserWarning)
        assert to_png(fig)[:8] == b"\x89PNG\r\n\x1a\n"
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def _assert_literal(fig, text: str | None) -> None:
    """No text artist is math text; ``text`` (if given) is stored escaped, drawn literally."""
    texts = _texts(fig)
    math = [t for t in texts if matplotlib.cbook.is_math_text(t)]
    assert math == []
    if text is not None:
        assert any(ESCAPED[text] in t for t in texts), texts
        # Drawn as the user typed it: outside math text matplotlib shows "\$" as "$".
        assert any(text in t.replace("\\$", "$") for t in texts)


def _figures(case, study, text):
    """Every figure function of the views, each on the hostile case (name, figure)."""
    lines = progress.tracking_lines(case, CUSTOM)
    inputs = study.inputs
    benefit = dataclasses.replace(views.benefit_view(case, inputs), currency=text)
    cost = dataclasses.replace(views.cost_view(case), currency=text)
    items = views.case_items(case)
    card = scorecard(items)
    by_margin, by_cost = healthcare_sensitivity(HealthcareAssumptions())
    ev = study.result.evaluation
    return [
        ("kpi_history_figure", views.kpi_history_figure(case, CUSTOM), text),
        # Two KPIs, not twelve: the same code per axes, a twelfth of the layout time.
        ("baseline_figure", views.baseline_figure(case, [CUSTOM, "revenue"]), text),
        ("adoption_figure", views.adoption_figure(case), None),
        (
            "uplift_adoption_figure",
            views.uplift_adoption_figure(case, adopt.uplift_vs_adoption(case, CUSTOM)),
            text,
        ),
        ("tracking_figure", views.tracking_figure(case, lines), text),
        ("revenue_views_figure", views.revenue_views_figure(benefit), text),
        ("benefit_waterfall", views.benefit_waterfall(benefit), text),
        ("costs_by_year_figure", views.costs_by_year_figure(cost), text),
        ("one_time_recurring_figure", views.one_time_recurring_figure(cost), text),
        ("cumulative_cash_flow", views.cumulative_cash_flow(ev, currency=text), text),
        (
            "cumulative_cash_flow title",
            views.cumulative_cash_flow(ev, title=f"{case.name}: cash"),
            text,
        ),
        ("scenario_bars", views.scenario_bars(study.scenarios, currency=text), text),
        ("roi_to_date", views.roi_to_date(model.roi_to_date(case, study.result)), None),
        (
            "tornado",
            views.tornado(study.tornado, currency=text, labels=model.PARAM_LABELS),
            text,
        ),
        (
            "monte_carlo_histogram",
            views.monte_carlo_histogram(study.monte_carlo, currency=text),
            text,
        ),
        ("scorecard_figure", views.scorecard_figure(card, title=case.name), text),
        ("b2b_cash_flow_figure", views.b2b_cash_flow_figure(b2b_example(), text), text),
        ("sensitivity_figure", views.sensitivity_figure(by_margin, by_cost, currency=text), text),
    ]


def _figure_functions() -> set[str]:
    """Every public function of roi_kit.views that returns a Figure (from its signature)."""
    return {
        name
        for name in views.__all__
        if callable(getattr(views, name))
        and inspect.signature(getattr(views, name)).return_annotation in ("Figure", Figure)
    }


@pytest.mark.slow
def test_every_figure_renders_user_text_literally(hostile):
    text, case, study = hostile
    figures = _figures(case, study, text)
    # Every figure function of the views is exercised (a new one must be added here).
    assert {name.split()[0] for name, _, _ in figures} == _figure_functions()
    for name, fig, expected in figures:
        try:
            _assert_literal(fig, expected)
        except AssertionError as exc:  # name the figure that failed
            raise AssertionError(f"{name}: {exc}") from exc


def test_each_user_field_reaches_its_figure_escaped(hostile):
    text, case, study = hostile
    esc = ESCAPED[text]
    kpi_fig = views.kpi_history_figure(case, CUSTOM)
    ax = kpi_fig.axes[0]
    _texts(kpi_fig)
    # Title: the custom KPI's label; axis: label and unit (a free-text unit: "label (unit)").
    assert ax.get_title() == f"Closed {esc} opps"
    assert ax.get_ylabel() == f"Closed {esc} opps ({esc})"
    labels = ax.get_legend_handles_labels()[1]
    assert f"North {esc} (CRM)" in labels and f"South {esc} (control, no CRM)" in labels
    bars = views.scenario_bars(study.scenarios)
    _texts(bars)
    ticks = [t.get_text().replace("\n", " ") for t in bars.axes[0].get_xticklabels()]
    # The sample's scenarios, in case.yml order, after the base case the model adds first.
    assert f"{esc} conservative" in ticks and f"{esc} optimistic" in ticks
    card = views.scorecard_figure(scorecard(views.case_items(case)), title=case.name)
    _texts(card)
    names = [t.get_text() for t in card.axes[0].get_yticklabels()]
    assert any(n.replace("\n", " ") == f"Customer experience {esc}" for n in names), names
    assert card.axes[0].get_title(loc="left").startswith(f"{esc} case\n")


@pytest.mark.parametrize("text", HOSTILE)
def test_plain_escapes_only_the_dollar(text):
    assert plain(text) == ESCAPED[text]
    # A "\$" the user typed stays visible as "\$": stored "\\$", one dollar left unescaped
    # by count, so matplotlib's rule (count("$") - count("\$") == 0) keeps it plain text.
    assert plain(r"a\$b") == "a\\\\$b"
    assert not matplotlib.cbook.is_math_text(plain(r"a\$b $c$"))


def _edit_config(folder, change) -> None:
    config = yaml.safe_load((folder / "case.yml").read_text(encoding="utf-8"))
    change(config)
    (folder / "case.yml").write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


NOTE = "<b>2023 P&L</b>, $x^$ 客户"
#: NOTE as html.escape writes it (by hand: & -> &amp;, < -> &lt;, > -> &gt;; $ untouched).
NOTE_HTML = "&lt;b&gt;2023 P&amp;L&lt;/b&gt;, $x^$ 客户"


def test_assumption_notes_are_printed_escaped(case_copy):
    def change(config):
        config["assumptions"]["gross_margin"] = {"low": 0.28, "likely": 0.32, "high": 0.36}
        config["assumptions"]["gross_margin"]["note"] = NOTE

    _edit_config(case_copy, change)
    study = run_study(load_case(case_copy), n=200, seed=0)
    table = views.assumptions_notes_table(study)
    notes = dict(zip(table["Parameter"], table["Note"], strict=True))
    assert notes["Gross margin"] == NOTE
    # data/README.md: a default the kit fills in carries the note "kit default".
    assert notes["Cost overrun"].startswith("kit default")
    # Not a case assumption (case.yml's discount_rate key): no note.
    assert notes["Discount rate"] == ""
    out = views.assumptions_html(study)
    assert NOTE_HTML in out and "<b>2023" not in out


DESCRIPTION = "<i>Won + lost</i> in the month, $5 each"
DESCRIPTION_HTML = "&lt;i&gt;Won + lost&lt;/i&gt; in the month, $5 each"


def test_custom_kpi_description_in_baseline_and_tracking(case_copy):
    _edit_config(case_copy, lambda c: c["custom_kpis"][0].update(description=DESCRIPTION))
    case = load_case(case_copy)
    table = views.baseline_table(case)
    row = table[table["KPI"] == "Closed opportunities"].iloc[0]
    assert row["description"] == DESCRIPTION
    # A catalogue KPI keeps the catalogue's sentence (roi_kit.case.kpis: revenue).
    assert table[table["KPI"] == "Revenue"].iloc[0]["description"] == "Revenue booked in the month."
    assert DESCRIPTION_HTML in views.table_html(table)
    frame = pd.DataFrame(columns=["kpi", "method", "reading"])  # no readings needed here
    parts = views.kpi_parts(case, frame, {CUSTOM: progress.tracking_lines(case, CUSTOM)}, [])
    assert parts[0] == "<h4>Closed opportunities</h4>"
    assert parts[1] == f"<p><i>{DESCRIPTION_HTML}</i></p>"
