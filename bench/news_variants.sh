#!/usr/bin/env bash
# bench/news_variants.sh [BINARY] [N] [WORK]: pair quality of the default
# command on news collections of other shapes than the calibration seeds,
# made by ../shared/tools/gen_news.py (its own truth: every pair of one
# reprint cluster, with the pair's exact Jaccard). Five collections of N
# documents (default 20000), each its own seed: the generator's defaults,
# 4 outlets, 400 outlets, short stories (60-140 words) and half of the
# documents reprints. Made once in WORK (default /tmp/reprint-news-variants),
# about 30 s each.
#
# Prints one line per collection: pair precision / recall / F1, false
# pairs (how many join two pages of one outlet), and the recall of the
# truth pairs whose Jaccard is 0.3 or more (pairs of one cluster below
# that share little text: two trims of different paragraphs, a heavy
# rewrite of a trim; the clusters join them, a pair rarely should).
#
# Needs Debian's python3-numpy and wamerican (gen_news.py's word list) for
# /usr/bin/python3; says so and exits 0 when they or ../shared are absent.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/reprint}
n=${2:-20000}
work=${3:-/tmp/reprint-news-variants}
gen=${REPRINT_SHARED_TOOLS:-$root/../shared/tools}/gen_news.py
if [ ! -f "$gen" ]; then
	echo "SKIP: $gen is absent: news variants not made"
	exit 0
fi
if ! /usr/bin/python3 -c 'import numpy' 2>/dev/null ||
	[ ! -f /usr/share/dict/american-english ]; then
	echo "SKIP: gen_news.py needs Debian's python3-numpy and wamerican"
	exit 0
fi
mkdir -p "$work"
variants=(
	"default 21"
	"outlets4 22 --outlets 4"
	"outlets400 23 --outlets 400"
	"short 24 --min-words 60 --max-words 140"
	"halfreprints 25 --dup-frac 0.5"
)
echo "$bin scan -q (defaults), $n documents each, in $work"
for v in "${variants[@]}"; do
	set -- $v
	name=$1 seed=$2
	shift 2
	if [ ! -s "$work/$name.pairs.tsv" ]; then
		/usr/bin/python3 "$gen" --n "$n" --seed "$seed" "$@" \
			--out "$work/$name" >/dev/null 2>"$work/$name.log" ||
			{ cat "$work/$name.log" >&2; exit 1; }
	fi
	t0=$(date +%s.%N)
	"$bin" scan -q "$work/$name.jsonl" -o "$work/$name.out" 2>/dev/null
	t1=$(date +%s.%N)
	python3 - "$work/$name" "$name" "$t0" "$t1" <<'PY'
import csv, sys
base, name, t0, t1 = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
key = lambda a, b: (a, b) if a < b else (b, a)
truth = {key(r["id_a"], r["id_b"]): float(r["jaccard"])
         for r in csv.DictReader(open(base + ".pairs.tsv"), delimiter="\t")}
outlet = {r["id"]: r["outlet"]
          for r in csv.DictReader(open(base + ".meta.tsv"), delimiter="\t")}
got = {key(r["a"], r["b"])
       for r in csv.DictReader(open(base + ".out"), delimiter="\t")}
tp = len(got & truth.keys())
fp = got - truth.keys()
p = tp / max(1, len(got))
r = tp / max(1, len(truth))
f1 = 2 * p * r / max(1e-12, p + r)
one = sum(outlet[a] == outlet[b] for a, b in fp)
hi = [k for k, j in truth.items() if j >= 0.3]
rhi = sum(k in got for k in hi) / max(1, len(hi))
print(f"{name}: pairs P {p:.4f} R {r:.4f} F1 {f1:.4f} (tp {tp} fp {len(fp)}, "
      f"fp in one outlet {one}), recall of truth pairs with Jaccard >= 0.3 "
      f"{rhi:.4f} ({len(hi)}); scan {t1 - t0:.2f} s")
PY
done
