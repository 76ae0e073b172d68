#!/usr/bin/env bash
# reprint slurm against reprint scan: the stages over shards must give
# scan's outputs byte for byte (pairs, clusters, syndication, rejects, dedup) and
# its exit status, run as processes (--local) and as Slurm jobs on a one-node
# cluster (tests/slurm/cluster.sh), also after a task was killed mid-run
# and the same command run again with the same --work.
#
# Usage: bash tests/slurm/pipeline.sh [local|slurm|all]   (default: all)
#   local: the reference scan, usage errors, --local, a killed local task
#   slurm: the reference scan, a Slurm run, a killed Slurm task + re-run
# Environment: REPRINT_BIN (the reprint to test; default build/reprint),
# REPRINT_SHARED_DATA (../shared/data: reuters21578.jsonl and the
# syndication calibration sets syndication/seed*/corpus.jsonl; when absent
# the bundled samples/ and a generated corpus are used, said on stderr),
# REPRINT_SAMPLES. Needs python3 (the corpus, the task killer).
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
	for f in tsv cl syn rej dedup.zst; do
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

# A deterministic JSONL corpus of 4000 texts of random words, 15% of them
# edited or trimmed copies of a recent one: gen_corpus FILE.
gen_corpus() {
	python3 - "$1" <<'EOF2'
import json, random, sys
rnd = random.Random(20261205)
letters = "abcdefghijklmnopqrstuvwxyz"
vocab = ["".join(rnd.choice(letters) for _ in range(rnd.randint(2, 9))) for _ in range(4000)]
weights = [1.0 / (i + 1) for i in range(len(vocab))]
recent = []
with open(sys.argv[1], "w") as f:
    for i in range(4000):
        if recent and rnd.random() < 0.15:
            words = list(rnd.choice(recent))
            for _ in range(rnd.randint(0, 6)):
                words[rnd.randrange(len(words))] = rnd.choice(vocab)
            if rnd.random() < 0.3:
                words = words[: int(len(words) * rnd.uniform(0.6, 0.95))]
        else:
            words = rnd.choices(vocab, weights, k=rnd.randint(150, 600))
        recent.append(words)
        if len(recent) > 300:
            recent.pop(rnd.randrange(len(recent)))
        text = "\n\n".join(" ".join(words[j:j + 60]) + "." for j in range(0, len(words), 60))
        f.write(json.dumps({"id": "gen-%05d" % i, "outlet": "outlet-%d" % (i % 12),
                            "title": " ".join(words[:6]), "text": text}) + "\n")
EOF2
}

# The inputs, the reference scan and its exit status.
setup() {
	[ -x "$bin" ] || fail "no reprint binary at $bin (set REPRINT_BIN)"
	if [ -f "$data/reuters21578.jsonl" ] && compgen -G "$data/syndication/*/corpus.jsonl" >/dev/null; then
		inputs=("$data/reuters21578.jsonl" "$data"/syndication/*/corpus.jsonl)
	else
		# The samples' tasks live a few milliseconds, too short to be
		# caught running: a generated corpus (9 MB) with them.
		echo "pipeline: $data lacks reuters21578.jsonl and syndication/: using the bundled samples/ and a generated corpus instead" >&2
		gen_corpus "$T/generated.jsonl"
		inputs=("$samples" "$T/generated.jsonl")
	fi
	# One more input, named relative to the folder the commands run in
	# (T): records without an id are named FILE:LINE as given, two of
	# them copies; a malformed line is rejected (exit status 1, which
	# every run must give as scan does).
	cat >extra.jsonl <<'EOF2'
{"text": "The harbour authority said on Tuesday that the new container terminal would open in the spring, two months later than planned, after delays in the delivery of its cranes."}
{"text": "The harbour authority said on Tuesday that the new container terminal would open in the spring, two months later than planned, after delays in the delivery of its cranes."}
{"id": "extra-broken", "text": 
{"id": "extra-other", "text": "An unrelated note about the weather: rain in the morning, clearing by the afternoon, with light winds from the west."}
EOF2
	inputs+=(extra.jsonl)
	local t0 rc
	t0=$(date +%s.%N)
	rc=0
	"$bin" scan -q --threads 2 "${inputs[@]}" -o "$T/scan.tsv" --clusters "$T/scan.cl" \
		--syndication "$T/scan.syn" --rejects "$T/scan.rej" --dedup "$T/scan.dedup.zst" 2>"$T/scan.err" || rc=$?
	[ "$rc" = 1 ] || fail "reference scan exited $rc, not 1 (extra.jsonl has a malformed line): $(head -n 3 "$T/scan.err")"
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
		--syndication "$out.syn" --rejects "$out.rej" --dedup "$out.dedup.zst" "$@" >"$out.out" 2>"$out.err" || rc=$?
}

part_local() {
	local t0
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

	kill_test local
}

# SIGKILL a running task of sign, pairs or verify (kill_test local|slurm):
# the driver names it and exits 3 (with Slurm, --wait, after cancelling
# the run's other jobs), nothing is written; the same command again with
# the same work folder re-runs the stages and gives scan's outputs. A run
# where no task was caught running (they are short) is tried again.
kill_test() {
	local mode=$1 t0 w what n attempt driver left label opts=()
	if [ "$mode" = local ]; then
		label="--local"
		opts=(--local)
	else
		label="Slurm"
		opts=(--wait)
	fi
	t0=$(date +%s.%N)
	for attempt in 1 2 3; do
		w=$T/k$mode$attempt
		rm -f "$T/k.tsv" "$T/k.cl" "$T/k.syn" "$T/k.rej" "$T/k.dedup.zst"
		"$bin" slurm "${inputs[@]}" --work "$w" --tasks 4 --threads 1 -o "$T/k.tsv" --clusters "$T/k.cl" \
			--syndication "$T/k.syn" --rejects "$T/k.rej" --dedup "$T/k.dedup.zst" "${opts[@]}" -q >"$T/k.out" 2>"$T/k.err" &
		driver=$!
		what=$(kill_task "$w" "$driver") || what=
		rc=0
		wait "$driver" || rc=$?
		[ -z "$what" ] || break
		echo "pipeline: $label kill test, attempt $attempt: no sign/pairs/verify task caught running (exit $rc)" >&2
	done
	[ -n "$what" ] || fail "$label kill test: no sign/pairs/verify task caught running in 3 runs"
	[ "$rc" = 3 ] || fail "$label, task '$what' killed: exit $rc, not 3: $(head -n 3 "$T/k.err")"
	n=${what##* }
	n=${n%/*}
	if [ "$mode" = local ]; then
		grep -q "stage ${what%% *} failed: task $n .*signal 9" "$T/k.err"
	else
		grep -q "stage ${what%% *} (job [0-9]*) failed: task $n " "$T/k.err"
	fi || fail "$label, task '$what' killed: no message naming it: $(grep -v '^  |' "$T/k.err" | head -n 3)"
	[ ! -e "$T/k.tsv" ] || fail "$label, task '$what' killed: pairs written anyway"
	if [ "$mode" = slurm ]; then
		# Nothing of that run may stay queued: the driver cancelled it.
		left=
		for _ in $(seq 60); do
			left=$(squeue -h -o '%i %j %T' 2>/dev/null || true)
			[ -z "$left" ] && break
			sleep 0.5
		done
		[ -z "$left" ] || fail "Slurm, task '$what' killed: jobs still queued: $left"
	fi
	slurm "$T/k" "$w" 4 --threads 1 "${opts[@]}" -q
	[ "$rc" = "$scan_rc" ] || { sed 's/^/  /' "$T/k.err"; fail "$label re-run after a kill exited $rc, scan $scan_rc"; }
	same "$label re-run after a kill" "$T/k"
	[ "$mode" = local ] || label="$label --wait"
	echo "PASS: slurm $label: task '$what' killed -> exit 3 naming it, nothing written; re-run with the same --work gives scan's outputs ($(secs "$t0")s)"
}

# Run by cluster.sh with SLURM_CONF set.
part_slurm() {
	local t0 n info
	t0=$(date +%s.%N)
	slurm "$T/slurm" "$T/ws" 4 --threads 1 --memory 256M --wait -- --comment="reprint slurm test"
	[ "$rc" = "$scan_rc" ] || { sed 's/^/  /' "$T/slurm.err"; fail "Slurm run exited $rc, scan $scan_rc"; }
	n=$(grep -cE '^(read|chrome|sign|pairs|verify|finish) [0-9]+$' "$T/slurm.out" || true)
	[ "$n" = 6 ] || fail "Slurm run printed $n of 6 'STAGE JOBID' lines: $(head -c 300 "$T/slurm.out")"
	same "Slurm" "$T/slurm"
	# The SBATCH-OPTIONS after "--" reached sbatch, one word each.
	n=$(awk '$1 == "read" { print $2 }' "$T/slurm.out")
	info=$(scontrol -o show job "$n" 2>&1 || true)
	[[ "$info" == *"Comment=reprint slurm test"* ]] ||
		fail "Slurm run: the SBATCH-OPTIONS after -- did not reach job $n"
	# --memory 256M asks Slurm for the bound and 256 MiB more (slurm.c).
	[[ "$info" == *"MinMemoryNode=513M"* ]] ||
		fail "Slurm run: --memory 256M did not ask for --mem=513M: $(grep -o 'MinMemory[^ ]*' <<<"$info")"
	echo "PASS: slurm on Slurm --tasks 4 --memory 256M --wait: scan's outputs byte for byte, --mem=513M, exit $rc ($(secs "$t0")s)"

	kill_test slurm
}

if [ "${1:-}" = __slurm ]; then
	# Inside cluster.sh run: T, bin, scan_rc and the inputs come from the caller.
	T=$2
	bin=$3
	scan_rc=$4
	shift 4
	inputs=("$@")
	cd "$T"
	part_slurm
	exit 0
fi

mode=${1:-all}
case "$mode" in local | slurm | all) ;; *) echo "usage: $0 [local|slurm|all]" >&2; exit 2 ;; esac
# Paths from the environment, before the cd below.
bin=$(realpath -m "${REPRINT_BIN:-$repo/build/reprint}")
data=$(realpath -m "${REPRINT_SHARED_DATA:-$repo/../shared/data}")
samples=$(realpath -m "${REPRINT_SAMPLES:-$repo/samples}")
T=$(mktemp -d)
# Every command runs here: the relative INPUT extra.jsonl is found from it.
cd "$T"
cdir=
cleanup() {
	cd /
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
	bash "$here/cluster.sh" run "$cdir" -- bash "$here/pipeline.sh" __slurm "$T" "$bin" "$scan_rc" "${inputs[@]}" || rc=$?
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
