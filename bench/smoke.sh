#!/bin/sh
# Smoke test of the bench programs on a 2,000-document corpus: they run,
# print their figures, and scan finds the planted reprints. Not a timing.
set -eu
gen=$1 stages=$2 reprint=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$gen" 2000 "$dir/c.jsonl" "$dir/truth.tsv"
"$stages" "$dir/c.jsonl" 2 | tee "$dir/fig.txt"
grep -q '^scan_speedup' "$dir/fig.txt"
"$reprint" scan -q "$dir/c.jsonl" -o "$dir/pairs.tsv"
# Recall of the planted (original, reprint) pairs.
awk -F'\t' 'NR == FNR { if (FNR > 1) p[$1 "\t" $2] = 1; next }
	FNR > 1 { t++; if (($1 "\t" $2) in p || ($2 "\t" $1) in p) f++ }
	END { printf "recall %d/%d\n", f, t; exit (t > 0 && f >= 0.99 * t) ? 0 : 1 }' \
	"$dir/pairs.tsv" "$dir/truth.tsv"
