"""The colour table (templates/colours.toml): every colour once, and the rules a build
checks before it writes anything, so that an edit of the table or of a stylesheet that
breaks the design is an error with its position, not a silent build:

- every colour is `#rrggbb`; the dark scheme names only colours of the light one;
- every pair the table lists is legible, in each scheme it applies to: 4.5:1 for text
  (WCAG 1.4.3), 3:1 for graphics (WCAG 1.4.11);
- the stylesheets (and the template's style attributes) use no colour of their own and
  name only the table's colours, read with tinycss2 (WeasyPrint's CSS parser)."""

import re
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any

from . import stylesheets
from .problems import Problem, UserError, shown
from .project import TEMPLATES

COLOURS = TEMPLATES / 'colours.toml'
NEEDED = {'text': 4.5, 'graphic': 3.0}  # WCAG 1.4.3 and 1.4.11
HEX = re.compile('#[0-9a-fA-F]{6}')
NAME = re.compile('[a-z][a-z0-9-]*')  # written into the CSS as --colour-NAME
SELECTOR = re.compile(r'[A-Za-z0-9 .#>_\[\]="-]+')  # kept light in the dark scheme; no braces, no semicolons

# Where an entry of the table is (positions()): (table or None, key), or ('pairs', list, index).
At = tuple[str | None, str] | tuple[str, str, int]
Report = Callable[[At, str, str], None]  # report(at, path, message)


def read_colours(path: Path = COLOURS) -> dict[str, Any]:
    """The table: every colour, per scheme, and the pairs that must contrast."""
    import tomllib

    with path.open('rb') as stream:
        return tomllib.load(stream)


def read_palette(scheme: str = 'light', path: Path = COLOURS) -> dict[str, str]:
    """The colours by name ({'deep': '#0b1f3a', ...}) in a scheme ('light' or 'dark')."""
    colours = read_colours(path)
    return {**colours['light'], **(colours['dark'] if scheme == 'dark' else {})}


def colour_css(schemes: Collection[str] = ('light',), path: Path = COLOURS) -> str:
    """The colours as CSS custom properties; with 'dark', also the dark scheme's."""
    colours = read_colours(path)

    def block(values: Mapping[str, str]) -> str:
        return ' '.join(f'--colour-{name}: {value};' for name, value in values.items())

    css = f':root {{ {block(colours["light"])} }}'
    if 'dark' in schemes:
        keep = ', '.join(colours['keep-light'])
        css += (
            f'\n@media (prefers-color-scheme: dark) {{ :root {{ color-scheme: dark; {block(colours["dark"])} }}'
            f' {keep} {{ {block(colours["light"])} }} }}'
        )
    return css


def luminance(colour: str) -> float:
    """WCAG's relative luminance of '#rrggbb'."""

    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: str, two: str) -> float:
    """WCAG's contrast ratio of two colours, from 1 to 21."""
    lighter, darker = sorted((luminance(one), luminance(two)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def positions(text: str) -> dict[At, tuple[int, int]]:
    """Where the table's entries are written: {('light', 'deep'): (line, col) of its value,
    ('pairs', 'text', 3): (line, col) of the fourth pair of the list `text`}. A TOML
    reader gives no positions; the table's lines are simple enough to find them."""
    found: dict[At, tuple[int, int]]
    table: str | None
    key: str | None
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


def shape_problems(colours: dict[str, Any], report: Report) -> None:
    """What the table holds that is not of the shape the build reads (report(at, path, message))."""
    kind: type | str  # a section's type, then a pair list's kind (text, graphic)
    for section, kind in (('light', dict), ('dark', dict), ('pairs', dict), ('keep-light', list)):
        if section not in colours:
            report((None, section), section, 'missing: see the table as shipped')
        elif not isinstance(colours[section], kind):
            report((None, section), section, 'expected a table' if kind is dict else 'expected a list')
    scheme_problems(colours, report)
    keep = colours.get('keep-light', [])
    if not (isinstance(keep, list) and all(isinstance(item, str) and selector(item) for item in keep)):
        report((None, 'keep-light'), 'keep-light', 'expected a list of CSS selectors, such as [".band"]')
    for list_name, listed in dict_of(colours.get('pairs')).items():
        scheme, _, kind = list_name.rpartition('-')
        if kind not in NEEDED or scheme not in ('', 'light', 'dark'):
            report(('pairs', list_name), f'pairs.{list_name}', 'expected text, graphic, light-text, … dark-graphic')
        elif not (isinstance(listed, list) and all(pair_shaped(pair) for pair in listed)):
            report(('pairs', list_name), f'pairs.{list_name}', 'expected a list of [foreground, background] pairs')


def scheme_problems(colours: dict[str, Any], report: Report) -> None:
    """Each scheme's names and values; the dark scheme names only light colours."""
    for scheme in ('light', 'dark'):
        for name, value in dict_of(colours.get(scheme)).items():
            if not NAME.fullmatch(name):
                report((scheme, name), f'{scheme}.{name}', 'a colour name is lowercase letters, digits and hyphens')
            elif not (isinstance(value, str) and HEX.fullmatch(value)):
                report((scheme, name), f'{scheme}.{name}', f'expected a colour as #rrggbb, got {value!r}')
    for name in dict_of(colours.get('dark')).keys() - dict_of(colours.get('light')).keys():
        report(('dark', name), f'dark.{name}', 'not a colour of the light scheme: the dark scheme only overrides them')


def selector(text: str) -> bool:
    """True for a CSS selector, as WeasyPrint's selector library (cssselect2) reads one."""
    import cssselect2
    import tinycss2

    if not SELECTOR.fullmatch(text):  # no braces or semicolons: it is written into a rule
        return False
    try:
        cssselect2.compile_selector_list(tinycss2.parse_component_value_list(text))
    except cssselect2.SelectorError:
        return False
    return True


def dict_of(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def pair_shaped(pair: object) -> bool:
    return isinstance(pair, list) and len(pair) == 2 and all(isinstance(name, str) for name in pair)


def table_problems(colours: dict[str, Any], where: Mapping[At, tuple[int, int]], label: str) -> list[Problem]:
    """The problems of a parsed table: [Problem], positions from positions(); the contrast
    of its pairs once its shape is right."""
    problems: list[Problem] = []

    def report(at: At, path: str, message: str) -> None:
        line, col = where.get(at, (1, 1))
        problems.append(Problem(label, line, col, path, message))

    shape_problems(colours, report)
    if problems:
        return problems
    for list_name, listed in colours['pairs'].items():
        scheme, _, kind = list_name.rpartition('-')
        for i, (foreground, background) in enumerate(listed):
            at, path = ('pairs', list_name, i), f'pairs.{list_name}[{i}]'
            unknown = [name for name in (foreground, background) if name not in colours['light']]
            if unknown:
                report(at, path, f'no colour {unknown[0]} in the table')
                continue
            for scheme_name in [scheme] if scheme else ['light', 'dark']:
                palette = {**colours['light'], **(colours['dark'] if scheme_name == 'dark' else {})}
                ratio = contrast(palette[foreground], palette[background])
                if ratio < NEEDED[kind]:
                    report(
                        at,
                        path,
                        f'{foreground} on {background} ({scheme_name} scheme): {floor(ratio)}:1, '
                        f'at least {NEEDED[kind]:g}:1 needed for {kind}',
                    )
    return problems


def floor(ratio: float) -> str:
    """A ratio as printed: rounded down, so that 2.999 never reads as the 3 it misses."""
    return f'{int(ratio * 100) / 100:.2f}'


def read_text(path: Path, problems: list[Problem]) -> str | None:
    """A template's text; a Problem (and None) when it is missing or not UTF-8."""
    try:
        return path.read_bytes().decode('utf-8')
    except FileNotFoundError:
        problems.append(Problem(shown(path), 1, 1, '(document)', 'file is missing'))
    except UnicodeDecodeError as error:
        raw = error.object
        line, col = raw.count(b'\n', 0, error.start) + 1, error.start - raw.rfind(b'\n', 0, error.start)
        problems.append(
            Problem(shown(path), line, col, '(document)', f'not UTF-8 text (byte 0x{raw[error.start]:02x})')
        )
    return None


def check(templates: Path = TEMPLATES) -> None:
    """Raise a UserError naming every rule of the colour table or the stylesheets broken."""
    import tomllib

    problems: list[Problem]
    path, problems = templates / 'colours.toml', []
    text = read_text(path, problems)
    if text is None:
        raise UserError(problems)
    try:
        colours = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        at = re.search(r' \(at line (\d+), column (\d+)\)$', str(error))
        line, col = (int(at.group(1)), int(at.group(2))) if at else (1, 1)
        message = str(error)[: at.start()] if at else str(error)
        raise UserError([Problem(shown(path), line, col, '(document)', f'not a TOML table: {message}')]) from None
    problems = table_problems(colours, positions(text), shown(path))
    names = set(dict_of(colours.get('light')))
    for sheet in sorted({*templates.glob('*.css'), *(templates / name for name in stylesheets.SHEETS)}):
        css = read_text(sheet, problems)
        problems += stylesheets.problems(css, names, shown(sheet)) if css is not None else []
    page = read_text(templates / 'page.html.j2', problems)
    if page is not None:
        problems += stylesheets.template_styles(page, names, shown(templates / 'page.html.j2'))
    if problems:
        raise UserError(problems)
