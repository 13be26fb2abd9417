"""--print-shop: the fact sheet as PDF/X-4 for a printing press.

The sheet is laid out as --print-marks lays it out (3 mm bleed, crop marks); WeasyPrint's
`pdf/x-4` variant writes the PDF/X identification, and this module adds what a preflight
asks for beyond it:
- an output intent for a named printing condition, CGATS TR 001 (SWOP, web offset on coated
  paper), with Ghostscript's CMYK profile for it (Debian's libgs-common) as its profile;
- DefaultRGB: the sheet's colours are sRGB, which PDF/X-4 accepts only tagged with a
  profile; the printer converts them to CMYK through the output intent;
- an XMP document id made from the document, so that the same sheet gives the same bytes.
A press file holds only what is printed: no links (PDF/X refuses annotations inside the
bleed), no tags and no attached facts file; the screen PDF keeps them.
Standard library only at import."""

import re
import uuid
from pathlib import Path
from typing import Any

from .problems import UserError

PROFILE = Path('/usr/share/color/icc/ghostscript/default_cmyk.icc')
PACKAGE = 'libgs-common'  # the Debian package that installs PROFILE
# The printing condition, as the ICC's registry names it (https://www.color.org).
CONDITION = {
    'OutputConditionIdentifier': 'CGATS TR 001',
    'OutputCondition': 'Commercial and specialty offset printing on coated paper (SWOP)',
    'RegistryName': 'http://www.color.org',
}


def check() -> None:
    """Refuse --print-shop before anything is written when the CMYK profile is missing."""
    if not PROFILE.is_file():
        raise UserError(
            [f'build.py: --print-shop needs the CMYK profile {PROFILE}: install it with apt-get install {PACKAGE}']
        )


def css() -> str:
    """The stylesheet rule that gives WeasyPrint the printing condition's CMYK profile."""
    return f'@color-profile device-cmyk {{ src: url("{PROFILE.as_uri()}"); components: cyan, magenta, yellow, black; }}'


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
    for item in pdf.objects:
        if isinstance(item, dict) and item.get('Type') == '/Page':
            item.pop('Annots', None)
        if isinstance(item, pydyf.Stream) and item.extra.get('Subtype') == '/XML':
            document = uuid.UUID(bytes=bytes.fromhex(identifier.decode())[:16])
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
