"""What a build removes as made "under another name": only files this program made, as their
bytes show. The state file says what the last build made, but anybody can write one, and
give a user's file its name and its sha256: that alone removes nothing."""

import hashlib
import json

from factsheet.project import CHART_CREATOR
from factsheet.state import STATE_FORMAT, STATE_NAME, BuildState

SHA = 'a' * 64
KEYS = {name: SHA for name in ('isecg-15.facts.json', 'isecg-15.html', 'isecg-15.pdf', 'charts/map.svg')}


def facts(acronym, years):
    return json.dumps({'schema': 1, 'organisation': {'acronym': acronym, 'anniversary': {'years': years}}})


def chart(creator):
    return f'<?xml version="1.0"?>\n<svg><metadata><dc:title>{creator}</dc:title></metadata></svg>'


def leftovers(out, files):
    """The files written into `out` and recorded, each with its own sha256, in a state file
    of the shape a build writes; what a build of KEYS would remove of them."""
    outputs = {}
    for name, content in files.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        outputs[name] = {'key': SHA, 'sha256': hashlib.sha256(path.read_bytes()).hexdigest()}
    state = {'format': STATE_FORMAT, 'inputs': SHA, 'fonts': [], 'outputs': outputs}
    (out / STATE_NAME).write_text(json.dumps(state))
    return sorted(BuildState(out).plan(KEYS).leftovers)


def test_a_build_s_own_files_under_its_old_name_are_removed(tmp_path):
    made = {
        'isecg-14.facts.json': facts('ISECG', 14),  # the name it vouches for: isecg-14
        'isecg-14.pdf': b'%PDF-1.7 ...',
        'isecg-14.html': '<!DOCTYPE html><html lang="en">',
        'charts/regions.fr.svg': chart(CHART_CREATOR),  # a chart no build draws any more
    }
    assert leftovers(tmp_path, made) == sorted(made)


def test_a_user_s_files_named_and_hashed_as_outputs_are_not(tmp_path):
    """The probe's forged state: names of the outputs' grammar, heads of their kinds."""
    mine = {
        'budget-2024.pdf': b'%PDF-1.7 my budget',
        'minutes-3.html': '<!DOCTYPE html><p>minutes',
        'report-2023.card.png': b'\x89PNG\r\n\x1a\n mine',
        'charts/mine.svg': chart('Matplotlib v3.9.0, https://matplotlib.org/'),  # another program's chart
        'notes-1.facts.json': facts('ISECG', 15),  # a facts file, but of isecg-15: it vouches for no notes-1
        'notes-1.html': '<!DOCTYPE html><p>notes',
        'other-7.facts.json': '{"schema": 1, "organisation": []}',
        'other-7.pdf': b'%PDF-1.4 other',
    }
    assert leftovers(tmp_path, mine) == []


def test_a_facts_file_that_is_not_as_recorded_vouches_for_nothing(tmp_path):
    made = {'isecg-14.facts.json': facts('ISECG', 14), 'isecg-14.pdf': b'%PDF-1.7 ...'}
    assert leftovers(tmp_path, made) == sorted(made)
    (tmp_path / 'isecg-14.facts.json').write_text(facts('ISECG', 14) + ' ')  # edited since: not this build's
    assert BuildState(tmp_path).plan(KEYS).leftovers == []


def test_a_build_under_a_new_name_removes_every_kind_of_build_s_files_of_the_old_name(tmp_path):
    """Renamed (15 to 16 years) by a build of one edition: the other languages' and papers'
    files of the old name go too (no build of this data makes them), the other kinds of
    build's files of the new name stay."""
    made = {
        'isecg-15.facts.json': facts('ISECG', 15),
        'isecg-15.html': '<!DOCTYPE html><html lang="en">',
        'isecg-15.fr.html': '<!DOCTYPE html><html lang="fr">',
        'isecg-15.letter.pdf': b'%PDF-1.7 ...',
    }
    others = {'isecg-16.fr.html': '<!DOCTYPE html><html lang="fr">', 'isecg-16.facts.json': facts('ISECG', 16)}
    one = {'isecg-16.facts.json': SHA, 'isecg-16.html': SHA}
    leftovers(tmp_path, {**made, **others})
    plan = BuildState(tmp_path).plan(one)
    assert (sorted(plan.leftovers), sorted(plan.others)) == (sorted(made), ['isecg-16.fr.html'])


def test_a_user_s_file_a_state_file_names_is_not_listed_as_an_output(tmp_path):
    mine = {'budget-2024.fr.pdf': b'%PDF-1.7 my budget'}  # another kind of build's name: kept, and not listed
    assert leftovers(tmp_path, mine) == []
    assert BuildState(tmp_path).plan(KEYS).others == {}
