#!/usr/bin/env bash
# Walk-forward backtests of the forecast on real booking logs (../shared/realdata), as of 7 and
# 1 days before each event, beside the three spreadsheet baselines. Prints the README's table.
#
#   bench/backtest.sh            # the table (markdown)
#   FLAGS=--no-flags bench/backtest.sh
#
# The logs are read in place; filtered copies and the synthetic restaurant log (one hotel, one year) go to bench/out, which git
# ignores. Needs python3 for the table.
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/realdata
if [ ! -d "$data" ]; then
    echo "bench/backtest.sh: $data is not here; the real logs are needed" >&2
    exit 2
fi
cargo build --release --quiet
bin=target/release/turnout
out=bench/out
mkdir -p "$out"
hotels="$data/hotel-bookings-partial.csv"
awk -F, 'NR==1 || $1=="City Hotel"' "$hotels" > "$out/city-hotel.csv"
awk -F, 'NR==1 || ($1=="Resort Hotel" && $4=="2015")' "$hotels" > "$out/resort-hotel-2015.csv"
appointments="$data/appointments-vitoria-2016.csv"

run() {
    local name=$1
    shift
    "$bin" backtest "$@" --horizon 7d --horizon 1d ${FLAGS:-} --json > "$out/$name.json"
}
run appointments-day "$appointments" --tz America/Sao_Paulo
run appointments-neighbourhood "$appointments" --tz America/Sao_Paulo --by Neighbourhood
run city-hotel "$out/city-hotel.csv" --tz Europe/Lisbon
run resort-hotel-2015 "$out/resort-hotel-2015.csv" --tz Europe/Lisbon
# Not a real log: restaurant reservations against visitors in the shape of a reservation
# system's public export (walk-ins outnumber reserved guests; strong weekday pattern), from
# bench/restaurant.py. Listed apart in README.
python3 bench/restaurant.py "$out/restaurant" 7 2>/dev/null
run restaurant-synthetic "$out/restaurant/air_reserve.csv" --tz Asia/Tokyo --by air_store_id \
    --headcounts "$out/restaurant/air_visit_data.csv"
run restaurant-synthetic-day "$out/restaurant/air_reserve.csv" --tz Asia/Tokyo \
    --headcounts "$out/restaurant/air_visit_data.csv"
# The same chain, its reservations stopping for 80 days while its guests keep coming (the public
# export's air reservations stop for months of 2016).
python3 bench/restaurant.py "$out/restaurant-drought" 7 drought=30:110 2>/dev/null
run restaurant-drought "$out/restaurant-drought/air_reserve.csv" --tz Asia/Tokyo --by air_store_id \
    --headcounts "$out/restaurant-drought/air_visit_data.csv"
# The same generator at the public export's size and sparsity: 829 stores over 478 days, 314
# of them taking reservations from the day they joined; most counted store-nights have none.
python3 bench/restaurant.py "$out/restaurant-public" 7 public 2>/dev/null
run restaurant-public "$out/restaurant-public/air_reserve.csv" --tz Asia/Tokyo --by air_store_id \
    --headcounts "$out/restaurant-public/air_visit_data.csv"

python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
names = [
    ("appointments-day", "medical appointments, by day"),
    ("appointments-neighbourhood", "medical appointments, day × neighbourhood"),
    ("city-hotel", "City hotel, by arrival date"),
    ("resort-hotel-2015", "Resort hotel 2015, by arrival date"),
    ("restaurant-synthetic", "synthetic restaurants (not real), store × day"),
    ("restaurant-synthetic-day", "synthetic restaurants (not real), all stores by day"),
    ("restaurant-drought", "synthetic restaurants with a reservation drought (not real), store × day"),
    ("restaurant-public", "synthetic restaurants at a public export's scale (not real), store × day"),
]
pct = lambda v: f"{v*100:.1f}%"
# A coverage with its count and the tool's own verdict against chance (the central 90% of a
# binomial count over the same number of events): "71.0% (22/31, chance 21–28)".
def cover(m, band):
    c = m.get(f"{band}_check")
    share = pct(m[f"coverage_{band}"])
    if not c:
        return share
    mark = {"as_stated": "", "too_narrow": " narrow", "too_wide": " wide"}[c["verdict"]]
    return f"{share} ({c['inside']}/{c['events']}, chance {c['chance_low']}–{c['chance_high']}{mark})"
print("| real log | horizon | events scored | Turnout P50 MAPE | median APE | bias | best baseline | Turnout / best | P10–P90 holds truth | P5–P95 |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for key, label in names:
    b = json.load(open(f"{out}/{key}.json"))
    for h in sorted(b["horizons"], key=lambda h: -h["days_before"]):
        s = {m["method"][0]: m for m in h["scores"]}
        t = s["T"]
        best_key = min((k for k in s if k != "T"), key=lambda k: s[k]["mape"])
        best = s[best_key]["mape"]
        print(f"| {label} | {h['days_before']} d | {t['points']} | {pct(t['mape'])} | {pct(t['median_ape'])} | "
              f"{t['bias']*100:+.1f}% | {best_key} {pct(best)} | {t['mape']/best:.2f} | "
              f"{cover(t, 'p10_p90')} | {cover(t, 'p5_p95')} |")

# The final-registrations forecast on the same points (registrations kept to the start).
print()
print("| final registrations | horizon | events scored | P50 MAPE | bias | P10–P90 holds truth | P5–P95 |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for key, label in names:
    b = json.load(open(f"{out}/{key}.json"))
    for h in sorted(b["horizons"], key=lambda h: -h["days_before"]):
        r = h.get("registrations")
        if r:
            print(f"| {label} | {h['days_before']} d | {r['points']} | {pct(r['mape'])} | {r['bias']*100:+.1f}% | "
                  f"{cover(r, 'p10_p90')} | {cover(r, 'p5_p95')} |")
PY
