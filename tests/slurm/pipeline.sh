#!/usr/bin/env bash
# reprint slurm against reprint scan: the stages over shards must give
# scan's outputs byte for byte (pairs, clusters, syndication) and its exit
# status, run as processes (--local) and as Slurm jobs on a one-node
# cluster (tests/slurm/cluster.sh), also after a task was killed mid-run
# and the same command run again with the same --work.
#
# Usage: bash tests/slurm/pipeline.sh [local|slurm|all]   (default: all)
#   local: the reference scan, usage errors, --local, a killed local task
#   slurm: the reference scan, a Slurm run, a killed Slurm task + re-run
# Environment: REPRINT_BIN (the reprint to test; default build/reprint),
# REPRINT_SHARED_DATA (../shared/data: reuters21578.jsonl and the
# syndication calibration sets syndication/seed*/corpus.jsonl; when absent
# the bundled samples/ are used, said on stderr), REPRINT_SAMPLES.
# Prints PASS:/FAIL: lines; exits 0, 1, or 77 (SKIP: Slurm cannot be
# installed or started here, cluster.sh exits 77). Everything started is
# stopped by pid (cluster.sh stops its daemons on every exit path).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

fail() {
	echo "FAIL: slurm pipeline: $*"
	exit 1
}
secs() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# Compare the outputs with scan's: same.sh WHAT PREFIX
same() {
	local f
	for f in tsv cl syn; do
		[ -f "$2.$f" ] || fail "$1: $2.$f was not written"
		cmp -s "$T/scan.$f" "$2.$f" ||
			fail "$1: $2.$f differs from scan's ($(cmp "$T/scan.$f" "$2.$f" 2>&1 | head -n 1))"
	done
}

# Kill (SIGKILL) the first running task of stage sign, pairs or verify of
# the run in work folder $1 (by pid, found by its exact arguments) while
# process $2 (the driver) runs; prints "STAGE --shard|--part I/N".
kill_task() {
	python3 - "$1" "$2" <<'EOF'
import os, signal, sys, time
work, driver = sys.argv[1].encode(), int(sys.argv[2])
stages = (b"sign", b"pairs", b"verify")
deadline = time.time() + 300
def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
while time.time() < deadline and alive(driver):
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % p, "rb") as f:
                a = f.read().split(b"\0")
        except OSError:
            continue
        if len(a) > 4 and a[1] == b"shard" and a[2] in stages and work in a and alive(int(p)):
            os.kill(int(p), signal.SIGKILL)
            print(" ".join(x.decode() for x in a[2:5]))
            sys.exit(0)
    time.sleep(0.003)
sys.exit(1)
EOF
}

# The inputs, the reference scan and its exit status.
setup() {
	bin=${REPRINT_BIN:-$repo/build/reprint}
	[ -x "$bin" ] || fail "no reprint binary at $bin (set REPRINT_BIN)"
	data=${REPRINT_SHARED_DATA:-$repo/../shared/data}
	kill_tasks=4
	if [ -f "$data/reuters21578.jsonl" ] && compgen -G "$data/syndication/*/corpus.jsonl" >/dev/null; then
		inputs=("$data/reuters21578.jsonl" "$data"/syndication/*/corpus.jsonl)
	else
		echo "pipeline: $data lacks reuters21578.jsonl and syndication/: using the bundled samples/ instead" >&2
		inputs=("${REPRINT_SAMPLES:-$repo/samples}")
		# Tasks on so little live a few milliseconds: more of them, so
		# that one is caught running (and the kill test is run with them).
		kill_tasks=8
	fi
	local t0 rc
	t0=$(date +%s.%N)
	rc=0
	"$bin" scan -q --threads 2 "${inputs[@]}" -o "$T/scan.tsv" --clusters "$T/scan.cl" \
		--syndication "$T/scan.syn" 2>"$T/scan.err" || rc=$?
	[ "$rc" -le 1 ] || fail "reference scan exited $rc: $(head -n 3 "$T/scan.err")"
	scan_rc=$rc
	echo "pipeline: reference scan of ${#inputs[@]} inputs: exit $rc, $(wc -l <"$T/scan.tsv") pair lines, $(secs "$t0")s" >&2
}

# reprint slurm INPUTS with scan's outputs under prefix $1, work folder $2
# and $3 tasks, then the given options; exit status in $rc, stdout and
# stderr in $1.out, $1.err.
slurm() {
	local out=$1 work=$2 tasks=$3
	shift 3
	rc=0
	"$bin" slurm "${inputs[@]}" --work "$work" --tasks "$tasks" -o "$out.tsv" --clusters "$out.cl" \
		--syndication "$out.syn" "$@" >"$out.out" 2>"$out.err" || rc=$?
}

part_local() {
	local t0 w what n
	# Usage errors (exit 2) and no Slurm commands (exit 3), before any work.
	rc=0; "$bin" slurm "${inputs[@]}" --tasks 4 --local 2>"$T/u.err" || rc=$?
	[ "$rc" = 2 ] && grep -q -- --work "$T/u.err" || fail "no --work: exit $rc, not 2"
	rc=0; "$bin" slurm "${inputs[@]}" --work "$T/u" --local 2>"$T/u.err" || rc=$?
	[ "$rc" = 2 ] && grep -q -- --tasks "$T/u.err" || fail "no --tasks: exit $rc, not 2"
	rc=0; "$bin" slurm --work "$T/u" --tasks 2 -- --exclusive 2>"$T/u.err" || rc=$?
	[ "$rc" = 2 ] && grep -q INPUT "$T/u.err" || fail "no INPUT (only SBATCH-OPTIONS): exit $rc, not 2"
	rc=0; "$bin" slurm "${inputs[@]}" --work "$T/u" --tasks 2 --local -- --exclusive 2>"$T/u.err" || rc=$?
	[ "$rc" = 2 ] || fail "--local with SBATCH-OPTIONS: exit $rc, not 2"
	rc=0; PATH=/nonexistent "$bin" slurm "${inputs[@]}" --work "$T/u" --tasks 2 2>"$T/u.err" || rc=$?
	[ "$rc" = 3 ] && grep -q sbatch "$T/u.err" || fail "sbatch missing: exit $rc, not 3 naming sbatch"
	echo "PASS: slurm usage: missing --work/--tasks/INPUT exit 2, sbatch missing exits 3"

	t0=$(date +%s.%N)
	slurm "$T/local" "$T/wl" 4 --local --wait -q
	[ "$rc" = "$scan_rc" ] || fail "--local exited $rc, scan $scan_rc: $(tail -n 5 "$T/local.err")"
	same "--local" "$T/local"
	echo "PASS: slurm --local --tasks 4: scan's outputs byte for byte, exit $rc ($(secs "$t0")s)"

	# A task killed mid-run: exit 3 naming it; the same command again
	# with the same work folder gives scan's outputs.
	t0=$(date +%s.%N)
	w=$T/wk
	"$bin" slurm "${inputs[@]}" --work "$w" --tasks "$kill_tasks" --threads 1 -o "$T/lk.tsv" --clusters "$T/lk.cl" \
		--syndication "$T/lk.syn" --local -q >"$T/lk.out" 2>"$T/lk.err" &
	local driver=$!
	what=$(kill_task "$w" "$driver") || what=
	rc=0; wait "$driver" || rc=$?
	[ -n "$what" ] || fail "--local kill test: no sign/pairs/verify task caught running (driver exit $rc)"
	[ "$rc" = 3 ] || fail "--local, task '$what' killed: exit $rc, not 3"
	n=${what##* }
	grep -q "stage ${what%% *} failed: task ${n%/*} .*signal 9" "$T/lk.err" ||
		fail "--local, task '$what' killed: no message naming it: $(head -n 2 "$T/lk.err")"
	[ ! -e "$T/lk.tsv" ] || fail "--local, task '$what' killed: pairs written anyway"
	slurm "$T/lk" "$w" "$kill_tasks" --local -q --threads 1
	[ "$rc" = "$scan_rc" ] || fail "--local re-run after a kill exited $rc: $(tail -n 5 "$T/lk.err")"
	same "--local re-run after a kill" "$T/lk"
	echo "PASS: slurm --local: task '$what' killed -> exit 3 naming it; re-run gives scan's outputs ($(secs "$t0")s)"
}

# Run by cluster.sh with SLURM_CONF set.
part_slurm() {
	local t0 w what n info
	t0=$(date +%s.%N)
	slurm "$T/slurm" "$T/ws" 4 --threads 1 --wait -- --comment="reprint slurm test"
	[ "$rc" = "$scan_rc" ] || { sed 's/^/  /' "$T/slurm.err"; fail "Slurm run exited $rc, scan $scan_rc"; }
	n=$(grep -cE '^(read|chrome|sign|pairs|verify|finish) [0-9]+$' "$T/slurm.out" || true)
	[ "$n" = 6 ] || fail "Slurm run printed $n of 6 'STAGE JOBID' lines: $(head -c 300 "$T/slurm.out")"
	same "Slurm" "$T/slurm"
	# The SBATCH-OPTIONS after "--" reached sbatch, one word each.
	n=$(awk '$1 == "read" { print $2 }' "$T/slurm.out")
	info=$(scontrol -o show job "$n" 2>&1 || true)
	[[ "$info" == *"Comment=reprint slurm test"* ]] ||
		fail "Slurm run: the SBATCH-OPTIONS after -- did not reach job $n"
	echo "PASS: slurm on Slurm --tasks 4 --wait: scan's outputs byte for byte, exit $rc ($(secs "$t0")s)"

	# SIGKILL a running task: --wait names its stage and exits 3, the
	# run's other jobs are cancelled; the same command again re-runs the
	# stages and gives scan's outputs.
	t0=$(date +%s.%N)
	w=$T/wsk
	"$bin" slurm "${inputs[@]}" --work "$w" --tasks "$kill_tasks" --threads 1 -o "$T/sk.tsv" --clusters "$T/sk.cl" \
		--syndication "$T/sk.syn" --wait >"$T/sk.out" 2>"$T/sk.err" &
	local driver=$!
	what=$(kill_task "$w" "$driver") || what=
	rc=0; wait "$driver" || rc=$?
	[ -n "$what" ] || fail "Slurm kill test: no sign/pairs/verify task caught running (driver exit $rc)"
	[ "$rc" = 3 ] || fail "Slurm, task '$what' killed: --wait exited $rc, not 3"
	n=${what##* }
	grep -q "stage ${what%% *} (job [0-9]*) failed: task ${n%/*} " "$T/sk.err" ||
		fail "Slurm, task '$what' killed: no message naming its stage: $(grep -v '^  |' "$T/sk.err" | tail -n 3)"
	[ ! -e "$T/sk.tsv" ] || fail "Slurm, task '$what' killed: pairs written anyway"
	# Nothing of that run may stay queued (the driver cancelled it).
	local left=
	for _ in $(seq 60); do
		left=$(squeue -h -o '%i %j %T' 2>/dev/null || true)
		[ -z "$left" ] && break
		sleep 0.5
	done
	[ -z "$left" ] || fail "Slurm, task '$what' killed: jobs still queued: $left"
	slurm "$T/sk" "$w" "$kill_tasks" --threads 1 --wait -q
	[ "$rc" = "$scan_rc" ] || { sed 's/^/  /' "$T/sk.err"; fail "Slurm re-run after a kill exited $rc"; }
	same "Slurm re-run after a kill" "$T/sk"
	echo "PASS: slurm on Slurm: task '$what' killed -> --wait exit 3 naming it, the rest cancelled; re-run gives scan's outputs ($(secs "$t0")s)"
}

if [ "${1:-}" = __slurm ]; then
	# Inside cluster.sh run: T, bin, scan_rc and the inputs come from the caller.
	T=$2
	bin=$3
	scan_rc=$4
	kill_tasks=$5
	shift 5
	inputs=("$@")
	part_slurm
	exit 0
fi

mode=${1:-all}
case "$mode" in local | slurm | all) ;; *) echo "usage: $0 [local|slurm|all]" >&2; exit 2 ;; esac
T=$(mktemp -d)
cdir=
cleanup() {
	[ -z "$cdir" ] || bash "$here/cluster.sh" stop "$cdir" >/dev/null 2>&1 || true
	rm -rf "$T" ${cdir:+"$cdir"}
}
trap cleanup EXIT
t_all=$(date +%s.%N)
setup
if [ "$mode" != slurm ]; then
	part_local
fi
if [ "$mode" != local ]; then
	# Short: the munge socket's path must fit in 108 bytes.
	cdir=$(mktemp -d /tmp/rps.XXXXXX)
	rc=0
	bash "$here/cluster.sh" run "$cdir" -- bash "$0" __slurm "$T" "$bin" "$scan_rc" "$kill_tasks" "${inputs[@]}" || rc=$?
	if [ "$rc" = 77 ]; then
		echo "SKIP: slurm pipeline on Slurm: Slurm/munge cannot be installed or started here"
		exit 77
	fi
	[ "$rc" = 0 ] || fail "the Slurm part failed (exit $rc)"
	# Every daemon cluster.sh started must be gone.
	[ -f "$cdir/pids.stopped" ] && [ ! -f "$cdir/pids" ] || fail "cluster.sh did not record its stop"
	while read -r name pid; do
		[ -n "${pid:-}" ] || continue
		if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ] &&
			[ "$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)" != Z ]; then
			fail "$name (pid $pid) still running after the cluster was stopped"
		fi
	done <"$cdir/pids.stopped"
fi
echo "PASS: slurm pipeline ($mode, ${#inputs[@]} inputs, $(secs "$t_all")s)"
