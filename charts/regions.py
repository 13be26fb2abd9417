"""Member agencies by region, founding members and later members stacked."""

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from factsheet.derive import Facts

SIZE = (3.4, 1.3)  # inches: half the fact sheet's A4 text width, so it prints at 1:1


def select(facts: 'Facts') -> dict[str, Any]:
    """The facts this chart reads: each region's members and founding members."""
    return {
        'labels': facts['charts']['regions']['labels'],
        'regions': [
            {'label': region['label'], 'count': region['count'], 'founding': region['founding']}
            for region in facts['regions']
        ],
    }


def table(data: dict[str, Any]) -> list[list[Any]]:
    """The chart's data as table rows."""
    return [
        [region['label'], region['founding'], region['count'] - region['founding'], region['count']]
        for region in data['regions']
    ]


def draw(ax: 'Axes', data: dict[str, Any], palette: Mapping[str, str]) -> None:
    """Draw one horizontal stacked bar per region, largest at the top."""
    labels, regions = data['labels'], data['regions'][::-1]
    names = [region['label'] for region in regions]
    founding = [region['founding'] for region in regions]
    later = [region['count'] - region['founding'] for region in regions]
    bars = [
        ax.barh(names, founding, height=0.62, color=palette['deep']),
        ax.barh(names, later, left=founding, height=0.62, color=palette['secondary']),
    ]
    for y, region in enumerate(regions):
        ax.text(region['count'] + 0.3, y, str(region['count']), va='center', fontsize=8, fontweight='bold')
    ax.set_xlim(0, max(region['count'] for region in regions) * 1.15)
    ax.set_xticks([])
    ax.spines['bottom'].set_visible(False)
    # The labels are set after: matplotlib leaves out of a legend a label that begins with "_".
    legend = ax.legend(
        bars, ['founding', 'later'], loc='lower right', handlelength=0.9, handleheight=0.9, borderaxespad=0
    )
    for text, label in zip(legend.get_texts(), (labels['founding'], labels['later']), strict=True):
        text.set_text(label)
