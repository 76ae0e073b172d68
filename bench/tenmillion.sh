#!/usr/bin/env bash
# The 10M-document run of issue 12 (bench/README.md, "10M documents"): the
# bench generator's corpus written as .jsonl.zst at 1M and at 10M documents
# (streamed through zstd, never stored uncompressed; kept in DIR for later
# runs), each scanned under the default memory bound, one after the other
# in one run. Usage, from the repository root:
#   bash bench/tenmillion.sh BUILD DIR [N_BIG] [-- SCAN-OPTIONS]
# N_BIG (default 10000000) is the larger corpus's size; SCAN-OPTIONS go to
# both scans (e.g. --jaccard-only). Prints each run's
# wall time, peak RSS, temporary bytes, stages, the cost per document of
# the large run against the small one, the disk free before and after, and
# checks the planted pairs (truth) the large run found.
set -euo pipefail
build=${1:?BUILD}
dir=${2:?DIR}
shift 2
big=10000000
if [ $# -gt 0 ] && [ "$1" != "--" ]; then
	big=$1
	shift
fi
[ "${1:-}" = "--" ] && shift
opts=("$@")
mkdir -p "$dir"
ninja -C "$build" >/dev/null
echo "commit   $(git rev-parse --short HEAD)$(git diff --quiet || echo '+dirty')"
echo "machine  $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/^Mem/ {print $2}') GiB"

make_corpus() { # n
	local n=$1 out="$dir/corpus-$1.jsonl.zst"
	if [ ! -s "$out" ]; then
		local t0=$SECONDS
		"$build/bench/gen_corpus" "$n" /dev/stdout "$dir/truth-$n.tsv" |
			zstd -q -3 -T2 -o "$out.part"
		mv "$out.part" "$out"
		echo "generated $out in $((SECONDS - t0)) s" >&2
	fi
	echo "$out"
}

scan() { # n
	local n=$1 corpus
	corpus=$(make_corpus "$n")
	echo "corpus   $corpus ($(du -h "$corpus" | cut -f1)); disk free $(df -h --output=avail "$dir" | tail -1 | tr -d ' ')"
	echo "command  reprint scan -q --tmpdir $dir ${opts[*]} $corpus"
	/usr/bin/time -f "%e %M" -o "$dir/time-$n" "$build/reprint" scan -q \
		--tmpdir "$dir" "${opts[@]}" "$corpus" -o "$dir/pairs-$n.tsv" \
		--stats "$dir/stats-$n.json" 2>"$dir/err-$n" || {
		echo "$n: failed: $(tail -3 "$dir/err-$n")"; return 1; }
	echo "disk free after: $(df -h --output=avail "$dir" | tail -1 | tr -d ' ')"
}

scan 1000000
scan "$big"
python3 - "$dir" 1000000 "$big" <<'PY'
import json, sys
d, small, big = sys.argv[1], sys.argv[2], sys.argv[3]
per = {}
for n in (small, big):
    s = json.load(open(f"{d}/stats-{n}.json"))
    wall, kb = open(f"{d}/time-{n}").read().split()[-2:]
    sec = s["seconds"]
    st = ", ".join(f"{k} {sec[k]:.1f}" for k in ("read", "boilerplate", "sign", "candidates", "verify", "align"))
    docs = s["counts"]["documents"]
    per[n] = float(wall) / docs
    # The planted reprints: (source, copy) pairs of the truth file.
    truth = set()
    with open(f"{d}/truth-{n}.tsv") as f:
        next(f)
        for line in f:
            a, b = line.split()
            truth.add((a, b) if a < b else (b, a))
    found = set()
    with open(f"{d}/pairs-{n}.tsv") as f:
        next(f)
        for line in f:
            a, b = line.split("\t")[:2]
            found.add((a, b) if a < b else (b, a))
    print(f"{int(n):>10,} docs  wall {float(wall):7.1f} s  peak RSS {int(kb)/1024:6.0f} MB  "
          f"temporary {s.get('temporary_bytes', 0)/1e9:5.1f} GB  "
          f"{per[n]*1e6:5.1f} us/doc  pairs {s['counts']['pairs']:,}  "
          f"planted found {len(truth & found):,}/{len(truth):,}  ({st})")
print(f"per-document cost, {int(big):,} against {int(small):,}: {per[big]/per[small]:.2f}x")
PY
