#!/usr/bin/env python3
"""Wrap JPEG page images into a PDF with no text layer, as a scanner does (make bench-ocr).

Usage: jpeg_pdf.py DPI OUT.pdf PAGE1.jpg [PAGE2.jpg ...]

Standard library only: each page is one gray or RGB JPEG stored as is (DCTDecode), its page size taken from the
image's pixels at DPI.
"""
import struct
import sys


def jpeg_size(data):
    """Width, height and components from the first start-of-frame marker."""
    index = 2
    while index < len(data):
        if data[index] != 0xFF:
            raise ValueError("not a JPEG marker")
        marker = data[index + 1]
        length = struct.unpack(">H", data[index + 2:index + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            height, width = struct.unpack(">HH", data[index + 5:index + 9])
            return width, height, data[index + 9]
        index += 2 + length
    raise ValueError("no frame in JPEG")


def write_pdf(dpi, out, pages):
    objects = []  # bodies, object number = index + 1

    def add(body):
        objects.append(body)
        return len(objects)

    catalog = add(None)
    tree = add(None)
    kids = []
    for path in pages:
        data = open(path, "rb").read()
        width, height, components = jpeg_size(data)
        space = "/DeviceGray" if components == 1 else "/DeviceRGB"
        image = add(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8 "
                    b"/Filter /DCTDecode /Length %d >>\nstream\n" % (width, height, space.encode(), len(data))
                    + data + b"\nendstream")
        points_w, points_h = width * 72.0 / dpi, height * 72.0 / dpi
        content = b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q" % (points_w, points_h)
        stream = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        page = add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /XObject << /Im0 %d 0 R >> >> "
                   b"/Contents %d 0 R >>" % (tree, points_w, points_h, image, stream))
        kids.append(page)
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    objects[tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    body = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        body += b"%010d 00000 n \n" % offset
    body += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    open(out, "wb").write(body)


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    write_pdf(float(sys.argv[1]), sys.argv[2], sys.argv[3:])
