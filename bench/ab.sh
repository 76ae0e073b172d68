#!/usr/bin/env bash
# Two builds of reprint on one corpus, alternating (old, new, old, new, ...)
# so that the machine's drift falls on both: `reprint scan -q CORPUS
# [SCAN-OPTIONS]` with the default memory bound. Usage, from anywhere:
#   bash bench/ab.sh OLD_BUILD NEW_BUILD CORPUS [ROUNDS] [-- SCAN-OPTIONS]
# Prints each run's wall time and stage seconds, then the median of each
# build and their ratio, and checks that every run wrote the same pairs.
set -euo pipefail
old=${1:?OLD_BUILD}
new=${2:?NEW_BUILD}
corpus=${3:?CORPUS}
rounds=${4:-3}
shift $(($# < 4 ? $# : 4))
[ "${1:-}" = "--" ] && shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "machine  $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "corpus   $corpus ($(du -h "$corpus" | cut -f1)), $rounds rounds"
cat "$corpus" >/dev/null # a warm page cache: the tool's cost, not the disk's

for r in $(seq "$rounds"); do
	for side in old new; do
		b=$old
		[ "$side" = new ] && b=$new
		/usr/bin/time -f "%e %M" -o "$work/time" "$b/reprint" scan -q \
			"$corpus" "$@" -o "$work/$side-$r.tsv" \
			--stats "$work/$side-$r.json" 2>/dev/null || true
		read -r wall kb < <(tail -1 "$work/time")
		echo "$side $r $wall $kb" >>"$work/runs"
	done
done
python3 - "$work" <<'PY'
import json, statistics, sys, filecmp, os
w = sys.argv[1]
walls = {"old": [], "new": []}
stages = ("read", "boilerplate", "sign", "candidates", "verify", "align")
per = {"old": {s: [] for s in stages}, "new": {s: [] for s in stages}}
first = None
same = True
for line in open(f"{w}/runs"):
    side, r, wall, kb = line.split()
    sec = json.load(open(f"{w}/{side}-{r}.json"))["seconds"]
    walls[side].append(float(wall))
    for s in stages:
        per[side][s].append(sec[s])
    out = f"{w}/{side}-{r}.tsv"
    first = first or out
    same &= filecmp.cmp(first, out, shallow=False)
    print(f"{side} round {r}: wall {float(wall):6.2f} s  peak RSS {int(kb)/1024:6.0f} MB  "
          + " ".join(f"{s} {sec[s]:.2f}" for s in stages))
mo, mn = statistics.median(walls["old"]), statistics.median(walls["new"])
for side in ("old", "new"):
    print(f"median {side}: wall {statistics.median(walls[side]):.2f} s  "
          + " ".join(f"{s} {statistics.median(per[side][s]):.2f}" for s in stages))
print(f"new / old wall: {mn / mo:.3f}")
print("pairs: " + ("the same in every run" if same else "DIFFER between runs"))
PY
