"""The share card: the picture a link to the handout shows on social networks (Open Graph),
1200 × 630 px, one per edition, drawn from the facts, the words and the colour table: the
forum's name, the headline (the acronym and its years), the count of members (drawn too, a
dot each on an orbit) and the website. Every text at least 28 px, every colour pair one the
colour table checks (paper, accent and secondary-2 on deep). The same facts, the same bytes."""

import io
import math
import unicodedata
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .draw import FONTS
from .placeholders import fill

if TYPE_CHECKING:
    from .derive import Facts

WIDTH, HEIGHT = 1200, 630  # px: Open Graph's large image, 1.91:1
DPI = 100  # so that a figure inch is 100 px
MARGIN = 64  # px
SMALLEST = 28  # px: no text is smaller, in any language
# The pairs the card sets, each a [foreground, background] the colour table's light-text lists.
PAIRS = (('paper', 'deep'), ('accent', 'deep'), ('secondary-2', 'deep'))


def select(facts: 'Facts') -> dict[str, Any]:
    """What the card shows, in the edition's words: every text it sets, filled."""
    words, values = facts['words'], facts['values']
    members = next(figure for figure in facts['figures'] if figure['key'] == 'members')
    site = facts['org']['site']['url']
    return {
        'language': facts['language'],
        'kicker': fill(words['kicker'], values),
        'acronym': values['acronym'],
        'years': str(values['years']),
        'years_label': facts['years_label'],
        'members': str(members['value']),
        'members_label': members['label'],
        'site': site.removeprefix('https://').removeprefix('www.').rstrip('/'),
        'alt': f'{fill(words["title"], values)}. {members["value"]} {members["label"]}. {site}',
    }


def px(size: float) -> float:
    """A size in px as matplotlib's points, at the card's DPI."""
    return size * 72 / DPI


def draw(data: Mapping[str, Any], palette: Mapping[str, str]) -> bytes:
    """The card as PNG bytes (no date or software in them: the same data, the same bytes)."""
    buffer = io.BytesIO()
    drawn(data, palette).savefig(buffer, format='png', dpi=DPI, facecolor=palette['deep'], metadata={'Software': None})
    return buffer.getvalue()


def drawn(data: Mapping[str, Any], palette: Mapping[str, str]) -> Any:
    """The card's Figure, its texts set in the edition's fonts (what draw() saves, and the
    tests measure), from matplotlib's defaults: no settings of the process reach it."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context():
        matplotlib.rcParams.update({k: v for k, v in matplotlib.rcParamsDefault.items() if k != 'backend'})
        matplotlib.rcParams.update({'font.family': FONTS.get(data['language'], FONTS[None])})
        figure = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI, facecolor=palette['deep'])
        FigureCanvasAgg(figure)  # measures the texts as the PNG draws them
        lay_out(figure, data, palette)
    return figure


def lay_out(figure: Any, data: Mapping[str, Any], palette: Mapping[str, str]) -> None:
    """The card's texts, in figure pixels from the top left; a text that would run past the
    right margin is set smaller, never below SMALLEST."""
    renderer = figure.canvas.get_renderer()

    def text(x: float, y: float, words: str, size: float, colour: str, **style: Any) -> Any:
        shown = figure.text(x / WIDTH, 1 - y / HEIGHT, words, color=palette[colour], fontsize=px(size), **style)
        room = WIDTH - MARGIN - x
        width = shown.get_window_extent(renderer).width
        if width > room:
            shown.set_fontsize(px(max(SMALLEST, size * room / width)))
        return shown

    def right_of(shown: Any, gap: float) -> float:
        return float(shown.get_window_extent(renderer).x1) + gap

    orbit(figure, int(data['members']), palette)
    figure.add_artist(rule(palette['accent'], figure))
    text(MARGIN, 96, data['kicker'], 32, 'secondary-2', va='baseline')
    acronym = text(MARGIN, 296, data['acronym'], 112, 'paper', va='baseline', fontweight='bold')
    years = text(right_of(acronym, 28), 296, data['years'], 200, 'accent', va='baseline', fontweight='bold')
    counter = wide(data['years_label'])  # Japanese: the counter stays with its number (15年)
    text(right_of(years, 6 if counter else 24), 296, data['years_label'], 40, 'secondary-2', va='baseline')
    members = text(MARGIN, 420, data['members'], 76, 'accent', va='baseline', fontweight='bold')
    text(right_of(members, 18), 420, data['members_label'], 40, 'secondary-2', va='baseline')
    text(MARGIN, 526, data['site'], 34, 'paper', va='baseline', fontweight='bold')


def orbit(figure: Any, members: int, palette: Mapping[str, str]) -> None:
    """Two orbits in the lower right, on the outer one a dot for each member agency: the
    forum's count drawn, clear of the texts (the colour table's pairs on deep: secondary
    for graphics, accent for text and marks)."""
    from matplotlib.patches import Arc, Ellipse

    radii = (240, 300)  # px, about the card's lower right corner: clear of the headline
    for radius in radii:
        size = (2 * radius / WIDTH, 2 * radius / HEIGHT)
        figure.add_artist(Arc((1, 0), *size, theta1=90, theta2=180, color=palette['secondary'], linewidth=2))
    for i in range(members):
        angle = math.radians(100 + 70 * i / max(1, members - 1))
        x, y = WIDTH + radii[1] * math.cos(angle), radii[1] * math.sin(angle)
        figure.add_artist(Ellipse((x / WIDTH, y / HEIGHT), 12 / WIDTH, 12 / HEIGHT, color=palette['accent']))


def wide(text: str) -> bool:
    """True for a text that begins with a wide (East Asian) character."""
    return unicodedata.east_asian_width(text[:1] or ' ') in 'WF'


def rule(colour: str, figure: Any) -> Any:
    """The accent's short rule under the kicker, as on the fact sheet's band."""
    from matplotlib.lines import Line2D

    y = 1 - 124 / HEIGHT
    xs = [(MARGIN + 2) / WIDTH, (MARGIN + 98) / WIDTH]
    return Line2D(xs, [y, y], color=colour, linewidth=4, transform=figure.transFigure)
