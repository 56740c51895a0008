#!/usr/bin/python3
"""Build the bundled TrueType faces of xxgk-report.

Run from the repository root:

    /usr/bin/python3 fonts/build.py            # build + verify (fontTools, and fontkit if Node is present)
    /usr/bin/python3 fonts/build.py --jobs 1   # build one face at a time

Needs Debian's python3-fonttools (installed for /usr/bin/python3) and the Debian packages
fonts-noto-cjk, fonts-noto-cjk-extra and fonts-lxgw-wenkai. Writes, into fonts/:

    charset.txt                  the character set (U+XXXX<TAB>char, sorted)
    NotoSerifCJKsc-Black.ttf     title        (小标宋 substitute)
    NotoSerifCJKsc-Regular.ttf   body, tables, page numbers (仿宋 substitute)
    NotoSansCJKsc-Medium.ttf     heading 1    (黑体 substitute)
    XXGKWenKai-Regular.ttf       heading 2    (楷体 substitute), renamed "XXGK WenKai" (OFL RFN)

Method: subset FIRST (fontTools.subset, to the character set), then convert the CFF outlines of
the Noto faces to TrueType quadratic outlines (Cu2QuPen, max_err 1.0 unit, reversed direction ->
TTGlyphPen -> glyf/loca). Output is deterministic (head.modified is kept from the source), so
re-running the script reproduces the same bytes.
"""

import argparse
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import time

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable
from fontTools.ttLib.tables._g_l_y_f import Glyph

HERE = os.path.dirname(os.path.abspath(__file__))
NOTO = "/usr/share/fonts/opentype/noto"
LXGW = "/usr/share/fonts/truetype/lxgw-wenkai"
# 通用规范汉字表 (2013), 8,105 characters, one 'U+XXXX<TAB>char' per line (copy kept next to this script)
TONGYONG = os.path.join(HERE, "tongyong-guifan-8105.txt")

MAX_ERR = 1.0  # cu2qu tolerance, font units (unitsPerEm = 1000)

# Name records kept from the source: 0-6 (copyright, family, style, unique id, full name, version,
# PostScript name) and 13-14 (licence description and URL, required by OFL §2 as metadata).
# 16-17 (typographic family "Noto Serif CJK SC" + "Black") are dropped: each face is a family of
# its own, or office suites that match embedded fonts by typographic family (LibreOffice) mix
# the Black subset into text set in the Regular.
NAME_IDS = [0, 1, 2, 3, 4, 5, 6, 13, 14]

# LXGW WenKai carries the Reserved Font Names "霞鹜" and "LXGW" (debian/copyright of
# fonts-lxgw-wenkai). A subset is a Modified Version, so it must not use them: rename.
LXGW_RENAME = {
    "family": "XXGK WenKai",
    "family_zh": "XXGK 文楷",
    "postscript": "XXGKWenKai-Regular",
}

# The Noto faces have no Reserved Font Name, but they are renamed too: a document that embeds a
# subset named "Noto Serif CJK SC" opened where the full Noto CJK is installed gets glyphs from one
# and positions from the other in LibreOffice (blank characters). Our own names never clash, and
# none differs from another only by a weight word: LibreOffice strips "Black", "Medium" … when it
# matches names, and printed body text with the title face's glyphs.
FACES = [
    {
        "out": "XXGKTitle-Regular.ttf",
        "src": os.path.join(NOTO, "NotoSerifCJK-Black.ttc"),
        "ps": "NotoSerifCJKsc-Black",
        "role": "title (小标宋 substitute)",
        "rename": {"family": "XXGK Title", "family_zh": "XXGK Title", "postscript": "XXGKTitle-Regular"},
    },
    {
        "out": "XXGKSerif-Regular.ttf",
        "src": os.path.join(NOTO, "NotoSerifCJK-Regular.ttc"),
        "ps": "NotoSerifCJKsc-Regular",
        "role": "body (仿宋 substitute), tables, page numbers",
        "rename": {"family": "XXGK Serif", "family_zh": "XXGK Serif", "postscript": "XXGKSerif-Regular"},
    },
    {
        "out": "XXGKSans-Regular.ttf",
        "src": os.path.join(NOTO, "NotoSansCJK-Medium.ttc"),
        "ps": "NotoSansCJKsc-Medium",
        "role": "heading 1 (黑体 substitute)",
        "rename": {"family": "XXGK Sans", "family_zh": "XXGK Sans", "postscript": "XXGKSans-Regular"},
    },
    {
        "out": "XXGKWenKai-Regular.ttf",
        "src": os.path.join(LXGW, "LXGWWenKai-Regular.ttf"),
        "ps": "LXGWWenKai-Regular",
        "role": "heading 2 (楷体 substitute)",
        "rename": LXGW_RENAME,
    },
]


# --------------------------------------------------------------------------- character set

def gb2312_chars():
    """Every valid 2-byte GB 2312 code 0xA1A1-0xF7FE, decoded by Python's 'gb2312' codec."""
    out = set()
    for b1 in range(0xA1, 0xF8):
        for b2 in range(0xA1, 0xFF):
            try:
                s = bytes((b1, b2)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            assert len(s) == 1
            out.add(ord(s))
    return out


def tongyong_chars():
    """The 8,105 characters of 通用规范汉字表 (lines 'U+XXXX<TAB>char')."""
    out = set()
    with open(TONGYONG, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\r\n")
            if not line:
                continue
            cp, ch = line.split("\t")
            code = int(cp[2:], 16)
            assert chr(code) == ch, line
            out.add(code)
    assert len(out) == 8105, len(out)
    return out


def rng(a, b):
    return set(range(a, b + 1))


def extra_chars(gb):
    s = set()
    s |= rng(0x0020, 0x007E)                   # printable ASCII
    s |= {0x00A0} | rng(0x00A1, 0x00FF)        # NBSP, Latin-1 symbols (° × ÷ included)
    s |= rng(0x2010, 0x2027)                   # General Punctuation: ‐ – — ‖ ‘ ’ “ ” … ‧
    s |= rng(0x2030, 0x203B)                   # ‰ ′ ″ ‹ › ※
    s |= {0x2060}                              # word joiner
    s |= rng(0x2160, 0x216B)                   # Ⅰ-Ⅻ
    s |= rng(0x2460, 0x2473)                   # ①-⑳
    s |= rng(0x2474, 0x2487)                   # ⑴-⒇
    s |= rng(0x2488, 0x249B)                   # ⒈-⒛
    s |= rng(0x3000, 0x303F)                   # CJK symbols & punctuation (〔〕【】「」…)
    s |= rng(0x3220, 0x3229)                   # ㈠-㈩
    s |= rng(0xFF01, 0xFF5E)                   # full-width ASCII forms
    s |= rng(0xFFE0, 0xFFE5)                   # full-width ￠￡￢￣￤￥
    s |= rng(0x2190, 0x2193)                   # ←↑→↓
    s |= {0x2116, 0x2103, 0x00B0, 0x00D7, 0x00F7, 0x2236}  # № ℃ ° × ÷ ∶
    s |= {c for c in gb if 0x25A0 <= c <= 0x25CF}          # geometric shapes of GB 2312
    s |= {0x25CC}  # ◌ dotted circle: shapers (fontkit, HarfBuzz) insert it before a lone combining mark
    s |= {c for c in gb if 0x2200 <= c <= 0x22FF}          # math operators of GB 2312
    return s


def charset():
    gb = gb2312_chars()
    ty = tongyong_chars()
    core = gb | ty
    full = core | extra_chars(gb)
    return gb, ty, core, full


def write_charset(full):
    path = os.path.join(HERE, "charset.txt")
    text = "".join("U+%04X\t%s\n" % (c, chr(c)) for c in sorted(full))
    old = None
    if os.path.exists(path):
        with open(path, encoding="utf-8") as fh:
            old = fh.read()
    if old != text:
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    return path


# --------------------------------------------------------------------------- font building

def open_face(path, ps):
    if path.lower().endswith((".ttc", ".otc")):
        coll = TTCollection(path, lazy=True)
        names = [f["name"].getDebugName(6) for f in coll.fonts]
        coll.close()
        if ps not in names:
            raise SystemExit("%s: no face %s (has %s)" % (path, ps, names))
        font = TTFont(path, fontNumber=names.index(ps), lazy=False)
    else:
        font = TTFont(path, lazy=False)
    got = font["name"].getDebugName(6)
    if got != ps:
        raise SystemExit("%s: expected PostScript name %s, found %s" % (path, ps, got))
    return font


def subset_options():
    o = subset.Options()
    # fontTools' default OpenType features: 'vert', 'vrt2', 'kern', 'vkrn', 'vpal', 'locl', 'ccmp',
    # 'liga', 'calt', ... ('palt'/'halt' are not kept). See prune_langsys() for 'locl'.
    o.hinting = False               # drop hints / TrueType instructions
    o.desubroutinize = True         # the CFF is thrown away after conversion anyway
    o.notdef_outline = True
    o.glyph_names = False
    o.name_IDs = NAME_IDS
    o.name_languages = ["*"]        # keep the zh-CN (0x804) family names
    o.name_legacy = False           # drop Mac-platform name records
    o.recalc_timestamp = False
    o.ignore_missing_unicodes = True
    return o


# Language systems of the Noto CJK faces that select the Japanese, Korean and Traditional Chinese
# (Taiwan, Hong Kong) glyph variants through 'locl'. Their closure would add ~6,500 glyphs that a
# Simplified Chinese document never uses, so they are removed before subsetting; the default and
# ZHS language systems (and their 'locl' lookups, e.g. proportional digits in Latin runs) stay.
DROP_LANGSYS = {"JAN ", "KOR ", "ZHH ", "ZHT "}


def prune_langsys(font):
    dropped = 0
    for tag in ("GSUB", "GPOS"):
        if tag not in font or not font[tag].table.ScriptList:
            continue
        for sr in font[tag].table.ScriptList.ScriptRecord:
            keep = [r for r in sr.Script.LangSysRecord if r.LangSysTag not in DROP_LANGSYS]
            dropped += len(sr.Script.LangSysRecord) - len(keep)
            sr.Script.LangSysRecord = keep
            sr.Script.LangSysCount = len(keep)
    return dropped


def cff_to_glyf(font):
    """Replace the 'CFF ' table by glyf/loca (quadratic outlines), keeping hmtx/vmtx consistent."""
    order = font.getGlyphOrder()
    glyphset = font.getGlyphSet()
    vorg = font["VORG"] if "VORG" in font else None

    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        glyphset[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()

    hmtx = font["hmtx"].metrics
    vmtx = font["vmtx"].metrics if "vmtx" in font else None
    for name in order:
        g = glyf.glyphs[name]
        if g.numberOfContours == 0:
            continue
        g.recalcBounds(glyf)
        adv, _lsb = hmtx[name]
        hmtx[name] = (adv, g.xMin)
        if vmtx is not None:
            # TrueType has no VORG: the vertical origin is tsb + yMax. Keep the CFF face's origin.
            vadv, _tsb = vmtx[name]
            if vorg is not None:
                origin_y = vorg.VOriginRecords.get(name, vorg.defaultVertOriginY)
            else:
                origin_y = _tsb + g.yMax  # best effort (never happens for Noto CJK)
            vmtx[name] = (vadv, origin_y - g.yMax)

    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    font.sfntVersion = "\x00\x01\x00\x00"  # was 'OTTO'

    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr, value in (("maxZones", 1), ("maxTwilightPoints", 0), ("maxStorage", 0),
                        ("maxFunctionDefs", 0), ("maxInstructionDefs", 0),
                        ("maxStackElements", 0), ("maxSizeOfInstructions", 0),
                        ("maxComponentElements", 0), ("maxComponentDepth", 0),
                        ("maxPoints", 0), ("maxContours", 0), ("maxCompositePoints", 0),
                        ("maxCompositeContours", 0)):
        setattr(maxp, attr, value)
    maxp.recalc(font)

    head = font["head"]
    head.glyphDataFormat = 0
    head.flags |= 0x0002  # bit 1: left side bearing point at x = 0 (lsb == xMin)

    post = font["post"]
    post.formatType = 3.0
    for attr in ("extraNames", "mapping", "glyphOrder"):
        if hasattr(post, attr):
            delattr(post, attr)

    if "gasp" not in font:  # unhinted TrueType: grayscale + symmetric smoothing at all sizes
        gasp = newTable("gasp")
        gasp.version = 1
        gasp.gaspRange = {0xFFFF: 0x000A}
        font["gasp"] = gasp


def add_word_joiner(font):
    """Map U+2060 WORD JOINER to an empty, zero-advance glyph when the face has none.

    None of the source faces has U+2060. fontkit (used by pdfkit/pdfmake) replaces default-ignorable
    characters by a zero-width space only when their glyph remembers its code point; a character
    the font lacks maps to the shared, cached .notdef glyph, so pdfmake draws a .notdef box for
    every U+2060 (checked with the original CFF faces too). An own glyph makes it invisible.
    """
    if 0x2060 in font.getBestCmap():
        return False
    name = "uni2060"
    order = list(font.getGlyphOrder()) + [name]
    font.setGlyphOrder(order)
    glyf = font["glyf"]
    glyf.glyphOrder = order
    glyf.glyphs[name] = Glyph()  # empty glyph, no contours
    font["hmtx"].metrics[name] = (0, 0)
    if "vmtx" in font:
        font["vmtx"].metrics[name] = (0, 0)
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap[0x2060] = name
    return True


def rename(font, r):
    name = font["name"]
    ps = r["postscript"]
    version = font["name"].getDebugName(5) or ""
    ver = version.split(";")[0].replace("Version ", "")
    for rec in list(name.names):
        zh = rec.platformID == 3 and rec.langID == 0x804
        if rec.nameID in (1, 16):
            rec.string = r["family_zh"] if zh else r["family"]
        elif rec.nameID == 4:
            style = font["name"].getDebugName(2) or "Regular"
            fam = r["family_zh"] if zh else r["family"]
            rec.string = fam if style == "Regular" else "%s %s" % (fam, style)
        elif rec.nameID == 3:
            rec.string = "%s;XXGK;%s" % (ver, ps)
        elif rec.nameID == 6:
            rec.string = ps


def vertical_metrics(font):
    os2 = font["OS/2"]
    hhea = font["hhea"]
    return {
        "unitsPerEm": font["head"].unitsPerEm,
        "hheaAscender": hhea.ascent,
        "hheaDescender": hhea.descent,
        "hheaLineGap": hhea.lineGap,
        "typoAscender": os2.sTypoAscender,
        "typoDescender": os2.sTypoDescender,
        "typoLineGap": os2.sTypoLineGap,
        "winAscent": os2.usWinAscent,
        "winDescent": os2.usWinDescent,
        "useTypoMetrics": bool(os2.fsSelection & (1 << 7)),
    }


def build_face(face, full, core):
    t0 = time.time()
    font = open_face(face["src"], face["ps"])
    fstype = font["OS/2"].fsType
    cmap = font.getBestCmap()
    lacks = sorted(c for c in full if c not in cmap)
    lacks_core = sorted(c for c in core if c not in cmap)
    wanted = sorted(c for c in full if c in cmap)

    prune_langsys(font)
    sub = subset.Subsetter(subset_options())
    sub.populate(unicodes=wanted)
    sub.subset(font)
    t_sub = time.time() - t0

    converted = "CFF " in font
    if converted:
        cff_to_glyf(font)
    added_wj = add_word_joiner(font)
    if face.get("rename"):
        rename(font, face["rename"])

    out = os.path.join(HERE, face["out"])
    tmp = out + ".tmp"
    font.recalcTimestamp = False  # keep head.modified of the source: reproducible bytes
    font.save(tmp, reorderTables=True)
    font.close()
    os.replace(tmp, out)

    # verification with fontTools (fresh read from disk)
    chk = TTFont(out)
    assert "glyf" in chk and "loca" in chk, "no glyf/loca"
    assert "CFF " not in chk and "CFF2" not in chk and "VORG" not in chk, "CFF left over"
    assert chk["maxp"].tableVersion == 0x00010000
    assert chk["head"].glyphDataFormat == 0
    assert chk["post"].formatType == 3.0
    assert chk.sfntVersion == "\x00\x01\x00\x00", repr(chk.sfntVersion)
    ccmap = chk.getBestCmap()
    not_kept = [c for c in wanted if c not in ccmap]
    assert not not_kept, "lost in subsetting: %r" % not_kept[:20]
    nglyphs = len(chk.getGlyphOrder())
    assert len(chk["hmtx"].metrics) == nglyphs
    if "vmtx" in chk:
        assert len(chk["vmtx"].metrics) == nglyphs
    glyf = chk["glyf"]
    for gname in chk.getGlyphOrder():
        g = glyf[gname]
        if g.numberOfContours > 0:
            assert chk["hmtx"][gname][1] == g.xMin, gname
    res = {
        "file": face["out"],
        "source": face["src"],
        "ps_source": face["ps"],
        "family": chk["name"].getDebugName(1),
        "postscript": chk["name"].getDebugName(6),
        "role": face["role"],
        "converted": converted,
        "fsType": fstype,
        "glyphs": nglyphs,
        "chars": len(ccmap),
        "size": os.path.getsize(out),
        "seconds": round(time.time() - t0, 1),
        "subset_seconds": round(t_sub, 1),
        "lacks": [c for c in lacks if not (added_wj and c == 0x2060)],
        "added_word_joiner": added_wj,
        "lacks_core": lacks_core,
        "metrics": vertical_metrics(chk),
        "tables": sorted(chk.keys()),
    }
    chk.close()
    return res


# --------------------------------------------------------------------------- fontkit check

FONTKIT_CHECK = r"""
const fs = require('fs');
const path = require('path');
const [root, dir, facesJson] = process.argv.slice(1);
const fontkit = require(path.join(root, 'node_modules', 'fontkit'));
const chars = fs.readFileSync(path.join(dir, 'charset.txt'), 'utf8').trim().split('\n')
  .map((l) => parseInt(l.slice(2, l.indexOf('\t')), 16));
// Shaping must match the source face (same advances and offsets), except for characters the
// source lacks. Samples: every character of the set (in runs of 40), and some mixed text.
const samples = [];
for (let i = 0; i < chars.length; i += 40) samples.push(String.fromCodePoint(...chars.slice(i, i + 40)));
samples.push('一、总体情况', '（一）主动公开政府信息情况', '2024年，共收到申请1,234件（同比增长12.5%）。',
  '国办公开办函〔2021〕30号', '——“放管服”改革……', 'Aa 1,2 PDF/A-2b № 3 ℃ ①⑴⒈㈠Ⅻ', '第一条\u2060——\u2060附则',
  '【注】《政府信息公开条例》第二十条：「」『』', '￥1,000.00　×÷±≤≥≠∶');
let failed = 0;
for (const { file, lacks, source, ps } of JSON.parse(facesJson)) {
  const f = fontkit.openSync(path.join(dir, file));
  const src = fontkit.openSync(source, source.endsWith('.ttc') ? ps : undefined);
  const skip = new Set(lacks);
  const miss = chars.filter((c) => !skip.has(c) && !f.hasGlyphForCodePoint(c));
  let shapeDiff = 0;
  for (const t of samples) {
    const text = Array.from(t).filter((c) => !skip.has(c.codePointAt(0))).join('');
    const a = src.layout(text), b = f.layout(text);
    const key = (r) => r.positions.map((p, i) => [r.glyphs[i].codePoints.join('+'), p.xAdvance, p.xOffset, p.yOffset].join(':')).join(' ');
    if (key(a) !== key(b)) {
      if (shapeDiff++ < 3) console.log('  shaping differs:', JSON.stringify(text), '\n   src', key(a).slice(0, 300), '\n   out', key(b).slice(0, 300));
    }
  }
  const os2 = f['OS/2'];
  console.log(JSON.stringify({
    file, postscriptName: f.postscriptName, familyName: f.familyName, numGlyphs: f.numGlyphs,
    checked: chars.length - skip.size, missing: miss.length, shapingSamples: samples.length, shapingDiffs: shapeDiff,
    unitsPerEm: f.unitsPerEm, ascent: f.ascent, descent: f.descent, lineGap: f.lineGap,
    typoAscender: os2.typoAscender, typoDescender: os2.typoDescender, typoLineGap: os2.typoLineGap,
    hheaAscender: f.hhea.ascent, hheaDescender: f.hhea.descent,
    layoutAdvance: f.layout('中华人民共和国，2024年。').advanceWidth,
  }));
  // pdfkit (pdfmake's PDF writer) must not fall back to .notdef (gid 0) for U+2060.
  let pdfkitNotdef = null;
  try {
    const PDFDocument = require(path.join(root, 'node_modules', 'pdfkit'));
    const doc = new PDFDocument();
    doc.font(path.join(dir, file));
    pdfkitNotdef = doc._font.encode('A\u2060\u2014\u2060B\u4e2d\u2060\u3002')[0].filter((g) => g === '0000').length;
  } catch (e) { if (e.code !== 'MODULE_NOT_FOUND') throw e; }
  console.log('  ' + JSON.stringify({ pdfkitNotdefForU2060: pdfkitNotdef }));
  if (miss.length) { failed++; console.log('  missing:', miss.slice(0, 40).map((c) => c.toString(16))); }
  if (shapeDiff || pdfkitNotdef) failed++;
}
process.exit(failed ? 1 : 0);
"""


def fontkit_check(results):
    root = os.path.dirname(HERE)
    node = shutil.which("node")
    if not node or not os.path.isdir(os.path.join(root, "node_modules", "fontkit")):
        print("fontkit check skipped (node or node_modules/fontkit not found)")
        return True
    faces = json.dumps([{"file": r["file"], "lacks": r["lacks"], "source": r["source"],
                         "ps": r["ps_source"]} for r in results])
    p = subprocess.run([node, "-e", FONTKIT_CHECK, root, HERE, faces],
                       capture_output=True, text=True)
    print("fontkit check:")
    for line in p.stdout.splitlines():
        print("  " + line)
    if p.returncode != 0:
        print(p.stderr)
    return p.returncode == 0


# --------------------------------------------------------------------------- main

def fmt(codes):
    return " ".join("U+%04X %s" % (c, chr(c)) for c in codes)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--jobs", type=int, default=min(len(FACES), os.cpu_count() or 1))
    ap.add_argument("--only", nargs="*", help="output file names to build (default: all)")
    ap.add_argument("--no-fontkit", action="store_true", help="skip the Node fontkit check")
    args = ap.parse_args()

    t0 = time.time()
    gb, ty, core, full = charset()
    write_charset(full)
    print("character set: %d code points (GB 2312 %d, 8105 list %d, GB 2312 ∪ 8105 %d, "
          "extras %d) -> fonts/charset.txt" % (len(full), len(gb), len(ty), len(core),
                                               len(full - core)))

    faces = [f for f in FACES if not args.only or f["out"] in args.only]
    results = []
    with concurrent.futures.ProcessPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        futs = {ex.submit(build_face, f, full, core): f for f in faces}
        for fut in concurrent.futures.as_completed(futs):
            r = fut.result()
            results.append(r)
            print("%-28s %5d glyphs %5d chars %6.2f MB %5.1f s (subset %.1f s)%s  fsType %d" % (
                r["file"], r["glyphs"], r["chars"], r["size"] / 1e6, r["seconds"],
                r["subset_seconds"], ", CFF->glyf" if r["converted"] else "", r["fsType"]))
            if r["added_word_joiner"]:
                print("  (U+2060 word joiner added as an empty zero-width glyph)")
    results.sort(key=lambda r: [f["out"] for f in FACES].index(r["file"]))

    ok = True
    print()
    for r in results:
        m = r["metrics"]
        print("%s  [%s / %s]" % (r["file"], r["family"], r["postscript"]))
        print("  fsType %d (%s)" % (r["fsType"], {0: "installable", 4: "preview & print",
                                                  8: "editable"}.get(r["fsType"] & 0xE,
                                                                     "RESTRICTED")))
        print("  lacks %d of the %d characters%s" % (len(r["lacks"]), len(full),
                                                    (": " + fmt(r["lacks"])) if r["lacks"] else ""))
        if r["lacks_core"]:
            ok = False
            print("  !! lacks %d of GB 2312 ∪ 8105: %s" % (len(r["lacks_core"]), fmt(r["lacks_core"])))
        if r["fsType"] & 0x0302 or (r["fsType"] & 0xE) not in (0, 4, 8):
            ok = False
            print("  !! fsType does not permit embedding")
        print("  unitsPerEm %(unitsPerEm)d  hhea %(hheaAscender)d/%(hheaDescender)d gap "
              "%(hheaLineGap)d  typo %(typoAscender)d/%(typoDescender)d gap %(typoLineGap)d  "
              "win %(winAscent)d/%(winDescent)d  USE_TYPO_METRICS %(useTypoMetrics)s" % m)
    total = sum(os.path.getsize(os.path.join(HERE, f)) for f in os.listdir(HERE)
                if os.path.isfile(os.path.join(HERE, f)))
    print("\nfonts/ total %.2f MB; build %.1f s" % (total / 1e6, time.time() - t0))
    if total > 40e6:
        ok = False
        print("!! fonts/ exceeds the 40 MB budget")

    if not args.no_fontkit:
        ok = fontkit_check(results) and ok
    print("total time %.1f s" % (time.time() - t0))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
