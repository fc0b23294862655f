package config

import "testing"

func TestParent(t *testing.T) {
	for in, want := range map[string]string{
		"a.b[1].c":         "a.b[1]",
		"a.b[1]":           "a.b",
		"a.b":              "a",
		"a":                "",
		`tags["x.y/z"]`:    "tags",
		`tags["a[1]"].c`:   `tags["a[1]"]`,
		"environments.dev": "environments",
	} {
		if got := parent(in); got != want {
			t.Errorf("parent(%q) = %q, want %q", in, got, want)
		}
	}
}
