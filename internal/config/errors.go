package config

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// FieldError is one problem in the configuration file, located as precisely
// as the file allows. Path is the field path as the user wrote it, e.g.
// environments.dev.network.vpcCIDR.
type FieldError struct {
	File   string
	Line   int // 0 when the value comes from a built-in default
	Column int
	Path   string
	Msg    string
}

func (e *FieldError) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d:%d", e.File, e.Line, e.Column)
	}
	if e.Path == "" {
		return fmt.Sprintf("%s: %s", loc, e.Msg)
	}
	return fmt.Sprintf("%s: %s: %s", loc, e.Path, e.Msg)
}

// ErrInvalid is wrapped by every error Parse returns for bad input, so a
// caller can tell bad input from other failures with errors.Is.
var ErrInvalid = errors.New("invalid configuration")

// Errors is every problem found in one file, in file order.
type Errors []*FieldError

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.Is find ErrInvalid and errors.As find each FieldError.
func (es Errors) Unwrap() []error {
	out := make([]error, 0, len(es)+1)
	out = append(out, ErrInvalid)
	for _, e := range es {
		out = append(out, e)
	}
	return out
}

// sorted returns the errors in file order without exact duplicates (an
// error in spec is found once per environment that inherits it).
func (es Errors) sorted() Errors {
	seen := map[string]bool{}
	var out Errors
	for _, e := range es {
		if s := e.Error(); !seen[s] {
			seen[s] = true
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Column < out[j].Column
	})
	return out
}
