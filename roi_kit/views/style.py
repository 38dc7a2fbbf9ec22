"""The look shared by every figure and table: one palette, one money axis, PNG output.

Every view module takes its colours and its money axis from here, so "blue = with the CRM,
grey = without it" and "EUR 150k" read the same in every chart of a report.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from roi_kit import formatting as fmt

__all__ = ["PALETTE", "CATEGORY_COLORS", "plain", "money_axis", "new_figure", "to_png"]

#: The kit's colours by role. ``treated`` is the CRM group (and the main series of any chart),
#: ``control`` the comparison group, ``good``/``bad`` a gain/loss, ``muted`` context.
PALETTE: Mapping[str, str] = MappingProxyType(
    {
        "treated": "#1f4e79",
        "control": "#7f7f7f",
        "projected": "#d95f02",
        "did": "#7570b3",
        "good": "#2e7d32",
        "bad": "#c62828",
        "muted": "#9e9e9e",
        "text": "#555555",
    }
)

#: One colour per cost category (Tableau 10), the same in every cost chart, so a
#: reader who learnt "red = internal staff" in one chart can read the next.
CATEGORY_COLORS: Mapping[str, str] = MappingProxyType(
    {
        "software": "#4E79A7",
        "hardware": "#9C755F",
        "implementation": "#F28E2B",
        "data_migration": "#EDC948",
        "integration": "#B07AA1",
        "training": "#59A14F",
        "support": "#76B7B2",
        "subscription": "#FF9DA7",
        "internal_staff": "#E15759",
        "other": "#BAB0AC",
    }
)


def plain(text: object) -> str:
    r"""User text as matplotlib draws it literally: every ``$`` escaped, never math text.

    Matplotlib parses a string with an even number of unescaped ``$`` as math text, so a
    KPI label ``Closed $x^$ opps`` fails the figure with a parser dump and ``$5 + $6`` is
    typeset as math. With every ``$`` written ``\$`` no unescaped dollar is left: the
    string is plain text, and matplotlib draws each ``\$`` as ``$`` (a ``\$`` the user
    typed stays ``\$``). ``Text.get_text()`` keeps the escaped form. Nothing else needs
    escaping: without ``text.usetex`` (the kit never sets it) ``%``, ``\``, ``<`` and
    ``^`` outside math are drawn as they are.

    Every view passes user text (KPI labels and units, group, scenario, benefit-line and
    intangible names, currency codes, the case name) through this one function before it
    reaches a title, axis label, tick label, legend or annotation.

    Parameters
    ----------
    text : object
        The text (anything else is converted with ``str``).

    Returns
    -------
    str

    Examples
    --------
    >>> print(plain("Closed $x^$ opps"))
    Closed \$x^\$ opps
    >>> plain("Win rate (%)")
    'Win rate (%)'
    """
    return str(text).replace("$", r"\$")


def money_axis(ax, currency: str = "", axis: Literal["x", "y"] = "y") -> None:
    """Money ticks on one axis: ``EUR 150k`` beyond 10,000, at most six ticks.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    currency : str
        Written before each amount ("" for none).
    axis : {"x", "y"}
    """
    target = ax.yaxis if axis == "y" else ax.xaxis
    # plain(): the currency is user text (a notebook parameter, case.yml), drawn literally.
    target.set_major_formatter(FuncFormatter(lambda v, _pos: plain(fmt.axis_money(v, currency))))
    target.set_major_locator(MaxNLocator(6))


def new_figure(ax=None, *, figsize: tuple[float, float] = (7.5, 3.6)):
    """The figure and axes to draw on: ``ax``'s own, or a new pyplot-free figure.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        Draw into this axes (a subplot of the caller's figure).
    figsize : (float, float), inches
        Size of a new figure.

    Returns
    -------
    (Figure, Axes)
    """
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def to_png(fig: Figure, *, dpi: int = 110) -> bytes:
    """Render a figure to PNG bytes.

    Figures are built without pyplot, so IPython has no display hook for them;
    notebooks and widgets show the PNG instead, which also embeds in HTML reports.
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
