package config

import (
	"regexp"
	"sync"
)

// lazyRegexp compiles expr on first use rather than at package init: every
// render command, `render version` too, initialises this package, and a
// pattern such as principalRE's {1,512} costs over a millisecond to compile.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
