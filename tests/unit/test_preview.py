"""The preview server's own rules, in-process against a real server on 127.0.0.1: where it
listens, whom it answers, what it serves, the headers it sends, what its script carries and
how long a request may take to arrive."""

import http.client
import json
import re
import socket
import time

import pytest

from factsheet.preview import MAX_STREAMS, Preview
from factsheet.state import STATE_FORMAT, STATE_NAME

HANDOUT = '<!DOCTYPE html><html><body><p>last good</p></body></html>'
DEADLINE = 1.0  # for a request's line and headers, in these tests


@pytest.fixture
def preview(tmp_path):
    """A preview of an output folder whose state file records a handout and a fact sheet."""
    (tmp_path / 'isecg-16.html').write_text(HANDOUT)
    (tmp_path / 'isecg-16.pdf').write_bytes(b'%PDF-1.7 sixteen')
    (tmp_path / 'isecg-15.html').write_text('<p>stale</p>')  # not recorded: never served
    (tmp_path / '0.html').symlink_to('/etc/hostname')
    entry = {'key': 'a' * 64, 'sha256': 'a' * 64}  # the shape a build writes (state.well_formed)
    state = {
        'format': STATE_FORMAT,
        'inputs': 'a' * 64,
        'fonts': [],
        'outputs': {'isecg-16.html': entry, 'isecg-16.pdf': entry},
    }
    (tmp_path / STATE_NAME).write_text(json.dumps(state))
    server = Preview(tmp_path, 0, deadline=DEADLINE)
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


def test_a_half_sent_request_times_out_and_a_client_that_leaves_is_no_error(preview, capfd):
    with socket.create_connection(('127.0.0.1', preview.port), timeout=30) as half:
        half.sendall(b'GET / HTTP/1.1\r\nHost: ')
        half.settimeout(20)
        assert half.recv(100) == b''  # the server closed it
    with socket.create_connection(('127.0.0.1', preview.port)) as leaving:
        leaving.sendall(f'GET /isecg-16.pdf HTTP/1.1\r\nHost: 127.0.0.1:{preview.port}\r\n\r\n'.encode())
    assert get(preview, '/')[0] == 200
    assert 'Traceback' not in capfd.readouterr().err


def exchange(preview, request, interval=None):
    """Send request (at once, or a byte every interval seconds); return every byte of the
    reply once the server closes the connection, or None if it is still open after
    twice the deadline and a second."""
    until = time.monotonic() + 2 * DEADLINE + 1
    with socket.create_connection(('127.0.0.1', preview.port), timeout=interval or 10) as client:
        reply, pieces = b'', [request] if interval is None else [bytes([byte]) for byte in request]
        for piece in pieces:
            client.sendall(piece)
            try:
                while chunk := client.recv(65536):  # waits up to interval for the server to close
                    reply += chunk
                return reply
            except TimeoutError:
                if time.monotonic() > until:
                    return None
        client.settimeout(max(0.01, until - time.monotonic()))
        try:
            while chunk := client.recv(65536):
                reply += chunk
        except TimeoutError:
            return None
        return reply


def head_of(reply):
    status, *lines = reply.partition(b'\r\n\r\n')[0].decode('latin-1').split('\r\n')
    return status, dict(line.split(': ', 1) for line in lines)


def test_a_request_trickling_in_is_cut_off_at_its_deadline(preview):
    """A byte every fifth of the deadline keeps every read short, never the request whole."""
    request = f'GET / HTTP/1.1\r\nHost: 127.0.0.1:{preview.port}\r\nX-Pad: {"a" * 1000}\r\n\r\n'
    assert exchange(preview, request.encode(), interval=DEADLINE / 5) == b''  # closed, unanswered


def test_a_request_sent_in_pieces_within_its_deadline_is_answered(preview):
    request = f'GET /isecg-16.pdf HTTP/1.1\r\nHost: 127.0.0.1:{preview.port}\r\n\r\n'.encode()
    reply = exchange(preview, request, interval=DEADLINE / len(request) / 4)
    assert head_of(reply)[0] == 'HTTP/1.0 200 OK' and reply.endswith(b'%PDF-1.7 sixteen')


@pytest.mark.parametrize(
    'request_head',
    [
        'GET /\r\n',
        'GET /\r\nHost: {host}\r\n\r\n',
        'GET / HTTP/0.9\r\nHost: {host}\r\n\r\n',
        'GET / x HTTP/0.9\r\nHost: {host}\r\n\r\n',
        'POST /\r\n',
    ],
)
def test_an_http_0_9_request_is_refused_with_the_headers_of_every_reply(preview, request_head):
    reply = exchange(preview, request_head.format(host=f'127.0.0.1:{preview.port}').encode())
    status, headers = head_of(reply)
    assert status == 'HTTP/1.0 505 HTTP/0.9 is not served', reply
    assert headers['X-Content-Type-Options'] == 'nosniff' and headers['Cache-Control'] == 'no-store'
    assert headers['Content-Type'] == 'text/plain; charset=utf-8' and b'last good' not in reply


@pytest.mark.parametrize(
    'request_head, code',
    [
        ('POST / HTTP/1.1\r\nHost: {host}\r\n\r\n', 501),
        ('GET\r\n\r\n', 400),
        ('GET / HTTP/1.1 x\r\n\r\n', 400),
        ('GET / HTTP/2.0\r\n\r\n', 505),
        ('G' * 65537, 414),  # a request line one byte too long
        ('GET / HTTP/1.1\r\nX: ' + 'a' * 65534, 431),  # a header line one byte too long
        ('GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n', 403),
        ('GET /nothing HTTP/1.1\r\nHost: {host}\r\n\r\n', 404),
    ],
    ids=lambda value: repr(value)[:40],
)
def test_every_refusal_carries_the_headers_of_every_reply_as_plain_text(preview, request_head, code):
    reply = exchange(preview, request_head.replace('{host}', f'127.0.0.1:{preview.port}').encode())
    status, headers = head_of(reply)
    assert status.startswith(f'HTTP/1.0 {code} '), reply
    assert headers['X-Content-Type-Options'] == 'nosniff' and headers['Cache-Control'] == 'no-store'
    assert headers['Content-Type'].startswith('text/plain')
