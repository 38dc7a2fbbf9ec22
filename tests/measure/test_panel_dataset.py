"""The agent panel of the public CRM export (issue 13, item 5): East treated from 2017-08.

The export (``../shared/data/crm-sales-opportunities``, never copied into the repository)
has 35 sales agents in three regional offices and closes from 2017-03 to 2017-12. The test
builds the agent x month table of won revenue with pandas directly, writes it as a case with
``groups: {column: region, unit: sales_agent, treated: East, control: [Central, West]}``,
and checks the panel DiD: on the unchanged data its interval includes zero; with East's won
deals after go-live scaled by 1.15 it contains the injected change, which is known exactly
(0.15 x East's after-period won revenue per month). It prints the minimum detectable effect
of the region-level design (region totals: the single-series DiD and the three-cluster
panel) and of the agent-level panel, so the gain from using units is visible.
"""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from roi_kit.case import load_case
from roi_kit.measure import did
from roi_kit.measure.panel_table import panel_rows

__all__: list[str] = []

GO_LIVE = pd.Period("2017-08", "M")
MONTHS = pd.period_range("2017-03", "2017-12", freq="M")
FACTOR = 1.15
COSTS = """item,category,type,amount,frequency,start,end,hours,hourly_rate
Licences,subscription,recurring,1000,monthly,2017-08,,,
"""


def agent_table(dataset_dir, factor: float) -> pd.DataFrame:
    """Won revenue and deals per agent and close month; East after go-live scaled."""
    pipe = pd.read_csv(dataset_dir / "sales_pipeline.csv")
    teams = pd.read_csv(dataset_dir / "sales_teams.csv")
    won = pipe[pipe["deal_stage"] == "Won"].merge(teams, on="sales_agent")
    won["month"] = pd.PeriodIndex(pd.to_datetime(won["close_date"]), freq="M")
    boost = (won["regional_office"] == "East") & (won["month"] >= GO_LIVE)
    won.loc[boost, "close_value"] = won.loc[boost, "close_value"] * factor
    sums = won.groupby(["sales_agent", "month"]).agg(
        revenue=("close_value", "sum"), deals_won=("opportunity_id", "size")
    )
    grid = pd.MultiIndex.from_product([teams["sales_agent"], MONTHS], names=sums.index.names)
    table = sums.reindex(grid, fill_value=0).reset_index()  # an agent-month without a win: 0
    table = table.merge(teams[["sales_agent", "regional_office"]], on="sales_agent")
    return table.rename(columns={"regional_office": "region"})


def write(folder, table: pd.DataFrame, unit: bool):
    folder.mkdir()
    groups = {"column": "region", "treated": "East", "control": ["Central", "West"]}
    if unit:
        groups["unit"] = "sales_agent"
    else:
        table = table.groupby(["month", "region"], as_index=False)[["revenue", "deals_won"]].sum()
    config = {
        "name": "CRM export, East from 2017-08",
        "kind": "review",
        "currency": "USD",
        "go_live": "2017-08",
        "baseline": {"start": "2017-03", "end": "2017-07"},
        "after": {"start": "2017-08", "end": "2017-12"},
        "groups": groups,
    }
    (folder / "case.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    table.assign(month=table["month"].astype(str)).to_csv(folder / "kpis.csv", index=False)
    (folder / "costs.csv").write_text(COSTS, encoding="utf-8")
    return load_case(folder)


@pytest.mark.dataset
@pytest.mark.slow
def test_agent_panel_finds_no_effect_and_contains_an_injected_one(dataset_dir, tmp_path):
    plain = agent_table(dataset_dir, 1.0)
    scaled = agent_table(dataset_dir, FACTOR)
    east_after = (plain["region"] == "East") & (plain["month"] >= GO_LIVE)
    # The injected change per month, East's total: 0.15 x its after-period won revenue.
    injected = (FACTOR - 1) * plain.loc[east_after, "revenue"].sum() / 5
    found = {}
    for name, table in (("unchanged", plain), ("scaled", scaled)):
        case = write(tmp_path / name, table, unit=True)
        assert case.groups.control_groups == ("Central", "West")
        assert case.unit_kpis["sales_agent"].nunique() == 35
        found[name] = panel_rows(case, kpis=["revenue"]).iloc[0]
    zero, lift = found["unchanged"], found["scaled"]
    assert zero["method"] == "panel-did" and zero["valid"]
    assert zero["low"] < 0 < zero["high"]
    assert lift["low"] <= injected <= lift["high"]

    region = write(tmp_path / "region", plain, unit=False)
    totals = region.kpis.assign(month=pd.PeriodIndex(region.kpis["month"], freq="M"))
    series = totals.pivot(index="month", columns="region", values="revenue")
    single = did(
        series["East"],
        series["Central"] + series["West"],
        GO_LIVE,
        baseline=region.baseline,
        after=region.after,
        kpi="revenue",
    )
    three = panel_rows(region, kpis=["revenue"]).iloc[0]
    assert not three["valid"]  # one treated region: no cluster-robust interval holds
    base = zero["baseline"]
    print(
        f"\nEast won revenue per month, baseline {base:,.0f}; injected +15% = {injected:,.0f}"
        f"\nregion totals, DiD vs Central+West: {single.change:,.0f} "
        f"({single.low:,.0f} to {single.high:,.0f}), MDE {single.mde:,.0f} "
        f"({single.mde / single.baseline:.0%})"
        f"\nregion panel (3 clusters, not valid): {three['change']:,.0f} "
        f"({three['low']:,.0f} to {three['high']:,.0f}), MDE {three['mde']:,.0f}"
        f"\nagent panel (35 clusters): {zero['change']:,.0f} ({zero['low']:,.0f} to "
        f"{zero['high']:,.0f}), MDE {zero['mde']:,.0f} ({zero['mde_pct']:.0%})"
        f"\nagent panel, East x1.15 after go-live: {lift['change']:,.0f} "
        f"({lift['low']:,.0f} to {lift['high']:,.0f})"
    )
