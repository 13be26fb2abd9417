"""A translator's first file in one command: `build.py words --new` starts a language that
builds at once, `words --stale` names what the English changed, and a stopped or refused
write leaves the data as it was."""

import io

import pytest

import build
from conftest import snapshot


def words(project, *args):
    """Run `build.py words ...` in-process; return (exit status, stdout, stderr)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    code = build.main(['words', *args, '--data', str(project.data)], stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


@pytest.mark.slow
def test_words_new_starts_a_language_that_builds_at_once(project):
    organisation = (project.data / 'organisation.yaml').read_text()
    code, stdout, stderr = words(project, '--new', 'de')
    assert (code, stderr) == (0, '')
    assert stdout.splitlines() == [
        'wrote data/words/de.yaml: 81 phrases to translate into German',
        'added de to organisation.translations in data/organisation.yaml',
        'build it with: python3 build.py --lang de --data data',  # not the project's own data folder
    ]
    # one code more in the list, in its own style; every other line as it was
    assert (project.data / 'organisation.yaml').read_text() == organisation.replace(
        'translations: [fr, ja]', 'translations: [fr, ja, de]'
    )
    text = (project.data / 'words' / 'de.yaml').read_text()
    assert '  title: "{acronym}: {years} years of coordinated space exploration"' in text
    assert '\nuntranslated:\n  - title\n' in text and '\nenglish:\n' in text
    code, stdout, stderr = project.run('--lang', 'de', '--only', 'html')
    assert (code, stderr) == (0, '')
    assert [line for line in stdout.splitlines() if line.startswith('data/')] == [
        'data/words/de.yaml: German: not reviewed: a draft translation; the same as English on purpose: none',
        'data/words/de.yaml: German: 81 phrases to translate, printed in English',
    ]
    handout = (project.out / 'isecg-15.de.html').read_text()
    assert '<html lang="de"' in handout and 'years of coordinated space exploration' in handout
    assert 'Deutschland' in handout  # the countries in German, from CLDR
    code, stdout, _ = project.run('--only', 'html')
    assert [line for line in stdout.splitlines() if line.startswith('data/')] == [
        'data/words/de.yaml: the German edition: 81 phrases to translate, 0 whose English changed '
        '(python3 build.py words --stale de lists them)'
    ]


@pytest.mark.slow
def test_a_translated_phrase_leaves_the_list_and_a_changed_english_one_is_stale(project):
    assert words(project, '--new', 'de')[0] == 0
    german = project.data / 'words' / 'de.yaml'
    text = german.read_text().replace(
        '  pdf_link: "The printable fact sheet (PDF)"', '  pdf_link: "Das Faktenblatt (PDF)"'
    )
    german.write_text(text.replace('  - pdf_link\n', ''))
    project.edit('words/en.yaml', '"Milestones"', '"Key dates"')
    code, stdout, _ = words(project, '--stale', 'de')
    assert code == 0
    lines = stdout.splitlines()
    assert 'data/words/de.yaml: words.pdf_link: to translate' not in lines
    assert 'data/words/de.yaml: words.headings.milestones: to translate' in lines  # still English: no stale line
    assert lines[-1] == 'data/words/de.yaml: German: 80 to do'
    code, stdout, _ = project.run('--lang', 'de', '--only', 'html')
    assert code == 0 and 'Das Faktenblatt (PDF)' in (project.out / 'isecg-15.de.html').read_text()
    assert 'Key dates' in (project.out / 'isecg-15.de.html').read_text()  # the English of now, not of then


@pytest.mark.slow
def test_words_stale_names_what_the_english_changed_in_every_language(project):
    project.edit('words/en.yaml', '"Milestones"', '"Key dates"')
    code, stdout, _ = words(project, '--stale')
    assert code == 0
    from factsheet.translation import fingerprint

    now = fingerprint('Key dates')
    assert stdout.splitlines() == [
        f'data/words/fr.yaml: words.headings.milestones: the English changed since it was translated '
        f'(english: headings.milestones: {now})',
        'data/words/fr.yaml: French: 1 to do',
        f'data/words/ja.yaml: words.headings.milestones: the English changed since it was translated '
        f'(english: headings.milestones: {now})',
        'data/words/ja.yaml: Japanese: 1 to do',
    ]
    code, stdout, _ = project.run('--only', 'html')
    assert [line for line in stdout.splitlines() if line.startswith('data/')] == [
        'data/words/fr.yaml: the French edition: 0 phrases to translate, 1 whose English changed '
        '(python3 build.py words --stale fr lists them)',
        'data/words/ja.yaml: the Japanese edition: 0 phrases to translate, 1 whose English changed '
        '(python3 build.py words --stale ja lists them)',
    ]


@pytest.mark.slow
def test_a_words_file_without_fingerprints_is_one_line_not_one_per_phrase(project):
    french = project.data / 'words' / 'fr.yaml'
    text = french.read_text()
    start, end = text.index('\nenglish:'), text.index('\nwords:')  # the fingerprints, all of them
    french.write_text(text[:start] + text[end:])
    code, stdout, stderr = project.run('--lang', 'fr', '--only', 'html')
    assert (code, stderr) == (0, '')
    assert [line for line in stdout.splitlines() if line.startswith('data/')] == [
        'data/words/fr.yaml: French: new words file: 77 phrases to translate '
        '(python3 build.py words --stale fr lists them with their fingerprints)'
    ]


@pytest.mark.parametrize(
    'args, message',
    [
        (['--new', 'fr'], 'build.py: words --new fr: fr is an edition already (en, fr, ja)\n'),
        (['--new', 'FR'], 'build.py words: error: argument --new: FR is not a two-letter language code (such as fr)\n'),
        (['--stale', 'de'], 'build.py: words --stale de: not a translation (fr, ja)\n'),
        ([], 'build.py words: error: one of the arguments --new --stale is required\n'),
    ],
)
def test_words_usage_errors_exit_2(project, capsys, args, message):
    before = snapshot(project.data)
    code, stdout, stderr = words(project, *args)
    assert (code, stdout) == (2, '')
    printed = stderr or capsys.readouterr().err.splitlines(keepends=True)[-1]  # argparse's own line
    assert printed == message
    assert snapshot(project.data) == before


def test_a_new_language_that_would_not_validate_leaves_the_data_as_it_was(project):
    before = snapshot(project.data)
    code, stdout, stderr = words(project, '--new', 'qq')  # no language CLDR knows
    assert (code, stdout) == (1, '')
    assert 'organisation.translations[2]: a language CLDR knows' in stderr
    assert snapshot(project.data) == before


def test_words_new_adds_to_a_block_list_or_starts_the_list(project):
    from factsheet.words import add_translation

    block = 'organisation:\n  language: en\n  translations:\n    - fr   # French\n    - ja\n  name: X\n'
    assert add_translation(block, 'de') == block.replace('    - ja\n', '    - ja\n    - de\n')
    none = 'organisation:\n  name: X\n  language: en  # first\n  acronym: X\n'
    assert add_translation(none, 'de') == none.replace('# first\n', '# first\n  translations: [de]\n')
    empty = 'organisation:\n  translations: []\n'
    assert add_translation(empty, 'de') == 'organisation:\n  translations: [de]\n'


def test_words_new_interrupted_twice_leaves_the_data_as_it_was(project, monkeypatch):
    """A Ctrl-C while the new files are checked puts both back, a second one while they are
    put back changes nothing, and the command says so."""
    import signal

    from factsheet import pipeline, write

    real_read, real_write, writes = pipeline.read, write.write_atomic, []

    def read_then_interrupt(data_dir):
        if writes:  # the check of the data with the new language in it
            signal.raise_signal(signal.SIGINT)
        return real_read(data_dir)

    def write_atomic(path, content):
        writes.append(path)
        if len(writes) == 3:  # the first file put back: a second Ctrl-C
            signal.raise_signal(signal.SIGINT)
        return real_write(path, content)

    monkeypatch.setattr(pipeline, 'read', read_then_interrupt)
    monkeypatch.setattr(write, 'write_atomic', write_atomic)
    before = snapshot(project.data)
    code, stdout, stderr = words(project, '--new', 'de')
    assert (code, stdout, stderr) == (130, '', 'build.py: words: interrupted; the data is as it was\n')
    assert snapshot(project.data) == before
    assert len(writes) == 3


def test_words_new_keeps_the_list_in_its_own_style(project):
    from factsheet.words import add_translation

    assert add_translation('organisation:\n  translations: [fr, ja,]', 'de') == (
        'organisation:\n  translations: [fr, ja, de,]\n'
    )
    multi = 'organisation:\n  translations: [\n    fr,  # French\n    ja\n  ]\n'
    assert add_translation(multi, 'de') == multi.replace('    ja\n', '    ja, de\n')
    assert add_translation('organisation:\n  language: en', 'de') == (
        'organisation:\n  language: en\n  translations: [de]\n'
    )


def test_words_new_on_a_disk_that_refuses_the_file_is_one_line(project, monkeypatch):
    from factsheet import write

    real = write.write_atomic

    def refuse(path, content):
        if path.name == 'de.yaml':
            raise OSError(27, 'File too large', str(path))
        return real(path, content)

    monkeypatch.setattr(write, 'write_atomic', refuse)
    before = snapshot(project.data)
    code, stdout, stderr = words(project, '--new', 'de')
    assert (code, stdout) == (1, '')
    assert stderr == f'build.py: write: {project.data}/words/de.yaml: File too large\n'
    assert snapshot(project.data) == before
