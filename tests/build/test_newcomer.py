"""What a newcomer meets: the build guards the design, variants never replace each other,
messages name the files the user edits (a translator's first file: test_words.py)."""

import io
import json
import os
import re
import shutil

import pytest

import build
from conftest import ROOT

# --- The build guards the design ---------------------------------------------------------


@pytest.mark.slow
def test_a_palette_that_fails_its_contrast_builds_nothing(built_copy):
    before = built_copy.outputs()
    table = built_copy.root / 'templates' / 'colours.toml'
    built_copy.edit('templates/colours.toml', 'muted = "#566273"', 'muted = "#8a95a3"')
    line = next(n for n, text in enumerate(table.read_text().splitlines(), 1) if '["muted", "paper"]' in text)
    result = built_copy.run()
    assert (result.returncode, result.stdout) == (1, '')
    assert result.stderr == (
        f'templates/colours.toml:{line}:21: pairs.text[1]: muted on paper (light scheme): 3.03:1, '
        'at least 4.5:1 needed for text\n'
        f'templates/colours.toml:{line + 1}:20: pairs.text[5]: muted on tint (light scheme): 2.77:1, '
        'at least 4.5:1 needed for text\n'
    )
    assert built_copy.outputs() == before


# --- Each variant its own file -----------------------------------------------------------


@pytest.mark.slow
def test_the_print_and_archive_files_never_replace_the_screen_pdf(project, built):
    project.start_from(built)
    screen = (project.out / 'isecg-15.pdf').read_bytes()
    steps = re.search(r'isecg-15\.pdf \(\S+ s, layout: ([^;]+);', built.stdout)[1]
    for option, name in (
        ('--print-marks', 'isecg-15.print.pdf'),
        ('--archival', 'isecg-15.archive.pdf'),
        ('--print-shop', 'isecg-15.print-shop.pdf'),
        ('--paper=letter', 'isecg-15.letter.pdf'),
    ):
        code, stdout, stderr = project.run(option, '--only', 'pdf')
        assert (code, stderr) == (0, ''), stderr
        assert f'wrote {project.out / name} (' in stdout and f'{project.out / "isecg-15.pdf"} (' not in stdout
        if option != '--paper=letter':  # the screen PDF's steps are its hint: checked in three layouts at most
            assert re.search(rf'layout: {re.escape(steps)}; [123] layouts?\)', stdout), stdout
    code, stdout, _ = project.run()
    assert code == 0 and 'nothing to do' in stdout  # the screen build finds its files as it left them
    assert (project.out / 'isecg-15.pdf').read_bytes() == screen
    listed = json.loads((project.out / 'manifest.json').read_text())['outputs']
    assert {name: (entry['variant'], entry['format']) for name, entry in listed.items()} == {
        'isecg-15.facts.json': ('facts', 'JSON'),
        'isecg-15.html': ('handout', 'HTML'),
        'isecg-15.card.png': ('card', 'PNG'),
        'isecg-15.pdf': ('fact sheet', 'PDF/UA-1'),
        'isecg-15.print.pdf': ('print', 'PDF/UA-1, print'),
        'isecg-15.archive.pdf': ('archive', 'PDF/A-3a'),
        'isecg-15.print-shop.pdf': ('print shop', 'PDF/X-4, print'),
        'isecg-15.letter.pdf': ('fact sheet', 'PDF/UA-1'),
    }


# --- Messages name what the user edits ---------------------------------------------------


def test_errors_name_the_data_folder_as_the_user_gave_it(project, tmp_path, monkeypatch):
    elsewhere = tmp_path / 'team' / 'facts'
    shutil.copytree(project.data, elsewhere)
    (elsewhere / 'agencies.yaml').write_text(
        (elsewhere / 'agencies.yaml').read_text().replace('country: NZ', 'country: nz', 1)
    )
    line = next(n for n, text in enumerate((elsewhere / 'agencies.yaml').read_text().splitlines(), 1) if 'nz' in text)
    monkeypatch.chdir(tmp_path / 'team')
    stdout, stderr = io.StringIO(), io.StringIO()
    assert build.main(['--data', 'facts', '--out', str(project.out)], stdout, stderr) == 1
    assert stderr.getvalue().startswith(f'facts/agencies.yaml:{line}:14: ')
    (tmp_path / 'elsewhere').mkdir()
    monkeypatch.chdir(tmp_path / 'elsewhere')  # the data folder is outside it: named whole
    stdout, stderr = io.StringIO(), io.StringIO()
    assert build.main(['--data', str(elsewhere), '--out', str(project.out)], stdout, stderr) == 1
    assert stderr.getvalue().startswith(f'{elsewhere}/agencies.yaml:{line}:14: ')
    assert not project.out.exists() or 'manifest.json' not in os.listdir(project.out)


def test_watch_says_what_it_watches_and_how_to_stop(project):
    from factsheet.watch import watching

    assert watching(project.data) == (
        f'watching data/, {ROOT}/templates/, {ROOT}/charts/ and the program for saves; press Ctrl-C to stop'
    )


@pytest.mark.slow
def test_watch_with_a_language_the_data_lacks_is_wrong_usage_not_a_wait(project):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, str(ROOT / 'build.py'), '--watch', '--lang', 'zz', '--data', 'data', '--out', 'out'],
        cwd=project.data.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stdout.splitlines()[0] == (
        f'watching data/, {ROOT}/templates/, {ROOT}/charts/ and the program for saves; press Ctrl-C to stop'
    )
    assert result.stderr.endswith('to start one: python3 build.py words --new zz\n')
