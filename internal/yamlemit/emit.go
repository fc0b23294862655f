package yamlemit

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// yaml.v2's emitter defaults (emitterc.go yaml_emitter_emit_stream_start):
// Marshal sets neither.
const (
	bestIndent = 2
	bestWidth  = 80
)

// Append appends the YAML document of m to dst, as yaml.v2's Marshal(m)
// writes it, and reports whether it could; when it reports false, dst's
// contents past its length are garbage and the caller marshals m with
// yaml.v2 instead.
func Append(dst []byte, m map[string]any) ([]byte, bool) {
	e := &emitter{buf: dst, indent: -1, whitespace: true, indention: true, ok: true, keys: make([]string, 0, 64)}
	e.node(m, false)
	// The implicit document end (yaml_emitter_emit_document_end).
	e.writeIndent()
	return e.buf, e.ok
}

// emitter is the part of yaml.v2's yaml_emitter_t that decides the bytes
// of a block-style document.
type emitter struct {
	buf        []byte
	column     int
	indent     int
	whitespace bool
	indention  bool
	ok         bool
	keys       []string // the sorted keys of the mappings being written
}

// node is yaml_emitter_emit_node for a value; mapping says it is a block
// mapping's value (mapping_context), which makes a sequence indentless.
func (e *emitter) node(v any, mapping bool) {
	switch v := v.(type) {
	case map[string]any:
		e.mapping(v)
	case []any:
		e.sequence(v, mapping)
	case string:
		e.str(v, false)
	case int64:
		e.plain(strconv.FormatInt(v, 10))
	case float64:
		e.plain(formatFloat(v))
	case bool:
		e.plain(strconv.FormatBool(v))
	case nil:
		e.plain("null")
	default:
		e.ok = false
	}
}

// formatFloat is encode.go floatv for a float64.
func formatFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return ".inf"
	case math.IsInf(f, -1):
		return "-.inf"
	case math.IsNaN(f):
		return ".nan"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// mapping is encode.go mapv with yaml_emitter_emit_block_mapping_key and
// _value for simple keys; an empty mapping is the flow "{}"
// (yaml_emitter_check_empty_mapping).
func (e *emitter) mapping(m map[string]any) {
	if len(m) == 0 {
		e.emptyFlow("{", "}")
		return
	}
	// The keys of nested mappings go after these in e.keys; a
	// reallocation leaves these intact in the array keys holds.
	start := len(e.keys)
	for k := range m {
		e.keys = append(e.keys, k)
	}
	keys := e.keys[start:]
	if !sortKeys(keys) {
		e.ok = false
		return
	}
	saved := e.indent
	e.increaseIndent(false, false)
	for _, k := range keys {
		e.writeIndent()
		// yaml_emitter_check_simple_key: a multi-line key or one longer
		// than 128 bytes is written as a complex "? " key, which this
		// package does not reproduce.
		if !validUTF8(k) || len(k) > 128 || multiline(k) {
			e.ok = false
			return
		}
		e.str(k, true)
		e.writeIndicator(":", false, false, false)
		e.node(m[k], true)
		if !e.ok {
			return
		}
	}
	e.indent = saved
	e.keys = e.keys[:start]
}

// sequence is encode.go slicev with yaml_emitter_emit_block_sequence_item:
// a mapping's value starts its items at the mapping's indentation.
func (e *emitter) sequence(s []any, mapping bool) {
	if len(s) == 0 {
		e.emptyFlow("[", "]")
		return
	}
	saved := e.indent
	e.increaseIndent(false, mapping && !e.indention)
	for _, v := range s {
		e.writeIndent()
		e.writeIndicator("-", true, false, true)
		e.node(v, false)
		if !e.ok {
			return
		}
	}
	e.indent = saved
}

// emptyFlow writes an empty flow collection, as
// yaml_emitter_emit_flow_mapping_key (or _sequence_item) does when the
// end event follows the start at once.
func (e *emitter) emptyFlow(open, end string) {
	e.writeIndicator(open, true, true, false)
	e.writeIndicator(end, false, false, false)
}

// increaseIndent is yaml_emitter_increase_indent; callers restore indent.
func (e *emitter) increaseIndent(flow, indentless bool) {
	switch {
	case e.indent < 0 && flow:
		e.indent = bestIndent
	case e.indent < 0:
		e.indent = 0
	case !indentless:
		e.indent += bestIndent
	}
}

// put is emitterc.go put: one ASCII byte.
func (e *emitter) put(b byte) {
	e.buf = append(e.buf, b)
	e.column++
}

// putBreak is put_break with yaml_LN_BREAK.
func (e *emitter) putBreak() {
	e.buf = append(e.buf, '\n')
	e.column = 0
}

// write is emitterc.go write: the character at s[i], one column wide
// whatever its width in bytes; it returns the index after it.
func (e *emitter) write(s string, i int) int {
	w := width(s[i])
	e.buf = append(e.buf, s[i:i+w]...)
	e.column++
	return i + w
}

// writeBreak is write_break: '\n' as a line break, any other break
// character copied as it is.
func (e *emitter) writeBreak(s string, i int) int {
	if s[i] == '\n' {
		e.putBreak()
		return i + 1
	}
	i = e.write(s, i)
	e.column = 0
	return i
}

// writeIndent is yaml_emitter_write_indent.
func (e *emitter) writeIndent() {
	indent := max(e.indent, 0)
	if !e.indention || e.column > indent || (e.column == indent && !e.whitespace) {
		e.putBreak()
	}
	for e.column < indent {
		e.put(' ')
	}
	e.whitespace = true
	e.indention = true
}

// writeIndicator is yaml_emitter_write_indicator for ASCII indicators.
func (e *emitter) writeIndicator(indicator string, needWhitespace, isWhitespace, isIndention bool) {
	if needWhitespace && !e.whitespace {
		e.put(' ')
	}
	e.buf = append(e.buf, indicator...)
	e.column += len(indicator)
	e.whitespace = isWhitespace
	e.indention = e.indention && isIndention
}

// multiline reports whether s holds a line break as yaml.v2 counts them
// (yaml_emitter_analyze_scalar's line_breaks).
func multiline(s string) bool {
	for i := 0; i < len(s); i += width(s[i]) {
		if isBreak(s, i) {
			return true
		}
	}
	return false
}

// validUTF8 guards the byte tests below, which, like yaml.v2's, read the
// continuation bytes of a character without checking the length.
func validUTF8(s string) bool { return utf8.ValidString(s) }
