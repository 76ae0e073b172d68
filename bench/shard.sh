#!/usr/bin/env bash
# Scan as stages over shards against scan, in one run (bench/README.md,
# "Stages over shards"): `reprint scan` and `reprint slurm --local` with
# each task count given (default 2 and 4), ROUNDS times alternating (default
# 1). Usage, from the repository root:
#   [ROUNDS=n] bash bench/shard.sh BUILD CORPUS [TASKS...]
# Prints each run's wall time and peak RSS (of the largest process), its
# ratio to the scan of the same round, whether its pairs and clusters are
# scan's byte for byte, the stage times from the driver's log, the
# bytes each stage wrote per document, and at the end each task count's
# ratios and their median.
set -euo pipefail
build=${1:?BUILD}
corpus=${2:?CORPUS}
shift 2
tasks=("$@")
[ ${#tasks[@]} -gt 0 ] || tasks=(2 4)
rounds=${ROUNDS:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ninja -C "$build" >/dev/null
bin=$build/reprint
echo "commit   $(git rev-parse --short HEAD)$(git diff --quiet || echo '+dirty')"
echo "machine  $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "corpus   $corpus ($(du -h "$corpus" | cut -f1))"
cat "$corpus" >/dev/null # a warm page cache: the tool's cost, not the disk's

declare -A ratios
for ((r = 1; r <= rounds; r++)); do
	/usr/bin/time -f "%e %M" -o "$work/time" "$bin" scan -q "$corpus" \
		-o "$work/scan.tsv" --clusters "$work/scan.cl"
	read -r swall skb < <(tail -1 "$work/time")
	printf "round %d  scan          wall %7.1f s  peak RSS %6.0f MB\n" "$r" "$swall" \
		"$(echo "$skb / 1024" | bc -l)"
	for n in "${tasks[@]}"; do
		rm -rf "$work/w"
		/usr/bin/time -f "%e %M" -o "$work/time" "$bin" slurm --local \
			"$corpus" --work "$work/w" --tasks "$n" -o "$work/sh.tsv" \
			--clusters "$work/sh.cl" --wait 2>"$work/err" || {
			echo "slurm --local --tasks $n failed: $(tail -3 "$work/err")"; continue; }
		read -r wall kb < <(tail -1 "$work/time")
		same="same pairs and clusters"
		cmp -s "$work/scan.tsv" "$work/sh.tsv" && cmp -s "$work/scan.cl" "$work/sh.cl" ||
			same="OTHER PAIRS OR CLUSTERS"
		ratio=$(echo "$wall / $swall" | bc -l)
		ratios[$n]="${ratios[$n]:-} $ratio"
		printf "round %d  --local %2d    wall %7.1f s  peak RSS %6.0f MB  %.2fx scan  %s\n" \
			"$r" "$n" "$wall" "$(echo "$kb / 1024" | bc -l)" \
			"$ratio" "$same"
		grep -h "stage" "$work/err" | sed 's/^/          /' || true
		if [ "$r" = 1 ]; then
			docs=$(grep -c . "$corpus")
			for st in read sign pairs verify; do
				b=$(cat "$work"/w/"$st"-* 2>/dev/null | wc -c)
				[ "$docs" -gt 0 ] && printf "          %-7s writes %8.0f bytes a document\n" \
					"$st" "$(echo "$b / $docs" | bc -l)"
			done
		fi
	done
done
# Each task count's ratios to the scan of its round, and their median
# (the machine moves between rounds more than one round tells).
for n in "${tasks[@]}"; do
	[ -n "${ratios[$n]:-}" ] || continue
	printf "%d tasks: ratios%s; median %s\n" "$n" \
		"$(printf ' %.2f' ${ratios[$n]})" \
		"$(printf '%s\n' ${ratios[$n]} | sort -g |
			awk '{v[NR] = $1} END {m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2fx", m}')"
done
