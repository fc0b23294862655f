package tfstate

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadFile(t *testing.T) {
	t.Run("reads a state", func(t *testing.T) {
		st, err := ReadFile("testdata/dev.tfstate")
		if err != nil || st.Format != "4" || len(st.Resources) == 0 {
			t.Errorf("ReadFile = %d resources, format %q, %v", len(st.Resources), st.Format, err)
		}
	})
	t.Run("names a missing file", func(t *testing.T) {
		_, err := ReadFile("testdata/missing.tfstate")
		if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "missing.tfstate") {
			t.Errorf("got %v, want fs.ErrNotExist naming the file", err)
		}
	})
	t.Run("refuses a file larger than MaxSize", func(t *testing.T) {
		big := filepath.Join(t.TempDir(), "big.json")
		f, err := os.Create(big)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(MaxSize + 1); err != nil { // sparse: no disk used
			t.Fatal(err)
		}
		f.Close()
		if _, err := ReadFile(big); err == nil || !strings.Contains(err.Error(), "big.json is larger than") {
			t.Errorf("got %v, want an error naming big.json and the limit", err)
		}
	})
}

func TestRefuse(t *testing.T) {
	adoptable := Conflict{Object: "Subnet/demo-dev/public-b", Adoptable: true}
	overlap := Conflict{Object: "Subnet/demo-dev/private-a"}
	for _, tc := range []struct {
		name      string
		conflicts []Conflict
		allow     bool
		want      string // "" for no error
	}{
		{"no conflicts", nil, false, ""},
		{"a conflict without --allow-conflicts", []Conflict{adoptable}, false, "1 conflicts (listed above): conflicts: nothing written; change platform.yaml"},
		{"an adoptable conflict with --allow-conflicts", []Conflict{adoptable}, true, ""},
		{"an overlap even with --allow-conflicts", []Conflict{adoptable, overlap}, true, "1 conflicts (listed above) leave nothing to adopt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := (&Report{Conflicts: tc.conflicts}).Refuse(tc.allow)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("got %v, want nil", err)
			case tc.want != "" && (!errors.Is(err, ErrConflicts) || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("got %v, want ErrConflicts saying %q", err, tc.want)
			}
		})
	}
}
