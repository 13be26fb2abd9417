"""What stands where an output goes: a folder, a file larger than any output, a link out
of the output folder. The build refuses before it writes anything, in one line, and leaves
what is there as it is (not a false "could not put back" over a path it never changed)."""

import os

import pytest

from conftest import snapshot
from factsheet.limits import MAX_OUTPUT_BYTES


def refused(project, *args):
    """Run the build; assert exit 1, one line on stderr and nothing written; return the line."""
    before = snapshot(project.out)
    code, stdout, stderr = project.run(*args)
    assert code == 1 and 'Traceback' not in stderr, stderr
    assert 'wrote' not in stdout and len(stderr.splitlines()) == 1, (stdout, stderr)
    assert snapshot(project.out) == before
    return stderr


@pytest.mark.parametrize('name', ['.build-state.json', 'manifest.json', 'isecg-15.pdf', 'charts/map.svg'])
def test_a_folder_where_a_file_goes_is_left_and_named(project, built, name):
    project.start_from(built)
    (project.out / name).unlink()
    (project.out / name).mkdir()
    (project.out / name / 'mine.txt').write_text('mine')
    path = project.out / name
    expected = f'build.py: write: {path} is a folder, where this build writes a file; move or rename it\n'
    assert refused(project) == expected
    assert (path / 'mine.txt').read_text() == 'mine'


@pytest.mark.parametrize('edited', [False, True], ids=['nothing else changed', 'the data changed'])
def test_a_file_larger_than_any_output_is_never_read_whole_nor_replaced(project, built, edited):
    project.start_from(built)
    pdf = project.out / 'isecg-15.pdf'
    with pdf.open('r+b') as stream:  # sparse: no disk used, and more than a build may hold in memory
        stream.truncate(MAX_OUTPUT_BYTES + 1)
    if edited:
        project.edit('agencies.yaml', 'name: Polish Space Agency', 'name: POLSA, the Polish Space Agency')
    assert refused(project) == (
        f'build.py: write: {pdf} is 64 MiB, larger than any file this build writes; move or rename it\n'
    )
    assert pdf.stat().st_size == MAX_OUTPUT_BYTES + 1


def test_a_state_file_linked_out_of_the_folder_is_refused_before_anything_is_made(project, built, tmp_path):
    project.start_from(built)
    elsewhere = tmp_path / 'elsewhere.json'
    elsewhere.write_text((project.out / '.build-state.json').read_text())
    (project.out / '.build-state.json').unlink()
    os.symlink(elsewhere, project.out / '.build-state.json')
    before = elsewhere.read_bytes()
    assert refused(project) == f'build.py: write: .build-state.json would be written outside {project.out}; refused\n'
    assert elsewhere.read_bytes() == before


def fifo(path):
    os.mkfifo(path)


def link_inside(path):
    (path.parent / 'notes.txt').write_text('mine')
    path.symlink_to('notes.txt')


@pytest.mark.parametrize('make', [fifo, link_inside], ids=['a pipe', 'a link to a file of the folder'])
def test_what_is_not_a_regular_file_where_an_output_goes_is_left_and_named(project, built, make):
    project.start_from(built)
    path = project.out / 'isecg-15.html'
    path.unlink()
    make(path)
    expected = f'build.py: write: {path} is not a regular file, where this build writes a file; move or rename it\n'
    assert refused(project, '--force') == expected
    assert path.is_symlink() or path.is_fifo()


def test_a_loop_of_links_where_an_output_goes_is_one_line(project, built):
    project.start_from(built)
    path = project.out / 'isecg-15.pdf'
    path.unlink()
    path.symlink_to('isecg-15.pdf')
    assert refused(project, '--force') == f'build.py: write: {path} cannot be followed (a loop of links); remove it\n'


def test_a_file_where_the_charts_folder_goes_is_left_and_named(project, built):
    project.start_from(built)
    charts = project.out / 'charts'
    for chart in charts.iterdir():
        chart.unlink()
    charts.rmdir()
    charts.write_text('mine')
    assert refused(project) == f'build.py: write: {charts} is not a folder, where this build keeps its charts\n'
    assert charts.read_text() == 'mine'


def test_a_link_where_the_manifest_goes_is_not_followed(project, built):
    """The manifest and the state file replace a pipe, never read through a link (whose
    target may be any size)."""
    project.start_from(built)
    manifest = project.out / 'manifest.json'
    (project.out / 'big.bin').write_text('mine')
    manifest.unlink()
    manifest.symlink_to('big.bin')
    expected = f'build.py: write: {manifest} is not a regular file, where this build writes a file; move or rename it\n'
    assert refused(project, '--force') == expected
    assert manifest.is_symlink() and (project.out / 'big.bin').read_text() == 'mine'
