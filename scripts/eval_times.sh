#!/usr/bin/env bash
# Scores `retrace times --jsonl` on the public time-expression corpora in ../shared/eval
# (Duckling EN, chrono EN). The corpora are read where they are, never copied into the repo.
# Usage: scripts/eval_times.sh [EVAL_DIR] [--dump-errors N]
set -euo pipefail
cd "$(dirname "$0")/.."
eval_dir="${1:-../shared/eval}"
shift || true
cargo build --release --quiet
python3 "$eval_dir/run_times.py" target/release/retrace \
    "$eval_dir/duckling_time_en.jsonl" "$eval_dir/chrono_en.jsonl" "$@"
