"""The state file: anything but the exact shape a build writes means a full build."""

import json

import pytest

from factsheet.state import STATE_NAME, BuildState

GOOD = {'format': 1, 'inputs': 'abc', 'fonts': ['/f.ttf'], 'outputs': {'x.html': {'key': 'k', 'sha256': 's'}}}


@pytest.mark.parametrize(
    'text',
    [
        '{not json',
        '[]',
        'null',
        '[' * 100_000,
        json.dumps({**GOOD, 'format': 999}),
        json.dumps({'format': 1, 'outputs': {}}),
        json.dumps({**GOOD, 'inputs': None}),
        json.dumps({**GOOD, 'fonts': None}),
        json.dumps({**GOOD, 'fonts': 5}),
        json.dumps({**GOOD, 'fonts': [5]}),
        json.dumps({**GOOD, 'outputs': []}),
        json.dumps({**GOOD, 'outputs': {'x.html': 5}}),
        json.dumps({**GOOD, 'outputs': {'x.html': {'key': 'k'}}}),
        json.dumps({**GOOD, 'outputs': {'../../etc/passwd': {'key': 'k', 'sha256': 's'}}}),
        json.dumps({**GOOD, 'outputs': {'/etc/passwd': {'key': 'k', 'sha256': 's'}}}),
    ],
)
def test_anything_unexpected_is_no_state(tmp_path, text):
    (tmp_path / STATE_NAME).write_text(text)
    state = BuildState(tmp_path)
    assert (state.usable, state.fonts, state.outputs) == (False, [], {})


def test_the_shape_a_build_writes_is_read_back(tmp_path):
    (tmp_path / STATE_NAME).write_text(json.dumps(GOOD))
    state = BuildState(tmp_path)
    assert (state.usable, state.inputs, state.fonts, state.outputs) == (True, 'abc', ['/f.ttf'], GOOD['outputs'])
