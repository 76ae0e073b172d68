#!/bin/sh
# bench/news_shape.sh BUILD N [WORK]: the default command on N news-shaped
# pages (gen_corpus --news: 40 outlets in site chrome, a quarter of the
# pages copies of a recent story - full reprints, trims, excerpts).
# Prints, from one run: wall seconds, peak RSS, documents/s and MB/s of
# `reprint scan FILE -o pairs.tsv` (defaults, all cores), and against the
# generator's truth the recall of each kind of copy and the pairs that
# join two different stories (false pairs: the generator writes no other
# shared text). Timings are wall-clock on a shared machine.
set -e
B=${1:?usage: news_shape.sh BUILD N [WORK]}
N=${2:?usage: news_shape.sh BUILD N [WORK]}
W=${3:-/tmp/reprint-news-shape-$N}
mkdir -p "$W"
cd "$W"
[ -s news.jsonl ] || "$B/bench/gen_corpus" --news "$N" news.jsonl truth.tsv 1 >/dev/null 2>&1
cat news.jsonl > /dev/null   # in the page cache before timing
bytes=$(wc -c < news.jsonl)
/usr/bin/time -f "%e %M" -o scan.t "$B/reprint" scan -q news.jsonl -o pairs.tsv
read secs kb < scan.t
fig() { printf '%-30s %14s %s\n' "$1" "$2" "$3"; }
fig documents "$N" docs
fig scan_seconds "$secs" s
fig scan_peak_rss "$((kb / 1024))" MB
fig scan_docs_per_s "$(echo "$N / $secs" | bc)" docs/s
fig scan_MB_per_s "$(echo "scale=1; $bytes / 1000000 / $secs" | bc)" MB/s
python3 - <<'PY'
import collections
story, kinds = {}, collections.Counter()
truth = set()
for l in open('truth.tsv').read().splitlines()[1:]:
    a, b, k = l.split('\t')
    story[b] = story.get(a, a)
    truth.add((a, b, k))
    kinds[k] += 1
found = set()
false = 0
for l in open('pairs.tsv').read().splitlines()[1:]:
    a, b = l.split('\t')[:2]
    found.add((a, b)); found.add((b, a))
    if story.get(a, a) != story.get(b, b):
        false += 1
got = collections.Counter(k for a, b, k in truth if (a, b) in found)
for k in sorted(kinds):
    print('%-30s %14.4f (%d of %d)' % ('recall_' + k, got[k] / kinds[k], got[k], kinds[k]))
print('%-30s %14d pairs of %d' % ('false_pairs', false, len(found) // 2))
PY
