"""Load: read each data file safely, keeping where every value and key starts."""

import re
import unicodedata
from dataclasses import dataclass

from .problems import Problem, UserError, dotted, shown
from .project import DATA_FILES, data_files

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
ALLOWED_TAGS = {
    'tag:yaml.org,2002:' + name for name in ('str', 'int', 'float', 'bool', 'null', 'map', 'seq', 'timestamp')
}


@dataclass(frozen=True)
class Loaded:
    """One parsed data file: its value, where each path's value and key start, its name."""

    value: object
    positions: dict
    keys: dict
    label: str


PARSED = {}  # (label, the file's bytes) -> Loaded: watch mode parses only the files that changed


def load_yaml(path, label):
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


def parse(raw, label):
    """Parse a data file's bytes (see load_yaml); a UserError for anything refused."""
    import yaml

    class Loader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent, index):
            event = self.peek_event()
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

    def fail(mark, data_path, message):
        raise UserError([Problem(label, mark.line + 1, mark.column + 1, dotted(data_path), message)])

    if len(raw) > MAX_FILE_BYTES:
        raise UserError([Problem(label, 1, 1, '(document)', f'file is larger than {MAX_FILE_BYTES // 1024} KiB')])
    try:
        text = raw.decode('utf-8')
    except UnicodeDecodeError as error:
        line = raw.count(b'\n', 0, error.start) + 1
        col = error.start - raw.rfind(b'\n', 0, error.start)
        raise UserError(
            [Problem(label, line, col, '(document)', f'not UTF-8 text (byte 0x{raw[error.start]:02x})')]
        ) from None
    loader = None
    try:
        loader = Loader(text)  # checks every character first
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        fail(mark, (), error.problem or 'invalid YAML')
    except yaml.reader.ReaderError as error:  # a character YAML does not allow, such as NUL
        line = text.count('\n', 0, error.position) + 1
        col = error.position - text.rfind('\n', 0, error.position)
        raise UserError(
            [Problem(label, line, col, '(document)', f'character #x{error.character:04x} is not allowed in YAML')]
        ) from None
    except RecursionError:
        raise UserError([Problem(label, 1, 1, '(document)', 'nested too deeply')]) from None
    finally:
        if loader:
            loader.dispose()
    if root is None:
        raise UserError([Problem(label, 1, 1, '(document)', 'file is empty')])

    positions, keys = {}, {}

    def construct(node, data_path):
        positions[data_path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag not in ALLOWED_TAGS:
            fail(node.start_mark, data_path, f'the tag {node.tag} is not allowed')
        if isinstance(node, yaml.MappingNode):
            value, seen = {}, {}
            for key_node, value_node in node.value:
                if key_node.tag == 'tag:yaml.org,2002:merge':
                    fail(key_node.start_mark, data_path, 'merge keys (<<) are not allowed')
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != STR_TAG:
                    fail(
                        key_node.start_mark, data_path, f'keys must be text, got {getattr(key_node, "value", "")!r:.40}'
                    )
                key = key_node.value
                check_characters(key_node, data_path, fail)  # the key itself would print the character
                if key in seen:
                    line, col = seen[key]
                    fail(
                        key_node.start_mark,
                        data_path + (key,),
                        f'duplicate key (first defined at line {line}, column {col})',
                    )
                seen[key] = keys[data_path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                value[key] = construct(value_node, data_path + (key,))
            return value
        if isinstance(node, yaml.SequenceNode):
            return [construct(item, data_path + (i,)) for i, item in enumerate(node.value)]
        if node.tag == INT_TAG and not DECIMAL.fullmatch(node.value):  # YAML 1.1: 017, 0x7d6, 12:30, 1_000
            fail(
                node.start_mark,
                data_path,
                f'{node.value!r} is not a whole number in decimal digits (put it in quotes if you meant text)',
            )
        check_characters(node, data_path, fail)
        try:
            return loader.construct_object(node)
        except (ValueError, yaml.YAMLError) as error:
            fail(node.start_mark, data_path, f'invalid value {node.value!r} ({error})')

    value = construct(root, ())
    return Loaded(value, positions, keys, label)


def check_characters(node, data_path, fail):
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


def load(data_dir):
    """Read every data file; return {name: Loaded} or raise UserError."""
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


def languages(organisation):
    """[(language, data path of its code)] as organisation.yaml names them: the first
    language, then the translations (checked later; a code that is not two letters is
    skipped here and reported by validation)."""
    org = organisation.value.get('organisation') if isinstance(organisation.value, dict) else None
    org = org if isinstance(org, dict) else {}
    named = [(org.get('language', 'en'), ('organisation', 'language'))]
    translations = org.get('translations', [])
    if isinstance(translations, list):
        named += [(code, ('organisation', 'translations', i)) for i, code in enumerate(translations)]
    return [(code, path) for code, path in named if isinstance(code, str) and re.fullmatch(r'[a-z]{2}', code)]


def words_files(organisation, data_dir):
    """Yield ('words/<language>.yaml', Loaded) for every language; a UserError naming each missing one."""
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


def inside(path, data_dir, label):
    """The path, unless it is a link that leads out of the data folder."""
    if not path.resolve().is_relative_to(data_dir.resolve()):
        raise UserError([Problem(label, 1, 1, '(document)', LINKS_OUT)])
    return path
