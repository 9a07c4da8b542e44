#!/usr/bin/env python3
"""Checks the goals of a benchmark run (issue 19): every figure of results.json with a "goal" ({"max": x} or
{"min": x}, on the figure's ratio) is printed with its ratio; exit status 1 when one is missed or has no ratio.
Usage: python3 src/bench/scripts/check-goals.py [target/bench/results.json]"""
import json
import sys

path = sys.argv[1] if len(sys.argv) > 1 else "target/bench/results.json"
with open(path, encoding="utf-8") as f:
    run = json.load(f)
missed = 0
for fig in run["figures"]:
    goal = fig.get("goal")
    if not goal:
        continue
    ratio = fig.get("ratio")
    bound, limit = next(iter(goal.items()))
    ok = ratio is not None and (ratio <= limit if bound == "max" else ratio >= limit)
    missed += not ok
    print(f"{'met   ' if ok else 'MISSED'} {fig['name']}: ratio {ratio} ({bound} {limit}; {fig['value']} {fig['unit']} vs {fig.get('peer')} {fig.get('peerValue')})")
print(f"{run.get('date')}: {missed} goal(s) missed")
sys.exit(1 if missed else 0)
