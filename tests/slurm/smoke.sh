#!/usr/bin/env bash
# Smoke test of tests/slurm/cluster.sh: starts a one-node Slurm cluster in a
# temporary folder, submits a 4-task job array (each task writes its
# SLURM_ARRAY_TASK_ID to a file) and a job depending on it (afterok) that
# concatenates the four files, waits for that job, checks the files, stops
# the cluster and checks that none of its processes is left.
#
# Usage: bash tests/slurm/smoke.sh
# Prints one line: PASS: ..., FAIL: ... or SKIP: ... (Slurm cannot be
# installed), and exits 0, 1 or 77.
# SMOKE_FAIL=1 makes array task 2 fail on purpose, so the dependent job can
# never run and the check fails (to test that the cluster is stopped anyway).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

# The check, run by cluster.sh with SLURM_CONF set: smoke.sh __check DIR
if [ "${1:-}" = __check ]; then
	dir=$2
	out=$dir/work
	mkdir -p "$out"
	fail() { echo "smoke: $*" >&2; exit 1; }
	fail_flag=${SMOKE_FAIL:-0}
	arr=$(sbatch --parsable --job-name=smoke-array --array=0-3 --chdir="$out" \
		--output="$out/array_%a.log" \
		--wrap="echo \"\$SLURM_ARRAY_TASK_ID\" > task_\$SLURM_ARRAY_TASK_ID.txt
			[ $fail_flag = 1 ] && [ \"\$SLURM_ARRAY_TASK_ID\" = 2 ] && exit 1
			exit 0")
	arr=${arr%%;*}
	fin=$(sbatch --parsable --job-name=smoke-cat --dependency="afterok:$arr" \
		--chdir="$out" --output="$out/cat.log" \
		--wrap='cat task_0.txt task_1.txt task_2.txt task_3.txt > combined.tmp && mv combined.tmp combined.txt')
	fin=${fin%%;*}
	echo "smoke: array job $arr, dependent job $fin" >&2
	state=
	for _ in $(seq 600); do
		info=$(scontrol -o show job "$fin" 2>/dev/null) || info=
		state=$(sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' <<<"$info")
		case "$state" in
		COMPLETED) break ;;
		FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY | BOOT_FAIL | DEADLINE | PREEMPTED)
			fail "dependent job $fin ended $state" ;;
		esac
		case "$info" in
		*Reason=DependencyNeverSatisfied*) fail "dependent job $fin: DependencyNeverSatisfied" ;;
		esac
		sleep 0.2
	done
	[ "$state" = COMPLETED ] || fail "dependent job $fin not done after 120 s (state: ${state:-none})"
	for i in 0 1 2 3; do
		[ "$(cat "$out/task_$i.txt" 2>/dev/null)" = "$i" ] || fail "task_$i.txt wrong or missing"
	done
	[ "$(cat "$out/combined.txt" 2>/dev/null)" = "$(printf '0\n1\n2\n3')" ] ||
		fail "combined.txt wrong or missing"
	exit 0
fi

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
t0=$(date +%s.%N)
set +e
bash "$here/cluster.sh" run "$dir" -- bash "$here/smoke.sh" __check "$dir"
rc=$?
set -e
t1=$(date +%s.%N)
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')

if [ "$rc" = 77 ]; then
	echo "SKIP: slurm smoke: Slurm/munge not installable here"
	exit 77
fi
# Every process cluster.sh started must be gone.
left=
if [ -f "$dir/pids" ]; then
	left="pids file not removed"
elif [ -f "$dir/pids.stopped" ]; then
	while read -r name pid; do
		[ -n "${pid:-}" ] || continue
		if [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ] &&
			[ "$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)" != Z ]; then
			left="$left $name($pid)"
		fi
	done <"$dir/pids.stopped"
else
	left="no pids.stopped record"
fi
if [ "$rc" = 0 ] && [ -z "$left" ]; then
	echo "PASS: slurm smoke (array of 4 + afterok job, ${secs}s)"
	exit 0
fi
echo "FAIL: slurm smoke (check exit $rc${left:+, still running:$left}, ${secs}s)"
exit 1
