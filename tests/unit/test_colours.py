"""One table of colours (templates/colours.toml): every pair it lists is legible, in both
schemes, and the CSS and the charts use no colour that is not in it. The build checks the
table and the stylesheets itself (factsheet/colours.py); these tests check that check."""

import re
import shutil

import pytest

from factsheet.colours import NEEDED, check, colour_css, contrast, read_colours
from factsheet.problems import UserError
from factsheet.project import ROOT, TEMPLATES

TABLE = read_colours()


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
        used |= set(re.findall(r'var\(--colour-([a-z0-9-]+)\)', path.read_text(encoding='utf-8')))
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


# --- The build's own check, on a copy of the templates ---------------------------------


@pytest.fixture
def templates(tmp_path):
    shutil.copytree(TEMPLATES, tmp_path / 'templates')
    return tmp_path / 'templates'


def problems(templates, monkeypatch):
    monkeypatch.chdir(templates.parent)  # paths are shown relative to where the command runs
    try:
        check(templates)
    except UserError as error:
        return [str(problem) for problem in error.problems]
    return []


def replace(path, old, new):
    text = path.read_text(encoding='utf-8')
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding='utf-8')


def line_of(path, text):
    """The number of the first line that begins with text (after its indentation)."""
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if line.strip().startswith(text))


def test_the_shipped_templates_pass_the_check(templates, monkeypatch):
    assert problems(templates, monkeypatch) == []


def test_a_pair_that_fails_its_contrast_is_named_at_its_position(templates, monkeypatch):
    table = templates / 'colours.toml'
    replace(table, 'muted = "#566273"', 'muted = "#8a95a3"')
    at = line_of(table, '["ink", "paper"], ["muted", "paper"]')
    column = table.read_text().splitlines()[at - 1].index('["muted", "paper"]') + 1
    assert problems(templates, monkeypatch) == [
        f'templates/colours.toml:{at}:{column}: pairs.text[1]: muted on paper (light scheme): 3.03:1, '
        'at least 4.5:1 needed for text',
        f'templates/colours.toml:{at + 1}:20: pairs.text[5]: muted on tint (light scheme): 2.77:1, '
        'at least 4.5:1 needed for text',
    ]


def test_a_dark_colour_is_checked_in_the_dark_scheme_only(templates, monkeypatch):
    table = templates / 'colours.toml'
    replace(table, 'muted = "#aeb8c6"', 'muted = "#5a6472"')  # the dark scheme's muted
    pair_line = line_of(table, '["ink", "paper"]')
    assert problems(templates, monkeypatch) == [
        f'templates/colours.toml:{pair_line}:21: pairs.text[1]: muted on paper (dark scheme): 2.90:1, '
        'at least 4.5:1 needed for text',
        f'templates/colours.toml:{pair_line + 1}:20: pairs.text[5]: muted on tint (dark scheme): 2.53:1, '
        'at least 4.5:1 needed for text',
    ]


def test_a_ratio_just_under_its_need_never_reads_as_met(templates, monkeypatch):
    table = templates / 'colours.toml'
    replace(table, 'secondary = "#3d78bd"', 'secondary = "#8fa6c6"')  # 2.4:1 on paper
    found = problems(templates, monkeypatch)
    assert any(
        'secondary on paper (light scheme): 2.' in problem and 'at least 3:1 needed for graphic' in problem
        for problem in found
    ), found


def test_a_malformed_colour_an_unknown_name_and_a_stray_dark_colour(templates, monkeypatch):
    table = templates / 'colours.toml'
    replace(table, 'ink = "#1d2633"', 'ink = "#1d26"')
    replace(table, 'rule = "#33445c"', 'rule = "#33445c"\nglow = "#ffffff"')
    found = problems(templates, monkeypatch)
    assert found == [
        f"templates/colours.toml:{line_of(table, 'ink = ')}:7: light.ink: expected a colour as #rrggbb, got '#1d26'",
        f'templates/colours.toml:{line_of(table, "glow = ")}:8: dark.glow: not a colour of the light scheme: '
        'the dark scheme only overrides them',
    ]
    replace(table, 'ink = "#1d26"', 'ink = "#1d2633"')
    replace(table, '\nglow = "#ffffff"', '')
    replace(
        table,
        'graphic = [\n  ["deep", "paper"], ["deep", "tint"]',
        'graphic = [\n  ["deep", "paper"], ["deep", "nowhere"]',
    )
    at = line_of(table, '["deep", "paper"], ["deep", "nowhere"]')
    assert problems(templates, monkeypatch) == [
        f'templates/colours.toml:{at}:22: pairs.graphic[1]: no colour nowhere in the table'
    ]


def test_a_stylesheet_with_a_colour_of_its_own_or_an_unknown_name(templates, monkeypatch):
    sheet = templates / 'handout.css'
    lines = len(sheet.read_text().splitlines())
    with sheet.open('a') as stream:
        stream.write('p { color: #123456; border-color: var(--colour-nope); background: rgb(1, 2, 3); }\n')
        stream.write('/* not a colour: issue #1234, red */ q { color: white; outline-color: RGB(255 0 0) }\n')
        stream.write(
            '@media print { a#add { color: oklch(0.5 0.1 100); fill: var(--colour-gone, var(--colour-ink)) } }\n'
        )
    own = ': name one of templates/colours.toml as var(--colour-NAME)'
    assert problems(templates, monkeypatch) == [
        f'templates/handout.css:{lines + 1}:12: colour: a colour of its own (#123456){own}',
        f'templates/handout.css:{lines + 1}:35: colour: no colour nope in templates/colours.toml',
        f'templates/handout.css:{lines + 1}:67: colour: a colour of its own (rgb(1, 2, 3)){own}',
        f'templates/handout.css:{lines + 2}:49: colour: a colour of its own (white){own}',
        f'templates/handout.css:{lines + 2}:71: colour: a colour of its own (RGB(255 0 0)){own}',
        f'templates/handout.css:{lines + 3}:31: colour: a colour of its own (oklch(0.5 0.1 100)){own}',
        f'templates/handout.css:{lines + 3}:57: colour: no colour gone in templates/colours.toml',
    ]


def test_a_style_attribute_of_the_template_is_checked_too(templates, monkeypatch):
    page = templates / 'page.html.j2'
    text = page.read_text()
    page.write_text(text.replace('<body>', '<body>\n<p style="margin: 0; color:#ff0000">x</p>', 1))
    at = page.read_text().splitlines().index('<p style="margin: 0; color:#ff0000">x</p>') + 1
    assert problems(templates, monkeypatch) == [
        f'templates/page.html.j2:{at}:28: colour: a colour of its own (#ff0000): '
        'name one of templates/colours.toml as var(--colour-NAME)'
    ]


@pytest.mark.parametrize(
    'old, new, message',
    [
        (
            '["ink", "paper"], ["muted", "paper"]',
            '["ink"], ["muted", "paper"]',
            'pairs.text: expected a list of [foreground, background] pairs',
        ),
        ('keep-light = [".band", "figure.chart img"]', '', 'keep-light: missing: see the table as shipped'),
        (
            'keep-light = [".band", "figure.chart img"]',
            'keep-light = [".band } body { color: red"]',
            'keep-light: expected a list of CSS selectors, such as [".band"]',
        ),
        (
            'paper = "#ffffff"',
            '"bad name;}" = "#ffffff"',
            'light.bad name;}: a colour name is lowercase letters, digits and hyphens',
        ),
    ],
)
def test_a_table_of_another_shape_is_named_not_a_traceback(templates, monkeypatch, old, new, message):
    replace(templates / 'colours.toml', old, new)
    found = problems(templates, monkeypatch)
    assert [problem.split(': ', 1)[1] for problem in found][:1] == [message]


def test_a_missing_table_or_stylesheet_that_is_not_utf8(templates, monkeypatch):
    (templates / 'theme.css').write_bytes(b'p { margin: 0 }\n/* \xff */\n')
    assert problems(templates, monkeypatch) == ['templates/theme.css:2:4: (document): not UTF-8 text (byte 0xff)']
    (templates / 'colours.toml').unlink()
    assert problems(templates, monkeypatch) == ['templates/colours.toml:1:1: (document): file is missing']


def test_a_table_that_is_not_toml(templates, monkeypatch):
    (templates / 'colours.toml').write_text('[light]\nink = #1d2633\n')
    assert problems(templates, monkeypatch) == [
        'templates/colours.toml:2:7: (document): not a TOML table: Invalid value'
    ]


def test_a_section_of_another_type_is_named_not_a_traceback(templates, monkeypatch):
    table = templates / 'colours.toml'
    replace(table, '[pairs]', '[pairs-x]')
    table.write_text('pairs = 3\n' + table.read_text())
    assert problems(templates, monkeypatch)[0] == 'templates/colours.toml:1:9: pairs: expected a table'


def test_colour_words_count_only_where_a_colour_goes(templates, monkeypatch):
    """A font called Tomato or a grid area called navy is no colour; a nested rule's
    selector (a#add) neither; a var( with a space before the name is still read."""
    sheet = templates / 'handout.css'
    lines = len(sheet.read_text().splitlines())
    with sheet.open('a') as stream:
        stream.write('p { font-family: Tomato, serif; grid-area: navy; & a#add { color: var( --colour-nope) } }\n')
    assert problems(templates, monkeypatch) == [
        f'templates/handout.css:{lines + 1}:67: colour: no colour nope in templates/colours.toml'
    ]


def test_a_stylesheet_or_template_missing_or_not_utf8(templates, monkeypatch):
    (templates / 'theme.css').unlink()
    (templates / 'page.html.j2').write_bytes(b'<p>\xff</p>\n')
    assert problems(templates, monkeypatch) == [
        'templates/theme.css:1:1: (document): file is missing',
        'templates/page.html.j2:1:4: (document): not UTF-8 text (byte 0xff)',
    ]


def test_a_table_colour_redefined_or_mixed_in_a_stylesheet(templates, monkeypatch):
    """Either makes a colour no contrast was checked for."""
    sheet = templates / 'handout.css'
    lines = len(sheet.read_text().splitlines())
    with sheet.open('a') as stream:
        stream.write(':root { --colour-ink: var(--colour-rule); }\n')
        stream.write('p { color: color-mix(in srgb, var(--colour-accent) 30%, var(--colour-paper)); }\n')
    assert problems(templates, monkeypatch) == [
        f'templates/handout.css:{lines + 1}:9: colour: --colour-ink is a colour of the table: '
        'define it in templates/colours.toml only',
        f'templates/handout.css:{lines + 2}:12: colour: a colour of its own '
        '(color-mix(in srgb, var(--colour-accent) ): name one of templates/colours.toml as var(--colour-NAME)',
    ]
