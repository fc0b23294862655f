package config

import (
	"fmt"
	"slices"
	"strings"
)

// checker validates one environment's merged spec. Paths it is given are
// relative to a spec (network.vpcCIDR); it reports them where the value was
// written: in the environment's section, in the shared spec, or, for a
// built-in default, at the environment's key.
type checker struct {
	*decoder
	env string
}

// fail reports a problem with the value at rel, where that value was
// written: in the environment's section, else in spec. Lists replace whole,
// so a value inside a list belongs to the section that wrote the list, and
// a missing field of a written list element is reported at the element. A
// value neither section wrote is a built-in default (or derived from one):
// it is reported at its nearest written parent and says so.
func (c *checker) fail(rel, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	prefixes := []string{join("environments", c.env), "spec"}
	for _, prefix := range prefixes {
		if at, ok := c.owner(prefix, rel); ok {
			c.add(at, joinPath(prefix, rel), msg)
			return
		}
	}
	best, bestLen := prefixes[0], -1
	for _, prefix := range prefixes {
		for p := rel; p != ""; p = parent(p) {
			if _, ok := c.pos[joinPath(prefix, p)]; ok && len(p) > bestLen {
				best, bestLen = prefix, len(p)
				break
			}
		}
	}
	c.failAt(joinPath(best, rel), "%s (built-in default)", msg)
}

// owner finds where the section at prefix wrote rel: rel itself, or a
// written list that holds it, located at rel's nearest written parent.
func (c *checker) owner(prefix, rel string) (position, bool) {
	var at position
	found := false
	for p := rel; p != ""; p = parent(p) {
		pos, ok := c.pos[joinPath(prefix, p)]
		if ok && !found {
			at, found = pos, true
		}
		if ok && (p == rel || strings.HasPrefix(rel[len(p):], "[") && !strings.HasPrefix(rel[len(p):], `["`)) {
			return at, true
		}
	}
	return position{}, false
}

// warn reports a valid value that is probably a mistake, located like fail.
func (c *checker) warn(rel, format string, args ...any) {
	c.fail(rel, format, args...)
	last := len(c.errs) - 1
	c.warns = append(c.warns, c.errs[last])
	c.errs = c.errs[:last]
}

func (c *checker) add(at position, path, msg string) {
	c.errs = append(c.errs, &FieldError{File: c.file, Line: at.line, Column: at.column, Path: path, Msg: msg})
}

// joinPath appends a relative path that may start with an index.
func joinPath(prefix, rel string) string {
	if rel == "" || strings.HasPrefix(rel, "[") {
		return prefix + rel
	}
	return prefix + "." + rel
}

// oneOf checks that v is one of allowed.
func oneOf[T comparable](c *checker, rel string, v T, allowed []T) bool {
	if slices.Contains(allowed, v) {
		return true
	}
	c.fail(rel, "%v is not allowed; want one of %s", quoteIfString(v), listOf(allowed))
	return false
}

func quoteIfString(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprint(v)
}

func listOf[T any](vs []T) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = fmt.Sprint(v)
	}
	return strings.Join(parts, ", ")
}

// inRange checks lo <= v <= hi.
func (c *checker) inRange(rel string, v, lo, hi int) bool {
	if v < lo || v > hi {
		c.fail(rel, "%d is out of range; want %d to %d", v, lo, hi)
		return false
	}
	return true
}
