"""A translator's tools: `build.py words --new CODE` starts a language, `build.py words
--stale` lists what each language still has to translate or bring up to date.

    python3 build.py words --new de   writes data/words/de.yaml: every English phrase, marked
                                      to translate (untranslated:) with the fingerprint of
                                      its English (english:), and adds de to
                                      organisation.translations; the German edition builds
                                      at once, in English, marked as a draft
    python3 build.py words --stale    every phrase of every language still to translate, or
                                      whose English changed since it was translated"""

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .problems import UsageError, shown
from .project import ROOT
from .translation import fingerprint, language_name, phrases, stale
from .translation import missing as missing_paths

if TYPE_CHECKING:
    import argparse

    from .load import Loaded

HEADER = """\
# The {name} words of every edition, copied from the English ({source}) by
# `python3 build.py words --new {language}`. Translate each phrase in place, then take its
# path out of `untranslated:` below; until then the edition prints the English phrase.
# Keep the {{placeholders}} as they are. `english:` holds the fingerprint of the English each
# phrase translates: when the English changes, the build names the phrase as stale.
"""


def new(language: str, data_dir: Path, files: Mapping[str, 'Loaded']) -> list[str]:
    """Write data/words/<language>.yaml and list the language under organisation.translations;
    return what was done, as lines. `files`: the loaded, valid data. A UserError when the
    language is listed already or its words file exists; the data is left as it was when the
    result would not validate."""
    org = files['organisation.yaml'].value['organisation']
    languages = [org['language'], *org.get('translations', [])]
    target, organisation = data_dir / 'words' / f'{language}.yaml', data_dir / 'organisation.yaml'
    if language in languages:
        raise UsageError(
            [f'build.py: words --new {language}: {language} is an edition already ({", ".join(languages)})']
        )
    if target.exists():
        raise UsageError([f'build.py: words --new {language}: {shown(target)} exists already'])
    english_file = files[f'words/{languages[0]}.yaml']
    english = english_file.value
    every = phrases(english['words'])
    text = HEADER.format(name=language_name(language), source=english_file.label, language=language)
    source = (data_dir / 'words' / f'{languages[0]}.yaml').read_text(encoding='utf-8')
    start = source.find('\nwords:') + 1  # the English words, without the comments above them
    text += source[start:].rstrip('\n') + '\n'
    text += '\nuntranslated:\n' + ''.join(f'  - {path}\n' for path in every)
    text += '\nenglish:\n' + ''.join(f'  {path}: "{fingerprint(phrase)}"\n' for path, phrase in every.items())
    before = organisation.read_bytes()
    edited = add_translation(before.decode(), language)
    write_both(target, text.encode(), organisation, edited.encode(), before, data_dir)
    elsewhere = '' if data_dir == ROOT / 'data' else f' --data {shown(data_dir)}'
    return [
        f'wrote {shown(target)}: {len(every)} phrases to translate into {language_name(language)}',
        f'added {language} to organisation.translations in {shown(organisation)}',
        f'build it with: python3 build.py --lang {language}{elsewhere}',
    ]


def write_both(target: Path, words: bytes, organisation: Path, edited: bytes, before: bytes, data_dir: Path) -> None:
    """Write the new words file and the edited organisation.yaml, then check the data
    validates: both files or neither, with Ctrl-C and TERM held (a signal meanwhile puts
    both back, and is raised as KeyboardInterrupt once they are; one after them stops
    nothing)."""
    from . import write
    from .interrupts import held, settle
    from .pipeline import read

    with held(deliver=False) as received:
        try:
            write.write_atomic(target, words)
            write.write_atomic(organisation, edited)
            read(data_dir)
            if received:
                raise KeyboardInterrupt
            settle()  # both written and checked: a signal from now on stops nothing
        except BaseException as error:
            target.unlink(missing_ok=True)
            write.write_atomic(organisation, before)
            if isinstance(error, OSError):  # a full disk, a file too large: one line
                raise write.disk_error(error.filename or target, error) from None
            raise


def add_translation(text: str, language: str) -> str:
    """organisation.yaml's text with one more code in organisation.translations, written in
    the list's own style (flow or block); comments and everything else kept as they are."""
    import yaml

    text += '' if text.endswith('\n') else '\n'
    root = cast(yaml.Node, yaml.compose(text))  # None only for an empty file: this one was just read and validated
    org = next(value for key, value in root.value if key.value == 'organisation')
    entries = {key.value: (key, value) for key, value in org.value}
    if 'translations' not in entries:
        key: yaml.Node
        key, _ = entries.get('language', org.value[0])
        line_end = text.index('\n', key.start_mark.index) + 1
        return text[:line_end] + ' ' * key.start_mark.column + f'translations: [{language}]\n' + text[line_end:]
    _, listed = entries['translations']
    if not listed.value:  # translations: []
        close = text.rindex(']', 0, listed.end_mark.index)
        return text[:close] + language + text[close:]
    if listed.flow_style:  # just after the last code, wherever the list's commas and lines are
        end = listed.value[-1].end_mark.index
        return text[:end] + f', {language}' + text[end:]
    last = listed.value[-1]
    line_end = text.index('\n', last.end_mark.index) + 1
    dash = text.rindex('-', 0, last.start_mark.index)
    return text[:line_end] + ' ' * (dash - text.rindex('\n', 0, dash) - 1) + f'- {language}\n' + text[line_end:]


def missing(english: Mapping[str, Any], translation: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The phrases a translation lacks, each with its English's fingerprint."""
    first = phrases(english['words'])
    return [(path, fingerprint(first[path])) for path in missing_paths(english, translation)]


def report(files: Mapping[str, 'Loaded'], data_dir: Path, wanted: Sequence[str] = ()) -> list[str]:
    """The lines of `words --stale`: for each translation (those in `wanted`, or every one),
    each phrase still to translate and each whose English changed since it was translated."""
    org = files['organisation.yaml'].value['organisation']
    translations = org.get('translations', [])
    unknown = [language for language in wanted if language not in translations]
    if unknown:
        raise UsageError([f'build.py: words --stale {unknown[0]}: not a translation ({", ".join(translations)})'])
    english = files[f'words/{org["language"]}.yaml'].value
    lines: list[str] = []
    for language in wanted or translations:
        translation, file = files[f'words/{language}.yaml'].value, shown(data_dir / 'words' / f'{language}.yaml')
        todo = translation.get('untranslated', [])
        lines += [f'{file}: words.{path}: to translate' for path in todo]
        absent = missing(english, translation)
        lines += [
            f'{file}: words.{path}: not in the file: to translate (english: {path}: {now})' for path, now in absent
        ]
        for path, now in stale(english, translation):
            lines.append(f'{file}: words.{path}: the English changed since it was translated (english: {path}: {now})')
        count = len(todo) + len(absent) + len(stale(english, translation))
        lines.append(f'{file}: {language_name(language)}: {count or "nothing"} to do')
    return lines


def run(args: 'argparse.Namespace', data_dir: Path, log: Callable[[str], None]) -> int:
    """`build.py words`: exit status 0, or a UserError."""
    from .pipeline import read

    files = read(data_dir)
    if args.new:
        lines = new(args.new, data_dir, files)
    else:
        lines = report(files, data_dir, args.stale or ())
    for line in lines:
        log(line)
    return 0
