"""docs/design.md's "Adding a chart", followed to the letter on a copy of the project: the
new chart is drawn in every language and shown in every handout."""

import pytest

CHART = '''"""Founding members against later members: two bars."""

SIZE = (3.4, 1.0)  # inches


def select(facts):
    """The facts this chart reads."""
    labels = facts['charts']['founders']['labels']
    return {'labels': labels, 'founding': facts['values']['founding'], 'later': facts['values']['later']}


def table(data):
    """The chart's data as table rows."""
    return [[data['founding'], data['later']]]


def draw(ax, data, palette):
    """Two horizontal bars."""
    names = [data['labels']['founding'], data['labels']['later']]
    ax.barh(names, [data['founding'], data['later']], height=0.6, color=[palette['deep'], palette['secondary']])
    ax.set_xticks([])
'''
WORDS = {  # title, caption, alt, the two labels, the table's caption and columns
    'en': (
        'Founders and later members',
        '{founding} founded the forum; {later} joined later.',
        'Bar chart: {founding} founding agencies, {later} joined later.',
        'Founding',
        'Joined later',
        'Founding and later members',
        '[Founding, Joined later]',
    ),
    'fr': (
        'Fondateurs et membres ultérieurs',
        '{founding} ont fondé le forum ; {later} l’ont rejoint ensuite.',
        'Diagramme en barres : {founding} agences fondatrices, {later} arrivées ensuite.',
        'Fondatrices',
        'Arrivées ensuite',
        'Agences fondatrices et arrivées ensuite',
        '[Fondatrices, Arrivées ensuite]',
    ),
    'ja': (
        '創設機関と後の加盟機関',
        '{founding}機関が創設し、{later}機関が後に加盟。',
        '棒グラフ：創設{founding}機関、後の加盟{later}機関。',
        '創設',
        '後に加盟',
        '創設機関と後の加盟機関',
        '[創設, 後に加盟]',
    ),
}


def words(language):
    title, caption, alt, founding, later, table, columns = WORDS[language]
    return (
        f'    founders:\n      title: "{title}"\n      caption: "{caption}"\n      alt: "{alt}"\n'
        f'      labels:\n        founding: "{founding}"\n        later: "{later}"\n'
        f'      table:\n        caption: "{table}"\n        columns: {columns}\n'
    )


@pytest.mark.slow
def test_a_chart_added_as_the_docs_say_is_drawn_and_shown_in_every_language(copy):
    (copy.root / 'charts' / 'founders.py').write_text(CHART)  # 1
    copy.edit('factsheet/project.py', "'membership')", "'membership', 'founders')")  # 2
    schema = "                'founders': chart_words(('founding', 'later'), 2),\n"
    copy.edit(
        'factsheet/schema.py',
        "                'membership': chart_words(",
        schema + "                'membership': chart_words(",
    )  # 3
    copy.edit(
        'factsheet/citations.py',
        "        'members': members,\n",
        "        'members': members,\n        'founders': unique([org['formed']['source'], *founding]),\n",
    )  # 4
    for language in WORDS:  # 5
        copy.edit(f'data/words/{language}.yaml', '\n  charts:\n', '\n  charts:\n' + words(language))
    result = copy.run('--all', '--only', 'html')
    assert result.returncode == 0, result.stderr
    for language, suffix in (('en', ''), ('fr', '.fr'), ('ja', '.ja')):
        svg = (copy.out / 'charts' / f'founders{suffix}.svg').read_text()
        assert WORDS[language][3] in svg  # its label, in the edition's language
        handout = (copy.out / f'isecg-15.{language}.html').read_text()
        assert 'id="chart-founders"' in handout and WORDS[language][0] in handout
    assert 'words.charts.founders.title: the English changed since it was translated' in result.stdout
