"""Compares `map --format parquet` output with the NDJSON output of the same records, with pyarrow.

usage: python3 parquet_check.py EVENTS.ndjson PARQUET_DIR
Prints one JSON object: counts, and every difference found (an empty list when the files hold the same events).
"""
import datetime
import glob
import json
import os
import sys

import pyarrow
import pyarrow.parquet as pq


def plain(value, like):
    """A Parquet value as the JSON value it came from: timestamps to epoch ms, JSON text parsed, nulls dropped."""
    if isinstance(value, datetime.datetime):
        return int(value.timestamp() * 1000)
    if isinstance(value, dict):
        like = like if isinstance(like, dict) else {}
        return {k: plain(v, like.get(k)) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        like = like if isinstance(like, list) else []
        return [plain(v, like[i] if i < len(like) else None) for i, v in enumerate(value)]
    if isinstance(value, str) and like is not None and not isinstance(like, str):
        return json.loads(value)
    return value


def main(ndjson_file, parquet_dir):
    expected = {}
    for line in open(ndjson_file, encoding="utf-8"):
        if line.strip():
            event = json.loads(line)
            expected[event["metadata"]["uid"]] = event
    problems = []
    rows = 0
    seen = {}
    struct_columns = set()
    list_columns = set()
    files = sorted(glob.glob(os.path.join(parquet_dir, "**", "*.parquet"), recursive=True))
    for f in files:
        table = pq.read_table(f)
        parts = f[len(parquet_dir):].strip(os.sep).split(os.sep)
        if not (parts[0] == "ext" and parts[2].startswith("region=") and parts[3].startswith("accountId=") and parts[4].startswith("eventDay=")):
            problems.append(f"{f}: not in the ext/<source>/region=/accountId=/eventDay= layout")
        for field in table.schema:
            if pyarrow.types.is_struct(field.type):
                struct_columns.add(field.name)
            if pyarrow.types.is_list(field.type):
                list_columns.add(field.name)
        if not pyarrow.types.is_timestamp(table.schema.field("time").type):
            problems.append(f"{f}: time is {table.schema.field('time').type}, not a timestamp")
        classes = set(table.column("class_uid").to_pylist())
        if len(classes) != 1:
            problems.append(f"{f}: holds classes {sorted(classes)} (one class per file)")
        for row in table.to_pylist():
            rows += 1
            uid = row["metadata"]["uid"]
            seen[uid] = seen.get(uid, 0) + 1
            want = expected.get(uid)
            if want is None:
                problems.append(f"{uid}: in Parquet but not in the NDJSON output")
                continue
            got = plain(row, want)
            if got != want:
                diff = sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k))
                problems.append(f"{uid}: differs in {diff}: parquet {json.dumps({k: got.get(k) for k in diff})[:300]} ndjson {json.dumps({k: want.get(k) for k in diff})[:300]}")
    for uid in expected:
        if uid not in seen:
            problems.append(f"{uid}: in the NDJSON output but not in Parquet")
    for uid, n in seen.items():
        if n > 1:
            problems.append(f"{uid}: {n} times in Parquet")
    print(json.dumps({
        "files": len(files), "rows": rows, "expected": len(expected),
        "structColumns": sorted(struct_columns), "listColumns": sorted(list_columns), "problems": problems[:20],
        "problemCount": len(problems),
    }))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
