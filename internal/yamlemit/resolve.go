package yamlemit

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// canUsePlain is encode.go stringv's test for an untagged string: plain
// when it would read back as a string (resolve.go resolve) and is not a
// YAML 1.1 base 60 float (isBase60Float).
func canUsePlain(s string) bool {
	return resolvesToString(s) && !isBase60Float(s)
}

// resolvesToString is resolve("", s) == yaml_STR_TAG.
func resolvesToString(s string) bool {
	if s == "" {
		return false // null
	}
	hint := resolveHint(s[0])
	if hint == 0 {
		return true
	}
	if inResolveMap(s) {
		return false
	}
	switch hint {
	case '.':
		_, err := strconv.ParseFloat(s, 64)
		return err != nil
	case 'D', 'S':
		return !resolvesToNumber(s)
	}
	return true // 'M', checked against the map above
}

// resolveHint is resolve.go resolveTable.
func resolveHint(c byte) byte {
	switch {
	case c == '+' || c == '-':
		return 'S'
	case c >= '0' && c <= '9':
		return 'D'
	case strings.IndexByte("yYnNtTfFoO~", c) >= 0:
		return 'M'
	case c == '.':
		return '.'
	}
	return 0
}

// inResolveMap reports whether s is a key of resolve.go resolveMap:
// booleans, nulls, infinities, not-a-number and the merge key (a switch,
// so that nothing is built at init).
func inResolveMap(s string) bool {
	switch s {
	case "y", "Y", "yes", "Yes", "YES",
		"true", "True", "TRUE",
		"on", "On", "ON",
		"n", "N", "no", "No", "NO",
		"false", "False", "FALSE",
		"off", "Off", "OFF",
		"", "~", "null", "Null", "NULL",
		".nan", ".NaN", ".NAN",
		".inf", ".Inf", ".INF",
		"+.inf", "+.Inf", "+.INF",
		"-.inf", "-.Inf", "-.INF",
		"<<":
		return true
	}
	return false
}

// resolvesToNumber is resolve's 'D' and 'S' case: a timestamp, an
// integer (underscores dropped, any base prefix), a float, or a binary
// integer.
func resolvesToNumber(s string) bool {
	if isTimestamp(s) {
		return true
	}
	plain := strings.ReplaceAll(s, "_", "")
	if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
		return true
	}
	if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
		return true
	}
	if yamlStyleFloat().MatchString(plain) {
		if _, err := strconv.ParseFloat(plain, 64); err == nil {
			return true
		}
	}
	switch {
	case strings.HasPrefix(plain, "0b"):
		if _, err := strconv.ParseInt(plain[2:], 2, 64); err == nil {
			return true
		}
		_, err := strconv.ParseUint(plain[2:], 2, 64)
		return err == nil
	case strings.HasPrefix(plain, "-0b"):
		_, err := strconv.ParseInt("-"+plain[3:], 2, 64)
		return err == nil
	}
	return false
}

// The regular expressions of resolve.go and encode.go, compiled on first
// use (most documents never need them, and start-up compiles nothing).
var (
	yamlStyleFloatOnce, base60FloatOnce sync.Once
	yamlStyleFloatRE, base60FloatRE     *regexp.Regexp
)

func yamlStyleFloat() *regexp.Regexp {
	yamlStyleFloatOnce.Do(func() {
		yamlStyleFloatRE = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)
	})
	return yamlStyleFloatRE
}

func base60Float() *regexp.Regexp {
	base60FloatOnce.Do(func() {
		base60FloatRE = regexp.MustCompile(`^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`)
	})
	return base60FloatRE
}

// isBase60Float is encode.go isBase60Float.
func isBase60Float(s string) bool {
	if s == "" {
		return false
	}
	c := s[0]
	if !(c == '+' || c == '-' || c >= '0' && c <= '9') || strings.IndexByte(s, ':') < 0 {
		return false
	}
	return base60Float().MatchString(s)
}

// timestampFormats is resolve.go allowedTimestampFormats.
var timestampFormats = []string{
	"2006-1-2T15:4:5.999999999Z07:00",
	"2006-1-2t15:4:5.999999999Z07:00",
	"2006-1-2 15:4:5.999999999",
	"2006-1-2",
}

// isTimestamp is resolve.go parseTimestamp's success.
func isTimestamp(s string) bool {
	i := 0
	for ; i < len(s); i++ {
		if c := s[i]; c < '0' || c > '9' {
			break
		}
	}
	if i != 4 || i == len(s) || s[i] != '-' {
		return false
	}
	for _, format := range timestampFormats {
		if _, err := time.Parse(format, s); err == nil {
			return true
		}
	}
	return false
}
