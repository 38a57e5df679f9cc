#!/bin/sh
# Run factcheck with the embedder named in FACTCHECK_BENCH_EMBEDDER (auto|minilm|static).
# score.py calls `<cmd> check <dir> --format json`; this adds `--embedder X` after the subcommand.
here=$(cd "$(dirname "$0")/.." && pwd)
sub=$1
shift
exec "$here/.venv/bin/factcheck" "$sub" --embedder "${FACTCHECK_BENCH_EMBEDDER:-auto}" "$@"
