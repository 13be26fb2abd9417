"""What a build says of the translations it builds: a draft and why, the phrases printed in
English meanwhile, the stale ones with their English's fingerprint now; and, building the
first language, how many phrases each other edition lacks."""

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .translation import language_name, missing, stale

if TYPE_CHECKING:
    from .load import Loaded


def notes(
    editions: Iterable[Mapping[str, Any]], data_dir: Path, others: Mapping[str, tuple[int, int]] | None = None
) -> list[str]:
    """The lines a build says of the translations it builds: a draft and why, the phrases
    the same as English on purpose, still to translate, the stale phrases with their
    English's fingerprint now. A new words file, with no fingerprint yet, is one line. A
    build of the first language says how many phrases each other edition lacks (`others`,
    from counts())."""
    from .problems import shown

    lines: list[str] = []
    for facts in editions:
        translation = facts['translation']
        if translation is None:
            lines += summary(others or {}, data_dir)
            continue
        name, file = language_name(facts['language']), shown(data_dir / 'words' / f'{facts["language"]}.yaml')
        if translation['new']:
            lines.append(
                f'{file}: {name}: new words file: {len(translation["stale"])} phrases to translate '
                f'(python3 build.py words --stale {facts["language"]} lists them with their fingerprints)'
            )
            continue
        review = translation['review']
        said = f'{file}: {name}: ' + (
            f'reviewed by {review["by"]} on {review["date"]}' if review else 'not reviewed: a draft translation'
        )
        lines.append(f'{said}; the same as English on purpose: {", ".join(translation["same"]) or "none"}')
        if translation['untranslated']:
            count = len(translation['untranslated'])
            lines.append(f'{file}: {name}: {count} phrase{"s" * (count != 1)} to translate, printed in English')
        lines += [f'{file}: words.{path}: not in {name} yet: printed in English' for path in translation['missing']]
        for path, now in translation['stale']:
            meanwhile = '; printed in English meanwhile' if path in translation['in_english'] else ''
            lines.append(
                f'{file}: words.{path}: the English changed since it was translated (english: {path}: {now}){meanwhile}'
            )
    return lines


def summary(counts: Mapping[str, tuple[int, int]], data_dir: Path) -> list[str]:
    """What a build of the first language says of the other editions' words: a line per
    language that has phrases to translate or stale, with how many."""
    from .problems import shown

    lines: list[str] = []
    for language, (untranslated, stale_count) in counts.items():
        if untranslated or stale_count:
            file, name = shown(data_dir / 'words' / f'{language}.yaml'), language_name(language)
            lines.append(
                f'{file}: the {name} edition: {untranslated} phrase{"s" * (untranslated != 1)} to translate, '
                f'{stale_count} whose English '
                f'changed (python3 build.py words --stale {language} lists them)'
            )
    return lines


def counts(files: Mapping[str, 'Loaded']) -> dict[str, tuple[int, int]]:
    """{language: (phrases to translate, stale phrases)} of every translation of the
    loaded data files."""
    org = files['organisation.yaml'].value['organisation']
    languages = [org['language'], *org.get('translations', [])]
    english = files[f'words/{languages[0]}.yaml'].value
    found: dict[str, tuple[int, int]] = {}
    for language in languages[1:]:
        translation = files[f'words/{language}.yaml'].value
        todo = len(translation.get('untranslated', [])) + len(missing(english, translation))
        changed = len(stale(english, translation))
        found[language] = (todo + changed, 0) if not translation.get('english') else (todo, changed)
    return found
