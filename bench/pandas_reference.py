#!/usr/bin/env python3
"""The reference a user would write without nianbao: pandas.read_html + sqlite3.

Reads every HTML file of a folder on N processes, extracts every table as a raw grid with
pandas.read_html (lxml), and stores the grids' cells in SQLite in one transaction. It does a
fraction of nianbao's work: no schema mapping, no number parsing, no identities.

Usage: pandas_reference.py DIR DATABASE [PROCESSES]
"""
import io
import multiprocessing
import os
import re
import sqlite3
import sys
import time

import pandas as pd

META = re.compile(rb'charset=["\']?([A-Za-z0-9_-]+)', re.I)


def decode(data):
    match = META.search(data[:2048])
    label = match.group(1).decode().lower() if match else "utf-8"
    if label in ("gb2312", "gbk", "x-gbk"):
        label = "gb18030"
    try:
        return data.decode(label)
    except (LookupError, UnicodeDecodeError):
        return data.decode("gb18030", errors="replace")


def grids(path):
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        tables = pd.read_html(io.StringIO(decode(data)))
    except ValueError:
        tables = []
    rows = []
    for number, table in enumerate(tables):
        for row_index, row in enumerate(table.itertuples(index=False)):
            for col_index, value in enumerate(row):
                rows.append((os.path.basename(path), number, row_index, col_index, None if pd.isna(value) else str(value)))
    return len(data), rows


def main():
    directory, database = sys.argv[1], sys.argv[2]
    processes = int(sys.argv[3]) if len(sys.argv) > 3 else os.cpu_count()
    paths = sorted(os.path.join(directory, name) for name in os.listdir(directory) if name.endswith(".html"))
    if os.path.exists(database):
        os.remove(database)
    connection = sqlite3.connect(database)
    connection.execute("CREATE TABLE cells (document TEXT, table_number INTEGER, row INTEGER, col INTEGER, value TEXT)")
    start = time.perf_counter()
    total_bytes = 0
    with multiprocessing.Pool(processes) as pool:
        for size, rows in pool.imap_unordered(grids, paths, chunksize=8):
            total_bytes += size
            connection.executemany("INSERT INTO cells VALUES (?, ?, ?, ?, ?)", rows)
    connection.commit()
    seconds = time.perf_counter() - start
    print("documents: %d  bytes: %d  time: %.3f s" % (len(paths), total_bytes, seconds))


if __name__ == "__main__":
    main()
