"""Safety: the URL fetcher, the render limits, and mutated data (property-based)."""

import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DATA, ROOT, examples, snapshot
from factsheet.derive import every_edition
from factsheet.load import load
from factsheet.pdf import make_fetcher
from factsheet.problems import UserError
from factsheet.project import TEMPLATES
from factsheet.validate import validate


def test_fetcher_serves_only_data_urls_and_project_files(tmp_path, server):
    from weasyprint.urls import FatalURLFetchingError

    address, requests = server
    out = tmp_path / 'out'
    out.mkdir()
    (out / 'link-out').symlink_to('/etc/hostname')
    fetcher = make_fetcher([TEMPLATES.resolve(), out.resolve()])
    assert fetcher.fetch('data:text/plain;base64,aGk=').read() == b'hi'
    assert b'.url-part' in fetcher.fetch((TEMPLATES / 'theme.css').as_uri()).read()
    for url in (
        f'{address}/style.css',
        address.replace('http:', 'https:'),
        'ftp://127.0.0.1/x',
        'file:///etc/passwd',
        (TEMPLATES / '..' / 'build.py').as_uri(),
        (TEMPLATES.as_uri() + '/../build.py'),
        (out / 'link-out').as_uri(),
        'file:///dev/zero',
        'javascript:alert(1)',
    ):
        with pytest.raises(FatalURLFetchingError, match='refused to fetch'):
            fetcher.fetch(url)
    assert requests == []


def test_a_document_asking_for_the_network_fails_the_render(tmp_path, server):
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    address, requests = server
    html = (
        f'<link rel="stylesheet" href="{address}/style.css"><img src="{address}/image.png">'
        f'<link rel="attachment" href="{address}/secret.txt">'
    )
    fetcher = make_fetcher([TEMPLATES.resolve()])
    with pytest.raises(FatalURLFetchingError):
        weasyprint.HTML(string=html, base_url=TEMPLATES.as_uri() + '/', url_fetcher=fetcher).write_pdf()
    assert requests == []


@pytest.mark.fresh_layouts  # it watches the layout itself
@pytest.mark.slow
def test_render_time_limit(project, built):
    project.start_from(built)
    before = snapshot(project.out)
    code, _, stderr = project.run('--force', '--timeout', '0.001')
    assert code == 1
    assert stderr == 'build.py: render: took longer than 0.001 s (see --timeout)\n'
    assert snapshot(project.out) == before


@pytest.mark.fresh_layouts  # it watches the steps themselves
@pytest.mark.slow
def test_render_memory_limit(project, built):
    """In a process of its own, as a user runs it: a worker's limit is --memory over its
    parent's size, and a long-lived test process, warm with what other tests rendered, leaves
    its forked workers room that a fresh build does not have."""
    project.start_from(built)
    before = snapshot(project.out)
    command = [sys.executable, str(ROOT / 'build.py'), '--data', str(project.data), '--out', str(project.out)]
    result = subprocess.run([*command, '--force', '--memory', '64'], capture_output=True, text=True, timeout=600)
    code, stderr = result.returncode, result.stderr
    assert code == 1
    # Out of memory shows as an error the worker catches, or as the worker's death. A native
    # library may say so first on the same stream (OpenBLAS: "Memory allocation still failed").
    assert re.fullmatch(
        r'build.py: render: (ran out of memory \(limit 64 MiB, see --memory\)|the (documents|pdf \d+) process died '
        r'\((killed by signal \d+|exit status \d+)\); if it ran out of memory, raise --memory \(now 64 MiB\))',
        stderr.splitlines()[-1],
    ), stderr
    assert all(line.startswith(('build.py: ', 'OpenBLAS ')) for line in stderr.splitlines()), stderr
    assert 'Traceback' not in stderr
    assert snapshot(project.out) == before


# --- Mutated data ---------------------------------------------------------------

PROBLEM = re.compile(r'^data/[\w/]+\.yaml:\d+:\d+: \S.*: .+$')
FILES = ('organisation.yaml', 'agencies.yaml', 'documents.yaml', 'sources.yaml', 'words/en.yaml')
ORIGINAL = {name: (DATA / name).read_text(encoding='utf-8') for name in FILES}
NASTY = st.sampled_from(
    [
        '<script>x</script>',
        '{{ 7*7 }}',
        '{name}',
        '{nope}',
        '{n}',
        '{count}',
        '{founding_as}',
        '$x$',
        'NO',
        'on',
        '~',
        'null',
        '017',
        '1e3',
        '12:30',
        '.nan',
        '2024-13-45',
        '&a',
        '*a',
        '!!python/none',
        '[',
        ']',
        '{',
        '"',
        "'",
        '\t',
        ':',
        '- ',
        '#',
        '\\',
        '\x00',
        '\x07',
        '\u202e',
        '亚洲',
        'é',
        'x' * 500,
        '',
    ]
)


@st.composite
def mutation(draw):
    """One data file with one edit: a line dropped, a value replaced, text injected, or the file cut."""
    name = draw(st.sampled_from(FILES))
    lines = ORIGINAL[name].splitlines(keepends=True)
    kind = draw(st.sampled_from(['drop', 'value', 'inject', 'truncate']))
    index = draw(st.integers(0, len(lines) - 1))
    if kind == 'drop':
        del lines[index]
    elif kind == 'value' and ':' in lines[index]:
        key = lines[index].split(':', 1)[0]
        lines[index] = f'{key}: {draw(NASTY)}\n'
    elif kind == 'inject':
        column = draw(st.integers(0, len(lines[index])))
        lines[index] = lines[index][:column] + draw(NASTY) + lines[index][column:]
    else:
        text = ''.join(lines)
        lines = [text[: draw(st.integers(0, len(text)))]]
    return name, ''.join(lines)


def check_outcome(data, change):
    """Apply a mutation; the data either passes or fails with clean, positioned problems."""
    name, text = change
    (data / name).write_text(text, encoding='utf-8', errors='surrogateescape')
    try:
        validate(files := load(data))
        every_edition(files)
    except UserError as error:
        lines = str(error).splitlines()
        assert lines and all(PROBLEM.match(line) for line in lines), lines
        return False
    finally:
        (data / name).write_text(ORIGINAL[name], encoding='utf-8')
    return True


@pytest.mark.slow
@settings(max_examples=examples(100, 400))
@given(change=mutation())
def test_mutated_data_passes_or_fails_cleanly(project, change):
    check_outcome(project.data, change)


@pytest.mark.slow
@settings(max_examples=examples(4, 12))
@given(change=mutation())
def test_mutated_data_builds_or_leaves_outputs_untouched(project, built, change):
    if not project.out.exists():
        project.start_from(built)
    elif not (project.out / 'isecg-15.pdf').exists():
        assert project.run()[0] == 0
    before = snapshot(project.out)
    name, text = change
    (project.data / name).write_text(text, encoding='utf-8', errors='surrogateescape')
    try:
        code, _, stderr = project.run()
    finally:
        (project.data / name).write_text(ORIGINAL[name], encoding='utf-8')
    assert 'Traceback' not in stderr
    if code == 1:
        assert all(PROBLEM.match(line) for line in stderr.splitlines()), stderr
        assert snapshot(project.out) == before
    else:
        assert code == 0
        assert (project.out / 'isecg-15.html').is_file() and (project.out / 'isecg-15.pdf').is_file()
        assert not [path for path in project.out.rglob('*.tmp')]


# --- Output paths -----------------------------------------------------------------


@settings(max_examples=examples(25, 200))
@given(acronym=st.text(max_size=30), years=st.integers(1, 1000))
def test_the_outputs_file_name_is_always_a_safe_slug(acronym, years):
    from factsheet.derive import slug

    assert re.fullmatch(r'[a-z0-9]+(-[a-z0-9]+)*-[0-9]+', slug(acronym, years))


@pytest.mark.slow
def test_an_acronym_cannot_lead_outside_the_output_folder(project, built):
    project.start_from(built)
    project.edit('organisation.yaml', 'acronym: ISECG', 'acronym: "../../x"')
    code, _, stderr = project.run()
    assert (code, stderr) == (0, '')
    assert sorted(path.name for path in project.out.iterdir()) == [
        '.build-state.json',
        '.build.lock',
        'charts',
        'manifest.json',
        'x-15.card.png',
        'x-15.facts.json',
        'x-15.html',
        'x-15.pdf',
    ]
    assert sorted(path.name for path in project.out.parent.iterdir()) == ['data', 'out']


def test_a_link_inside_the_output_folder_is_not_followed_out(project, tmp_path):
    elsewhere = tmp_path / 'elsewhere'
    elsewhere.mkdir()
    project.out.mkdir()
    (project.out / 'charts').symlink_to(elsewhere)
    code, _, stderr = project.run()
    assert code == 1
    assert stderr == f'build.py: write: charts/timeline.svg would be written outside {project.out}; refused\n'
    assert list(elsewhere.iterdir()) == [] and sorted(p.name for p in project.out.iterdir()) == [
        '.build.lock',
        'charts',
    ]


@pytest.mark.fresh_layouts  # it watches the layout itself
@pytest.mark.slow
def test_the_memory_limit_counts_from_what_a_worker_starts_with(project):
    """A process that already holds a lot (as watch mode's warm caches and threads do) still
    renders under a limit that fits the render itself."""
    hold = bytearray(1 << 30)  # 1 GiB in this process, inherited by every forked worker
    try:
        assert project.run('--memory', '800')[0] == 0
    finally:
        del hold
