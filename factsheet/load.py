"""Load: read each data file safely, keeping where every value and key starts."""

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, AnyStr, NoReturn, cast

from .problems import Problem, UserError, dotted, shown
from .project import DATA_FILES, data_files

if TYPE_CHECKING:
    from pathlib import Path

    import yaml

MAX_FILE_BYTES = 256 * 1024
MAX_DEPTH = 12
STR_TAG = 'tag:yaml.org,2002:str'
INT_TAG = 'tag:yaml.org,2002:int'
DECIMAL = re.compile(r'[-+]?(0|[1-9][0-9]*)')
# The one rule for the characters any text may hold, wherever it is printed (HTML, SVG, PDF,
# XML metadata): no control characters but tab and line feed, no C1 controls, no lone
# surrogates, no noncharacters (U+FFFE, U+FFFF, U+FDD0 to U+FDEF and the last two of every
# plane). A YAML escape ("\\uffff", "\\x85") can write any of them.
UNPRINTABLE = re.compile(
    '[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef'
    + ''.join(chr(plane << 16 | low) for plane in range(17) for low in (0xFFFE, 0xFFFF))
    + ']'
)
DataPath = tuple[str | int, ...]  # where a value is: ('agencies', 3, 'country')
ALLOWED_TAGS = {
    'tag:yaml.org,2002:' + name for name in ('str', 'int', 'float', 'bool', 'null', 'map', 'seq', 'timestamp')
}


@dataclass(frozen=True)
class Loaded:
    """One parsed data file: its value, where each path's value and key start, its name."""

    value: Any  # as read: any YAML value until validated, then indexed as its schema says
    positions: dict[DataPath, tuple[int, int]]
    keys: dict[DataPath, tuple[int, int]]
    label: str


PARSED: dict[tuple[str, bytes], Loaded]
PARSED = {}  # (label, the file's bytes) -> Loaded: watch mode parses only the files that changed


def load_yaml(path: 'Path', label: str) -> Loaded:
    """Parse one YAML file safely into a Loaded (value and {path: (line, col)}).

    Anchors, aliases, tags other than the plain ones, duplicate keys, non-string
    keys, deep nesting and files over MAX_FILE_BYTES are refused with a Problem. A file
    whose bytes were parsed before (in this process) is not parsed again: its Loaded is
    returned with a copy of its value, which the build may not change in the original.
    """
    import copy

    with path.open('rb') as stream:  # read no more than the limit allows, whatever the file's size
        raw = stream.read(MAX_FILE_BYTES + 1)
    if (label, raw) not in PARSED:
        if len(PARSED) > 64:
            PARSED.clear()
        PARSED[label, raw] = parse(raw, label)
    loaded = PARSED[label, raw]
    return Loaded(copy.deepcopy(loaded.value), loaded.positions, loaded.keys, loaded.label)


def parse(raw: bytes, label: str) -> Loaded:
    """Parse a data file's bytes (see load_yaml); a UserError for anything refused."""
    if len(raw) > MAX_FILE_BYTES:
        raise UserError([Problem(label, 1, 1, '(document)', f'file is larger than {MAX_FILE_BYTES // 1024} KiB')])
    try:
        text = raw.decode('utf-8')
    except UnicodeDecodeError as error:
        line, col = position(raw, error.start, b'\n')
        raise UserError(
            [Problem(label, line, col, '(document)', f'not UTF-8 text (byte 0x{raw[error.start]:02x})')]
        ) from None
    loader, root = compose(text, label)
    if root is None:
        raise UserError([Problem(label, 1, 1, '(document)', 'file is empty')])
    builder = Builder(loader, label)
    return Loaded(builder.construct(root, ()), builder.positions, builder.keys, label)


def position(text: AnyStr, index: int, newline: AnyStr) -> tuple[int, int]:
    """(line, column) of an index into a text (or bytes, with newline b'\\n'), from 1."""
    return text.count(newline, 0, index) + 1, index - text.rfind(newline, 0, index)


@functools.cache
def loader_class() -> 'type[yaml.SafeLoader]':
    """PyYAML's safe loader, refusing anchors, aliases and nesting deeper than MAX_DEPTH."""
    import yaml

    class Loader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent: 'yaml.Node | None', index: int) -> 'yaml.Node | None':
            event = self.peek_event()  # type: ignore[no-untyped-call]  # types-PyYAML: peek_event is untyped
            if isinstance(event, yaml.AliasEvent) or getattr(event, 'anchor', None):
                raise yaml.MarkedYAMLError(problem='anchors and aliases are not allowed', problem_mark=event.start_mark)
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise yaml.MarkedYAMLError(
                    problem=f'nested deeper than {MAX_DEPTH} levels', problem_mark=event.start_mark
                )
            node = super().compose_node(parent, index)
            self.depth -= 1
            return node

    return Loader


def compose(text: str, label: str) -> 'tuple[yaml.SafeLoader, yaml.Node | None]':
    """The loader and the text's node tree (None for an empty file); a UserError for text
    that is no YAML, or holds what the loader refuses."""
    import yaml

    loader = None
    try:
        loader = loader_class()(text)  # checks every character first
        return loader, loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = cast('yaml.Mark', error.problem_mark or error.context_mark)  # composing, PyYAML always sets one
        raise UserError(
            [Problem(label, mark.line + 1, mark.column + 1, '(document)', error.problem or 'invalid YAML')]
        ) from None
    except yaml.reader.ReaderError as error:  # a character YAML does not allow, such as NUL
        line, col = position(text, error.position, '\n')
        message = f'character #x{error.character:04x} is not allowed in YAML'
        raise UserError([Problem(label, line, col, '(document)', message)]) from None
    except RecursionError:
        raise UserError([Problem(label, 1, 1, '(document)', 'nested too deeply')]) from None
    finally:
        if loader:
            loader.dispose()


class Builder:
    """A node tree made into plain values, keeping where each value and key starts, and
    refusing what the data may not hold: other tags, merge keys, keys that are not text,
    duplicate keys, whole numbers not in decimal digits, unprintable characters."""

    positions: dict[DataPath, tuple[int, int]]
    keys: dict[DataPath, tuple[int, int]]

    def __init__(self, loader: 'yaml.SafeLoader', label: str) -> None:
        self.loader, self.label, self.positions, self.keys = loader, label, {}, {}

    def fail(self, mark: 'yaml.Mark', data_path: DataPath, message: str) -> NoReturn:
        raise UserError([Problem(self.label, mark.line + 1, mark.column + 1, dotted(data_path), message)])

    def construct(self, node: 'yaml.Node', data_path: DataPath) -> object:
        import yaml

        self.positions[data_path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag not in ALLOWED_TAGS:
            self.fail(node.start_mark, data_path, f'the tag {node.tag} is not allowed')
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, data_path)
        if isinstance(node, yaml.SequenceNode):
            return [self.construct(item, data_path + (i,)) for i, item in enumerate(node.value)]
        if node.tag == INT_TAG and not DECIMAL.fullmatch(node.value):  # YAML 1.1: 017, 0x7d6, 12:30, 1_000
            message = f'{node.value!r} is not a whole number in decimal digits (put it in quotes if you meant text)'
            self.fail(node.start_mark, data_path, message)
        check_characters(node, data_path, self.fail)
        try:
            return self.loader.construct_object(node)
        except (ValueError, yaml.YAMLError) as error:
            self.fail(node.start_mark, data_path, f'invalid value {node.value!r} ({error})')

    def mapping(self, node: 'yaml.Node', data_path: DataPath) -> dict[str, object]:
        import yaml

        value: dict[str, object]
        seen: dict[str, tuple[int, int]]
        value, seen = {}, {}
        for key_node, value_node in node.value:
            if key_node.tag == 'tag:yaml.org,2002:merge':
                self.fail(key_node.start_mark, data_path, 'merge keys (<<) are not allowed')
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != STR_TAG:
                got = f'{getattr(key_node, "value", "")!r:.40}'
                self.fail(key_node.start_mark, data_path, f'keys must be text, got {got}')
            key = key_node.value
            check_characters(key_node, data_path, self.fail)  # the key itself would print the character
            if key in seen:
                line, col = seen[key]
                message = f'duplicate key (first defined at line {line}, column {col})'
                self.fail(key_node.start_mark, data_path + (key,), message)
            seen[key] = self.keys[data_path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            value[key] = self.construct(value_node, data_path + (key,))
        return value


def check_characters(
    node: 'yaml.Node', data_path: DataPath, fail: Callable[['yaml.Mark', DataPath, str], NoReturn]
) -> None:
    """Refuse a text holding a character no output can carry (UNPRINTABLE)."""
    found = UNPRINTABLE.search(node.value)
    if found is None:
        return
    character = found.group()
    if '\ud800' <= character <= '\udfff':
        fail(node.start_mark, data_path, 'holds a lone surrogate, which is not a character and cannot be written')
    if unicodedata.category(character) == 'Cc':
        fail(node.start_mark, data_path, 'control characters are not allowed')
    fail(node.start_mark, data_path, f'holds U+{ord(character):04X}, a noncharacter, which no document may carry')


def load(data_dir: 'Path') -> dict[str, Loaded]:
    """Read every data file; return {name: Loaded} or raise UserError."""
    files: dict[str, Loaded]
    problems: list[Problem | str]
    files, problems = {}, []
    for path in data_files(data_dir)[1]:  # read by no build, and yet refused: nothing is read from outside
        problems.append(Problem(shown(path), 1, 1, '(document)', LINKS_OUT))
    if problems:
        raise UserError(problems)
    for name in DATA_FILES:
        path = data_dir / name
        label = shown(path)
        if not path.is_file():
            problems.append(Problem(label, 1, 1, '(document)', 'file is missing'))
            continue
        try:
            files[name] = load_yaml(inside(path, data_dir, label), label)
        except UserError as error:
            problems += error.problems
    if problems:
        raise UserError(problems)
    for name, loaded in words_files(files['organisation.yaml'], data_dir):
        files[name] = loaded
    return files


def languages(organisation: Loaded) -> list[tuple[str, DataPath]]:
    """[(language, data path of its code)] as organisation.yaml names them: the first
    language, then the translations (checked later; a code that is not two letters is
    skipped here and reported by validation)."""
    org = organisation.value.get('organisation') if isinstance(organisation.value, dict) else None
    org = org if isinstance(org, dict) else {}
    named: list[tuple[object, DataPath]] = [(org.get('language', 'en'), ('organisation', 'language'))]
    translations = org.get('translations', [])
    if isinstance(translations, list):
        named += [(code, ('organisation', 'translations', i)) for i, code in enumerate(translations)]
    return [(code, path) for code, path in named if isinstance(code, str) and re.fullmatch(r'[a-z]{2}', code)]


def words_files(organisation: Loaded, data_dir: 'Path') -> list[tuple[str, Loaded]]:
    """Yield ('words/<language>.yaml', Loaded) for every language; a UserError naming each missing one."""
    problems: list[Problem | str]
    found: list[tuple[str, Loaded]]
    problems, found = [], []
    for language, path in languages(organisation):
        name = f'words/{language}.yaml'
        if not (data_dir / name).is_file():
            line, col = organisation.positions.get(path, (1, 1))
            problems.append(
                Problem(organisation.label, line, col, dotted(path), f'no words file {shown(data_dir / name)}')
            )
            continue
        label = shown(data_dir / name)
        try:
            found.append((name, load_yaml(inside(data_dir / name, data_dir, label), label)))
        except UserError as error:
            problems += error.problems
    if problems:
        raise UserError(problems)
    return found


LINKS_OUT = 'links to a file outside the data folder'


def inside(path: 'Path', data_dir: 'Path', label: str) -> 'Path':
    """The path, unless it is a link that leads out of the data folder."""
    if not path.resolve().is_relative_to(data_dir.resolve()):
        raise UserError([Problem(label, 1, 1, '(document)', LINKS_OUT)])
    return path
