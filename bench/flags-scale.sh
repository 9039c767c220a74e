#!/usr/bin/env bash
# How flagging scales: `turnout report FILE --json` on generated rallies of 1M, 3M and 5M rows
# (the demo generator caps at 5M), with and without the fake-registration checks, median wall time of 3 runs and peak RSS
# (/usr/bin/time), next to the file size. Prints the README's table.
#
#   bench/flags-scale.sh            # 1M 3M 5M
#   bench/flags-scale.sh 1000000    # one size
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1000000 3000000 5000000}")
runs=3
out=bench/out
mkdir -p "$out"
cargo build --release --quiet
bin=target/release/turnout

median() { sort -n | sed -n "$(( (runs + 1) / 2 ))p"; }

echo "| rows | file | report, flags on | peak RSS | report, --no-flags | peak RSS | flags cost |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for rows in ${sizes[@]}; do
    dir="$out/scale-$rows"
    file="$dir/rally-eventbrite-iso.csv"
    if [ ! -f "$file" ]; then
        "$bin" demo --out "$dir" --rows "$rows" --format eventbrite-iso > /dev/null
    fi
    mb=$(( $(stat -c %s "$file") / 1000000 ))
    declare -A t=() m=()
    for mode in on off; do
        extra=()
        [ "$mode" = off ] && extra=(--no-flags)
        times=()
        peak=0
        for _ in $(seq "$runs"); do
            /usr/bin/time -f "%e %M" -o "$out/time.txt" "$bin" report "$file" --json \
                --tz America/Chicago "${extra[@]}" > /dev/null
            read -r secs kb < "$out/time.txt"
            times+=("$secs")
            [ "$kb" -gt "$peak" ] && peak=$kb
        done
        t[$mode]=$(printf '%s\n' "${times[@]}" | median)
        m[$mode]=$(( peak / 1000 ))
    done
    cost=$(python3 -c "print(f'{${t[on]} - ${t[off]}:.2f} s')")
    echo "| $rows | $mb MB | ${t[on]} s | ${m[on]} MB | ${t[off]} s | ${m[off]} MB | $cost |"
done
