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
grep -q 'href="pair-' "$work/report/index.html"
echo "HTML report rendered; passages and edits are in the DOM"
