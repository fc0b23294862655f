package yamlemit

import "strings"

// The character classes of yaml.v2's yamlprivateh.go, on a valid UTF-8
// string; out of range reads false where yaml.v2 would read past the end.

// width is yamlprivateh.go width: the length of the UTF-8 sequence
// whose first byte is b.
func width(b byte) int {
	switch {
	case b&0x80 == 0x00:
		return 1
	case b&0xE0 == 0xC0:
		return 2
	case b&0xF0 == 0xE0:
		return 3
	case b&0xF8 == 0xF0:
		return 4
	}
	return 0
}

// at is s[i], or 0 past the end.
func at(s string, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return 0
}

func isSpace(s string, i int) bool { return at(s, i) == ' ' }

func isBlank(s string, i int) bool { return at(s, i) == ' ' || at(s, i) == '\t' }

// isBreak is is_break: CR, LF, NEL, LS or PS.
func isBreak(s string, i int) bool {
	b := at(s, i)
	return b == '\r' || b == '\n' ||
		b == 0xC2 && at(s, i+1) == 0x85 ||
		b == 0xE2 && at(s, i+1) == 0x80 && (at(s, i+2) == 0xA8 || at(s, i+2) == 0xA9)
}

// isBlankz is is_blankz: a blank, a break or NUL.
func isBlankz(s string, i int) bool {
	return isBlank(s, i) || isBreak(s, i) || at(s, i) == 0
}

// isPrintable is is_printable.
func isPrintable(s string, i int) bool {
	b, b1, b2 := at(s, i), at(s, i+1), at(s, i+2)
	return b == 0x0A ||
		b >= 0x20 && b <= 0x7E ||
		b == 0xC2 && b1 >= 0xA0 ||
		b > 0xC2 && b < 0xED ||
		b == 0xED && b1 < 0xA0 ||
		b == 0xEE ||
		b == 0xEF && !(b1 == 0xBB && b2 == 0xBF) && !(b1 == 0xBF && (b2 == 0xBE || b2 == 0xBF))
}

// isBOM is is_bom, which yaml.v2 calls with an index it ignores: whether
// s starts with a byte order mark.
func isBOM(s string) bool { return strings.HasPrefix(s, "\xEF\xBB\xBF") }
