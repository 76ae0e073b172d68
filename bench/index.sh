#!/bin/sh
# bench/index.sh BUILD N [WORK]: the archive index on N bench documents.
#
# Makes (or reuses, in WORK, default /tmp/reprint-index-bench-N) the bench
# corpus of N + 200 documents (gen_corpus, seed 1): the first N are the
# archive, the last 200 new articles; 200 archived texts under new ids are
# reprints to find. Prints, from one run:
#   - scan of the archive and index add of it (10,000 documents a batch),
#     each in seconds, documents/s, MB/s and peak RSS, and their ratio;
#     scan's own reading, chrome learning and signing (its --stats), the
#     work an add repeats before it writes, and the add's ratio to those;
#   - the index file: bytes per document beyond the text, with and
#     without SQLite's free pages (left by merged generations, reused by
#     later adds);
#   - single-article query latency (bench_index: p50, p90, p99, max) for
#     the 400 articles, and how many were answered from the whole archive
#     (should be 0).
# Timings are wall-clock on a shared machine: compare within one run.
set -e
B=$(cd "${1:?usage: index.sh BUILD N [WORK]}" && pwd)
N=${2:?usage: index.sh BUILD N [WORK]}
W=${3:-/tmp/reprint-index-bench-$N}
mkdir -p "$W"
cd "$W"
if [ ! -s arch.jsonl ] || [ ! -s q.jsonl ]; then
	"$B/bench/gen_corpus" $((N + 200)) all.jsonl truth.tsv 1 >/dev/null
	head -n "$N" all.jsonl > arch.jsonl
	tail -n 200 all.jsonl > q.jsonl
	python3 - <<'EOF'
import json, random
random.seed(1)
lines = open('arch.jsonl').readlines()
with open('q.jsonl', 'a') as out:
    for l in random.sample(lines, 200):
        r = json.loads(l)
        r['id'] = 'reprint-of-' + r['id']
        out.write(json.dumps(r) + '\n')
EOF
	rm -f all.jsonl
fi
bytes=$(wc -c < arch.jsonl)
fig() { printf '%-30s %14s %s\n' "$1" "$2" "$3"; }
calc() { awk "BEGIN { printf \"%.${2:-0}f\", $1 }"; }
run() { # name, command...: seconds and peak KB into $name.t
	name=$1; shift
	/usr/bin/time -f "%e %M" -o "$name.t" "$@"
}
run scan "$B/reprint" scan -q arch.jsonl -o scan.tsv --stats scan.json
rm -f idx.db idx.db-wal idx.db-shm
run add "$B/reprint" index add -q idx.db arch.jsonl
read s_sec s_kb < scan.t
read a_sec a_kb < add.t
fig scan_seconds "$s_sec" s
fig scan_docs_per_s "$(calc "$N / $s_sec")" docs/s
fig scan_MB_per_s "$(calc "$bytes / 1000000 / $s_sec" 1)" MB/s
fig scan_peak_rss "$((s_kb / 1024))" MB
fig add_seconds "$a_sec" s
fig add_docs_per_s "$(calc "$N / $a_sec")" docs/s
fig add_MB_per_s "$(calc "$bytes / 1000000 / $a_sec" 1)" MB/s
fig add_peak_rss "$((a_kb / 1024))" MB
fig add_over_scan "$(calc "$a_sec / $s_sec" 2)" x
sign=$(python3 -c "import json; s = json.load(open('scan.json'))['seconds']; print(s['read'] + s['boilerplate'] + s['sign'])")
fig scan_read_chrome_sign "$(calc "$sign" 2)" s
fig add_over_scan_signing "$(calc "$a_sec / $sign" 2)" x
text=$("$B/reprint" index stats idx.db | awk '$1 == "text_bytes" { print $2 }')
file=$("$B/reprint" index stats idx.db | awk '$1 == "file_bytes" { print $2 }')
free=$(python3 -c "import sqlite3; c = sqlite3.connect('idx.db'); print(c.execute('PRAGMA freelist_count').fetchone()[0] * c.execute('PRAGMA page_size').fetchone()[0])")
fig bytes_per_doc_beyond_text "$(calc "($file - $text) / $N")" B
fig bytes_per_doc_no_free_pages "$(calc "($file - $free - $text) / $N")" B
"$B/bench/bench_index" idx.db q.jsonl 400
