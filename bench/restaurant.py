#!/usr/bin/env python3
"""Synthetic restaurant log in the shape of a reservation system's public exports
(air_reserve: air_store_id, visit_datetime, reserve_datetime, reserve_visitors;
air_visit_data: air_store_id, visit_date, visitors). Not real data: a generator with the
features that matter for a forecast — strong weekday pattern, walk-ins that outnumber
reserved guests, stores of very different size and reservation share, closed days, holidays,
a slow trend, reservations from hours to weeks ahead.

    bench/restaurant.py OUT_DIR [SEED] [public|small] [holdout=DAYS] [drought=FROM:TO]

`public` makes it the size and sparsity of the public export it imitates: 829 stores over 478
days, of which 314 take reservations, each from the day it joined the reservation system, with
few reserved guests (most store-nights have none); otherwise 120 stores over 300 days that all
take reservations.

`holdout=DAYS` cuts the export as the public one is cut: visitors are written up to DAYS before
the end, reservations only those made by then (many for the nights after it), and the
visitors of the held-out nights go to truth.csv, to score forecasts of nights to come.

`drought=FROM:TO` makes the reservation system go quiet from day FROM to the day before TO (a twentieth of
the usual reserved guests) while the same guests keep coming, walking in instead: the public
export's air reservations stop for months of 2016.
"""
import datetime as dt
import math
import os
import random
import sys

out = sys.argv[1]
rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 7)
public = len(sys.argv) > 3 and sys.argv[3] == "public"
holdout = next((int(a.split("=")[1]) for a in sys.argv[3:] if a.startswith("holdout=")), 0)
drought = next(
    (tuple(map(int, a.split("=")[1].split(":"))) for a in sys.argv[3:] if a.startswith("drought=")),
    (0, 0),
)
os.makedirs(out, exist_ok=True)
start = dt.date(2016, 7, 1)
days = 478 if public else 300
stores = 829 if public else 120
holidays = {start + dt.timedelta(days=d) for d in rng.sample(range(days), 12)}


def negbin(mean, k):
    # Gamma-Poisson mixture.
    lam = rng.gammavariate(k, mean / k) if mean > 0 else 0
    # Poisson by inversion for moderate lam, normal approx for large.
    if lam > 60:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    l, p, n = math.exp(-lam), 1.0, 0
    while True:
        p *= rng.random()
        if p <= l:
            return n
        n += 1


res = ["air_store_id,visit_datetime,reserve_datetime,reserve_visitors"]
vis = ["air_store_id,visit_date,visitors"]
truth = ["air_store_id,visit_date,visitors"]
cutoff = dt.datetime.combine(start + dt.timedelta(days=days - holdout), dt.time(0))
for s in range(stores):
    store = f"air_{s:012x}"
    base = math.exp(rng.gauss(math.log(22), 0.6))
    share = min(0.9, max(0.02, rng.betavariate(1.5, 3.0)))
    # The day the store's reservations start (never, for most stores of the public shape).
    joined = 0
    if public:
        share *= 0.17
        joined = rng.randrange(0, int(days * 0.6)) if s < 314 else days
    dow = [1.0 + rng.gauss(0, 0.08) for _ in range(7)]
    for d, f in zip(range(7), [0.75, 0.8, 0.85, 0.95, 1.3, 1.45, 0.9]):
        dow[d] *= f
    closed = rng.random() < 0.5 and rng.randrange(7)
    opened = rng.randrange(0, 120) if rng.random() < 0.3 else 0
    trend = rng.gauss(0, 0.3) / days
    for d in range(opened, days):
        day = start + dt.timedelta(days=d)
        wd = day.weekday()
        if closed is not False and wd == closed:
            continue
        if rng.random() < 0.02:
            continue  # an odd closed day
        mean = base * dow[wd] * math.exp(trend * d) * (1.5 if day in holidays else 1.0)
        visitors = negbin(mean, 12.0)
        if visitors == 0:
            continue
        # Reserved guests among them, plus reservations that did not come.
        quiet = 0.05 if drought[0] <= d < drought[1] else 1.0
        reserved = sum(rng.random() < share * quiet for _ in range(visitors)) if d >= joined else 0
        noshow = sum(rng.random() < 0.08 for _ in range(reserved))
        party_left = reserved + noshow
        while party_left > 0:
            size = min(party_left, max(1, int(rng.expovariate(1 / 2.5)) + 1))
            party_left -= size
            hour = rng.choice([11, 12, 12, 13, 17, 18, 18, 19, 19, 19, 20, 20, 21])
            visit = dt.datetime.combine(day, dt.time(hour))
            if rng.random() < 0.35:
                lead = dt.timedelta(hours=rng.uniform(0.5, 10))
            else:
                lead = dt.timedelta(days=rng.expovariate(1 / 8.0), hours=rng.uniform(0, 12))
            # The public export writes reservation times to the whole hour.
            made = (visit - lead).replace(minute=0, second=0, microsecond=0)
            if made < cutoff or not holdout:
                res.append(f"{store},{visit:%Y-%m-%d %H:%M:%S},{made:%Y-%m-%d %H:%M:%S},{size}")
        if holdout and dt.datetime.combine(day, dt.time(0)) >= cutoff:
            truth.append(f"{store},{day:%Y-%m-%d},{visitors}")
        else:
            vis.append(f"{store},{day:%Y-%m-%d},{visitors}")
res = [res[0]] + sorted(res[1:], key=lambda r: r.split(",")[1])
open(os.path.join(out, "air_reserve.csv"), "w").write("\n".join(res) + "\n")
open(os.path.join(out, "air_visit_data.csv"), "w").write("\n".join(vis) + "\n")
if holdout:
    open(os.path.join(out, "truth.csv"), "w").write("\n".join(truth) + "\n")
print(f"{len(res) - 1} reservations, {len(vis) - 1} store-days", file=sys.stderr)
