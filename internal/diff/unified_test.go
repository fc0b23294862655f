package diff

import (
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func unstructuredOf(m map[string]any) *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: m}
}

func gocmpDiff(want, got any) string { return gocmp.Diff(want, got) }

func TestUnified(t *testing.T) {
	tests := []struct {
		name, a, b, want string
	}{
		{"is empty for equal texts", "a\nb\n", "a\nb\n", ""},
		{"shows a changed line with context", "1\n2\n3\n4\n5\n", "1\n2\nX\n4\n5\n",
			"--- a\n+++ b\n@@ -1,5 +1,5 @@\n 1\n 2\n-3\n+X\n 4\n 5\n"},
		{"splits hunks far apart", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "X\n2\n3\n4\n5\n6\n7\n8\n9\nY\n",
			"--- a\n+++ b\n@@ -1,4 +1,4 @@\n-1\n+X\n 2\n 3\n 4\n@@ -7,4 +7,4 @@\n 7\n 8\n 9\n-10\n+Y\n"},
		{"adds at the end", "1\n", "1\n2\n", "--- a\n+++ b\n@@ -1 +1,2 @@\n 1\n+2\n"},
		{"removes everything", "1\n", "2\n", "--- a\n+++ b\n@@ -1 +1 @@\n-1\n+2\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := gocmp.Diff(tt.want, Unified("a", "b", tt.a, tt.b)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}
