"""Every text the outputs carry is valid where it lands: placeholders that fill, SVG that
parses, charts that the laid-out PDF holds."""

import copy

import pytest

from factsheet.derive import every_edition
from factsheet.draw import checked
from factsheet.placeholders import LOCAL_PLACEHOLDERS, PLACEHOLDERS
from factsheet.problems import UserError
from factsheet.rules import placeholder_problems, walk_text


def allowed(path):
    return next((names for prefix, names in LOCAL_PLACEHOLDERS.items() if path[: len(prefix)] == prefix), PLACEHOLDERS)


def test_every_placeholder_a_phrase_may_use_fills(loaded_data):
    """Each phrase given every placeholder it is allowed: the facts derive (no KeyError)."""
    words = loaded_data['words/en.yaml'].value['words']
    for path, _ in walk_text(words, ('words',)):
        if not allowed(path):
            continue
        trial = copy.deepcopy(loaded_data)
        node = trial['words/en.yaml'].value
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] += ' ' + ' '.join(f'{{{name}}}' for name in sorted(allowed(path)))
        every_edition(trial, lambda languages: languages[:1])


@pytest.mark.parametrize(
    'text, message',
    [
        ('{Members}', 'unknown placeholder {Members}'),
        ('{ members }', 'unknown placeholder { members }'),
        ('{members2}', 'unknown placeholder {members2}'),
        ('{}', 'unknown placeholder {}'),
        ('a { b', 'a lone { (braces hold a placeholder)'),
        ('{nope}', 'unknown placeholder {nope}'),
    ],
)
def test_braces_that_are_not_a_placeholder_of_the_phrase_are_refused(text, message):
    assert list(placeholder_problems({'kicker': text})) == [(('words', 'kicker'), message)]


def test_a_phrase_printed_as_written_takes_no_placeholder():
    assert list(placeholder_problems({'separator': '{members}'})) == [
        (('words', 'separator'), 'unknown placeholder {members}')
    ]


def test_an_svg_that_does_not_parse_is_refused_by_name():
    assert checked('<svg xmlns="http://www.w3.org/2000/svg"><text>ok</text></svg>', 'x').startswith('<svg')
    with pytest.raises(UserError) as raised:
        checked('<svg><text>\x01</text></svg>', 'charts/regions.svg')
    assert str(raised.value) == (
        'build.py: draw: charts/regions.svg is not well-formed SVG'
        ' (not well-formed (invalid token): line 1, column 11); check the texts it shows'
    )


def test_a_url_breaks_after_a_slash_and_a_long_part_before_a_hyphen_or_after_an_underscore():
    """Never inside a word: the places a line may break, marked |."""
    import re

    from factsheet.render import short_url

    def breaks(url):
        return re.sub(r'<span class="url-part">|</span>', '', str(short_url(url))).replace('<wbr>', '|')

    assert breaks('https://www.esa.int/fre/ESA_in_your_country/') == 'www.esa.int/|fre/|ESA_in_your_country'
    assert breaks('https://x.org/L_ESA_organise_une_consultation_sur_sa_strategie_d_exploration') == (
        'x.org/|L_|ESA_|organise_|une_|consultation_|sur_|sa_|strategie_|d_|exploration'
    )
    assert breaks('https://x.org/portuguese-space-agency-becomes-a-member-of-the-isecg') == (
        'x.org/|portuguese|-space|-agency|-becomes|-a|-member|-of|-the|-isecg'
    )
