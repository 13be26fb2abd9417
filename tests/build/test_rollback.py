"""Rollback: a failed build leaves the outputs byte for byte as they were; a rewrite
replaces a file whole; the PDF renderer never reaches the network."""

import pytest

from conftest import snapshot

HTML, PDF = 'isecg-15.html', 'isecg-15.pdf'
REFUSED = 'build.py: render: refused to fetch {}: only data: URLs and files in templates/ and output/ may be loaded\n'


@pytest.mark.slow
def test_a_failed_pdf_render_puts_back_the_chart_and_handout_it_wrote(built_copy):
    before = snapshot(built_copy.out)
    built_copy.edit('data/agencies.yaml', 'country: NZ\n', 'country: FJ\n')  # the map changes
    # Only the PDF fails. (An @import here would be ignored: it is not at the start of the <style>.)
    url = 'https://127.0.0.1:9/x.png'
    with (built_copy.root / 'templates/factsheet.css').open('a') as stream:
        stream.write(f'body {{ background-image: url("{url}"); }}\n')
    result = built_copy.run()
    assert result.returncode == 1
    assert result.stderr == REFUSED.format(url)
    # the chart was written before the PDF job was sent: the rollback is what restores it
    assert f'wrote {built_copy.out / "charts/map.svg"} (' in result.stdout
    assert f'put back {built_copy.out / "charts/map.svg"}' in result.stdout
    assert snapshot(built_copy.out) == before


@pytest.mark.slow
def test_a_rewrite_replaces_the_file(built_copy):
    inodes = {name: (built_copy.out / name).stat().st_ino for name in (HTML, PDF)}
    built_copy.edit('data/agencies.yaml', 'name: Polish Space Agency', 'name: POLSA, the Polish Space Agency')
    result = built_copy.run()
    assert result.returncode == 0, result.stderr
    assert 'POLSA, the Polish Space Agency' in (built_copy.out / HTML).read_text(encoding='utf-8')
    for name, inode in inodes.items():
        assert (built_copy.out / name).stat().st_ino != inode, name
    assert not [path for path in built_copy.out.rglob('*') if path.name.endswith('.tmp')]


@pytest.mark.slow
def test_the_pdf_never_fetches_from_the_network(built_copy, server):
    address, requests = server
    before = snapshot(built_copy.out)
    image = f'{{% if target == "factsheet" %}}<img src="{address}/x.png" alt="x">{{% endif %}}'  # the PDF's only
    built_copy.edit('templates/page.html.j2', '<body>\n', f'<body>\n{image}\n')
    result = built_copy.run()
    assert result.returncode == 1
    assert result.stderr == REFUSED.format(f'{address}/x.png')
    assert requests == []
    assert snapshot(built_copy.out) == before


@pytest.mark.slow
def test_a_misspelt_name_in_a_template_fails_with_its_line(built_copy):
    before = snapshot(built_copy.out)
    built_copy.edit('templates/page.html.j2', '<body>\n', '<body>\n<p>{{ valeus }}</p>\n')
    line = (built_copy.root / 'templates/page.html.j2').read_text().splitlines().index('<p>{{ valeus }}</p>') + 1
    result = built_copy.run()
    assert (result.returncode, result.stderr) == (1, f"templates/page.html.j2:{line}: 'valeus' is undefined\n")
    assert snapshot(built_copy.out) == before
