#!/usr/bin/env bash
# A throwaway one-node Slurm cluster (munged + slurmctld + slurmd) that lives
# entirely in one folder, for tests that submit real Slurm jobs.
#
# Usage:
#   bash tests/slurm/cluster.sh start DIR          start it; prints the export line(s)
#   bash tests/slurm/cluster.sh stop DIR           stop what start started (safe twice)
#   bash tests/slurm/cluster.sh run DIR -- CMD...  start, run CMD with SLURM_CONF set,
#                                                  stop on every exit path; exits with CMD's status
#
# start installs slurm-wlm and munge with apt-get when slurmctld/munged are
# missing, and exits 77 (one line on stderr) when they cannot be had, so a
# test can skip. Everything else lives under DIR: the munge key and socket,
# slurm.conf, state, spool, logs and pid files; /etc/slurm and /etc/munge are
# neither read nor written. The controller and slurmd ports are picked free
# at each start. Each started process is recorded in DIR/pids as "name pid";
# stop first cancels this cluster's jobs (scancel, while slurmctld is up),
# then kills exactly those pids (TERM, then KILL), checking that each pid
# still runs the recorded program, and renames DIR/pids to DIR/pids.stopped.
# A DIR left by an earlier run is stopped and its state wiped before a start.
# DIR/env holds the export line(s) for a caller (". DIR/env").
#
# Keep DIR short (the munge socket path must fit in 108 bytes), e.g. mktemp -d.
# Environment: SLURM_CLUSTER_TIMEOUT (seconds to wait for the node to be
# idle, default 60). Jobs run as the user that runs this script (root here).
set -euo pipefail
PATH="$PATH:/usr/sbin:/sbin"

timeout_s=${SLURM_CLUSTER_TIMEOUT:-60}

die() { echo "cluster.sh: $*" >&2; exit 1; }

usage() {
	sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
	exit 2
}

# ---------------------------------------------------------------- install
ensure_installed() {
	local missing=0 b
	for b in munged mungekey slurmctld slurmd sbatch sinfo scontrol; do
		command -v "$b" >/dev/null 2>&1 || missing=1
	done
	[ "$missing" = 0 ] && return 0
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
		echo "cluster.sh: slurm/munge missing and cannot be installed (need root and apt-get)" >&2
		exit 77
	fi
	echo "cluster.sh: installing slurm-wlm and munge with apt-get" >&2
	export DEBIAN_FRONTEND=noninteractive
	if ! { apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null 2>&1 ||
		{ apt-get update -qq >/dev/null 2>&1 &&
			apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null 2>&1; }; }; then
		echo "cluster.sh: apt-get could not install slurm-wlm and munge" >&2
		exit 77
	fi
	for b in munged slurmctld slurmd sbatch sinfo scontrol; do
		command -v "$b" >/dev/null 2>&1 || {
			echo "cluster.sh: $b still missing after installing slurm-wlm and munge" >&2
			exit 77
		}
	done
}

# ---------------------------------------------------------------- ports
# TCP ports in use (any state, IPv4 and IPv6), one decimal number a line.
used_ports() {
	local f
	for f in /proc/net/tcp /proc/net/tcp6; do
		[ -r "$f" ] || continue
		awk 'NR > 1 { split($2, a, ":"); print a[2] }' "$f"
	done | while read -r hex; do echo $((16#$hex)); done | sort -un
}

# Two distinct free ports in 20000..59999.
pick_ports() {
	local used p tries=0 picked=()
	used=" $(used_ports | tr '\n' ' ') "
	while [ "${#picked[@]}" -lt 2 ]; do
		tries=$((tries + 1))
		[ "$tries" -lt 1000 ] || die "no free TCP port found"
		p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
		case "$used" in *" $p "*) continue ;; esac
		[ "${#picked[@]}" = 1 ] && [ "${picked[0]}" = "$p" ] && continue
		picked+=("$p")
	done
	echo "${picked[0]} ${picked[1]}"
}

# ---------------------------------------------------------------- processes
# True when pid runs program name (and is not a zombie).
pid_is() {
	local name=$1 pid=$2 comm state
	[ -r "/proc/$pid/comm" ] || return 1
	comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
	[ "$comm" = "$name" ] || return 1
	state=$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null) || return 1
	[ "$state" != Z ]
}

do_stop() {
	local dir=$1 name pid i alive
	local -a names=() pids=()
	[ -f "$dir/pids" ] || return 0
	while read -r name pid; do
		[ -n "${pid:-}" ] || continue
		names+=("$name")
		pids+=("$pid")
	done <"$dir/pids"
	# Best effort: cancel this cluster's jobs while the controller is up, so
	# no slurmstepd outlives slurmd.
	if [ -f "$dir/slurm.conf" ]; then
		for i in "${!names[@]}"; do
			if [ "${names[$i]}" = slurmctld ] && pid_is slurmctld "${pids[$i]}"; then
				if [ -n "$(SLURM_CONF=$dir/slurm.conf timeout 10 squeue -h -o %i 2>/dev/null)" ]; then
					SLURM_CONF=$dir/slurm.conf timeout 10 scancel --quiet --full -u "$(id -un)" 2>/dev/null || true
					for _ in $(seq 20); do
						[ -z "$(SLURM_CONF=$dir/slurm.conf timeout 10 squeue -h -t running,completing -o %i 2>/dev/null)" ] && break
						sleep 0.5
					done
				fi
			fi
		done
	fi
	# TERM in reverse start order (slurmd, slurmctld, munged), then KILL.
	for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
		if pid_is "${names[$i]}" "${pids[$i]}"; then
			kill -TERM "${pids[$i]}" 2>/dev/null || true
		fi
	done
	for _ in $(seq 50); do
		alive=0
		for i in "${!pids[@]}"; do
			pid_is "${names[$i]}" "${pids[$i]}" && alive=1
		done
		[ "$alive" = 0 ] && break
		sleep 0.1
	done
	for i in "${!pids[@]}"; do
		if pid_is "${names[$i]}" "${pids[$i]}"; then
			echo "cluster.sh: ${names[$i]} (pid ${pids[$i]}) ignored TERM; sending KILL" >&2
			kill -KILL "${pids[$i]}" 2>/dev/null || true
		fi
	done
	for i in "${!pids[@]}"; do
		for _ in $(seq 20); do
			pid_is "${names[$i]}" "${pids[$i]}" || break
			sleep 0.1
		done
		# Reap our own children (run mode); harmless for others.
		wait "${pids[$i]}" 2>/dev/null || true
	done
	mv -f "$dir/pids" "$dir/pids.stopped"
}

# Start "name" in the background with output to the log folder; record its pid.
launch() {
	local dir=$1 name=$2
	shift 2
	"$@" </dev/null >>"$dir/log/$name.out" 2>&1 &
	echo "$name $!" >>"$dir/pids"
}

failed_start() {
	local dir=$1 f
	echo "cluster.sh: $2" >&2
	for f in "$dir"/log/*; do
		[ -s "$f" ] || continue
		# A daemon's .out repeats its .log once the log file is open.
		[ "${f%.out}" != "$f" ] && [ -s "${f%.out}.log" ] && continue
		echo "---- tail of $f" >&2
		tail -n 20 "$f" >&2
	done
	do_stop "$dir"
	exit 1
}

# Is the process recorded under "name" still running?
# (During start: the pid runs and is not a zombie, whatever its name; right
# after launch the child may not have exec'd its program yet, so its comm is
# still the shell's - a CI run once took that for "munged exited during
# start" while munged went on running.)
recorded_alive() {
	local dir=$1 name=$2 n p state
	while read -r n p; do
		[ "$n" = "$name" ] || continue
		# (the state follows the last ')': a comm may hold spaces)
		state=$(sed -n 's/.*) \([A-Za-z]\).*/\1/p' "/proc/$p/stat" 2>/dev/null) || continue
		[ -n "$state" ] && [ "$state" != Z ] && return 0
	done <"$dir/pids"
	return 1
}

do_start() {
	local dir=$1 user node hw mem ctld_port slurmd_port sock conf i state t0
	ensure_installed
	t0=${EPOCHREALTIME:-$(date +%s.%N)}
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	do_stop "$dir"
	rm -rf "$dir/munge" "$dir/state" "$dir/spool" "$dir/log" "$dir/run" \
		"$dir/env" "$dir/pids" "$dir/pids.stopped"
	umask 022
	mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log" "$dir/run"

	sock=$dir/munge/munge.socket.2
	[ "${#sock}" -lt 100 ] || die "DIR too long for a munge socket path: $dir"
	conf=$dir/slurm.conf
	user=$(id -un)
	node=$(hostname -s 2>/dev/null || hostname)
	# Node hardware as slurmd sees it (so it does not "reconfigure" sockets),
	# else just the CPU count.
	hw=$(slurmd -C 2>/dev/null | sed -n 's/^NodeName=[^ ]* \(CPUs=[0-9]* Boards=[0-9]* SocketsPerBoard=[0-9]* CoresPerSocket=[0-9]* ThreadsPerCore=[0-9]*\).*/\1/p')
	[ -n "$hw" ] || hw="CPUs=$(nproc)"
	mem=$(awk '/^MemTotal:/ { m = int($2 / 1024 * 0.9); print (m > 1 ? m : 1) }' /proc/meminfo)
	read -r ctld_port slurmd_port < <(pick_ports)

	# Munge key.
	if command -v mungekey >/dev/null 2>&1; then
		mungekey -c -f -k "$dir/munge/munge.key"
	else
		dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
	fi
	chmod 0400 "$dir/munge/munge.key"

	cat >"$conf" <<EOF
# Generated by tests/slurm/cluster.sh: one-node test cluster in $dir
ClusterName=reprinttest
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SchedulerParameters=bf_interval=1
MpiDefault=none
MailProg=/bin/true
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=60
InactiveLimit=0
KillWait=5
MinJobAge=300
MaxArraySize=10001
NodeName=$node NodeAddr=127.0.0.1 NodeHostname=$node $hw RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
EOF
	# No cgroup.conf: with proctrack/linuxproc and task/none no cgroup plugin loads.
	printf 'export SLURM_CONF=%s\n' "$conf" >"$dir/env"
	: >"$dir/pids"

	# munged, foreground (its log is then log/munged.out), everything under DIR.
	launch "$dir" munged munged -F --force \
		--key-file="$dir/munge/munge.key" --socket="$sock" \
		--pid-file="$dir/run/munged.pid" \
		--seed-file="$dir/munge/munged.seed"
	for i in $(seq 100); do
		[ -S "$sock" ] && break
		recorded_alive "$dir" munged || failed_start "$dir" "munged exited during start"
		sleep 0.1
	done
	[ -S "$sock" ] || failed_start "$dir" "munged socket $sock did not appear"

	export SLURM_CONF=$conf
	launch "$dir" slurmctld slurmctld -D -c -i -f "$conf"
	for i in $(seq 100); do
		timeout 5 scontrol ping 2>/dev/null | grep -q UP && break
		recorded_alive "$dir" slurmctld || failed_start "$dir" "slurmctld exited during start"
		sleep 0.2
	done
	launch "$dir" slurmd slurmd -D -f "$conf" -N "$node"

	state=
	for i in $(seq $((timeout_s * 5))); do
		state=$(timeout 5 sinfo -h -N -n "$node" -o %t 2>/dev/null | head -n 1) || state=
		[ "$state" = idle ] && break
		recorded_alive "$dir" slurmctld || failed_start "$dir" "slurmctld exited during start"
		recorded_alive "$dir" slurmd || failed_start "$dir" "slurmd exited during start"
		sleep 0.2
	done
	[ "$state" = idle ] ||
		failed_start "$dir" "node $node not idle after ${timeout_s}s (state: ${state:-none})"
	awk -v a="$t0" -v b="${EPOCHREALTIME:-$(date +%s.%N)}" -v n="$node" -v c="$ctld_port" -v d="$slurmd_port" \
		'BEGIN { printf "cluster.sh: node %s idle %.1fs after start (slurmctld port %s, slurmd port %s)\n", n, b - a, c, d }' >&2
	cat "$dir/env"
}

# ---------------------------------------------------------------- main
[ $# -ge 2 ] || usage
cmd=$1
dir=$2
shift 2
case "$cmd" in
start)
	[ $# = 0 ] || usage
	do_start "$dir"
	;;
stop)
	[ $# = 0 ] || usage
	[ -d "$dir" ] || exit 0
	do_stop "$(cd "$dir" && pwd)"
	;;
run)
	[ "${1:-}" = -- ] || usage
	shift
	[ $# -gt 0 ] || usage
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	trap 'do_stop "$dir"' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	do_start "$dir" >&2
	set +e
	"$@"
	rc=$?
	set -e
	exit "$rc"
	;;
*)
	usage
	;;
esac
