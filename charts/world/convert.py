"""Regenerates countries.json from Natural Earth's 1:110m countries as the `world-atlas`
npm package ships them (TopoJSON), once: the build reads only the result.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    npm install --prefix /tmp/topo topojson-client@3
    /tmp/topo/node_modules/.bin/topo2geo countries=countries.geojson < package/countries-110m.json
    pip install pycountry && python3 charts/world/convert.py countries.geojson

topo2geo (TopoJSON's own client) turns the topology into GeoJSON; this script keys each
country by its ISO 3166-1 alpha-2 code (the code the data carries; Natural Earth gives
the numeric one, which pycountry maps), rounds longitudes and latitudes to a tenth of a
degree, and leaves out Antarctica, where no member is, and the three areas Natural Earth
gives no code (N. Cyprus, Somaliland, Kosovo)."""

import json
import sys
from pathlib import Path
from typing import Any

LEFT_OUT = {'AQ'}  # Antarctica


def rounded(ring: list[list[float]]) -> list[list[float]]:
    """A ring's points to a tenth of a degree, without the repeats that rounding makes."""
    points: list[list[float]] = []
    for lon, lat in ring:
        point = [round(lon, 1), round(lat, 1)]
        if not points or point != points[-1]:
            points.append(point)
    return points


def polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    """A country's polygons, each a list of rings (its outline, then its holes)."""
    shapes = geometry['coordinates'] if geometry['type'] == 'MultiPolygon' else [geometry['coordinates']]
    kept = [[rounded(ring) for ring in shape] for shape in shapes]
    return [[ring for ring in shape if len(ring) >= 4] for shape in kept if len(shape[0]) >= 4]


def convert(geojson: dict[str, Any]) -> dict[str, Any]:
    import pycountry  # only here: the build never needs it

    countries = {}
    for feature in geojson['features']:
        country = pycountry.countries.get(numeric=feature.get('id') or '000')
        if country is None or country.alpha_2 in LEFT_OUT:
            continue
        countries[country.alpha_2] = polygons(feature['geometry'])
    return {
        'source': 'Natural Earth 1:110m Admin 0 countries 4.1.0, as world-atlas 2.0.2 ships them (public domain)',
        'countries': dict(sorted(countries.items())),
    }


if __name__ == '__main__':
    world = convert(json.loads(Path(sys.argv[1]).read_text(encoding='utf-8')))
    target = Path(__file__).with_name('countries.json')
    target.write_text(json.dumps(world, separators=(',', ':')) + '\n', encoding='utf-8')
    print(f'{target}: {len(world["countries"])} countries')
