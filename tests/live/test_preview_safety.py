"""The live preview's safety: it listens on 127.0.0.1 only, and a build error holding
`</script>` is shown as text, never run."""

import json
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

from processes import fetch, free_port

ATTACK = '</script><script>alert(1)</script>'

pytestmark = pytest.mark.slow


@pytest.fixture
def serving(built_copy, running):
    """build.py --serve in a copy of the whole project begun from the session's build, after
    its first build."""
    port = free_port()
    server = running(built_copy.command('--serve', '--port', port), built_copy.root)
    server.wait_for('rebuilt after start')
    return SimpleNamespace(root=built_copy.root, server=server, port=port, address=f'http://127.0.0.1:{port}')


def listening(port):
    """The local addresses (hex, as in /proc/net/tcp*) of every socket listening on port."""
    found = []
    for table in ('/proc/net/tcp', '/proc/net/tcp6'):
        if Path(table).exists():
            for row in Path(table).read_text().splitlines()[1:]:
                _, local, _, state = row.split()[:4]
                address, hex_port = local.split(':')
                if state == '0A' and int(hex_port, 16) == port:
                    found.append(address)
    return found


def test_the_preview_listens_on_127_0_0_1_only(serving):
    addresses = listening(serving.port)
    assert addresses and set(addresses) == {'0100007F'}, addresses
    assert serving.server.stop() == 0


def test_an_error_holding_a_script_end_tag_stays_inert(serving):
    server = serving.server
    scripts = {path: fetch(serving.address + path).count('<script') for path in ('/', '/factsheet')}
    with urllib.request.urlopen(serving.address + '/__events', timeout=30) as events:
        organisation = serving.root / 'data/organisation.yaml'
        text = organisation.read_text(encoding='utf-8')
        assert text.count('month: 11') == 1
        organisation.write_text(text.replace('month: 11', f'month: "{ATTACK}"'), encoding='utf-8')
        server.wait_for('build failed after data/organisation.yaml')

        while (line := events.readline()) != b'event: failed\n':
            assert line, 'the event stream ended before a failed event'
        data = events.readline()
        assert data.startswith(b'data: ') and events.readline() == b'\n'
        message = json.loads(data[len(b'data: ') :])
        assert isinstance(message, str) and ATTACK in message

    for path, count in scripts.items():
        page = fetch(serving.address + path)
        assert (
            'data/organisation.yaml:21:12: organisation.formed.month: expected a whole number, got text ('
        ) in page and 'alert(1)' in page
        assert '</script><script>alert(1)' not in page
        assert page.count('<script') == count
    assert server.stop() == 0
