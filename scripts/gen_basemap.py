#!/usr/bin/env python3
"""Generates data/basemap/world50m.tsv.gz from the npm package `world-atlas` (Natural Earth 1:50m,
public domain; the package itself is ISC).

Usage:
    python3 scripts/gen_basemap.py [path/to/world-atlas]

Without an argument the script installs `world-atlas@2` with npm into a temporary folder.

Output rows (tab-separated, gzipped, one header row, `#` comments):
    kind    name    coords
    land    -       lon,lat lon,lat ...    a closed land ring (outer ring or hole of a land polygon)
    border  A|B     lon,lat lon,lat ...    a land border shared by countries A and B
    label   Name    lon,lat lon,lat ...    points of a 0.5-degree grid well inside country Name
                                           (the point and its four grid neighbours are inside),
                                           where a map can put the country's name

Coordinates are degrees rounded to 0.001 and simplified with Douglas-Peucker at 0.003 degrees,
which is below the 1:50m source's own resolution at the map scales retrace draws.
"""

import gzip
import json
import os
import subprocess
import sys
import tempfile

WORLD_ATLAS_VERSION = "2.0.2"
SIMPLIFY_DEG = 0.003
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "basemap", "world50m.tsv.gz")


def decode_arcs(topology):
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def arc_points(arcs, index):
    # A negative index ~i means arc i reversed (TopoJSON spec).
    if index < 0:
        return list(reversed(arcs[~index]))
    return arcs[index]


def ring_points(arcs, ring):
    points = []
    for index in ring:
        part = arc_points(arcs, index)
        # Consecutive arcs share their joining point.
        points.extend(part if not points else part[1:])
    return points


GRID_DEG = 0.5


def grid_inside(rings):
    """Grid points (lon, lat), on multiples of GRID_DEG offset by half a step, inside the rings."""
    lats = [p[1] for ring in rings for p in ring]
    if not lats:
        return set()
    inside = set()
    row = int(min(lats) // GRID_DEG)
    while row * GRID_DEG <= max(lats):
        lat = round(row * GRID_DEG + GRID_DEG / 2, 2)
        crossings = []
        for ring in rings:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
                if (y1 > lat) != (y2 > lat):
                    crossings.append(x1 + (lat - y1) * (x2 - x1) / (y2 - y1))
        crossings.sort()
        for start, end in zip(crossings[0::2], crossings[1::2]):
            col = int(-(-(start - GRID_DEG / 2) // GRID_DEG))
            while col * GRID_DEG + GRID_DEG / 2 < end:
                inside.add((round(col * GRID_DEG + GRID_DEG / 2, 2), lat))
                col += 1
        row += 1
    return inside


def simplify(points, tolerance):
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        ax, ay = points[first]
        bx, by = points[last]
        dx, dy = bx - ax, by - ay
        length = (dx * dx + dy * dy) ** 0.5
        best, best_dist = None, tolerance
        for i in range(first + 1, last):
            px, py = points[i]
            if length == 0:
                dist = ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            else:
                dist = abs(dy * px - dx * py + bx * ay - by * ax) / length
            if dist > best_dist:
                best, best_dist = i, dist
        if best is not None:
            keep[best] = True
            stack.append((first, best))
            stack.append((best, last))
    return [p for p, k in zip(points, keep) if k]


def fmt_grid(points):
    return " ".join(f"{x:g},{y:g}" for x, y in points)


def fmt(points):
    return " ".join(f"{x:.3f},{y:.3f}".replace("-0.000", "0.000") for x, y in points)


def main():
    if len(sys.argv) > 1:
        package_dir = sys.argv[1]
    else:
        tmp = tempfile.mkdtemp(prefix="world-atlas-")
        subprocess.run(["npm", "install", "--prefix", tmp, f"world-atlas@{WORLD_ATLAS_VERSION}"], check=True)
        package_dir = os.path.join(tmp, "node_modules", "world-atlas")
    with open(os.path.join(package_dir, "countries-50m.json")) as f:
        topology = json.load(f)
    arcs = decode_arcs(topology)

    rows = []
    # Land: the merged land object, ring by ring.
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for ring in polygon:
                points = simplify(ring_points(arcs, ring), SIMPLIFY_DEG)
                if len(points) >= 4:
                    rows.append(("land", "-", points))

    # Borders: arcs used by exactly two different countries.
    users = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry.get("properties", {}).get("name", "?")
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for ring in polygon:
                for index in ring:
                    users.setdefault(index if index >= 0 else ~index, set()).add(name)
    for index in sorted(users):
        names = sorted(users[index])
        if len(names) == 2:
            points = simplify(arcs[index], SIMPLIFY_DEG)
            rows.append(("border", "|".join(names), points))

    # Label candidates: scan each grid row, even-odd fill, keep points whose neighbours are in too.
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry.get("properties", {}).get("name")
        if not name:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = [ring_points(arcs, ring) for polygon in polygons for ring in polygon]
        inside = grid_inside(rings)
        points = sorted(
            (lon, lat)
            for (lon, lat) in inside
            if all(
                (round(lon + dx, 2), round(lat + dy, 2)) in inside
                for dx, dy in ((GRID_DEG, 0), (-GRID_DEG, 0), (0, GRID_DEG), (0, -GRID_DEG))
            )
        )
        if points:
            rows.append(("label", name, points))

    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    lines = [
        "# Natural Earth 1:50m land and country borders (public domain), from npm world-atlas "
        f"{WORLD_ATLAS_VERSION} countries-50m.json; generated by scripts/gen_basemap.py",
        "kind\tname\tcoords",
    ]
    lines += [
        f"{kind}\t{name}\t{fmt_grid(points) if kind == 'label' else fmt(points)}" for kind, name, points in rows
    ]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    # mtime=0 keeps the gzip bytes reproducible.
    with open(OUT, "wb") as f:
        f.write(gzip.compress(data, compresslevel=9, mtime=0))
    print(f"{OUT}: {len(rows)} rows, {len(data)} bytes raw")


if __name__ == "__main__":
    main()
