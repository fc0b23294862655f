package diff

import (
	"fmt"
	"strings"
)

// context is how many unchanged lines a hunk shows around a change.
const context = 3

// op is one line of an edit script: ' ' kept, '-' removed, '+' added.
type op struct {
	kind byte
	line string
}

// Unified returns the unified diff of two texts with the given file labels,
// or "" if they are equal. It diffs whole lines with a longest common
// subsequence, which is quadratic but fine for single objects.
func Unified(fromLabel, toLabel, a, b string) string {
	if a == b {
		return ""
	}
	ops := edits(lines(a), lines(b))
	var sb strings.Builder
	fmt.Fprintf(&sb, "--- %s\n+++ %s\n", fromLabel, toLabel)
	for start := 0; start < len(ops); {
		first := nextChange(ops, start)
		if first == len(ops) {
			break
		}
		lo, hi := max(first-context, 0), hunkEnd(ops, first)
		writeHunk(&sb, ops, lo, hi)
		start = hi
	}
	return sb.String()
}

func lines(s string) []string {
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// edits returns the edit script turning a into b.
func edits(a, b []string) []op {
	// lcs[i][j] is the length of the longest common subsequence of a[i:] and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var ops []op
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			ops = append(ops, op{' ', a[i]})
			i, j = i+1, j+1
		case j == len(b) || (i < len(a) && lcs[i+1][j] >= lcs[i][j+1]):
			ops = append(ops, op{'-', a[i]})
			i++
		default:
			ops = append(ops, op{'+', b[j]})
			j++
		}
	}
	return ops
}

func nextChange(ops []op, from int) int {
	for from < len(ops) && ops[from].kind == ' ' {
		from++
	}
	return from
}

// hunkEnd returns the end of the hunk holding the change at first: it runs
// on while the next change is within 2*context kept lines.
func hunkEnd(ops []op, first int) int {
	end := first
	for end < len(ops) {
		next := nextChange(ops, end)
		if next == len(ops) || next-end > 2*context {
			return min(end+context, len(ops))
		}
		end = next + 1
		for end < len(ops) && ops[end].kind != ' ' {
			end++
		}
	}
	return end
}

func writeHunk(sb *strings.Builder, ops []op, lo, hi int) {
	aStart, bStart := 1, 1
	for _, o := range ops[:lo] {
		if o.kind != '+' {
			aStart++
		}
		if o.kind != '-' {
			bStart++
		}
	}
	aLen, bLen := 0, 0
	for _, o := range ops[lo:hi] {
		if o.kind != '+' {
			aLen++
		}
		if o.kind != '-' {
			bLen++
		}
	}
	fmt.Fprintf(sb, "@@ -%s +%s @@\n", span(aStart, aLen), span(bStart, bLen))
	for _, o := range ops[lo:hi] {
		sb.WriteByte(o.kind)
		sb.WriteString(o.line)
		sb.WriteByte('\n')
	}
}

// span formats a hunk range as diff(1) does: an empty range names the line before it.
func span(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start-1)
	}
	if n == 1 {
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, n)
}
