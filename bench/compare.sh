#!/usr/bin/env bash
# Times `turnout report FILE --json` against Python polars (read_csv with try_parse_dates plus
# a group-by on the day) on the same generated 1M-row Eventbrite export, in one run, and
# records peak memory. Usage: bench/compare.sh [ROWS] (default 1000000).
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
runs=5
out=bench/out
mkdir -p "$out"

python3 -c "import polars" 2>/dev/null || pip install --quiet polars
cargo build --release --quiet
bin=target/release/turnout
file="$out/rally-eventbrite-iso.csv"
if [ ! -f "$file" ] || [ "$(($(wc -l < "$file") - 1))" != "$rows" ]; then
    "$bin" demo --out "$out" --rows "$rows" --format eventbrite-iso > /dev/null
fi
size=$(stat -c %s "$file")

cat > "$out/polars_daily.py" <<'PY'
import sys
import polars as pl
df = pl.read_csv(sys.argv[1], try_parse_dates=True)
daily = df.group_by(pl.col("Order Date").dt.date().alias("day")).agg(pl.len()).sort("day")
print(len(df), len(daily))
PY

measure() { # label, command...: prints median seconds and max peak RSS over $runs runs
    local label=$1; shift
    local times=() peak=0
    for _ in $(seq "$runs"); do
        /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" > /dev/null
        read -r t m < "$out/time.txt"
        times+=("$t")
        [ "$m" -gt "$peak" ] && peak=$m
    done
    local median
    median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
    printf '%-8s median %6.2f s   peak RSS %7.1f MB   (%s runs: %s)\n' \
        "$label" "$median" "$(echo "$peak / 1024" | bc -l)" "$runs" "${times[*]}"
    echo "$median" > "$out/$label.median"
}

printf 'file: %s (%s rows, %.1f MB)\n' "$file" "$rows" "$(echo "$size / 1048576" | bc -l)"
# polars only reads and counts per day, so turnout runs without fake detection here; the
# line after shows the full report with it.
measure turnout "$bin" report "$file" --json --tz America/Chicago --no-flags
measure polars python3 "$out/polars_daily.py" "$file"
ratio=$(echo "$(cat "$out/turnout.median") / $(cat "$out/polars.median")" | bc -l)
printf 'turnout / polars = %.2f (target <= 0.67)\n' "$ratio"
measure flags "$bin" report "$file" --json --tz America/Chicago
