"""`build.py diff`: every change between two facts files said in words, one line each, in a
stable order; exit 0 when nothing changed, 1 when something did, 2 when a file holds no facts."""

import copy
import json

from factsheet.compare import changes

BASE = {
    'schema': 1,
    'languages': ['en', 'fr'],
    'organisation': {'acronym': 'ISECG', 'extension': {'year': 2012, 'years': 10, 'source': 'seed'}},
    'counts': {'members': 2, 'founding': 1},
    'agencies': [
        {'acronym': 'ASI', 'name': 'Italian Space Agency', 'country': 'IT', 'founding_as': 'ASI'},
        {'acronym': 'AEB', 'name': 'Brazilian Space Agency', 'country': 'BR'},
    ],
    'documents': [{'title': 'Roadmap', 'source': 'seed'}],
    'themes': [{'key': 'knowledge', 'titles': {'en': 'New knowledge', 'fr': 'Savoirs nouveaux'}}],
    'sources': {'seed': {'url': 'https://example.org/a', 'descriptions': {'en': 'The page'}}},
}


def edited(change):
    new = copy.deepcopy(BASE)
    change(new)
    return list(changes(BASE, new))


def test_nothing_changed_says_nothing():
    assert list(changes(BASE, copy.deepcopy(BASE))) == []


def test_members_added_removed_and_renamed_each_on_a_line():
    def change(new):
        new['agencies'][1]['name'] = 'Agência Espacial Brasileira'
        del new['agencies'][0]
        new['agencies'].append({'acronym': 'XSA', 'name': 'Example Space Agency', 'country': 'IS'})
        new['agencies'].append({'acronym': 'YSA', 'name': 'Other Space Agency', 'country': 'NO'})
        new['counts']['members'] = 3

    assert edited(change) == [
        'members: 2 → 3',
        'member removed: ASI, Italian Space Agency (IT)',
        'member added: XSA, Example Space Agency (IS)',
        'member added: YSA, Other Space Agency (NO)',
        'member AEB: name: Brazilian Space Agency → Agência Espacial Brasileira',
    ]


def test_a_year_a_left_out_fact_a_source_and_a_translated_phrase():
    def change(new):
        new['organisation']['extension']['years'] = 11
        del new['agencies'][0]['founding_as']
        new['sources']['seed']['descriptions']['fr'] = 'La page'
        new['sources']['new'] = {'url': 'https://example.org/b'}
        new['themes'][0]['titles']['fr'] = 'Connaissances'

    assert edited(change) == [
        'organisation: extension.years: 10 → 11',
        'member ASI: founding_as: removed (was ASI)',
        'theme knowledge: titles.fr: Savoirs nouveaux → Connaissances',
        'source added: new (https://example.org/b)',
        'source seed: descriptions.fr: added La page',
    ]


def test_the_command_exits_as_diff_does(tmp_path):
    old, new, same = tmp_path / 'old.json', tmp_path / 'new.json', tmp_path / 'same.json'
    old.write_text(json.dumps(BASE), encoding='utf-8')
    same.write_text(json.dumps(BASE, indent=2), encoding='utf-8')
    new.write_text(json.dumps({**BASE, 'counts': {'members': 3, 'founding': 1}}), encoding='utf-8')
    assert run_diff(old, same) == (0, '', '')
    assert run_diff(old, new) == (1, 'members: 2 → 3\n', '')
    (tmp_path / 'page.html').write_text('<!DOCTYPE html>', encoding='utf-8')
    assert run_diff(old, tmp_path / 'page.html') == (
        2,
        '',
        f'build.py: diff: {tmp_path}/page.html: not a facts file (JSON expected)\n',
    )
    assert run_diff(old, tmp_path / 'gone.json')[0] == 2


def run_diff(old, new):
    import io

    import build

    stdout, stderr = io.StringIO(), io.StringIO()
    code = build.main(['diff', str(old), str(new)], stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def test_a_pdf_is_read_for_the_facts_it_carries(built, tmp_path):
    facts = built.out / 'isecg-15.facts.json'
    assert run_diff(facts, built.pdf) == (0, '', '')
    changed = json.loads(facts.read_text(encoding='utf-8'))
    changed['counts']['members'] += 1
    (tmp_path / 'next.json').write_text(json.dumps(changed), encoding='utf-8')
    code, stdout, _ = run_diff(built.pdf, tmp_path / 'next.json')
    assert (code, stdout) == (1, f'members: {changed["counts"]["members"] - 1} → {changed["counts"]["members"]}\n')


def test_a_pdf_without_facts_is_said_so(tmp_path):
    import weasyprint

    (tmp_path / 'old.pdf').write_bytes(weasyprint.HTML(string='<p>An older sheet</p>').write_pdf())
    (tmp_path / 'new.json').write_text(json.dumps(BASE), encoding='utf-8')
    assert run_diff(tmp_path / 'old.pdf', tmp_path / 'new.json') == (
        2,
        '',
        f'build.py: diff: {tmp_path}/old.pdf: a PDF with no facts file attached '
        '(made before the facts were attached?)\n',
    )


def test_the_command_stops_at_a_ctrl_c_while_it_waits_for_a_file(tmp_path):
    """A file that never ends (a pipe nobody writes to, a terminal): Ctrl-C stops the
    command, exit 130, in one line."""
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    from conftest import ROOT

    fifo, same = tmp_path / 'pipe.json', tmp_path / 'same.json'
    os.mkfifo(fifo)
    same.write_text(json.dumps(BASE), encoding='utf-8')
    diff = subprocess.Popen(
        [sys.executable, str(ROOT / 'build.py'), 'diff', str(fifo), str(same)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    writer = None
    while writer is None and diff.poll() is None:  # the command has the pipe open: it reads, and waits
        try:
            writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:
            pass
    wchan = Path(f'/proc/{diff.pid}/wchan')  # where it sleeps: a signal before its read would wait for the read
    while diff.poll() is None and 'read' not in wchan.read_text():
        pass
    try:
        diff.send_signal(signal.SIGINT)
        assert (diff.wait(timeout=60), diff.stdout.read(), diff.stderr.read()) == (130, '', 'build.py: diff: stopped\n')
    finally:
        if writer is not None:
            os.close(writer)
