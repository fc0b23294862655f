package gen

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// renderedJSON returns json.Marshal of every object render makes for the
// test configurations and the repository's platform.yaml, every late
// value given: toMap's inputs.
func renderedJSON(t testing.TB) [][]byte {
	t.Helper()
	files, err := filepath.Glob("testdata/configs/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var docs [][]byte
	for _, file := range append(files, "../../platform.yaml") {
		cfg := loadConfig(t, file)
		late := allLate(cfg)
		for _, env := range cfg.Environments {
			r, err := Render(env, late[env.Name])
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range append(append([]any{namespaceObject(env)}, r.Management...), r.Workload...) {
				b, err := json.Marshal(o)
				if err != nil {
					t.Fatal(err)
				}
				docs = append(docs, b)
			}
		}
	}
	return docs
}

// compareDecoders wants decodeGeneric to decode b as decodeJSON does, or
// to decline.
func compareDecoders(t *testing.T, b []byte) bool {
	t.Helper()
	got, ok := decodeGeneric(b)
	if !ok {
		return false
	}
	want, err := decodeJSON(b)
	if err != nil {
		t.Fatalf("decodeGeneric took %q, which encoding/json refuses: %v", b, err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("decodeGeneric(%q) differs from encoding/json (-want +got):\n%s", b, d)
	}
	return true
}

// TestDecodeGeneric decodes every object render makes both ways: the
// same generic form, and never the fallback.
func TestDecodeGeneric(t *testing.T) {
	docs := renderedJSON(t)
	for _, b := range docs {
		if !compareDecoders(t, b) {
			t.Errorf("decodeGeneric declines %s", b)
		}
	}
	t.Logf("%d objects", len(docs))
	for _, b := range []string{`{"a":"\u003c\u0026\u003e\u2028\\\"\/\b\f\n\r\t\u00e9 é"}`, `{"n":[0,-0,1.5,-2e10,1E+2,9223372036854775807,9223372036854775808,-9223372036854775809,1e400]}`, `{"a":{},"b":[],"c":null,"d":true,"e":false,"f":[{"g":[[]]}]}`} {
		if !compareDecoders(t, []byte(b)) {
			t.Errorf("decodeGeneric declines %s", b)
		}
	}
	for _, b := range []string{`[]`, `null`, `{"a":1} `, `{"a":01}`, `{"a":1.}`, `{"a":"\ud83d\ude00"}`, "{\"a\":\"\x01\"}", "{\"a\":\"\xff\"}", `{"a":tru}`, `{"a":1,}`, `{a:1}`, `{"a":"\x"}`} {
		if _, ok := decodeGeneric([]byte(b)); ok {
			t.Errorf("decodeGeneric takes %s", b)
		}
	}
}

// FuzzDecodeGeneric: whatever decodeGeneric takes, encoding/json decodes
// the same; seeded with every object render makes.
func FuzzDecodeGeneric(f *testing.F) {
	for _, b := range renderedJSON(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		compareDecoders(t, b)
	})
}
