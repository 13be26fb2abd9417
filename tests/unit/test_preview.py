"""The preview server's own rules, in-process: where it listens, and what its script carries."""

import json
import re

import pytest

from factsheet.preview import Preview


@pytest.fixture
def preview(tmp_path):
    server = Preview(tmp_path, 0)
    yield server
    server.server.shutdown()
    server.server.server_close()


def test_listens_on_127_0_0_1_only(preview):
    assert preview.server.server_address[0] == '127.0.0.1'
    assert preview.address.startswith('http://127.0.0.1:')


def test_an_error_holding_a_script_end_tag_stays_inert(preview):
    error = "data/x.yaml:1:1: name: got text ('</script><script>alert(1)</script>')"
    preview.publish(error)
    page = preview.with_script('<!DOCTYPE html><html><body><p>last good</p></body></html>')
    assert page.count('<script') == 1 and page.count('</script>') == 1  # the error ends no script
    shown = re.search(r'if \((.*?)\) show', page).group(1)
    assert json.loads(shown) == error
    assert page.index('<p>last good</p>') < page.index('<script')
