"""What a PDF draws: its text runs' glyphs per font, to catch .notdef boxes."""

import re
import zlib


def uncompressed(pdf_bytes):
    """The PDF with its Flate streams inflated, so its text can be searched."""

    def inflate(match):
        # The data is everything up to the end-of-line before "endstream"; its own last byte may be a
        # carriage return, so the line end is not stripped from it: the decompressor ignores what
        # follows the compressed data (a stream cut one byte short would fail to inflate, and the
        # fonts it holds would be missing).
        try:
            return b"stream\n" + zlib.decompressobj().decompress(match.group(1)) + b"\nendstream"
        except zlib.error:
            return match.group(0)

    return re.sub(rb"stream\r?\n(.*?)\nendstream", inflate, pdf_bytes, flags=re.S)


def drawn_glyphs(pdf_bytes):
    """{font name: [glyph ids]} of every text run the page's content stream draws."""
    content = uncompressed(pdf_bytes)
    tags = dict(re.findall(rb"/BaseFont /([A-Z]{6})\+([\w-]+)", content))
    drawn = {}
    font = None
    for match in re.finditer(rb"/([A-Z]{6}) [\d.]+ Tf|\[([^\]]*)\]\s*TJ|<([0-9a-f]+)>\s*Tj", content):
        if match.group(1):
            font = tags[match.group(1)].decode()
            continue
        hexes = re.findall(rb"<([0-9a-f]+)>", match.group(2)) if match.group(2) is not None else [match.group(3)]
        for chunk in hexes:
            drawn.setdefault(font, []).extend(int(chunk[i : i + 4], 16) for i in range(0, len(chunk), 4))
    return drawn
