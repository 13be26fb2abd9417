"""Where the members are: a world map in the Equal Earth projection, each country with a
member agency filled, in the founding members' colour when one of its agencies is a
founding one and in the later members' colour otherwise; other countries neutral. An
intergovernmental agency (ESA) is named by a label over its region, never by colouring
states the data does not name.

The boundaries are Natural Earth's 1:110m countries (public domain), converted once into
charts/world/countries.json (see charts/world/README.md); a member in a country that file
lacks is an error naming its code."""

import json
import math
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factsheet.problems import UserError

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from factsheet.derive import Facts

SIZE = (3.4, 1.42)  # inches: half the fact sheet's A4 text width, so it prints at 1:1
WORLD = Path(__file__).with_name('world') / 'countries.json'
SOUTH = -57.0  # degrees: the map ends here (Antarctica is left out; no member is there)
# Where the label of an intergovernmental member stands, and the point it names, by UN M49
# region (longitude, latitude): over the ocean beside its region. Europe is the one in use.
LABELS = {'150': ((-28.0, 44.0), (8.0, 49.0)), '002': ((-28.0, 5.0), (18.0, 8.0)), '142': ((150.0, 48.0), (95.0, 38.0))}

# Equal Earth (Šavrič, Patterson and Jenny, 2018): its four coefficients.
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def project(lon: float, lat: float) -> tuple[float, float]:
    """A point's Equal Earth coordinates (the earth's radius is 1)."""
    theta = math.asin(M * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = math.radians(lon) * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


@cache
def countries() -> dict[str, list[list[list[list[float]]]]]:
    """{ISO code: polygons}, each polygon its outline then its holes, in degrees."""
    return dict(json.loads(WORLD.read_text(encoding='utf-8'))['countries'])


def outline(polygons: list[list[list[list[float]]]]) -> tuple[list[tuple[float, float]], list[int]]:
    """A country's rings, projected, as a path's vertices and codes."""
    from matplotlib.path import Path as Shape

    vertices: list[tuple[float, float]] = []
    codes: list[int] = []
    for ring in (ring for polygon in polygons for ring in polygon):
        vertices += [project(lon, max(lat, SOUTH)) for lon, lat in ring]
        codes += [int(Shape.MOVETO)] + [int(Shape.LINETO)] * (len(ring) - 2) + [int(Shape.CLOSEPOLY)]
    return vertices, codes


def select(facts: 'Facts') -> dict[str, Any]:
    """The facts this chart reads: each member country's kind, the intergovernmental members
    with their region, the legend's labels and the regions' counts (the table)."""
    kinds: dict[str, str] = {}
    for agency in facts['agencies']:
        if agency['country'] != 'intergovernmental':
            founding = kinds.get(agency['country']) == 'founding' or bool(agency['founding_as'])
            kinds[agency['country']] = 'founding' if founding else 'later'
    return {
        'labels': facts['charts']['map']['labels'],
        'countries': dict(sorted(kinds.items())),
        'intergovernmental': [
            {'acronym': agency['acronym'], 'region': agency['region'], 'founding': bool(agency['founding_as'])}
            for agency in facts['agencies']
            if agency['country'] == 'intergovernmental'
        ],
        'regions': [
            {
                'label': region['label'],
                'countries': sorted({agency['country_name'] for agency in region['agencies']}),
                'count': region['count'],
                'founding': region['founding'] if facts['values']['founding'] else None,  # none: no column
            }
            for region in facts['regions']
        ],
    }


def table(data: dict[str, Any]) -> list[list[Any]]:
    """The chart's data as table rows: each region, its members' countries and its counts."""
    return [
        [
            region['label'],
            ', '.join(region['countries']),
            region['founding'],
            region['count'] - (region['founding'] or 0),
            region['count'],
        ]
        for region in data['regions']
    ]


def draw(ax: 'Axes', data: dict[str, Any], palette: Mapping[str, str]) -> None:
    """Draw every country, the members' in their colours over the neutral others, then
    the labels of intergovernmental members and the legend."""
    world = countries()
    missing = sorted(set(data['countries']) - set(world))
    if missing:
        raise UserError([f'build.py: draw: the world map has no country {code} (agencies.yaml)' for code in missing])
    fills = {'founding': palette['deep'], 'later': palette['secondary']}
    draw_countries(ax, world, data['countries'], fills, palette)
    for member in data['intergovernmental']:
        label, point = LABELS.get(member['region'], LABELS['150'])
        ax.annotate(
            member['acronym'],
            project(*point),
            xytext=project(*label),
            fontsize=7.5,
            fontweight='bold',
            ha='center',
            va='center',
            color=palette['deep'],
            arrowprops={'arrowstyle': '-', 'color': palette['deep'], 'linewidth': 0.6, 'shrinkA': 4, 'shrinkB': 0},
        )
    ax.set_xlim(project(-180, 0)[0], project(180, 0)[0])
    ax.set_ylim(project(0, SOUTH)[1], project(0, 88)[1])  # the Arctic islands whole
    ax.set_aspect('equal')
    ax.set_axis_off()
    legend(ax, data['labels'], fills, data['countries'].values())


def draw_countries(
    ax: 'Axes', world: Mapping[str, Any], kinds: Mapping[str, str], fills: Mapping[str, str], palette: Mapping[str, str]
) -> None:
    """The countries without a member as one neutral land mass, drawn first and without
    borders; each member's country over it in its colour, outlined thinly in the band's blue (a
    hairline of paper colour would read as a gap, and pdfium draws hairlines a pixel wide)."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as Shape

    others: list[tuple[list[tuple[float, float]], list[int]]] = []
    for code, polygons in world.items():
        shape = outline(polygons)
        if code not in kinds:
            others.append(shape)
            continue
        country = PathPatch(Shape(*shape), facecolor=fills[kinds[code]], edgecolor=palette['deep-2'], linewidth=0.3)
        country.set_gid(f'country-{code}')
        ax.add_patch(country)
    vertices = [point for shape in others for point in shape[0]]
    codes = [code for shape in others for code in shape[1]]
    ax.add_patch(PathPatch(Shape(vertices, codes), facecolor=palette['rule'], edgecolor='none', zorder=0))


def legend(ax: 'Axes', labels: Mapping[str, str], fills: Mapping[str, str], kinds: Iterable[str]) -> None:
    """The member colours the map uses, named (no founding agency: no founding colour). The
    labels are set after: matplotlib leaves out of a legend a label that begins with "_"."""
    from matplotlib.patches import Patch

    shown_kinds = [kind for kind in ('founding', 'later') if kind in set(kinds)]
    shown = ax.legend(
        [Patch(color=fills[kind]) for kind in shown_kinds],
        shown_kinds,
        loc='upper center',
        bbox_to_anchor=(0.5, 0),  # under the map, never over a country
        ncol=len(shown_kinds),
        handlelength=0.9,
        handleheight=0.9,
        borderaxespad=0.2,
        columnspacing=1.5,
    )
    for text, kind in zip(shown.get_texts(), shown_kinds, strict=True):
        text.set_text(labels[kind])
