#!/usr/bin/env bash
# The memory bound's figures (bench/README.md, "Bounded memory"): one
# corpus scanned with --memory 0 (everything in memory), the default bound
# and any further bounds given, one after the other in one run, and with
# an earlier build's binary when PREV is set. Usage, from the repository root:
#   [PREV=old/reprint] bash bench/memory.sh BUILD CORPUS [SIZE...]
# Prints wall time, peak RSS, temporary bytes and the stages' seconds of
# each run, and whether its pairs are byte for byte those of the first.
set -euo pipefail
build=${1:?BUILD}
corpus=${2:?CORPUS}
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ninja -C "$build" >/dev/null
echo "commit   $(git rev-parse --short HEAD)$(git diff --quiet || echo '+dirty')"
echo "machine  $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "corpus   $corpus ($(du -h "$corpus" | cut -f1))"
cat "$corpus" >/dev/null # a warm page cache: the tool's cost, not the disk's

first=
one() { # label binary [args]
	local label=$1 bin=$2
	shift 2
	/usr/bin/time -f "%e %M" -o "$work/time" "$bin" scan -q "$@" "$corpus" \
		-o "$work/$label.tsv" --stats "$work/$label.json" 2>"$work/err" || {
		echo "$label: failed: $(tail -2 "$work/err")"; return; }
	read -r wall kb < <(tail -1 "$work/time")
	local same=first
	if [ -n "$first" ]; then
		cmp -s "$work/$first.tsv" "$work/$label.tsv" && same="same pairs" || same="OTHER PAIRS"
	else
		first=$label
	fi
	python3 - "$work/$label.json" "$label" "$wall" "$kb" "$same" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
sec = s["seconds"]
st = " ".join(f"{k} {sec[k]:.1f}" for k in ("read", "boilerplate", "sign", "candidates", "verify", "align"))
print(f"{sys.argv[2]:<16} wall {float(sys.argv[3]):6.1f} s  peak RSS {int(sys.argv[4])/1024:7.0f} MB  "
      f"temporary {s.get('temporary_bytes', 0)/1e6:7.0f} MB  pairs {s['counts']['pairs']}  "
      f"{sys.argv[5]}  ({st})")
PY
}

if [ -n "${PREV:-}" ]; then
	one previous "$PREV"
fi
one "memory-0" "$build/reprint" --memory 0
one "memory-default" "$build/reprint"
for m in "$@"; do
	one "memory-$m" "$build/reprint" --memory "$m"
done
