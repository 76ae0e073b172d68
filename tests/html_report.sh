#!/usr/bin/env bash
# The HTML report, rendered for real in headless Chromium: the pair page of
# the wire story and its corrected reprint must draw something (not a blank
# page) and its DOM must hold the highlighted passage and the edits.
# Chromium comes from Debian through .ci/deps (a test installs nothing);
# without it the test skips, saying so.
set -euo pipefail
reprint=$1 samples=$2
if ! command -v chromium >/dev/null 2>&1; then
	echo "SKIP: chromium is not installed (bash .ci/deps installs it): HTML report not rendered"
	exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$reprint" scan -q "$samples" --html "$work/report" -o "$work/pairs.tsv"
# The pair page of the original and its corrected reprint.
n=$(awk -F'\t' 'NR > 1 && $1 ~ /klaipeda-port-expansion/ && $2 ~ /terminal-correction/ { print NR - 1 }' "$work/pairs.tsv")
page="$work/report/pair-$n.html"
[ -f "$page" ] && [ -f "$work/report/index.html" ]

chrome() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --user-data-dir="$work/profile" --window-size=1280,900 "$@" 2>/dev/null
}
chrome --screenshot="$work/page.png" "file://$page" >/dev/null
chrome --screenshot="$work/blank.png" "about:blank" >/dev/null
page_bytes=$(stat -c %s "$work/page.png")
blank_bytes=$(stat -c %s "$work/blank.png")
echo "screenshot: $page_bytes bytes; blank page: $blank_bytes bytes"
# A uniform page compresses to almost nothing; text and highlights do not.
[ "$page_bytes" -gt 20000 ] && [ "$page_bytes" -gt $((4 * blank_bytes)) ] || {
	echo "the report page rendered blank"; exit 1; }

chrome --dump-dom "file://$page" >"$work/dom.html"
for want in '<mark class="reused" id="a1" data-passage="1">' \
	'<mark class="reused" id="b1" data-passage="1">' \
	'1.<del>2</del> billion' '1.<ins>3</ins> billion' \
	'<del>tendered</del>' '<ins>put out to tender</ins>' \
	'<td>light_edit</td>'; do
	grep -qF "$want" "$work/dom.html" || { echo "DOM lacks: $want"; exit 1; }
done
grep -q 'href="pair-' "$work/report/pairs-1.html"
grep -q 'href="stories-size-1.html"' "$work/report/index.html"

# The story pages of a news folder with dates (the repository's fixture):
# the first publication, every reprint with its delay, one timeline mark
# per publication; the outlets page; chrome dimmed on the pair pages.
fixture=$(dirname "$0")/fixtures/news-folder
"$reprint" scan -q "$fixture" --html "$work/news" -o "$work/news.tsv"
n=$(grep -o 'href="story-[0-9]*.html"' "$work/news/stories-size-1.html" | head -1 | grep -o '[0-9]*')
story="$work/news/story-$n.html"
chrome --screenshot="$work/story.png" "file://$story" >/dev/null
chrome --screenshot="$work/outlets.png" "file://$work/news/outlets.html" >/dev/null
[ "$(stat -c %s "$work/story.png")" -gt $((4 * blank_bytes)) ] || { echo "story page blank"; exit 1; }
[ "$(stat -c %s "$work/outlets.png")" -gt $((4 * blank_bytes)) ] || { echo "outlets page blank"; exit 1; }
chrome --dump-dom "file://$story" >"$work/story.dom"
pubs=$(grep -o '<p>[0-9]* publications' "$work/story.dom" | grep -o '[0-9]*')
reprints=$(grep -o '<tr class="reprint">' "$work/story.dom" | wc -l)
delays=$(grep -o '<td class="delay">[^<]*\(later\|at the same time\)' "$work/story.dom" | wc -l)
marks=$(grep -o '<circle class="mark[^"]*"' "$work/story.dom" | wc -l)
firsts=$(grep -o '<circle class="mark first[^"]*"' "$work/story.dom" | wc -l)
echo "story $n: $pubs publications, $reprints reprints, $delays delays, $marks timeline marks"
[ "$pubs" -ge 3 ] && [ "$reprints" -eq $((pubs - 1)) ] && [ "$delays" -eq "$reprints" ] &&
	[ "$marks" -eq "$pubs" ] && [ "$firsts" -eq 1 ] || { echo "story page incomplete"; exit 1; }
grep -q '<table class="first">' "$work/story.dom" || { echo "no first publication"; exit 1; }
chrome --dump-dom "file://$work/news/outlets.html" >"$work/outlets.dom"
grep -q '<svg class="outlets-chart"' "$work/outlets.dom" && grep -q '<table class="edges">' "$work/outlets.dom" ||
	{ echo "outlets page incomplete"; exit 1; }
dimmed=0
for p in "$work"/news/pair-*.html; do
	chrome --dump-dom "file://$p" >"$work/pair.dom"
	grep -q '<span class="chrome" data-label="not the story"' "$work/pair.dom" && dimmed=$((dimmed + 1))
done
[ "$dimmed" -gt 0 ] || { echo "no chrome dimmed on any pair page"; exit 1; }
echo "chrome dimmed on $dimmed pair pages"

# Nothing is fetched: every page forbids it, and names no other resource.
for f in "$work"/news/*.html "$work"/report/*.html; do
	grep -q "Content-Security-Policy\" content=\"default-src 'none'" "$f" ||
		{ echo "$f: no content security policy"; exit 1; }
	if grep -Eq '(src|href)="(https?:)?//|url\(' "$f"; then
		echo "$f: names an external resource"; exit 1
	fi
done

# Every story is reachable from the index, through the paged lists.
stories=$(ls "$work"/news/story-*.html | wc -l)
listed=$(cat "$work"/news/stories-size-*.html | grep -o 'href="story-[0-9]*.html"' | sort -u | wc -l)
[ "$stories" -eq "$listed" ] || { echo "$listed of $stories stories listed"; exit 1; }

# A second report into the same folder leaves no file of the first.
"$reprint" scan -q "$samples" --html "$work/news" -o /dev/null
"$reprint" scan -q "$samples" --html "$work/fresh" -o /dev/null
diff <(ls -A "$work/news") <(ls -A "$work/fresh") >/dev/null ||
	{ echo "files of the first report remain"; exit 1; }
echo "HTML report rendered; passages, edits, stories, timeline and outlets are in the DOM"
