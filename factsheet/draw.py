"""Draw: the charts, each a module of charts/ drawing onto an Axes it is given.

This module creates the Figure (never pyplot), applies charts/isecg.mplstyle and the
documents' colours, and saves deterministic SVG with text as text."""

import importlib.util
import io
import re
import sys
from collections.abc import Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

from .problems import UserError
from .project import CHART_CREATOR, CHART_DIR, CHARTS

if TYPE_CHECKING:
    from importlib.abc import Loader
    from importlib.machinery import ModuleSpec

    from .derive import Facts

Chart = tuple[ModuleType, dict[str, Any]]  # a chart's module, with the data it reads (its select())


def load_chart(name: str) -> ModuleType:
    """Execute charts/<name>.py afresh (so watch mode sees edits) and return the module.

    Helpers it imports from the charts package are imported afresh too."""
    for cached in [module for module in sys.modules if module == 'charts' or module.startswith('charts.')]:
        del sys.modules[cached]
    spec = cast('ModuleSpec', importlib.util.spec_from_file_location(f'charts.{name}', CHART_DIR / f'{name}.py'))
    module = importlib.util.module_from_spec(spec)
    cast('Loader', spec.loader).exec_module(module)  # a .py file's spec: a loader always
    return module


# The fonts of the charts' text, by language: a list, from which matplotlib takes each
# glyph from the first font that has it, and which the SVG names for the PDF's renderer.
# Han characters take the Japanese forms in Japanese (and the Chinese ones otherwise).
FONTS = {
    'ja': ['Noto Sans', 'Noto Sans CJK JP', 'DejaVu Sans'],
    None: ['Noto Sans', 'Noto Sans Arabic', 'Noto Sans CJK SC', 'DejaVu Sans'],
}


def draw_chart(
    module: ModuleType, data: dict[str, Any], palette: Mapping[str, str], salt: str, language: str | None = None
) -> str:
    """Draw one chart into deterministic SVG text, with a Figure of its own (no pyplot)."""
    import matplotlib
    from matplotlib.figure import Figure

    style = matplotlib.rc_params_from_file(str(CHART_DIR / 'isecg.mplstyle'), use_default_template=False)
    rc = {
        **style,
        'text.color': palette['ink'],
        'axes.labelcolor': palette['ink'],
        'xtick.color': palette['muted'],
        'ytick.color': palette['muted'],
        'axes.edgecolor': palette['rule'],
        'svg.hashsalt': salt,
        'font.family': FONTS.get(language, FONTS[None]),
    }
    # From matplotlib's defaults, not the process's settings: a matplotlibrc in the working
    # folder or the user's configuration never reaches the charts.
    with matplotlib.rc_context():
        matplotlib.rcParams.update(
            {key: value for key, value in matplotlib.rcParamsDefault.items() if key != 'backend'}
        )
        matplotlib.rcParams.update(rc)
        size = module.size(data) if hasattr(module, 'size') else module.SIZE  # a size may follow the data
        figure = Figure(figsize=size, layout='constrained')
        module.draw(figure.add_subplot(), data, palette)
        buffer = io.StringIO()
        figure.savefig(buffer, format='svg', metadata={'Date': None, 'Creator': CHART_CREATOR})
    return shortened(buffer.getvalue())


PATH_DATA = re.compile(r' d="[^"]*"')
DECIMALS = re.compile(r'(-?\d+\.\d\d)\d+')


def shortened(svg: str) -> str:
    """The SVG with its paths' coordinates to a hundredth of a point (matplotlib writes
    six decimals): a third smaller, the same drawing at any print size."""
    return PATH_DATA.sub(lambda path: DECIMALS.sub(r'\1', path.group()), svg)


def checked(svg: str, name: str) -> str:
    """The SVG text when it parses as XML; a UserError naming the chart otherwise (a chart
    the PDF's renderer cannot read would be left out of it without a word)."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    try:
        parser.Parse(svg, True)
    except expat.ExpatError as error:
        raise UserError(
            [f'build.py: draw: {name} is not well-formed SVG ({error}); check the texts it shows']
        ) from None
    return svg


def select_charts(facts: 'Facts') -> dict[str, Chart]:
    """Every chart's module with the data it reads: {name: (module, data)}."""
    charts = {}
    for name in CHARTS:
        module = load_chart(name)
        charts[name] = (module, module.select(facts))
    return charts


def tables(charts: Mapping[str, Chart]) -> dict[str, list[list[Any]]]:
    """Every chart's data as table rows, its text alternative."""
    return {name: module.table(data) for name, (module, data) in charts.items()}
