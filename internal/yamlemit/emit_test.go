package yamlemit

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"go.yaml.in/yaml/v2"
)

// tricky are strings whose YAML form yaml.v2 decides with care: those that
// read back as another type, indicators, spaces and breaks at the edges,
// escapes, long lines that fold, keys that need quotes.
var tricky = []string{
	"true", "yes", "on", "off", "y", "N", "~", "null", "NULL", "", "<<",
	"1e3", "0x1F", "0o17", "0b101", "-0b101", "1_000", "+1", "-", "+", ".", ".5", ".inf", "-.Inf", ".nan",
	"1:20", "-1:20:30.5", "190:20:30", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10", "2024-13-45",
	"10.0.0.0/16", "1.2.3", "0.0.0.0/0", "v1", "1", "012", "3.0",
	"- a", "-a", "a: b", "a:b", "a:", ":a", "? a", "?a", "#x", "a #b", "a#b", "a,b", "[a]", "{a}", "&a", "*a", "!a", "|a", ">a", "'a", "\"a", "%a", "@a", "`a",
	"---", "--- a", "...", "a...",
	" lead", "trail ", "  ", " ", "\t", "tab\there", "a\tb ",
	"'", "\"", "'quoted'", "it's", "back\\slash",
	"multi\nline", "multi\nline\n", "multi\nline\n\n", "\n", "\n\n", "\nlead", " indented\nfirst", "trail \nspace", "a\n b", "a\n\n b\n",
	"cr\rhere", "nel\u0085here", "ls\u2028here", "ps\u2029here", "a\u2028", "\u2028",
	"nul\x00here", "bell\x07", "esc\x1b", "del\x7f", "nbsp\u00a0here", "\ufeffbom", "bom\ufeff", "\ufffe", "é", "日本語のテキスト", "emoji 😀 here", "\U0001F600",
	"\u0080", "\u009f", "\u00a0x", "\ud7ff", "\ue000", "\uefff", "\uf000", "\ufffd", "\uffff", "\U00010000", "\U0010FFFF",
	strings.Repeat("word ", 40), strings.Repeat("x", 200), strings.Repeat("long words ", 12) + strings.Repeat("y", 90) + " end",
	strings.Repeat("a ", 50) + " double  spaces  " + strings.Repeat("b ", 30) + "z",
	"#" + strings.Repeat(" w", 60), strings.Repeat("q ", 45) + "\"quoted\" " + strings.Repeat("r ", 20) + "t",
	strings.Repeat("é ", 60) + "end", "#" + strings.Repeat("'", 12) + " b c", "#" + strings.Repeat("'", 8) + " b c d e", "- '" + strings.Repeat("x", 10) + "' y z", "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}\n",
	"key.with/slash", "app.kubernetes.io/name", "a1", "a01", "a001", "a1b", "a10", "a2", "A", "Z", "_", "-key", "0", "00", "x0", "x00y",
}

func marshalV2(t testing.TB, m map[string]any) []byte {
	t.Helper()
	b, err := yaml.Marshal(m)
	if err != nil {
		t.Fatalf("yaml.v2: %v", err)
	}
	return b
}

// placements puts s everywhere a scalar can stand: as a value at each
// depth, a key, a sequence item, an item of a sequence in a sequence, and
// after a long key (where plain scalars fold sooner).
func placements(s string) map[string]any {
	return map[string]any{
		"value": s,
		s:       "key",
		"list":  []any{s, []any{s, int64(1)}, map[string]any{s: s, "k": []any{s}}},
		"nested": map[string]any{
			"deeper": map[string]any{s: map[string]any{"v": s}, "l": []any{map[string]any{"a": s}}},
		},
		strings.Repeat("k", 60): s,
	}
}

// check compares Append with yaml.v2 on m: equal bytes, or Append says it
// cannot.
func check(t testing.TB, m map[string]any) bool {
	t.Helper()
	want := marshalV2(t, m)
	got, ok := Append([]byte("#\n"), m)
	if !ok {
		return false
	}
	if !bytes.Equal(got[2:], want) {
		t.Fatalf("Append differs from yaml.v2 on %#v\n--- yaml.v2:\n%s\n--- Append:\n%s", m, want, got[2:])
	}
	return true
}

func TestTrickyStrings(t *testing.T) {
	for _, s := range tricky {
		t.Run(s, func(t *testing.T) {
			if !check(t, placements(s)) && validUTF8(s) && !multiline(s) && len(s) <= 128 {
				t.Errorf("falls back to yaml.v2 on %q", s)
			}
		})
	}
}

func TestOtherScalars(t *testing.T) {
	m := map[string]any{
		"ints":   []any{int64(0), int64(-1), int64(math.MaxInt64), int64(math.MinInt64)},
		"floats": []any{0.5, -2.25, 1e21, 1e-7, 3.0, math.Inf(1), math.Inf(-1), math.NaN(), math.MaxFloat64},
		"bools":  []any{true, false},
		"null":   nil,
		"empty":  map[string]any{"m": map[string]any{}, "l": []any{}, "in list": []any{map[string]any{}, []any{}}},
	}
	if !check(t, m) {
		t.Fatal("falls back to yaml.v2")
	}
	if !check(t, map[string]any{}) {
		t.Fatal("falls back to yaml.v2 on an empty document")
	}
}

func TestKeyOrder(t *testing.T) {
	keys := []string{"b", "a", "B", "A", "_", "-", ".", "/", "a.b", "a-b", "a/b", "ab", "aB", "a", "zz", "z",
		"a1", "a01", "a001", "a2", "a10", "a1b", "1", "10", "9", "01", "x0", "x00", "x0y", "é", "e", "ä1"}
	m := map[string]any{}
	for _, k := range keys {
		m[k] = k
	}
	check(t, m)
	for _, k := range keys {
		check(t, map[string]any{k: 1, "a": 2, "a.b": 3, "b0": 4})
	}
}

// TestFallsBack lists what Append leaves to yaml.v2.
func TestFallsBack(t *testing.T) {
	for name, m := range map[string]map[string]any{
		"another Go type":    {"a": []string{"x"}},
		"invalid UTF-8":      {"a": "\xff"},
		"invalid UTF-8 key":  {"\xff": "a"},
		"multi-line key":     {"a\nb": "c"},
		"a key of 129 bytes": {strings.Repeat("k", 129): "v"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, ok := Append(nil, m); ok {
				t.Error("Append wrote it")
			}
		})
	}
	if !check(t, map[string]any{strings.Repeat("k", 128): "v"}) {
		t.Error("a key of 128 bytes falls back")
	}
}

// FuzzEncode compares Append with yaml.v2's Marshal on a key and values
// in every placement, and on a JSON document (the generic form render's
// objects take) with them added. One value is spelled from tokens (see
// spell), so that mutations reach the characters yaml.v2 decides on; the
// seeds are the tricky strings and the documents of the trees render
// writes.
func FuzzEncode(f *testing.F) {
	for i, s := range tricky {
		f.Add(s, s, []byte{byte(i), byte(3 * i), byte(7 * i)}, []byte(`{"a": 1}`))
		f.Add("key", s, []byte{byte(5 * i)}, []byte(`{}`))
	}
	for _, doc := range seedDocuments(f) {
		f.Add("metadata", "x", []byte(nil), doc)
	}
	f.Fuzz(func(t *testing.T, key, value string, spelled, doc []byte) {
		m := placements(value)
		m[key] = value
		check(t, m)
		check(t, map[string]any{key: placements(key)})
		s := spell(spelled)
		check(t, placements(s))
		dm, ok := decodeJSON(doc)
		if !ok {
			return
		}
		check(t, dm)
		dm[key] = m
		dm[s] = s
		check(t, dm)
	})
}

// tokens are what spell builds strings from: the characters and words
// yaml.v2's scalar analysis, resolver, folding and key order look at.
var tokens = []string{
	" ", "  ", "\t", "\n", "\r", ":", "#", "-", "?", ",", "[", "]", "{", "}", "&", "*", "!", "|", ">",
	"'", "\"", "%", "@", "`", "\\", "~", ".", "+", "_", "0", "1", "9", "e", "x", "b", "o", "O", "y", "Y",
	"n", "N", "t", "T", "f", "F", "a", "Z", "<<", "---", "...", "true", "null", "on", "yes", ".inf", "0x",
	"2001-12-14", "1:20", "é", "日", "\u0085", "\u00a0", "\u2028", "\u2029", "\ue000", "\ufeff", "\ufffe",
	"\U0001F600", "\x00", "\x07", "\x1b", "\x7f", "wordy words ", "loooooooooooooooooooooooong",
}

// spell maps each byte of b to a token.
func spell(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		sb.WriteString(tokens[int(c)%len(tokens)])
	}
	return sb.String()
}

// decodeJSON decodes doc as a JSON object (its numbers float64: both
// encoders see the same value, and int64 is the placements' part).
func decodeJSON(doc []byte) (map[string]any, bool) {
	var m map[string]any
	if json.Unmarshal(doc, &m) != nil || m == nil {
		return nil, false
	}
	return m, true
}
