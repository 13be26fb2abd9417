"""A chart's SVG, as matplotlib writes it, read into what it shows: its frame, bars, tick
labels, texts, legend and filled areas (test_chart_svg.py checks them against the facts)."""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

SVG = '{http://www.w3.org/2000/svg}'


@dataclass(frozen=True)
class Box:
    """A drawn rectangle: its edges in SVG units (y grows downwards) and its fill."""

    left: float
    right: float
    top: float
    bottom: float
    fill: str

    @property
    def width(self):
        return self.right - self.left

    @property
    def height(self):
        return self.bottom - self.top

    @property
    def x(self):
        return (self.left + self.right) / 2

    @property
    def y(self):
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class Text:
    """A drawn text and its anchor point."""

    text: str
    x: float
    y: float


@dataclass(frozen=True)
class Chart:
    """What one chart's SVG shows."""

    frame: Box  # the axes' area
    bars: list  # the data bars (the clipped patches)
    xticks: list  # tick labels
    yticks: list
    labels: list  # texts the chart's code drew into the axes
    legend: dict  # {label: colour}
    areas: list  # filled areas (fill_between), in drawing order


def fill_of(element):
    """The fill colour in an element's style, lower case."""
    match = re.search(r'fill:\s*(#[0-9a-fA-F]{6}|none)', element.get('style', ''))
    return match.group(1).lower() if match else None


def box_of(path):
    """The bounding box of a <path d="M x y L x y ...">."""
    numbers = [float(n) for n in re.findall(r'-?\d+(?:\.\d+)?(?:e-?\d+)?', path.get('d'))]
    xs, ys = numbers[0::2], numbers[1::2]
    return Box(min(xs), max(xs), min(ys), max(ys), fill_of(path))


def text_of(element):
    """A <text> element as a Text, placed by x and y or by a translation (a line of several)."""
    if element.get('x') is None:
        x, y = re.match(r'translate\(([-\d.e]+) ([-\d.e]+)\)', element.get('transform')).groups()
        return Text(''.join(element.itertext()).strip(), float(x), float(y))
    return Text(''.join(element.itertext()).strip(), float(element.get('x')), float(element.get('y')))


def children(parent, prefix):
    """The <g> children of `parent` whose id starts with `prefix`."""
    return [g for g in parent.findall(f'{SVG}g') if g.get('id', '').startswith(prefix)]


def ticks(axes, axis):
    """The tick labels of one axis ('x' or 'y')."""
    return [
        text_of(text)
        for g in axes.iter(f'{SVG}g')
        if g.get('id', '').startswith(f'{axis}tick_')
        for text in g.iter(f'{SVG}text')
    ]


def legend_of(axes):
    """{label: colour} of the legend, each label paired with the handle level with it."""
    legend = axes.find(f'{SVG}g[@id="legend_1"]')
    if legend is None:
        return {}
    handles = [box_of(g.find(f'{SVG}path')) for g in children(legend, 'patch_')]
    handles = [handle for handle in handles if handle.fill not in (None, 'none')]
    return {
        text.text: nearest(handles, text.y, lambda handle: handle.y).fill
        for text in (text_of(g.find(f'{SVG}text')) for g in children(legend, 'text_'))
    }


def read_chart(path):
    """Parse one chart's SVG into a Chart."""
    axes = ET.parse(path).getroot().find(f'.//{SVG}g[@id="axes_1"]')
    patches = [g.find(f'{SVG}path') for g in children(axes, 'patch_')]
    return Chart(
        frame=box_of(patches[0]),
        bars=[box_of(path) for path in patches if path.get('clip-path')],
        xticks=ticks(axes, 'x'),
        yticks=ticks(axes, 'y'),
        labels=[text_of(g.find(f'{SVG}text')) for g in children(axes, 'text_')],
        legend=legend_of(axes),
        areas=[area_of(g) for g in children(axes, 'FillBetweenPolyCollection_')],
    )


def area_of(group):
    """A filled area: its bounding box (with the offset its <use> moves it by) and its points."""
    path, use = group.find(f'.//{SVG}path'), group.find(f'.//{SVG}use')
    numbers = [float(n) for n in re.findall(r'-?\d+(?:\.\d+)?(?:e-?\d+)?', path.get('d'))]
    dy = float(use.get('y', 0))
    points = list(zip(numbers[0::2], [y + dy for y in numbers[1::2]], strict=True))
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return Box(min(xs), max(xs), min(ys), max(ys), fill_of(use))


def nearest(items, value, key):
    """The item whose key is closest to value."""
    return min(items, key=lambda item: abs(key(item) - value))
