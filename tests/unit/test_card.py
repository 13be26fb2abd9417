"""The share card: 1200 × 630 px, every text at least 28 px in a colour pair the colour table
checks, the same bytes for the same facts, in every language. On the tests' data."""

import struct

import matplotlib.colors
import pytest

from factsheet.card import HEIGHT, PAIRS, SMALLEST, WIDTH, draw, drawn, select
from factsheet.colours import read_colours, read_palette
from factsheet.derive import every_edition


@pytest.fixture(scope='module')
def editions(loaded_data):
    return every_edition(loaded_data)


def png_size(data):
    """A PNG's width and height, from its IHDR chunk."""
    assert data[:8] == b'\x89PNG\r\n\x1a\n' and data[12:16] == b'IHDR'
    return struct.unpack('>II', data[16:24])


@pytest.mark.parametrize('language', ['en', 'fr', 'ja'])
def test_a_card_of_the_open_graph_size_the_same_bytes_each_time(editions, language):
    data, palette = select(editions[language]), read_palette()
    card = draw(data, palette)
    assert png_size(card) == (WIDTH, HEIGHT)
    assert card == draw(data, palette)
    assert b'Software' not in card and b'tIME' not in card  # no date, no program version


@pytest.mark.parametrize('language', ['en', 'fr', 'ja'])
def test_every_text_is_readable_and_inside_the_card(editions, language):
    palette = read_palette()
    figure = drawn(select(editions[language]), palette)
    renderer = figure.canvas.get_renderer()
    names = {matplotlib.colors.to_hex(value): name for name, value in palette.items()}
    checked = {tuple(pair) for pair in read_colours()['pairs']['light-text']}
    for text in figure.texts:
        box = text.get_window_extent(renderer)
        assert text.get_fontsize() * 100 / 72 >= SMALLEST - 0.01, text.get_text()
        assert 0 <= box.x0 and box.x1 <= WIDTH and 0 <= box.y0 and box.y1 <= HEIGHT, text.get_text()
        assert (names[matplotlib.colors.to_hex(text.get_color())], 'deep') in checked
    assert set(PAIRS) <= checked


def test_a_long_name_is_set_smaller_never_below_28_px(editions):
    data = {
        **select(editions['en']),
        'kicker': 'An Example Forum for the International Coordination of Long Names in Space',
    }
    figure = drawn(data, read_palette())
    kicker = next(text for text in figure.texts if text.get_text() == data['kicker'])
    assert SMALLEST <= kicker.get_fontsize() * 100 / 72 < 32
    assert kicker.get_window_extent(figure.canvas.get_renderer()).x1 <= WIDTH


def test_the_card_says_the_headline_the_members_the_name_and_the_address(editions):
    data = select(editions['fr'])
    texts = [text.get_text() for text in drawn(data, read_palette()).texts]
    assert texts[:3] == ['Groupe international de coordination de l’exploration spatiale', 'ISECG', '15']
    assert '27' in texts and 'agences membres' in texts and 'globalspaceexploration.org' in texts


def test_the_orbit_draws_a_dot_for_each_member(editions):
    from matplotlib.patches import Ellipse

    data = select(editions['en'])
    for members in ('27', '3'):
        figure = drawn({**data, 'members': members}, read_palette())
        dots = [artist for artist in figure.artists if type(artist) is Ellipse]  # an Arc is an Ellipse too
        assert len(dots) == int(members)
