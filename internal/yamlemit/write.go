package yamlemit

// writePlain is yaml_emitter_write_plain_scalar: a space past the
// 80th column folds the line when breaks are allowed.
func (e *emitter) writePlain(v string, allowBreaks bool) {
	if !e.whitespace {
		e.put(' ')
	}
	e.writeFolding(v, allowBreaks, false)
	e.whitespace = false
	e.indention = false
}

// writeSingleQuoted is yaml_emitter_write_single_quoted_scalar.
func (e *emitter) writeSingleQuoted(v string, allowBreaks bool) {
	e.writeIndicator("'", true, false, false)
	e.writeFolding(v, allowBreaks, true)
	e.writeIndicator("'", false, false, false)
	e.whitespace = false
	e.indention = false
}

// writeFolding is the loop yaml_emitter_write_plain_scalar and
// yaml_emitter_write_single_quoted_scalar share: the single-quoted one
// folds at no space that starts or ends the value and doubles quotes.
func (e *emitter) writeFolding(v string, allowBreaks, single bool) {
	if e.writeShort(v, single) {
		return
	}
	spaces, breaks := false, false
	for i := 0; i < len(v); {
		switch {
		case v[i] == ' ':
			edge := single && (i == 0 || i == len(v)-1)
			if allowBreaks && !spaces && e.column > bestWidth && !edge && !isSpace(v, i+1) {
				e.writeIndent()
				i++
			} else {
				i = e.write(v, i)
			}
			spaces = true
		case isBreak(v, i):
			if !breaks && v[i] == '\n' {
				e.putBreak()
			}
			i = e.writeBreak(v, i)
			e.indention = true
			breaks = true
		default:
			if breaks {
				e.writeIndent()
			}
			if single && v[i] == '\'' {
				e.put('\'')
			}
			i = e.write(v, i)
			e.indention = false
			spaces, breaks = false, false
		}
	}
}

// writeShort is writeFolding for a string of printable ASCII that ends
// by the 81st column, where no space can fold: it appends the string at
// once (its quotes doubled when single) and reports true; false, having
// written nothing, for any other string.
func (e *emitter) writeShort(v string, single bool) bool {
	if e.column+len(v) > bestWidth+1 {
		return false
	}
	quotes, blank := 0, true
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c < ' ' || c > '~':
			return false
		case c == '\'':
			quotes++
			blank = false
		case c != ' ':
			blank = false
		}
	}
	if single && e.column+len(v)+quotes > bestWidth+1 {
		return false // the doubled quotes push a space past the 80th column
	}
	if quotes == 0 || !single {
		e.buf = append(e.buf, v...)
	} else {
		for i := 0; i < len(v); i++ {
			if v[i] == '\'' {
				e.buf = append(e.buf, '\'')
			}
			e.buf = append(e.buf, v[i])
		}
	}
	if single {
		e.column += quotes
	}
	e.column += len(v)
	if !blank {
		e.indention = false
	}
	return true
}

// writeDoubleQuoted is yaml_emitter_write_double_quoted_scalar.
func (e *emitter) writeDoubleQuoted(v string, allowBreaks bool) {
	e.writeIndicator(`"`, true, false, false)
	spaces := false
	bom := isBOM(v) // yaml.v2's is_bom looks at the start of the value, whatever i
	for i := 0; i < len(v); {
		switch {
		case !isPrintable(v, i) || bom || isBreak(v, i) || v[i] == '"' || v[i] == '\\':
			i = e.escape(v, i)
			spaces = false
		case v[i] == ' ':
			if allowBreaks && !spaces && e.column > bestWidth && i > 0 && i < len(v)-1 {
				e.writeIndent()
				if isSpace(v, i+1) {
					e.put('\\')
				}
				i++
			} else {
				i = e.write(v, i)
			}
			spaces = true
		default:
			i = e.write(v, i)
			spaces = false
		}
	}
	e.writeIndicator(`"`, false, false, false)
	e.whitespace = false
	e.indention = false
}

// escape writes the escape sequence of the character at v[i] and returns
// the index after it, as yaml_emitter_write_double_quoted_scalar does.
func (e *emitter) escape(v string, i int) int {
	octet := v[i]
	var w int
	var r rune
	switch {
	case octet&0x80 == 0x00:
		w, r = 1, rune(octet&0x7F)
	case octet&0xE0 == 0xC0:
		w, r = 2, rune(octet&0x1F)
	case octet&0xF0 == 0xE0:
		w, r = 3, rune(octet&0x0F)
	case octet&0xF8 == 0xF0:
		w, r = 4, rune(octet&0x07)
	}
	for k := 1; k < w; k++ {
		r = r<<6 + rune(v[i+k])&0x3F
	}
	e.put('\\')
	if c, ok := shortEscape(r); ok {
		e.put(c)
		return i + w
	}
	digits := 8
	switch {
	case r <= 0xFF:
		e.put('x')
		digits = 2
	case r <= 0xFFFF:
		e.put('u')
		digits = 4
	default:
		e.put('U')
	}
	for k := (digits - 1) * 4; k >= 0; k -= 4 {
		e.put("0123456789ABCDEF"[(r>>uint(k))&0x0F])
	}
	return i + w
}

// shortEscape is the one-letter escape of
// yaml_emitter_write_double_quoted_scalar for r, if it has one.
func shortEscape(r rune) (byte, bool) {
	switch r {
	case 0x00:
		return '0', true
	case 0x07:
		return 'a', true
	case 0x08:
		return 'b', true
	case 0x09:
		return 't', true
	case 0x0A:
		return 'n', true
	case 0x0b:
		return 'v', true
	case 0x0c:
		return 'f', true
	case 0x0d:
		return 'r', true
	case 0x1b:
		return 'e', true
	case 0x22:
		return '"', true
	case 0x5c:
		return '\\', true
	case 0x85:
		return 'N', true
	case 0xA0:
		return '_', true
	case 0x2028:
		return 'L', true
	case 0x2029:
		return 'P', true
	}
	return 0, false
}

// writeLiteral is yaml_emitter_write_literal_scalar with
// yaml_emitter_write_block_scalar_hints: "|", an indentation indicator
// when the value starts with a space or break, a chomping indicator ("-"
// without a final break, "+" with more than one), then the lines.
func (e *emitter) writeLiteral(v string) {
	e.writeIndicator("|", true, false, false)
	if isSpace(v, 0) || isBreak(v, 0) {
		e.writeIndicator(string(rune('0'+bestIndent)), false, false, false)
	}
	if chomp := chompHint(v); chomp != "" {
		e.writeIndicator(chomp, false, false, false)
	}
	e.putBreak()
	e.indention = true
	e.whitespace = true
	breaks := true
	for i := 0; i < len(v); {
		if isBreak(v, i) {
			i = e.writeBreak(v, i)
			e.indention = true
			breaks = true
			continue
		}
		if breaks {
			e.writeIndent()
		}
		i = e.write(v, i)
		e.indention = false
		breaks = false
	}
}

// chompHint is the chomping indicator of
// yaml_emitter_write_block_scalar_hints.
func chompHint(v string) string {
	if len(v) == 0 {
		return "-"
	}
	i := len(v) - 1
	for v[i]&0xC0 == 0x80 {
		i--
	}
	switch {
	case !isBreak(v, i):
		return "-"
	case i == 0:
		return "+"
	}
	i--
	for v[i]&0xC0 == 0x80 {
		i--
	}
	if isBreak(v, i) {
		return "+"
	}
	return ""
}
