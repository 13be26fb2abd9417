"""The command line: options, exit statuses and what it prints."""

import re
import subprocess
import sys

import pytest

import build
from conftest import ROOT, run


def test_help_lists_every_option(capsys):
    assert build.main(['--help']) == 0
    text = capsys.readouterr().out
    for option in (
        '--only',
        '--data',
        '--out',
        '--force',
        '--paper',
        '--print-marks',
        '--archival',
        '--timeout',
        '--memory',
        '--watch',
        '--serve',
        '--port',
        '--lang',
        '--all',
    ):
        assert option in text


def test_wrong_usage_exits_2(capsys):
    assert build.main(['--only', 'docx']) == 2
    assert "invalid choice: 'docx'" in capsys.readouterr().err


def test_one_line_per_output_with_its_time(built):
    """What the session's first build into an empty folder printed."""
    assert built.stderr == ''
    lines = built.stdout.splitlines()[1:]
    assert len(lines) == 8  # the facts file, three charts, the handout, its card, the PDF, the manifest
    assert lines.pop() == f'wrote {built.out}/manifest.json'  # made from the others: no time of its own
    for line in lines:
        assert re.fullmatch(rf'wrote {re.escape(str(built.out))}/\S+\.(json|svg|html|png) \(\d+\.\d\d s\)', line) or (
            re.fullmatch(
                rf'wrote {re.escape(str(built.out))}/\S+\.pdf \(\d+\.\d\d s, layout: [a-z, /]+; \d+ layouts?\)', line
            )
        )


@pytest.mark.slow
def test_only_html(project):
    code, stdout, _ = project.run('--only', 'html')
    assert code == 0
    assert (project.out / 'isecg-15.html').is_file()
    assert not (project.out / 'isecg-15.pdf').exists()


@pytest.mark.slow
def test_script_exit_status_without_traceback(project):
    project.edit('organisation.yaml', 'acronym: ISECG', 'acronym: [ISECG]')
    result = subprocess.run(
        [sys.executable, str(ROOT / 'build.py'), '--data', str(project.data), '--out', str(project.out)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert result.stderr == 'data/organisation.yaml:5:12: organisation.acronym: expected text, got a list\n'
    assert result.stdout == ''


@pytest.mark.slow
def test_a_28th_agency_shows_everywhere(project):
    with (project.data / 'agencies.yaml').open('a', encoding='utf-8') as stream:
        stream.write(
            '  - acronym: TSA\n    name: Test Space Agency\n    country: ZA\n    region: "002"\n    sources: [seed]\n'
        )
    assert project.run()[0] == 0
    html = (project.out / 'isecg-15.html').read_text()
    assert '<h2>The 28 member agencies</h2>' in html
    assert '<strong>28</strong> <span>member agencies</span>' in html
    assert 'Over 15 years, ISECG has grown to 28 international space agencies.' in re.sub('<[^>]+>', '', html)
    from pypdf import PdfReader

    text = ' '.join(' '.join(page.extract_text().split()) for page in PdfReader(project.out / 'isecg-15.pdf').pages)
    assert 'The 28 member agencies' in text
    assert 'grown to 28 international space agencies' in text
    assert 'TSA' in text and 'Africa 1' in text.replace('AFRICA', 'Africa')


@pytest.mark.parametrize(
    'args, message',
    [
        (['--port', '99999'], 'argument --port: 99999 is not a port (1 to 65535)'),
        (['--port', '0'], 'argument --port: 0 is not a port (1 to 65535)'),
        (['--timeout', 'inf'], 'argument --timeout: inf is not a finite, positive number of seconds'),
        (['--timeout', 'nan'], 'argument --timeout: nan is not a finite, positive number of seconds'),
        (['--timeout', '-1'], 'argument --timeout: -1 is not a finite, positive number of seconds'),
        (['--timeout', '1e10'], 'argument --timeout: 1e10 seconds is more than a day (86400)'),
        (
            ['--memory', '99999999999'],
            'argument --memory: 99999999999 MiB is not a memory limit on this machine (1 to ',
        ),
        (['--memory', '-1'], 'argument --memory: -1 MiB is not a memory limit on this machine (1 to '),
        (['--memory', '0x10'], 'argument --memory: 0x10 is not a whole number'),
        (['--lang', 'FR'], 'argument --lang: FR is not a two-letter language code (such as fr)'),
        (['--lang', '../en'], 'argument --lang: ../en is not a two-letter language code (such as fr)'),
        (['--all', '--lang', 'fr'], 'argument --lang: not allowed with argument --all'),
    ],
)
def test_option_values_are_checked(capsys, args, message):
    assert build.main(args) == 2
    assert f'build.py: error: {message}' in capsys.readouterr().err


def test_an_output_folder_that_is_a_file_or_a_loop(project, tmp_path):
    (tmp_path / 'file').write_text('x')
    assert run(project.data, tmp_path / 'file') == (1, '', f'build.py: --out {tmp_path}/file is a file, not a folder\n')
    (tmp_path / 'a').symlink_to(tmp_path / 'b')
    (tmp_path / 'b').symlink_to(tmp_path / 'a')
    code, _, stderr = run(project.data, tmp_path / 'a')
    assert code == 2 and stderr.startswith('build.py: --data or --out cannot be followed: ')


def test_a_language_with_no_edition_is_refused_before_anything_is_written(project):
    code, stdout, stderr = project.run('--lang', 'de')
    assert code == 2  # wrong usage, as the README says
    assert stderr == (
        'build.py: --lang de: no such edition (organisation.yaml has: en, fr, ja); '
        'to start one: python3 build.py words --new de\n'
    )
    assert not (project.out / 'isecg-15.de.html').exists() and not (project.out / 'manifest.json').exists()


@pytest.mark.slow
def test_with_a_site_address_the_handouts_link_each_other_absolutely(project):
    project.edit('organisation.yaml', '  names:', '  site_url: "https://isecg.example.org/15/"\n  names:')
    code, _, stderr = project.run('--all', '--only', 'html')
    assert (code, stderr) == (0, '')
    html = (project.out / 'isecg-15.ja.html').read_text(encoding='utf-8')
    assert '<link rel="alternate" hreflang="fr" href="https://isecg.example.org/15/isecg-15.fr.html">' in html
    assert '<a href="https://isecg.example.org/15/isecg-15.ja.pdf">' in html
    assert '<a href="https://isecg.example.org/15/isecg-15.en.html" hreflang="en" lang="en">English</a>' in html
    # what a link to it shows: the card and the page, by their absolute addresses
    assert '<meta property="og:image" content="https://isecg.example.org/15/isecg-15.ja.card.png">' in html
    assert '<meta property="og:url" content="https://isecg.example.org/15/isecg-15.ja.html">' in html
    assert '"url": "https://isecg.example.org/15/isecg-15.ja.html"' in html  # the JSON-LD's WebPage


def test_a_site_address_must_be_a_folder(project):
    project.edit('organisation.yaml', '  names:', '  site_url: "https://isecg.example.org/15"\n  names:')
    code, _, stderr = project.run('--only', 'html')
    assert code == 1
    assert stderr.endswith('organisation.site_url: expected an https:// URL of plain characters, ending with /\n')
