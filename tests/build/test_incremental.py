"""Incremental builds: exactly the outputs whose inputs changed are rewritten."""

import json
import subprocess
import sys

import pytest

from conftest import ROOT, run

HTML, PDF, MAP, MANIFEST = 'isecg-15.html', 'isecg-15.pdf', 'charts/map.svg', 'manifest.json'
CARD, FACTS = 'isecg-15.card.png', 'isecg-15.facts.json'


def files(out):
    """Each output with its inode, mtime and bytes: a rewrite changes at least the inode."""
    return {
        path.relative_to(out).as_posix(): (path.stat().st_ino, path.stat().st_mtime_ns, path.read_bytes())
        for path in out.rglob('*')
        if path.is_file() and path.name not in ('.build-state.json', '.build.lock')
    }


def rewritten(project, *args):
    """Run a build; return the set of outputs it rewrote, and what it printed."""
    before = files(project.out)
    code, stdout, stderr = project.run(*args)
    assert code == 0, stderr
    after = files(project.out)
    return {name for name in after if before.get(name) != after[name]}, stdout


def test_first_build_writes_everything(built):
    """The session's build is a first build into an empty folder."""
    charts = {MAP, 'charts/timeline.svg', 'charts/membership.svg'}
    assert set(files(built.out)) == {FACTS, HTML, CARD, PDF, MANIFEST} | charts
    assert built.stdout.splitlines()[0] == f'full build: no usable state file in {built.out}'
    assert len([line for line in built.stdout.splitlines() if line.startswith('wrote ')]) == 8


def test_no_op_writes_nothing(project, built):
    """The session's build was made from data/ into another folder: a copied or moved
    project is up to date."""
    project.start_from(built)
    written, stdout = rewritten(project)
    assert written == set()
    assert stdout == 'nothing to do: every output is up to date\n'


@pytest.mark.slow
def test_text_only_edit_rebuilds_the_documents_and_no_chart(project, built):
    project.start_from(built)
    project.edit('agencies.yaml', 'name: Polish Space Agency', 'name: POLSA, the Polish Space Agency')
    written, _ = rewritten(project)
    assert written == {FACTS, HTML, PDF, MANIFEST}  # the card shows no name: drawn again, the same bytes
    assert 'POLSA, the Polish Space Agency' in (project.out / HTML).read_text()


@pytest.mark.slow
def test_edit_read_by_one_chart_rebuilds_that_chart_and_the_documents(project, built):
    project.start_from(built)
    project.edit('agencies.yaml', 'country: NZ\n', 'country: FJ\n')  # the map reads the countries, no other chart
    written, _ = rewritten(project)
    assert written == {FACTS, MAP, HTML, PDF, MANIFEST}


@pytest.mark.slow
def test_comment_only_edit_renders_nothing(project, built):
    project.start_from(built)
    (project.data / 'sources.yaml').write_text('# reviewed\n' + (project.data / 'sources.yaml').read_text())
    written, stdout = rewritten(project)
    assert written == set()
    assert stdout == 'nothing to do: no output reads what changed\n'


@pytest.mark.slow
def test_deleted_output_is_rebuilt_alone(project, built):
    project.start_from(built)
    (project.out / MAP).unlink()
    written, _ = rewritten(project)
    assert written == {MAP}


@pytest.mark.slow
def test_an_output_edited_by_hand_is_rebuilt_alone(project, built):
    project.start_from(built)
    good = (project.out / MAP).read_bytes()
    (project.out / MAP).write_bytes(good.replace(b'</svg>', b'<!-- edited --></svg>'))
    written, _ = rewritten(project)
    assert written == {MAP} and (project.out / MAP).read_bytes() == good


@pytest.mark.slow
def test_corrupt_state_means_a_full_build_and_a_manifest_of_what_it_vouches_for(project, built):
    """A damaged state file: a full build, which rewrites nothing it finds alike. The PDF an
    earlier build left, which an HTML-only build neither makes nor finds recorded, stays as
    it was and is not listed, until a build makes it. (Every other text that is no state, a
    foreign format, a list, the wrong shape, is read as none by the same reader:
    tests/unit/test_state.py tries them all.)"""
    project.start_from(built)
    pdf = (project.out / PDF).read_bytes()
    (project.out / '.build-state.json').write_text('{not json')
    written, stdout = rewritten(project, '--only', 'html')
    assert stdout.startswith('full build: no usable state file')
    assert stdout.count('unchanged ') == 6
    assert written == {MANIFEST} and (project.out / PDF).read_bytes() == pdf
    assert PDF not in json.loads((project.out / MANIFEST).read_text())['outputs']
    written, stdout = rewritten(project)
    assert f'unchanged {project.out / PDF} (' in stdout and written == {MANIFEST}
    assert json.loads((project.out / MANIFEST).read_text()) == json.loads((built.out / MANIFEST).read_text())


@pytest.mark.slow
def test_force_rebuilds_everything(project, built):
    project.start_from(built)
    _, stdout = rewritten(project, '--force')
    assert stdout.count('unchanged ') == 7


def test_no_op_imports_only_the_standard_library(project, built):
    project.start_from(built)
    result = subprocess.run(
        [
            sys.executable,
            '-X',
            'importtime',
            str(ROOT / 'build.py'),
            '--data',
            str(project.data),
            '--out',
            str(project.out),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout == 'nothing to do: every output is up to date\n'
    imported = {line.split('|')[-1].strip().split('.')[0] for line in result.stderr.splitlines()[1:]}
    assert not imported & {'yaml', 'jsonschema', 'jinja2', 'markupsafe', 'matplotlib', 'weasyprint', 'numpy'}


@pytest.mark.slow
def test_a_save_during_a_build_is_seen_by_the_next(project, built, monkeypatch):
    from factsheet import pipeline

    project.start_from(built)
    read = pipeline.read

    def read_then_save(data_dir):
        files = read(data_dir)  # the data has been read; now the user saves again
        project.edit('agencies.yaml', 'name: Swiss Space Office', 'name: Swiss Space Office (saved late)')
        return files

    project.edit('agencies.yaml', 'name: Polish Space Agency', 'name: Polish Space Agency (saved)')
    monkeypatch.setattr(pipeline, 'read', read_then_save)
    written, _ = rewritten(project)
    assert written == {FACTS, HTML, PDF, MANIFEST}
    assert 'saved late' not in (project.out / HTML).read_text()
    monkeypatch.setattr(pipeline, 'read', read)
    written, _ = rewritten(project)
    assert written == {FACTS, HTML, PDF, MANIFEST}
    assert 'Swiss Space Office (saved late)' in (project.out / HTML).read_text()


@pytest.mark.slow
def test_outputs_made_under_another_name_are_removed_once_the_new_ones_exist(project, built):
    project.start_from(built)
    project.edit('organisation.yaml', 'years: 15 ', 'years: 16 ')
    code, stdout, _ = project.run()
    assert code == 0
    assert stdout.endswith(
        ''.join(
            f'removed {project.out}/isecg-15.{kind} (this build makes it under another name)\n'
            for kind in ('card.png', 'facts.json', 'html', 'pdf')
        )
    )
    assert sorted(path.name for path in project.out.glob('isecg-*')) == [
        'isecg-16.card.png',
        'isecg-16.facts.json',
        'isecg-16.html',
        'isecg-16.pdf',
    ]


@pytest.mark.slow
def test_the_fonts_are_asked_afresh_not_taken_from_the_state(project, built, tmp_path, monkeypatch):
    project.start_from(built)
    (tmp_path / 'fonts.conf').write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        '<match target="pattern"><test name="family"><string>Noto Sans</string></test>'
        '<edit name="family" mode="assign" binding="strong"><string>Noto Serif</string></edit></match>'
        '</fontconfig>'
    )
    monkeypatch.setenv('FONTCONFIG_FILE', str(tmp_path / 'fonts.conf'))
    _, stdout = rewritten(project, '--only', 'html')
    assert 'nothing to do' not in stdout
    assert '"/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf"' in (project.out / '.build-state.json').read_text()


EDITIONS = {
    language: {
        f'isecg-15.{language}.html',
        f'isecg-15.{language}.card.png',
        f'isecg-15.{language}.pdf',
        f'isecg-15.{language}.letter.pdf',
        *(
            f'charts/{chart}{"" if language == "en" else "." + language}.svg'
            for chart in ('timeline', 'map', 'membership')
        ),
    }
    for language in ('en', 'fr', 'ja')
}


@pytest.mark.slow
def test_all_builds_every_edition_and_editing_one_language_rebuilds_only_its_outputs(project, every_edition):
    assert set(files(every_edition.out)) == EDITIONS['en'] | EDITIONS['fr'] | EDITIONS['ja'] | {FACTS, MANIFEST}
    project.start_from(every_edition)
    project.edit('words/fr.yaml', 'later: "Adhésions ultérieures"', 'later: "Entrées ultérieures"')
    written, _ = rewritten(project, '--all')
    assert written == {
        'charts/map.fr.svg',
        'isecg-15.fr.html',
        'isecg-15.fr.pdf',
        'isecg-15.fr.letter.pdf',
        MANIFEST,
    }
    project.edit('words/ja.yaml', 'caption: "{acronym}の沿革"', 'caption: "{acronym}の主な沿革"')
    written, _ = rewritten(project, '--all')
    assert written == {'isecg-15.ja.html', MANIFEST}  # a table's caption: in the handout only


@pytest.mark.slow
def test_one_edition_and_every_edition_keep_each_other_s_outputs(project, every_edition):
    project.start_from(every_edition)
    written, _ = rewritten(project)  # the default edition, under its own names, beside --all's
    assert written == {HTML, CARD, PDF, MANIFEST}  # the facts file is every edition's: the same
    listed = json.loads((project.out / MANIFEST).read_text(encoding='utf-8'))['outputs']
    assert set(listed) == {FACTS, HTML, CARD, PDF} | {name for language in EDITIONS for name in EDITIONS[language]} - {
        name for name in EDITIONS['en'] | EDITIONS['fr'] | EDITIONS['ja'] if name.startswith('charts/')
    }
    written, stdout = rewritten(project, '--all')  # --all keeps the default edition's outputs
    assert written == set() and 'nothing to do' in stdout
    assert {HTML, CARD, PDF} <= set(files(project.out))
    # One language, as --all makes it: the same names with the same bytes.
    written, stdout = rewritten(project, '--lang', 'fr')
    assert written == set(), stdout
    written, _ = rewritten(project, '--lang', 'ja', '--paper', 'letter')
    assert written == set()
    assert json.loads((project.out / MANIFEST).read_text(encoding='utf-8'))['outputs'] == listed


@pytest.mark.slow
def test_an_edited_edition_laid_out_from_its_last_steps_is_what_a_first_build_makes(project, every_edition, tmp_path):
    """After an edit, the layout starts from the steps the state file recorded; the result
    must be the one a search from the first step gives."""
    project.start_from(every_edition)
    project.edit('words/fr.yaml', 'publié en {strategy_year}.', 'publié en {strategy_year}, il y a longtemps.')
    written, stdout = rewritten(project, '--all')
    assert 'isecg-15.fr.letter.pdf' in written
    for paper, name in (('a4', 'isecg-15.fr.pdf'), ('letter', 'isecg-15.fr.letter.pdf')):
        cold = tmp_path / f'cold-{paper}'  # a first build of the same edition: no state, no hint
        code, _, stderr = run(project.data, cold, '--lang', 'fr', '--paper', paper, '--only', 'pdf')
        assert code == 0, stderr
        assert (project.out / name).read_bytes() == (cold / name).read_bytes(), name
