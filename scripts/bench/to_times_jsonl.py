#!/usr/bin/env python3
"""Turns scan records {"id","text","published"} into `retrace times --jsonl` requests
{"id","text","ref"}. Usage: to_times_jsonl.py IN.jsonl OUT.jsonl MEGABYTES"""
import json
import sys

src, dst, megabytes = sys.argv[1], sys.argv[2], float(sys.argv[3])
limit = int(megabytes * 1_000_000)
written = 0
with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as out:
    for line in f:
        r = json.loads(line)
        out.write(json.dumps({"id": r["id"], "text": r["text"], "ref": r["published"]}, ensure_ascii=False) + "\n")
        written += len(r["text"].encode("utf-8"))
        if written >= limit:
            break
