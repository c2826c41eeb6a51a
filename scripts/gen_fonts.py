#!/usr/bin/env python3
"""Builds the fonts retrace ships in data/fonts/ (SIL Open Font License 1.1) from Debian packages.

Usage:
    python3 scripts/gen_fonts.py [folder where fonts-noto-core and fonts-noto-cjk are unpacked]

Without an argument the script runs `apt-get download fonts-noto-core fonts-noto-cjk` in a
temporary folder and unpacks the .deb files with `dpkg-deb -x`. Needs `pip install fonttools`.

Outputs:
    NotoSans-Regular.ttf, NotoSans-Bold.ttf   Latin, Latin-1, Latin Extended-A/B, Greek,
                                             Cyrillic, punctuation, arrows and symbols
    NotoSansCJKsc-Subset.otf                 "Noto Sans CJK SC" cut to the 3,755 level-1
                                             GB 2312 hanzi and its symbol rows, the 2,350 KS X 1001 hangul
                                             syllables, kana and CJK punctuation
    OFL.txt                                  the licence text from the package's copyright file
"""

import glob
import os
import subprocess
import sys
import tempfile

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "fonts")

LATIN_RANGES = [
    (0x0020, 0x007E), (0x00A0, 0x024F), (0x0370, 0x03FF), (0x0400, 0x04FF),
    (0x1E00, 0x1EFF), (0x2000, 0x206F), (0x2070, 0x209F), (0x20A0, 0x20BF),
    (0x2100, 0x214F), (0x2190, 0x21FF), (0x2200, 0x22FF), (0x25A0, 0x25FF),
]


def gb2312_level1():
    # Rows 0xA1-0xA9 are symbols (arrows, shapes, maths), rows 0xB0-0xD7 the level-1 hanzi.
    chars = []
    for high in list(range(0xA1, 0xAA)) + list(range(0xB0, 0xD8)):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def ksx1001_hangul():
    chars = []
    for high in range(0xB0, 0xC9):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes([high, low]).decode("euc_kr"))
            except UnicodeDecodeError:
                pass
    return chars


def options():
    opts = subset.Options()
    opts.layout_features = ["kern", "liga", "locl", "ccmp", "mark", "mkmk", "vert"]
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.hinting = False
    return opts


def subset_font(font, codepoints, out_path):
    subsetter = subset.Subsetter(options=options())
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    font.save(out_path)
    print(f"{out_path}: {os.path.getsize(out_path)} bytes")


def main():
    if len(sys.argv) > 1:
        root = sys.argv[1]
    else:
        tmp = tempfile.mkdtemp(prefix="noto-")
        subprocess.run(["apt-get", "download", "fonts-noto-core", "fonts-noto-cjk"], cwd=tmp, check=True)
        root = os.path.join(tmp, "x")
        for deb in glob.glob(os.path.join(tmp, "*.deb")):
            subprocess.run(["dpkg-deb", "-x", deb, root], check=True)
    os.makedirs(OUT, exist_ok=True)

    latin = [c for lo, hi in LATIN_RANGES for c in range(lo, hi + 1)]
    for style in ["Regular", "Bold"]:
        src = os.path.join(root, "usr/share/fonts/truetype/noto", f"NotoSans-{style}.ttf")
        subset_font(TTFont(src, recalcTimestamp=False), latin, os.path.join(OUT, f"NotoSans-{style}.ttf"))

    collection = TTCollection(os.path.join(root, "usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), recalcTimestamp=False)
    sc = next(f for f in collection.fonts if f["name"].getDebugName(1) == "Noto Sans CJK SC")
    cjk = [ord(c) for c in gb2312_level1() + ksx1001_hangul()]
    cjk += list(range(0x3000, 0x3040)) + list(range(0x3040, 0x3100)) + list(range(0xFF00, 0xFF60))
    cjk += list(range(0x0020, 0x007F))
    subset_font(sc, sorted(set(cjk)), os.path.join(OUT, "NotoSansCJKsc-Subset.otf"))

    # The OFL text, as the package's copyright file carries it.
    with open(os.path.join(root, "usr/share/doc/fonts-noto-cjk/copyright")) as f:
        text = f.read()
    start = text.index("SIL OPEN FONT LICENSE Version 1.1")
    end_marker = "OTHER DEALINGS IN THE FONT SOFTWARE."
    text = text[: text.index(end_marker, start) + len(end_marker)]
    licence = "\n".join(line[1:] if line.startswith(" ") else line for line in text[start:].splitlines())
    licence = licence.replace("\n.\n", "\n\n")
    header = (
        "Noto Sans and Noto Sans CJK: Copyright 2012 Google Inc.; Copyright 2014-2021 Adobe\n"
        "(http://www.adobe.com/), with Reserved Font Name 'Source'. Subsets made by\n"
        "scripts/gen_fonts.py from Debian fonts-noto-core and fonts-noto-cjk.\n\n"
    )
    with open(os.path.join(OUT, "OFL.txt"), "w") as f:
        f.write(header + licence.rstrip() + "\n")


if __name__ == "__main__":
    main()
