#!/usr/bin/env bash
# Plagiarism check on the Clough-Stevenson corpus (../shared/data):
# each answer against its source, labelled cut / light / heavy / non.
# Prints the containment of each answer in its source by label, the
# confusion table of label x relation, and the accuracy of telling
# plagiarised answers (cut, light) from non-plagiarised (non) by
# "reported with --containment C" for several C.
# Usage: bash bench/clough.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build}
data=../shared/data
if [ ! -f "$data/clough_stevenson.jsonl" ]; then
	echo "../shared/data is absent: Clough-Stevenson evaluation skipped"
	exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Every pair sharing at least one shingle, with its exact scores.
"$build/reprint" scan -q --containment 0.000001 -t 1 --format jsonl \
	"$data/clough_stevenson.jsonl" -o "$work/pairs.jsonl"
# a, b, containment of a in b, of b in a, relation (the ids have no quotes).
sed -E 's/^\{"a":"([^"]*)","b":"([^"]*)".*"containment_a_in_b":([0-9.]*),"containment_b_in_a":([0-9.]*),"relation":"([a-z_]*)".*/\1\t\2\t\3\t\4\t\5/' \
	"$work/pairs.jsonl" >"$work/pairs.tsv"
awk -F'\t' '
NR == FNR { c[$1 "\t" $2] = $4; r[$1 "\t" $2] = $5; c[$2 "\t" $1] = $3; r[$2 "\t" $1] = $5; next }
FNR == 1 { next }
{
	k = $1 "\t" $2; lab = $3
	cont = (k in c) ? c[k] + 0 : 0; rel = (k in r) ? r[k] : "none"
	n[lab]++; conf[lab, rel]++; vals[lab] = vals[lab] sprintf(" %.2f", cont)
	lbl[++m] = lab; cv[m] = cont
}
END {
	split("cut light heavy non", L, " ")
	split("exact near_verbatim light_edit trimmed excerpt none", R, " ")
	print "containment of the answer in its source, by label:"
	for (i = 1; i <= 4; i++) printf "  %-6s%s\n", L[i], vals[L[i]]
	print ""
	printf "%-7s", "label"
	for (j = 1; j <= 6; j++) printf " %13s", R[j]
	printf "\n"
	for (i = 1; i <= 4; i++) {
		printf "%-7s", L[i]
		for (j = 1; j <= 6; j++) printf " %13d", conf[L[i], R[j]]
		printf "\n"
	}
	print ""
	print "plagiarised (cut, light) vs non, plagiarised = containment >= C:"
	split("0.01 0.02 0.03 0.05 0.10 0.20", C, " ")
	for (t = 1; t <= 6; t++) {
		ok = 0; tot = 0; hok = 0
		for (x = 1; x <= m; x++) {
			if (lbl[x] == "heavy") { hok += (cv[x] >= C[t]); continue }
			tot++
			pred = cv[x] >= C[t]
			ok += (pred == (lbl[x] == "cut" || lbl[x] == "light"))
		}
		printf "  C = %s: accuracy %d/%d = %.3f; heavy flagged %d/%d\n", C[t], ok, tot, ok / tot, hok, n["heavy"]
	}
}' "$work/pairs.tsv" "$data/clough_stevenson.pairs.tsv"
