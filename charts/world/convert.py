"""Regenerates countries.json from Natural Earth's 1:110m countries as the `world-atlas`
npm package ships them (TopoJSON), once: the build reads only the result.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    npm install --prefix /tmp/topo topojson-client@3
    /tmp/topo/node_modules/.bin/topo2geo countries=countries.geojson < package/countries-110m.json
    pip install pycountry shapely && python3 charts/world/convert.py countries.geojson

topo2geo (TopoJSON's own client) turns the topology into GeoJSON; this script keys each
country by its ISO 3166-1 alpha-2 code (the code the data carries; Natural Earth gives
the numeric one, which pycountry maps), cuts the polygons that cross the antimeridian
(Russia's, Fiji's) into their parts on each side, simplifies each outline to a tenth of
a degree (shapely: nothing a map a page wide can show is lost), rounds the points to a
tenth of a degree, and leaves out Antarctica, where no member is, and the three areas
Natural Earth gives no code (N. Cyprus, Somaliland, Kosovo)."""

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


def unwrapped(ring: list[list[float]]) -> list[list[float]]:
    """A ring's longitudes made continuous: one that crosses the antimeridian runs past 180."""
    points = [list(ring[0])]
    for lon, lat in ring[1:]:
        previous = points[-1][0]
        lon += 360 * round((previous - lon) / 360)
        points.append([lon, lat])
    return points


def polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    """A country's polygons, each a list of rings (its outline, then its holes), cut at
    the antimeridian and simplified."""
    from shapely import Polygon, box, clip_by_rect
    from shapely.affinity import translate

    shapes = geometry['coordinates'] if geometry['type'] == 'MultiPolygon' else [geometry['coordinates']]
    world = box(-180, -90, 180, 90)
    kept = []
    for shape in shapes:
        polygon = Polygon(unwrapped(shape[0]), [unwrapped(hole) for hole in shape[1:]])
        for shift in (0, -360, 360):
            part = clip_by_rect(translate(polygon, shift), -180, -90, 180, 90)
            if part.is_empty or not part.intersects(world):
                continue
            part = part.simplify(0.1, preserve_topology=True)
            for piece in getattr(part, 'geoms', [part]):
                if piece.geom_type == 'Polygon' and not piece.is_empty:
                    rings = [rounded(list(map(list, piece.exterior.coords)))]
                    rings += [rounded(list(map(list, hole.coords))) for hole in piece.interiors]
                    kept.append([ring for ring in rings if len(ring) >= 4])
    return [shape for shape in kept if shape and len(shape[0]) >= 4]


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
