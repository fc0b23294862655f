package gen

import (
	"strconv"
	"unicode/utf8"
)

// decodeGeneric decodes json.Marshal's output into the generic form toMap
// returns, as encoding/json's Decoder with UseNumber and then numbers do,
// in one pass and without reflection; false, for the Decoder to decode,
// on anything but compact JSON with an object at the top, strings of valid
// UTF-8 without control characters and escapes other than surrogates.
func decodeGeneric(b []byte) (map[string]any, bool) {
	d := &genericDecoder{b: b}
	if d.peek() != '{' {
		return nil, false
	}
	v, ok := d.value()
	if !ok || d.i != len(d.b) {
		return nil, false
	}
	return v.(map[string]any), true
}

type genericDecoder struct {
	b []byte
	i int
}

// peek returns the next byte, or 0 at the end.
func (d *genericDecoder) peek() byte {
	if d.i < len(d.b) {
		return d.b[d.i]
	}
	return 0
}

func (d *genericDecoder) value() (any, bool) {
	switch c := d.peek(); {
	case c == '{':
		return d.object()
	case c == '[':
		return d.array()
	case c == '"':
		if s, ok := d.str(); ok {
			return s, true
		}
		return nil, false
	case c == '-' || c >= '0' && c <= '9':
		return d.number()
	}
	for _, lit := range []struct {
		text string
		v    any
	}{{"true", true}, {"false", false}, {"null", nil}} {
		if len(d.b)-d.i >= len(lit.text) && string(d.b[d.i:d.i+len(lit.text)]) == lit.text {
			d.i += len(lit.text)
			return lit.v, true
		}
	}
	return nil, false
}

func (d *genericDecoder) object() (any, bool) {
	d.i++ // {
	m := map[string]any{}
	if d.peek() == '}' {
		d.i++
		return m, true
	}
	for {
		k, ok := d.str()
		if !ok || d.peek() != ':' {
			return nil, false
		}
		d.i++
		v, ok := d.value()
		if !ok {
			return nil, false
		}
		m[k] = v
		switch d.peek() {
		case ',':
			d.i++
		case '}':
			d.i++
			return m, true
		default:
			return nil, false
		}
	}
}

func (d *genericDecoder) array() (any, bool) {
	d.i++ // [
	a := []any{}
	if d.peek() == ']' {
		d.i++
		return a, true
	}
	for {
		v, ok := d.value()
		if !ok {
			return nil, false
		}
		a = append(a, v)
		switch d.peek() {
		case ',':
			d.i++
		case ']':
			d.i++
			return a, true
		default:
			return nil, false
		}
	}
}

// str decodes a string: its bytes as they are up to the first escape,
// then unescaped.
func (d *genericDecoder) str() (string, bool) {
	if d.peek() != '"' {
		return "", false
	}
	d.i++
	start, ascii := d.i, true
	for ; d.i < len(d.b); d.i++ {
		switch c := d.b[d.i]; {
		case c == '"':
			s := d.b[start:d.i]
			d.i++
			if !ascii && !utf8.Valid(s) {
				return "", false
			}
			return string(s), true
		case c == '\\':
			return d.escaped(start)
		case c < 0x20:
			return "", false
		case c >= 0x80:
			ascii = false
		}
	}
	return "", false
}

// escaped continues str from the first backslash.
func (d *genericDecoder) escaped(start int) (string, bool) {
	out := append([]byte(nil), d.b[start:d.i]...)
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			d.i++
			if !utf8.Valid(out) {
				return "", false
			}
			return string(out), true
		case c < 0x20:
			return "", false
		case c != '\\':
			out = append(out, c)
			d.i++
			continue
		}
		if d.i+1 >= len(d.b) {
			return "", false
		}
		e := d.b[d.i+1]
		d.i += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			if d.i+4 > len(d.b) {
				return "", false
			}
			r, err := strconv.ParseUint(string(d.b[d.i:d.i+4]), 16, 32)
			if err != nil || r >= 0xD800 && r <= 0xDFFF {
				return "", false // a surrogate: encoding/json pairs or replaces it
			}
			out = utf8.AppendRune(out, rune(r))
			d.i += 4
		default:
			return "", false
		}
	}
	return "", false
}

// number decodes a JSON number as numbers does a json.Number: int64 when
// strconv.ParseInt takes it, else float64 (±Inf beyond its range).
func (d *genericDecoder) number() (any, bool) {
	start := d.i
	if d.peek() == '-' {
		d.i++
	}
	switch {
	case d.peek() == '0':
		d.i++
	case d.peek() >= '1' && d.peek() <= '9':
		d.digits()
	default:
		return nil, false
	}
	if d.peek() == '.' {
		d.i++
		if !d.digits() {
			return nil, false
		}
	}
	if c := d.peek(); c == 'e' || c == 'E' {
		d.i++
		if c := d.peek(); c == '+' || c == '-' {
			d.i++
		}
		if !d.digits() {
			return nil, false
		}
	}
	if n, ok := smallInt(d.b[start:d.i]); ok {
		return n, true
	}
	s := string(d.b[start:d.i])
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return i, true
	}
	f, _ := strconv.ParseFloat(s, 64)
	return f, true
}

// smallInt is strconv.ParseInt(b, 10, 64) for an optional minus and at
// most 18 digits (no overflow), without making a string of b.
func smallInt(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// digits skips one or more digits and reports whether there was one.
func (d *genericDecoder) digits() bool {
	start := d.i
	for d.peek() >= '0' && d.peek() <= '9' {
		d.i++
	}
	return d.i > start
}
