#!/usr/bin/env bash
# Quality on the syndication calibration sets (../shared/data/syndication/
# seed*): `reprint scan` on each corpus.jsonl, then `reprint eval` against
# its truth. Prints one line per set: pair precision / recall / F1, false
# pairs inside one outlet, recall per truth relation (full, trimmed,
# excerpt), the clusters' ARI and B-cubed F1, and the scan's wall time;
# the header gives the commit ("+dirty" when the tree has local changes),
# the machine and the scan options.
# Usage: bash bench/eval_news.sh [BINARY] [SCAN OPTIONS...]
#   BINARY defaults to build/reprint; e.g.
#   bash bench/eval_news.sh build/reprint --containment 0.8
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-build/reprint}
[ $# -gt 0 ] && shift
data=${REPRINT_SHARED_DATA:-$root/../shared/data}
shopt -s nullglob
sets=("$data"/syndication/seed*/)
if [ ${#sets[@]} -eq 0 ]; then
	echo "SKIP: $data/syndication is absent: syndication evaluation not run"
	exit 0
fi
if [ ! -x "$bin" ]; then
	echo "$bin is not an executable: build first (ninja -C build) or pass the binary" >&2
	exit 2
fi
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$root" diff --quiet HEAD 2>/dev/null || commit="$commit+dirty"
cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || true)
echo "commit $commit, $(nproc) cores${cpu:+ ($cpu)}, $bin scan -q${*:+ $*}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for dir in "${sets[@]}"; do
	dir=${dir%/}
	name=$(basename "$dir")
	t0=$(date +%s.%N)
	rc=0
	"$bin" scan -q "$@" --clusters "$work/clusters.jsonl" "$dir/corpus.jsonl" \
		>"$work/pairs.tsv" || rc=$?
	t1=$(date +%s.%N)
	if [ "$rc" -gt 1 ]; then
		echo "$name: scan failed (exit $rc)"
		continue
	fi
	rc=0
	"$bin" eval --truth "$dir" --pairs "$work/pairs.tsv" \
		--clusters "$work/clusters.jsonl" >"$work/eval.txt" || rc=$?
	if [ "$rc" -gt 1 ] || ! grep -q '^pairs: ' "$work/eval.txt"; then
		echo "$name: eval failed (exit $rc)"
		continue
	fi
	awk -v name="$name" -v secs="$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" -v commit="$commit" '
	/^pairs: / {
		# pairs: precision P recall R f1 F (tp A fp B fn C; fp within one outlet D)
		gsub(/[();]/, "")
		p = $3; r = $5; f = $7; tp = $9; fp = $11; fn = $13
		out = ($NF ~ /^[0-9]+$/) ? $NF : "?"
	}
	/^recall by relation: / {
		sub(/^recall by relation: /, "")
		n = split($0, parts, ", ")
		rel = ""
		for (i = 1; i <= n; i++) {
			split(parts[i], w, " ")
			sub(/^same_wire_story_/, "", w[1]); sub(/^partial_/, "", w[1])
			rel = rel (i > 1 ? " " : "") w[1] " " w[2]
		}
	}
	/^clusters: / {
		gsub(/,/, "")
		ari = $3; bf = $10
	}
	END {
		printf "%s: pairs P %.3f R %.3f F1 %.3f (tp %d fp %d fn %d, fp in one outlet %s), " \
		       "recall %s; clusters ARI %.3f B-cubed F1 %.3f; scan %.2f s; commit %s\n",
		       name, p, r, f, tp, fp, fn, out, rel, ari, bf, secs, commit
	}' "$work/eval.txt"
done
