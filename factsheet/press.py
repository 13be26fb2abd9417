"""--print-shop: the fact sheet as PDF/X-4 for a printing press.

The sheet is laid out as --print-marks lays it out (3 mm bleed, crop marks); WeasyPrint's
`pdf/x-4` variant writes the PDF/X identification, and this module adds what a preflight
and a press ask for beyond it:
- an output intent for a named printing condition, CGATS TR 001 (SWOP, web offset on coated
  paper), with Ghostscript's CMYK profile for it (Debian's libgs-common) as its profile;
- the text in black ink alone, as dark as the palette's text colours (small type printed in
  four inks blurs wherever the plates do not meet exactly): in the page, the charts and the
  QR code;
- DefaultRGB: the sheet's other colours are sRGB, which PDF/X-4 accepts only tagged with a
  profile; the printer converts them to CMYK through the output intent;
- an XMP document id made from the document, so that the same sheet gives the same bytes.
A press file holds only what is printed: no links (PDF/X refuses annotations inside the
bleed), no tags and no attached facts file; the screen PDF keeps them."""

import re
import uuid
from collections.abc import Mapping
from functools import cache
from typing import Any

from . import project
from .colours import read_palette
from .problems import UserError

PACKAGE = 'libgs-common'  # the Debian package that installs project.CMYK_PROFILE
# The printing condition: its identifier in the ICC's registry of characterisations
# (https://www.color.org), and in words.
CONDITION = {
    'OutputConditionIdentifier': 'CGATS TR 001',
    'OutputCondition': 'SWOP: web offset printing on coated paper',
    'RegistryName': 'http://www.color.org',
}
BLACK_TEXT = ('ink', 'muted')  # the palette's text colours, printed in black ink alone


def check() -> None:
    """Refuse --print-shop before anything is written when the CMYK profile is missing or
    is not an ICC profile of a CMYK printer."""
    profile = project.CMYK_PROFILE
    if not profile.is_file():
        raise UserError(
            [f'build.py: --print-shop needs the CMYK profile {profile}: install it with apt-get install {PACKAGE}']
        )
    header = profile.read_bytes()[:40]
    if header[12:20] != b'prtrCMYK' or header[36:40] != b'acsp':
        raise UserError(
            [
                f'build.py: --print-shop needs the CMYK profile {profile}: that file is not an ICC profile of a '
                f'CMYK printer; reinstall it with apt-get install --reinstall {PACKAGE}'
            ]
        )


# Small text the palette sets in navy, in black ink like the text around it (headings,
# figures, the call to action and the band keep their navy); links, which do nothing on
# paper, lose their underline.
SMALL_NAVY = 'a, .region h3, .agencies .acronym'


def css() -> str:
    """The stylesheet rules of a press file: the printing condition's CMYK profile, given to
    WeasyPrint, and the text in black ink alone."""
    black = ' '.join(f'--colour-{name}: device-cmyk(0 0 0 {tint:.2f});' for name, tint in black_text().items())
    return (
        f'@color-profile device-cmyk {{ src: url("{project.CMYK_PROFILE.resolve().as_uri()}"); '
        'components: cyan, magenta, yellow, black; }\n'
        f':root {{ {black} }}\n'
        f'{SMALL_NAVY} {{ color: var(--colour-ink); border-bottom-color: transparent; }}\n'
        '.next a { color: inherit; }'
    )


def black_text() -> dict[str, float]:
    """{palette name: the tint of black ink (0 to 1) its text is printed in}."""
    palette, profile = read_palette(), project.CMYK_PROFILE
    stat = profile.stat()
    return {name: black_tint(palette[name], str(profile), stat.st_size, stat.st_mtime_ns) for name in BLACK_TEXT}


@cache
def black_tint(colour: str, profile: str, *version: int) -> float:
    """The tint of black ink (0 to 1) whose lightness (CIE L*), printed under the profile (a
    path, and its size and time: a new profile is read afresh), is nearest the colour's; a
    colour darker than solid black gets solid black."""
    from PIL import Image, ImageCms

    lab = ImageCms.createProfile('LAB')
    from_ink = ImageCms.buildTransform(ImageCms.getOpenProfile(profile), lab, 'CMYK', 'LAB')
    from_screen = ImageCms.buildTransform(ImageCms.createProfile('sRGB'), lab, 'RGB', 'LAB')
    inks = Image.new('CMYK', (256, 1))
    inks.putdata([(0, 0, 0, k) for k in range(256)])
    tints = list(from_ink.apply(inks).tobytes()[::3])  # the L* of each tint of black (LAB: 3 bytes, L* first), 0-255
    lightness = from_screen.apply(Image.new('RGB', (1, 1), colour)).tobytes()[0]
    return min(range(256), key=lambda k: abs(tints[k] - lightness)) / 255


def black_ink(svgs: Mapping[str, str]) -> dict[str, str]:
    """The charts (and the QR code) with the palette's text colours in black ink alone, and
    their words in navy (the map's labels) in solid black."""
    palette, tints = read_palette(), black_text()
    colours = {palette[name].lower(): f'device-cmyk(0 0 0 {tint:.2f})' for name, tint in tints.items()}
    pattern = re.compile('|'.join(map(re.escape, colours)), re.IGNORECASE)
    navy = re.compile(re.escape(palette['deep']), re.IGNORECASE)

    def black(svg: str) -> str:
        svg = pattern.sub(lambda found: colours[found[0].lower()], svg)
        return re.sub(r'<text\b[^>]*>', lambda tag: navy.sub(colours[palette['ink'].lower()], tag[0]), svg)

    return {name: black(svg) for name, svg in svgs.items()}


def finish(pdf: Any, identifier: bytes) -> None:
    """Complete WeasyPrint's PDF/X-4 (a pydyf.PDF, before it is written): the printing
    condition named, DefaultRGB in every resource dictionary, no links, the XMP document id
    from `identifier` (the PDF's own /ID)."""
    import pydyf

    for intent in pdf.catalog['OutputIntents']:  # its Info: the profile's own name
        intent.update({key: pydyf.String(value) for key, value in CONDITION.items()})
    srgb = pydyf.Stream([srgb_profile()], pydyf.Dictionary({'N': 3}), compress=True)
    pdf.add_object(srgb)
    default_rgb = pydyf.Array(('/ICCBased', srgb.reference))
    for spaces in colour_spaces(pdf):
        spaces['DefaultRGB'] = default_rgb
    document = uuid.UUID(bytes=bytes.fromhex(identifier.decode())[:16])
    for item in list(pdf.objects):
        if isinstance(item, dict) and item.get('Type') == '/Page':
            for link in item.pop('Annots', []):  # each emptied too: no address is left in the file
                pdf.objects[int(link.split()[0])].clear()
        if isinstance(item, pydyf.Stream) and item.extra.get('Subtype') == '/XML':
            item.stream = [
                re.sub(rb'xmp\.did:[0-9a-f-]{36}', f'xmp.did:{document}'.encode(), part) for part in item.stream
            ]


def colour_spaces(pdf: Any) -> list[dict[str, Any]]:
    """Every colour space dictionary of the PDF's resources (WeasyPrint shares one among
    its pages and forms, by reference)."""
    import pydyf

    found: dict[int, dict[str, Any]] = {}
    for item in pdf.objects:
        holder = item.extra if isinstance(item, pydyf.Stream) else item
        for resources in (holder, holder.get('Resources')) if isinstance(holder, dict) else ():
            spaces = resources.get('ColorSpace') if isinstance(resources, dict) else None
            if isinstance(spaces, bytes):  # b'5 0 R'
                spaces = pdf.objects[int(spaces.split()[0])]
            if isinstance(spaces, dict):
                found[id(spaces)] = spaces
    return list(found.values())


def srgb_profile() -> bytes:
    """WeasyPrint's own sRGB profile (the one its PDF/A output intent embeds)."""
    from importlib.resources import files

    return (files('weasyprint.pdf') / 'sRGB2014.icc').read_bytes()
