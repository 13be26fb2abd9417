"""The colour table (templates/colours.toml): every colour once, and the rules a build
checks before it writes anything, so that an edit of the table or of a stylesheet that
breaks the design is an error with its position, not a silent build:

- every colour is `#rrggbb`; the dark scheme names only colours of the light one;
- every pair the table lists is legible, in each scheme it applies to: 4.5:1 for text
  (WCAG 1.4.3), 3:1 for graphics (WCAG 1.4.11);
- the stylesheets use no colour of their own and name only the table's colours.

Standard library only."""

import re
import tomllib

from .problems import Problem, UserError, shown
from .project import TEMPLATES

COLOURS = TEMPLATES / 'colours.toml'
NEEDED = {'text': 4.5, 'graphic': 3.0}  # WCAG 1.4.3 and 1.4.11
HEX = re.compile('#[0-9a-fA-F]{6}')


def read_colours(path=COLOURS):
    """The table: every colour, per scheme, and the pairs that must contrast."""
    with path.open('rb') as stream:
        return tomllib.load(stream)


def read_palette(scheme='light', path=COLOURS):
    """The colours by name ({'deep': '#0b1f3a', ...}) in a scheme ('light' or 'dark')."""
    colours = read_colours(path)
    return {**colours['light'], **(colours['dark'] if scheme == 'dark' else {})}


def colour_css(schemes=('light',), path=COLOURS):
    """The colours as CSS custom properties; with 'dark', also the dark scheme's."""
    colours = read_colours(path)

    def block(values):
        return ' '.join(f'--colour-{name}: {value};' for name, value in values.items())

    css = f':root {{ {block(colours["light"])} }}'
    if 'dark' in schemes:
        keep = ', '.join(colours['keep-light'])
        css += (
            f'\n@media (prefers-color-scheme: dark) {{ :root {{ color-scheme: dark; {block(colours["dark"])} }}'
            f' {keep} {{ {block(colours["light"])} }} }}'
        )
    return css


def luminance(colour):
    """WCAG's relative luminance of '#rrggbb'."""

    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one, two):
    """WCAG's contrast ratio of two colours, from 1 to 21."""
    lighter, darker = sorted((luminance(one), luminance(two)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def positions(text):
    """Where the table's entries are written: {('light', 'deep'): (line, col) of its value,
    ('pairs', 'text', 3): (line, col) of the fourth pair of the list `text`}. A TOML
    reader gives no positions; the table's lines are simple enough to find them."""
    found, table, key, count = {}, None, None, 0
    for number, line in enumerate(text.splitlines(), 1):
        code = line.split('#', 1)[0] if '"#' not in line else line
        header = re.match(r'\s*\[([A-Za-z0-9_-]+)\]\s*$', code)
        if header:
            table, key = header.group(1), None
            continue
        assigned = re.match(r'\s*([A-Za-z0-9_-]+)\s*=\s*', code)
        if assigned:
            key, count = assigned.group(1), 0
            found[table, key] = (number, assigned.end() + 1)
        if table == 'pairs' and key:
            for pair in re.finditer(r'\[\s*"[^"]*"\s*,\s*"[^"]*"\s*\]', code):
                found['pairs', key, count] = (number, pair.start() + 1)
                count += 1
    return found


def table_problems(colours, where, label):
    """The problems of a parsed table: [Problem], positions from positions()."""
    problems = []

    def report(at, path, message):
        line, col = where.get(at, (1, 1))
        problems.append(Problem(label, line, col, path, message))

    for scheme in ('light', 'dark'):
        for name, value in colours.get(scheme, {}).items():
            if not (isinstance(value, str) and HEX.fullmatch(value)):
                report((scheme, name), f'{scheme}.{name}', f'expected a colour as #rrggbb, got {value!r}')
    for name in colours.get('dark', {}).keys() - colours.get('light', {}).keys():
        report(('dark', name), f'dark.{name}', 'not a colour of the light scheme: the dark scheme only overrides them')
    if problems:
        return problems
    for list_name, listed in colours.get('pairs', {}).items():
        scheme, _, kind = list_name.rpartition('-')
        if kind not in NEEDED or scheme not in ('', 'light', 'dark'):
            report(('pairs', list_name), f'pairs.{list_name}', 'expected text, graphic, light-text, … dark-graphic')
            continue
        for i, (foreground, background) in enumerate(listed):
            at, path = ('pairs', list_name, i), f'pairs.{list_name}[{i}]'
            unknown = [name for name in (foreground, background) if name not in colours['light']]
            if unknown:
                report(at, path, f'no colour {unknown[0]} in the table')
                continue
            for scheme_name in [scheme] if scheme else ['light', 'dark']:
                palette = {**colours['light'], **(colours.get('dark', {}) if scheme_name == 'dark' else {})}
                ratio = contrast(palette[foreground], palette[background])
                if ratio < NEEDED[kind]:
                    report(
                        at,
                        path,
                        f'{foreground} on {background} ({scheme_name} scheme): {floor(ratio)}:1, '
                        f'at least {NEEDED[kind]:g}:1 needed for {kind}',
                    )
    return problems


def floor(ratio):
    """A ratio as printed: rounded down, so that 2.999 never reads as the 3 it misses."""
    return f'{int(ratio * 100) / 100:.2f}'


CSS_COLOUR = re.compile(r'#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?)\([^)]*\)?')
CSS_NAME = re.compile(r'var\(--colour-([A-Za-z0-9-]+)\)')


def stylesheet_problems(path, names, label):
    """A stylesheet's colours of its own, and the names it uses that the table lacks."""
    problems = []
    for number, line in enumerate(path.read_text(encoding='utf-8').splitlines(), 1):
        for found in CSS_COLOUR.finditer(line):
            problems.append(
                Problem(
                    label,
                    number,
                    found.start() + 1,
                    'colour',
                    f'a colour of its own ({found.group()}): name one of templates/colours.toml as var(--colour-NAME)',
                )
            )
        for found in CSS_NAME.finditer(line):
            if found.group(1) not in names:
                problems.append(
                    Problem(
                        label,
                        number,
                        found.start() + 1,
                        'colour',
                        f'no colour {found.group(1)} in templates/colours.toml',
                    )
                )
    return problems


def check(templates=TEMPLATES):
    """Raise a UserError naming every rule of the colour table or the stylesheets broken."""
    path = templates / 'colours.toml'
    text = path.read_text(encoding='utf-8')
    try:
        colours = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        at = re.search(r' \(at line (\d+), column (\d+)\)$', str(error))
        line, col = (int(at.group(1)), int(at.group(2))) if at else (1, 1)
        message = str(error)[: at.start()] if at else str(error)
        raise UserError([Problem(shown(path), line, col, '(document)', f'not a TOML table: {message}')]) from None
    problems = table_problems(colours, positions(text), shown(path))
    names = set(colours.get('light', {}))
    for sheet in sorted(templates.glob('*.css')):
        problems += stylesheet_problems(sheet, names, shown(sheet))
    if problems:
        raise UserError(problems)
