#!/usr/bin/env bash
# Produce the figures of bench/README.md. Usage, from the repository root:
#   bash bench/run.sh [BUILD_DIR] [WORK_DIR]        (100k corpus and real data)
#   BENCH_1M=1 bash bench/run.sh                    (also the 1M corpus, 4.3 GB)
# Needs a release build (meson setup build). Writes corpora to WORK_DIR
# (default /tmp/reprint-bench); reads ../shared/data when present.
# Inputs are read once before each timed run, so figures are for a warm
# page cache (the tool's cost, not the disk's).
set -euo pipefail
build=${1:-build}
work=${2:-/tmp/reprint-bench}
mkdir -p "$work"
ninja -C "$build" >/dev/null

echo "commit   $(git rev-parse --short HEAD)$(git diff --quiet || echo '+dirty')"
echo "machine  $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
recall() { # pairs.tsv truth.tsv
	awk -F'\t' 'NR == FNR { if (FNR > 1) p[$1 "\t" $2] = 1; next }
		FNR > 1 { t++; if (($1 "\t" $2) in p || ($2 "\t" $1) in p) f++ }
		END { printf "%d/%d = %.4f", f, t, t ? f / t : 0 }' "$1" "$2"
}

scan() { # name input [extra args]
	local name=$1 in=$2; shift 2
	cat "$in" >/dev/null # warm page cache: measure the tool, not the disk
	/usr/bin/time -f "%e %M" -o "$work/$name.time" \
		"$build/reprint" scan "$@" "$in" -o "$work/$name.tsv" 2>"$work/$name.err" || true
	read -r wall kb < <(tail -1 "$work/$name.time")
	local docs
	docs=$(grep -o '[0-9]* documents scanned' "$work/$name.err" | cut -d' ' -f1)
	printf '%-22s wall %6.2f s  peak RSS %7.1f MB  %6.1f us/doc  %s\n' "$name" "$wall" \
		"$(echo "$kb / 1024" | bc -l)" "$(echo "$wall * 1000000 / $docs" | bc -l)" \
		"$(grep -o '[0-9]* candidates, [0-9]* pairs' "$work/$name.err")"
}

sizes=(100000)
[ "${BENCH_1M:-0}" = 1 ] && sizes+=(1000000)
for n in "${sizes[@]}"; do
	c="$work/gen$n.jsonl"
	[ -f "$c" ] || "$build/bench/gen_corpus" "$n" "$c" "$work/gen$n.truth.tsv"
done
sync # let writeback of fresh corpora finish before timing anything

echo
echo "== stages, generated 100k corpus (bench_stages, 1 and 2 threads)"
"$build/bench/bench_stages" "$work/gen100000.jsonl" 2

ratio() { # name-of-default name-of-jaccard-only: time and memory ratios
	local a b
	read -r a b < <(tail -1 "$work/$1.time")
	read -r c d < <(tail -1 "$work/$2.time")
	printf '   default / --jaccard-only: time %.2fx, peak memory %.2fx\n' \
		"$(echo "$a / $c" | bc -l)" "$(echo "$b / $d" | bc -l)"
}

echo
echo "== end to end (reprint scan, 2 threads): the default (containment 0.5,"
echo "   passages of 25 words) against --jaccard-only, one after the other"
for n in "${sizes[@]}"; do
	scan "gen${n}_jaccard" "$work/gen$n.jsonl" --threads 2 --jaccard-only
	scan "gen$n" "$work/gen$n.jsonl" --threads 2
	ratio "gen$n" "gen${n}_jaccard"
	echo "   recall of planted reprints: $(recall "$work/gen$n.tsv" "$work/gen$n.truth.tsv")"
done
scan gen100000_1thread "$work/gen100000.jsonl" --threads 1

# The news-shaped corpus of ../shared/tools/gen_news.py (many more pairs,
# stock phrases, outlet boilerplate), when it has been generated into WORK.
news="$work/news100k.jsonl"
if [ -f "$news" ]; then
	scan news100k_jaccard "$news" --threads 2 --jaccard-only
	scan news100k "$news" --threads 2
	ratio news100k news100k_jaccard
	[ -f "$work/news100k.pairs.tsv" ] &&
		echo "   recall of generated pairs: $(recall "$work/news100k.tsv" "$work/news100k.pairs.tsv")"
else
	echo "$news is absent (python3 ../shared/tools/gen_news.py --n 100000 --out $work/news100k): skipped"
fi

echo
echo "== quality on the syndication sets (bench/eval_news.sh) and Clough-Stevenson (bench/clough.sh)"
bash bench/eval_news.sh "$build/reprint"
bash bench/clough.sh "$build" | tail -7

data=../shared/data
if [ -d "$data" ]; then
	for f in reuters21578 20news_bydate; do
		scan "$f" "$data/$f.jsonl" --threads 2
		scan "${f}_exact" "$data/$f.jsonl" --exact --threads 2
		echo "   LSH recall of --exact pairs: $(awk -F'\t' 'NR == FNR { p[$1 "\t" $2] = 1; next }
			FNR > 1 { t++; if (($1 "\t" $2) in p) f++ } END { printf "%d/%d", f, t }' \
			"$work/$f.tsv" "$work/${f}_exact.tsv")"
	done
else
	echo "../shared/data is absent: real-corpus runs skipped"
fi
