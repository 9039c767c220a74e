#!/usr/bin/env bash
# Nights to come, scored after the fact: the synthetic restaurant chain (bench/restaurant.py)
# cut as the public export is cut, its last 39 days held out (visitors written up to the cut,
# reservations only those made by then). `turnout report` lists and forecasts every upcoming
# store-night as of the cut; each forecast is scored against the held-out visitors, beside the
# mean of the store's past nights (C) and the mean of its last eight same weekdays.
#
#   bench/forward.sh        # the table (markdown)
#
# Synthetic, not real: a check that nights nobody has booked yet are forecast, and forecast
# as well as the spreadsheet would. Writes to bench/out (ignored by git). Needs python3.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
out=bench/out/restaurant-holdout
python3 bench/restaurant.py "$out" 7 small holdout=39 2>/dev/null
target/release/turnout report "$out/air_reserve.csv" --by air_store_id \
    --headcounts "$out/air_visit_data.csv" --tz Asia/Tokyo --upcoming 1000000 --json \
    > "$out/report.json"
python3 - "$out" <<'PY'
import csv, datetime as dt, json, sys, collections
out = sys.argv[1]
rep = json.load(open(f"{out}/report.json"))
truth = {(r["air_store_id"], r["visit_date"]): int(r["visitors"])
         for r in csv.DictReader(open(f"{out}/truth.csv"))}
past = collections.defaultdict(list)
for r in csv.DictReader(open(f"{out}/air_visit_data.csv")):
    past[r["air_store_id"]].append((dt.date.fromisoformat(r["visit_date"]), int(r["visitors"])))
when = lambda s: dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
rows = []
for e in rep["events"]:
    if e["status"] != "upcoming" or not e["attendance"]:
        continue
    day = e["label"][:10]
    a = truth.get((e["group"], day))
    if a is None:
        continue
    d = dt.date.fromisoformat(day)
    hist = past[e["group"]]
    c = sum(v for _, v in hist) / len(hist)
    same = [v for x, v in hist if x.weekday() == d.weekday()][-8:]
    wd = sum(same) / len(same) if same else c
    ahead = (when(e["start"]) - when(e["as_of"])).days
    rows.append(dict(a=a, q=e["attendance"], booked=e["registrations"] > 0, ahead=ahead, c=c, wd=wd))
listed = sum(1 for e in rep["events"] if e["status"] == "upcoming")
print(f"Held-out nights: {len(truth)}; listed as upcoming: {listed}; listed and scored: {len(rows)}.")
print()
print("| nights (visitors ≥ 20 for MAPE) | scored | Turnout P50 MAPE | C: mean of past nights | mean of last 8 same weekdays | Turnout / C | P10–P90 holds truth | P5–P95 |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
def line(label, sel):
    rs = [r for r in rows if sel(r)]
    sc = [r for r in rs if r["a"] >= 20]
    if not sc:
        return
    ape = lambda f: sum(abs(f(r) - r["a"]) / r["a"] for r in sc) / len(sc)
    t, c, w = ape(lambda r: r["q"]["p50"]), ape(lambda r: r["c"]), ape(lambda r: r["wd"])
    cov = lambda lo, hi: sum(r["q"][lo] <= r["a"] <= r["q"][hi] for r in rs) / len(rs)
    print(f"| {label} | {len(sc)} | {t*100:.1f}% | {c*100:.1f}% | {w*100:.1f}% | {t/c:.2f} | "
          f"{cov('p10','p90')*100:.1f}% | {cov('p5','p95')*100:.1f}% |")
line("all", lambda r: True)
line("with a reservation", lambda r: r["booked"])
line("without one yet", lambda r: not r["booked"])
for lo, hi in [(0, 7), (8, 14), (15, 28), (29, 99)]:
    line(f"{lo}–{hi} days ahead", lambda r, lo=lo, hi=hi: lo <= r["ahead"] <= hi)
PY
