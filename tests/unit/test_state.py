"""The state file is untrusted input: anything but the exact shape a build writes, or a
file that is not a small regular file, means a full build."""

import json
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factsheet.state import MAX_STATE_BYTES, STATE_NAME, BuildState

SHA = 'a' * 64
GOOD = {
    'format': 2,
    'inputs': SHA,
    'fonts': ['/f.ttf'],
    'outputs': {
        'isecg-15.html': {'key': SHA, 'sha256': SHA, 'language': 'en', 'paper': None, 'variant': 'handout'},
        'isecg-15.fr.letter.pdf': {'key': SHA, 'sha256': SHA, 'pages': 2, 'layout': [0, 3], 'format': 'PDF/UA-1'},
        'charts/timeline.ja.svg': {'key': SHA, 'sha256': SHA},
        'manifest.json': {'key': SHA, 'sha256': SHA},
    },
}


def entry(**fields):
    return {**GOOD, 'outputs': {'isecg-15.pdf': {'key': SHA, 'sha256': SHA, **fields}}}


def named(name):
    return {**GOOD, 'outputs': {name: {'key': SHA, 'sha256': SHA}}}


@pytest.mark.parametrize(
    'text',
    [
        '{not json',
        '[]',
        'null',
        '[' * 100_000,
        json.dumps({**GOOD, 'format': 999}),
        json.dumps({'format': 2, 'outputs': {}}),
        json.dumps({**GOOD, 'format': 1}),  # the first format: its digests are of another kind
        json.dumps({**GOOD, 'inputs': None}),
        json.dumps({**GOOD, 'inputs': 'abc'}),
        json.dumps({**GOOD, 'fonts': None}),
        json.dumps({**GOOD, 'fonts': 5}),
        json.dumps({**GOOD, 'fonts': [5]}),
        json.dumps({**GOOD, 'extra': 1}),
        json.dumps({**GOOD, 'outputs': []}),
        json.dumps({**GOOD, 'outputs': {'isecg-15.html': 5}}),
        json.dumps({**GOOD, 'outputs': {'isecg-15.html': {'key': SHA}}}),
        json.dumps(named('../../etc/passwd')),
        json.dumps(named('/etc/passwd')),
        json.dumps(named('notes.html')),
        json.dumps(named('budget.pdf')),
        json.dumps(named('isecg-15.pdf\0')),
        json.dumps(named('a' * 300 + '-15.pdf')),
        json.dumps(named('charts/../../x.svg')),
        json.dumps(entry(pages=10**30)),
        json.dumps(entry(pages=True)),
        json.dumps(entry(pages=0)),
        json.dumps(entry(layout=[0, 10**30])),
        json.dumps(entry(layout=[0])),
        json.dumps(entry(layout=['0', 1])),
        json.dumps(entry(language='../x')),
        json.dumps(entry(format='PDF/X-9')),
        json.dumps(entry(variant='anything')),
        json.dumps(entry(key='k')),
        json.dumps(entry(unknown='field')),
    ],
)
def test_anything_unexpected_is_no_state(tmp_path, text):
    (tmp_path / STATE_NAME).write_text(text)
    state = BuildState(tmp_path)
    assert (state.usable, state.fonts, state.outputs) == (False, [], {})


def test_the_shape_a_build_writes_is_read_back(tmp_path):
    (tmp_path / STATE_NAME).write_text(json.dumps(GOOD))
    state = BuildState(tmp_path)
    assert (state.usable, state.inputs, state.fonts, state.outputs) == (True, SHA, ['/f.ttf'], GOOD['outputs'])


@pytest.mark.parametrize('kind', ['fifo', 'link to /dev/zero', 'link to a good file', 'folder', 'too large'])
def test_only_a_small_regular_file_is_read(tmp_path, kind):
    """A FIFO would hang the build and /dev/zero fill its memory: neither is opened for reading."""
    path = tmp_path / STATE_NAME
    if kind == 'fifo':
        os.mkfifo(path)
    elif kind == 'link to /dev/zero':
        path.symlink_to('/dev/zero')
    elif kind == 'link to a good file':
        (tmp_path / 'elsewhere.json').write_text(json.dumps(GOOD))
        path.symlink_to(tmp_path / 'elsewhere.json')
    elif kind == 'folder':
        path.mkdir()
    else:
        path.write_text(json.dumps(GOOD) + ' ' * MAX_STATE_BYTES)
    assert BuildState(tmp_path).usable is False


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
        max_leaves=12,
    )
)
def test_any_json_in_an_entry_is_refused_or_of_the_shape_a_build_writes(tmp_path_factory, value):
    folder = tmp_path_factory.mktemp('state')
    (folder / STATE_NAME).write_text(json.dumps(entry(pages=value)))
    state = BuildState(folder)
    assert state.outputs == {} or (type(value) is int and 1 <= value <= 2)


@pytest.mark.parametrize(
    'name',
    [
        'isecg-15.pdf',
        'isecg-15.letter.pdf',
        'isecg-15.print.pdf',
        'isecg-15.letter.archive.print.pdf',
        'isecg-15.fr.letter.archive.pdf',
        'eef-16.ja.html',
        'charts/map.fr.svg',
    ],
)
def test_every_name_a_build_makes_is_read_back(tmp_path, name):
    (tmp_path / STATE_NAME).write_text(json.dumps(named(name)))
    assert BuildState(tmp_path).usable


def test_an_output_larger_than_any_the_build_writes_is_never_read(tmp_path, monkeypatch):
    from pathlib import Path

    from factsheet.limits import MAX_OUTPUT_BYTES

    (tmp_path / STATE_NAME).write_text(json.dumps(named('isecg-15.pdf')))
    with (tmp_path / 'isecg-15.pdf').open('wb') as stream:  # sparse: costs no disk
        stream.truncate(MAX_OUTPUT_BYTES + 1)
    state, opened, real = BuildState(tmp_path), [], Path.open
    monkeypatch.setattr(Path, 'open', lambda path, *args, **kwargs: opened.append(path) or real(path, *args, **kwargs))
    assert state.sha256('isecg-15.pdf') is None and not state.intact('isecg-15.pdf')
    assert opened == []
