package yamlemit

import "strings"

// The scalar styles yaml.v2 writes for a string.
type style int

const (
	plainStyle style = iota
	singleQuotedStyle
	doubleQuotedStyle
	literalStyle
)

// str writes a string scalar, a mapping's key when key is set. The style
// is encode.go stringv's (literal with a "\n", plain when the string reads
// back as a string, else double-quoted) as yaml_emitter_select_scalar_style
// then amends it for what the characters allow.
func (e *emitter) str(s string, key bool) {
	if !validUTF8(s) {
		// yaml.v2 writes it as base64 with a !!binary tag.
		e.ok = false
		return
	}
	st := doubleQuotedStyle
	switch {
	case strings.Contains(s, "\n"):
		st = literalStyle
	case canUsePlain(s):
		st = plainStyle
	}
	e.scalar(s, selectStyle(st, analyze(s), s == "", key), key)
}

// plain writes a scalar encode.go emits in the plain style: a number, a
// boolean or null.
func (e *emitter) plain(s string) {
	e.scalar(s, selectStyle(plainStyle, analyze(s), s == "", false), false)
}

// selectStyle is yaml_emitter_select_scalar_style for an untagged scalar
// outside flow collections, simple marking a mapping's key.
func selectStyle(st style, a analysis, empty, simple bool) style {
	if simple && a.multiline {
		st = doubleQuotedStyle
	}
	if st == plainStyle && (!a.blockPlainAllowed || empty && simple) {
		st = singleQuotedStyle
	}
	if st == singleQuotedStyle && !a.singleQuotedAllowed {
		st = doubleQuotedStyle
	}
	if st == literalStyle && (!a.blockAllowed || simple) {
		st = doubleQuotedStyle
	}
	return st
}

// scalar is yaml_emitter_emit_scalar: the scalar is written one level
// deeper than its node (yaml_emitter_increase_indent with flow set),
// and a key's never breaks across lines.
func (e *emitter) scalar(s string, st style, key bool) {
	saved := e.indent
	e.increaseIndent(true, false)
	switch st {
	case plainStyle:
		e.writePlain(s, !key)
	case singleQuotedStyle:
		e.writeSingleQuoted(s, !key)
	case doubleQuotedStyle:
		e.writeDoubleQuoted(s, !key)
	case literalStyle:
		e.writeLiteral(s)
	}
	e.indent = saved
}

// analysis is what yaml_emitter_analyze_scalar finds out about a scalar
// (its flow_plain_allowed does not matter outside flow collections).
type analysis struct {
	multiline, blockPlainAllowed, singleQuotedAllowed, blockAllowed bool
}

// analyze is yaml_emitter_analyze_scalar for an emitter with unicode set.
func analyze(v string) analysis {
	if len(v) == 0 {
		return analysis{blockPlainAllowed: true, singleQuotedAllowed: true}
	}
	if a, ok := analyzePrintableASCII(v); ok {
		return a
	}
	var (
		blockIndicators, lineBreaks, special                     bool
		leadingSpace, leadingBreak, trailingSpace, trailingBreak bool
		breakSpace, spaceBreak, previousSpace, previousBreak     bool
	)
	if strings.HasPrefix(v, "---") || strings.HasPrefix(v, "...") {
		blockIndicators = true
	}
	precededByWhitespace := true
	for i, w := 0, 0; i < len(v); i += w {
		w = width(v[i])
		followedByWhitespace := i+w >= len(v) || isBlank(v, i+w)
		if i == 0 {
			switch v[i] {
			case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
				blockIndicators = true
			case '?', ':', '-':
				if followedByWhitespace {
					blockIndicators = true
				}
			}
		} else {
			switch v[i] {
			case ':':
				if followedByWhitespace {
					blockIndicators = true
				}
			case '#':
				if precededByWhitespace {
					blockIndicators = true
				}
			}
		}
		if !isPrintable(v, i) {
			special = true
		}
		switch {
		case v[i] == ' ':
			leadingSpace = leadingSpace || i == 0
			trailingSpace = trailingSpace || i+w == len(v)
			breakSpace = breakSpace || previousBreak
			previousSpace, previousBreak = true, false
		case isBreak(v, i):
			lineBreaks = true
			leadingBreak = leadingBreak || i == 0
			trailingBreak = trailingBreak || i+w == len(v)
			spaceBreak = spaceBreak || previousSpace
			previousSpace, previousBreak = false, true
		default:
			previousSpace, previousBreak = false, false
		}
		precededByWhitespace = isBlankz(v, i)
	}
	a := analysis{multiline: lineBreaks, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: true}
	if leadingSpace || leadingBreak || trailingSpace || trailingBreak || lineBreaks || blockIndicators {
		a.blockPlainAllowed = false
	}
	if trailingSpace {
		a.blockAllowed = false
	}
	if breakSpace {
		a.blockPlainAllowed, a.singleQuotedAllowed = false, false
	}
	if spaceBreak || special {
		a.blockPlainAllowed, a.singleQuotedAllowed, a.blockAllowed = false, false, false
	}
	return a
}

// analyzePrintableASCII is analyze for the common case, a string of
// printable ASCII (' ' to '~'), in one pass over its bytes: no breaks and
// no special characters, so only the indicators and the spaces at its
// ends decide; false for any other string.
func analyzePrintableASCII(v string) (analysis, bool) {
	indicators := strings.HasPrefix(v, "---") || strings.HasPrefix(v, "...")
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < ' ' || c > '~' {
			return analysis{}, false
		}
		followedBySpace := i+1 == len(v) || v[i+1] == ' '
		switch {
		case i == 0 && strings.IndexByte("#,[]{}&*!|>'\"%@`", c) >= 0:
			indicators = true
		case i == 0 && (c == '?' || c == '-') && followedBySpace:
			indicators = true
		case c == ':' && followedBySpace:
			indicators = true
		case c == '#' && i > 0 && v[i-1] == ' ':
			indicators = true
		}
	}
	edgeSpace := v[0] == ' ' || v[len(v)-1] == ' '
	return analysis{
		blockPlainAllowed:   !indicators && !edgeSpace,
		singleQuotedAllowed: true,
		blockAllowed:        v[len(v)-1] != ' ',
	}, true
}
