#!/usr/bin/env bash
# Run every fuzz target for SECONDS (default 600), two at a time, from the
# seed corpus; new inputs go to a work folder, crashes to regressions/.
# Usage: bash tests/fuzz/run.sh [SECONDS] [BUILD_DIR]
set -euo pipefail
secs=${1:-600}
build=${2:-build-fuzz}
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" -Dfuzz=true -Dtests=false \
		-Db_sanitize=address,undefined -Db_lundef=false --buildtype=debugoptimized \
		-Dc_args=-fno-sanitize-recover=all
fi
ninja -C "$build"
work=$(mktemp -d /tmp/reprint-fuzz-XXXXXX)
echo "work corpus: $work"
run_one() {
	local t=$1 max=65536 len=()
	# (an index of samples/ is over 64 KiB: its seeds would be cut; and
	# libFuzzer grows its length limit from the largest seed only
	# slowly: at 110,592 bytes after 30 minutes in session 12, so index
	# files up to max_len were never tried without -len_control=0)
	[ "$t" = fuzz_index ] && max=131072 && len=(-len_control=0)
	mkdir -p "$work/$t"
	"$build/tests/fuzz/$t" -max_total_time="$secs" -max_len="$max" "${len[@]}" -timeout=20 \
		-rss_limit_mb=4096 -artifact_prefix="$here/regressions/$t-" \
		"$work/$t" "$here/corpus/$t" >"$work/$t.log" 2>&1 || true
	echo "$t: $(grep -E '^(#[0-9]+|Done)' "$work/$t.log" | tail -1)"
	grep -E 'ERROR|SUMMARY' "$work/$t.log" | head -5 || true
}
targets=(fuzz_jsonl fuzz_text fuzz_normalize fuzz_sign fuzz_scan fuzz_ask fuzz_index fuzz_date fuzz_html fuzz_shard)
for ((i = 0; i < ${#targets[@]}; i += 2)); do
	run_one "${targets[i]}" &
	if [ $((i + 1)) -lt ${#targets[@]} ]; then
		run_one "${targets[i + 1]}" &
	fi
	wait
done
