#!/usr/bin/env python3
"""Degrade a gray page image (binary PGM) the way photocopies and cheap scanners do (make bench-ocr).

Usage: degrade.py IN.pgm OUT.pgm [SEED]

Ink faded (black printed as dark gray), paper grayed, and dust: small dark specks scattered over the page.
Standard library only; a lookup table maps every pixel at once.
"""
import random
import sys


def read_pgm(path):
    data = open(path, "rb").read()
    fields, index = [], 0
    while len(fields) < 4:
        while data[index:index + 1].isspace():
            index += 1
        if data[index:index + 1] == b"#":
            index = data.index(b"\n", index) + 1
            continue
        end = index
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[index:end])
        index = end
    if fields[0] != b"P5" or int(fields[3]) != 255:
        sys.exit("not an 8-bit binary PGM")
    return int(fields[1]), int(fields[2]), bytearray(data[index + 1:])


def main(source, target, seed):
    width, height, pixels = read_pgm(source)
    faded = bytes(min(255, 45 + value * 185 // 255) for value in range(256))  # ink 45, paper 230
    pixels = bytearray(pixels.translate(faded))
    rng = random.Random(seed)
    for _ in range(width * height // 4000):
        x, y, size = rng.randrange(width - 3), rng.randrange(height - 3), rng.choice((1, 1, 2, 3))
        shade = rng.randrange(40, 140)
        for dy in range(size):
            row = (y + dy) * width
            for dx in range(size):
                pixels[row + x + dx] = shade
    with open(target, "wb") as out:
        out.write(b"P5\n%d %d\n255\n" % (width, height))
        out.write(pixels)


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) == 4 else 1)
