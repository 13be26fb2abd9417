"""One table of colours (templates/colours.toml): every pair it lists is legible, in both
schemes, and the CSS and the charts use no colour that is not in it."""

import re
import tomllib

import pytest

from factsheet.draw import colour_css
from factsheet.project import ROOT

TABLE = tomllib.loads((ROOT / 'templates' / 'colours.toml').read_text(encoding='utf-8'))
NEEDED = {'text': 4.5, 'graphic': 3.0}  # WCAG 1.4.3 and 1.4.11


def luminance(colour):
    """WCAG relative luminance of '#rrggbb'."""

    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one, two):
    lighter, darker = sorted((luminance(one), luminance(two)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def pairs():
    """(scheme, kind, foreground, background) for every pair the table lists."""
    for list_name, listed in TABLE['pairs'].items():
        scheme, _, kind = list_name.rpartition('-')
        for scheme_name in [scheme] if scheme else ['light', 'dark']:
            for foreground, background in listed:
                yield scheme_name, kind, foreground, background


@pytest.mark.parametrize(('scheme', 'kind', 'foreground', 'background'), list(pairs()))
def test_every_pair_meets_its_contrast(scheme, kind, foreground, background):
    colours = {**TABLE['light'], **(TABLE['dark'] if scheme == 'dark' else {})}
    ratio = contrast(colours[foreground], colours[background])
    assert ratio >= NEEDED[kind], f'{foreground} on {background} ({scheme}): {ratio:.2f}:1'


def test_the_contrast_is_computed_as_wcag_does():
    assert contrast('#000000', '#ffffff') == pytest.approx(21)
    assert contrast('#767676', '#ffffff') == pytest.approx(4.54, abs=0.01)


def test_css_and_charts_use_only_the_tables_colours():
    names = set(TABLE['light'])
    used = set()
    for path in (ROOT / 'templates').glob('*.css'):
        css = path.read_text(encoding='utf-8')
        assert not re.search(r'#[0-9a-fA-F]{3,6}\b', css), f'{path.name} has a colour of its own'
        used |= set(re.findall(r'var\(--colour-([a-z0-9-]+)\)', css))
    for path in (ROOT / 'charts').glob('*.py'):
        used |= set(re.findall(r"palette\['([a-z0-9-]+)'\]", path.read_text(encoding='utf-8')))
    assert used <= names, used - names
    assert set(TABLE['dark']) <= names


def test_the_build_writes_the_table_as_css():
    css = colour_css(('light', 'dark'))
    for name, colour in TABLE['light'].items():
        assert f'--colour-{name}: {colour};' in css
    dark = css[css.index('prefers-color-scheme: dark') :]
    for name, colour in TABLE['dark'].items():
        assert f'--colour-{name}: {colour};' in dark
