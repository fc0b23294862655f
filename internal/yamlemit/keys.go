package yamlemit

import (
	"slices"
	"unicode"
)

// sortKeys sorts keys in the order yaml.v2 writes a mapping's (sorter.go
// keyList.Less under sort.Sort), and reports false when that order is not
// provable: keyList.Less, with its runs of digits compared as numbers, is
// not transitive for every set of keys, and where it is not, sort.Sort's
// result depends on the map's iteration order.
func sortKeys(keys []string) bool {
	simple := true
	for _, k := range keys {
		simple = simple && simpleKey(k)
	}
	if simple {
		slices.SortFunc(keys, compareSimple)
		return true
	}
	slices.SortFunc(keys, func(a, b string) int {
		if keyLess(a, b) {
			return -1
		}
		return 1
	})
	// A strict total order on keys exactly when every pair agrees with
	// the sorted sequence.
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			if !keyLess(keys[i], keys[j]) || keyLess(keys[j], keys[i]) {
				return false
			}
		}
	}
	return true
}

// simpleKey reports whether k is ASCII without digits. On such keys
// keyList.Less compares the first differing bytes, a letter after any
// other character, and else a proper prefix first: a total order.
func simpleKey(k string) bool {
	for i := 0; i < len(k); i++ {
		if c := k[i]; c >= 0x80 || c >= '0' && c <= '9' {
			return false
		}
	}
	return true
}

// compareSimple is keyList.Less as a comparison, for simple keys.
func compareSimple(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] == b[i] {
			continue
		}
		al, bl := isASCIILetter(a[i]), isASCIILetter(b[i])
		if al != bl {
			if bl {
				return -1
			}
			return 1
		}
		if a[i] < b[i] {
			return -1
		}
		return 1
	}
	return len(a) - len(b)
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// keyLess is go.yaml.in/yaml/v2 sorter.go keyList.Less for two strings.
func keyLess(a, b string) bool {
	ar, br := []rune(a), []rune(b)
	for i := 0; i < len(ar) && i < len(br); i++ {
		if ar[i] == br[i] {
			continue
		}
		al := unicode.IsLetter(ar[i])
		bl := unicode.IsLetter(br[i])
		if al && bl {
			return ar[i] < br[i]
		}
		if al || bl {
			return bl
		}
		var ai, bi int
		var an, bn int64
		if ar[i] == '0' || br[i] == '0' {
			for j := i - 1; j >= 0 && unicode.IsDigit(ar[j]); j-- {
				if ar[j] != '0' {
					an = 1
					bn = 1
					break
				}
			}
		}
		for ai = i; ai < len(ar) && unicode.IsDigit(ar[ai]); ai++ {
			an = an*10 + int64(ar[ai]-'0')
		}
		for bi = i; bi < len(br) && unicode.IsDigit(br[bi]); bi++ {
			bn = bn*10 + int64(br[bi]-'0')
		}
		if an != bn {
			return an < bn
		}
		if ai != bi {
			return ai < bi
		}
		return ar[i] < br[i]
	}
	return len(ar) < len(br)
}
