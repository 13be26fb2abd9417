"""The preview server's own rules, in-process against a real server on 127.0.0.1: where it
listens, whom it answers, what it serves, the headers it sends and what its script carries."""

import http.client
import json
import re
import socket

import pytest

from factsheet.preview import MAX_STREAMS, Preview
from factsheet.state import STATE_NAME

HANDOUT = '<!DOCTYPE html><html><body><p>last good</p></body></html>'


@pytest.fixture
def preview(tmp_path):
    """A preview of an output folder whose state file records a handout and a fact sheet."""
    (tmp_path / 'isecg-16.html').write_text(HANDOUT)
    (tmp_path / 'isecg-16.pdf').write_bytes(b'%PDF-1.7 sixteen')
    (tmp_path / 'isecg-15.html').write_text('<p>stale</p>')  # not recorded: never served
    (tmp_path / '0.html').symlink_to('/etc/hostname')
    entry = {'key': 'k', 'sha256': 's'}
    state = {'format': 1, 'inputs': 'i', 'fonts': [], 'outputs': {'isecg-16.html': entry, 'isecg-16.pdf': entry}}
    (tmp_path / STATE_NAME).write_text(json.dumps(state))
    server = Preview(tmp_path, 0)
    yield server
    server.server.shutdown()
    server.server.server_close()


def get(preview, path, host=None):
    connection = http.client.HTTPConnection('127.0.0.1', preview.port, timeout=10)
    connection.request('GET', path, headers={'Host': host or f'127.0.0.1:{preview.port}'})
    response = connection.getresponse()
    return response.status, dict(response.getheaders()), response.read()


def test_listens_on_127_0_0_1_only(preview):
    assert preview.server.server_address[0] == '127.0.0.1'
    assert preview.address == f'http://127.0.0.1:{preview.port}/'


def test_serves_only_what_the_last_good_build_recorded(preview):
    status, headers, body = get(preview, '/')
    assert status == 200 and b'<p>last good</p>' in body and b'stale' not in body
    assert get(preview, '/isecg-16.pdf')[2] == b'%PDF-1.7 sixteen'
    assert b'src="/isecg-16.pdf"' in get(preview, '/factsheet')[2]
    for path in ('/0.html', '/isecg-15.html', '/isecg-15.pdf', '/../build.py', '/.build-state.json'):
        assert get(preview, path)[0] == 404, path


def test_answers_only_requests_addressed_to_itself(preview):
    assert get(preview, '/', host=f'localhost:{preview.port}')[0] == 200
    for host in ('evil.example', f'evil.example:{preview.port}', '127.0.0.1', f'127.0.0.2:{preview.port}'):
        assert get(preview, '/', host=host)[0] == 403, host


def test_every_page_is_nosniff_with_a_restrictive_policy_and_the_script_by_nonce(preview):
    for path in ('/', '/factsheet'):
        _, headers, body = get(preview, path)
        assert headers['X-Content-Type-Options'] == 'nosniff'
        policy = headers['Content-Security-Policy']
        assert "default-src 'none'" in policy and "script-src 'nonce-" in policy
        nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
        assert body.count(b'<script') == 1 and f'<script nonce="{nonce}">'.encode() in body
    assert get(preview, '/isecg-16.pdf')[1]['X-Content-Type-Options'] == 'nosniff'


def test_an_error_holding_a_script_end_tag_stays_inert(preview):
    error = "data/x.yaml:1:1: name: got text ('</script><script>alert(1)</script>')"
    preview.publish(error)
    body = get(preview, '/')[2].decode()
    assert body.count('<script') == 1 and body.count('</script>') == 1  # the error ends no script
    assert json.loads(re.search(r'if \((.*?)\) show', body).group(1)) == error


def test_open_event_streams_are_capped(preview):
    streams = []
    try:
        for _ in range(MAX_STREAMS):
            connection = http.client.HTTPConnection('127.0.0.1', preview.port, timeout=10)
            connection.request('GET', '/__events', headers={'Host': f'127.0.0.1:{preview.port}'})
            assert connection.getresponse().status == 200
            streams.append(connection)
        assert get(preview, '/__events')[0] == 503
    finally:
        for connection in streams:
            connection.close()


@pytest.mark.slow
def test_a_half_sent_request_times_out_and_a_client_that_leaves_is_no_error(preview, capfd):
    with socket.create_connection(('127.0.0.1', preview.port), timeout=30) as half:
        half.sendall(b'GET / HTTP/1.1\r\nHost: ')
        half.settimeout(20)
        assert half.recv(100) == b''  # the server closed it
    with socket.create_connection(('127.0.0.1', preview.port)) as leaving:
        leaving.sendall(f'GET /isecg-16.pdf HTTP/1.1\r\nHost: 127.0.0.1:{preview.port}\r\n\r\n'.encode())
    assert get(preview, '/')[0] == 200
    assert 'Traceback' not in capfd.readouterr().err
