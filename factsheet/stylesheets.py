"""The stylesheets' colours, read with tinycss2 (WeasyPrint's CSS parser): a stylesheet,
or a style attribute of the template, uses no colour of its own and names only the colour
table's (see colours.py, which checks the table and calls these)."""

import re
from collections.abc import Collection, Iterable
from typing import Any

from .problems import Problem

NAME_ONE = 'name one of templates/colours.toml as var(--colour-NAME)'
SHEETS = ('theme.css', 'factsheet.css', 'handout.css')  # the stylesheets render() reads
COLOUR_PROPERTIES = (
    'color',
    'background',
    'border',
    'outline',
    'fill',
    'stroke',
    'shadow',
    'decoration',
    'rule',
    'caret',
)
MIXED = {'color-mix', 'light-dark', 'color-contrast'}  # functions that make a colour of others
KEYWORDS = {'transparent', 'currentcolor', 'inherit', 'initial', 'unset', 'revert', 'none'}
NESTED = {'media', 'supports', 'layer', 'container'}  # at-rules that hold rules, not declarations

# (tinycss2 node or token, message) found; tinycss2 ships no types, so its nodes are Any
Found = list[tuple[Any, str]]


def problems(text: str, names: Collection[str], label: str, line: int = 0) -> list[Problem]:
    """A stylesheet's colours of its own (#123456, rgb(…), white, …) and the var(--colour-NAME)
    it uses that the table lacks, read with tinycss2 (comments and selectors are no colours).
    `line`: where the text begins in its file (an inline style of the template)."""
    import tinycss2

    found: Found = []
    if line:
        colour_rules(tinycss2.parse_blocks_contents(text, skip_comments=True, skip_whitespace=True), names, found)
    else:
        colour_rules(tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True), names, found)
    return [
        Problem(label, line + token.source_line, token.source_column, 'colour', message) for token, message in found
    ]


def colour_rules(rules: Iterable[Any], names: Collection[str], found: Found) -> None:
    """colour_values() of every declaration of these rules, of the rules @media holds and
    of nested rules (their selectors are no colours)."""
    import tinycss2

    for rule in rules:
        if rule.type == 'declaration' and rule.lower_name.startswith('--colour-'):
            found.append((rule, f'{rule.name} is a colour of the table: define it in templates/colours.toml only'))
        elif rule.type == 'declaration':
            colour_values(rule.value, names, found, colour_property(rule.lower_name))
        elif rule.type == 'at-rule' and rule.content and rule.lower_at_keyword in NESTED:
            colour_rules(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True), names, found)
        elif rule.type in ('qualified-rule', 'at-rule') and rule.content:
            colour_rules(
                tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True), names, found
            )


def colour_property(name: str) -> bool:
    """True for a property whose value may be a colour given by name (color, fill, …): a
    word such as Tomato is a font's name in font-family, a colour only here."""
    return name.startswith('--') or any(part in name for part in COLOUR_PROPERTIES)


def colour_values(tokens: Iterable[Any], names: Collection[str], found: Found, by_name: bool = True) -> None:
    """Add to `found` each (token, message) of a colour of its own or an unknown colour name;
    colour words (red, white) only where the property takes a colour (`by_name`)."""
    import tinycss2

    for token in tokens:
        if token.type == 'function' and token.lower_name == 'var':
            named = tinycss2.serialize([t for t in token.arguments if t.type != 'whitespace'][:1]).strip()
            if named.startswith('--colour-') and named.removeprefix('--colour-') not in names:
                found.append((token, f'no colour {named.removeprefix("--colour-")} in templates/colours.toml'))
        elif colour_token(token) and (by_name or token.type != 'ident'):
            own = tinycss2.serialize([token])[:40]
            found.append((token, f'a colour of its own ({own}): {NAME_ONE}'))
        for inner in (getattr(token, 'arguments', None), getattr(token, 'content', None)):
            if isinstance(inner, list):
                colour_values(inner, names, found, by_name)


def colour_token(token: Any) -> bool:
    """True for a token that is a colour of its own: #abc, rgb(…), oklch(…), a named colour,
    a mix of the table's colours (a colour no contrast was checked for)."""
    from tinycss2 import color4

    if token.type == 'ident' and token.lower_value in KEYWORDS:
        return False
    if token.type == 'function' and token.lower_name in MIXED:
        return True
    return token.type in ('hash', 'ident', 'function') and color4.parse_color(token) is not None


def template_styles(page: str, names: Collection[str], label: str) -> list[Problem]:
    """The colours of the template's style attributes (style="…"), checked as stylesheets are."""
    found = []
    for number, text in enumerate(page.splitlines(), 1):
        for style in re.finditer(r'\bstyle="([^"]*)"', text):
            for problem in problems(style.group(1), names, label, number - 1):
                col = problem.col + style.start(1) if problem.line == number else problem.col
                found.append(Problem(label, problem.line, col, problem.path, problem.message))
    return found
