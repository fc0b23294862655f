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

// fail reports a problem with the value at rel.
func (c *checker) fail(rel, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	for p := rel; p != ""; p = parent(p) {
		for _, prefix := range []string{"environments." + c.env, "spec"} {
			if at, ok := c.pos[joinPath(prefix, p)]; ok {
				c.errs = append(c.errs, &FieldError{File: c.file, Line: at.line, Column: at.column, Path: joinPath(prefix, rel), Msg: msg})
				return
			}
		}
	}
	c.failAt("environments."+c.env, "%s: %s (built-in default)", rel, msg)
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

// set reports whether the file gives rel, in the environment or in spec.
func (c *checker) set(rel string) bool {
	_, inEnv := c.pos[joinPath("environments."+c.env, rel)]
	_, inSpec := c.pos[joinPath("spec", rel)]
	return inEnv || inSpec
}
