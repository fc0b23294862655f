package orchestrate

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/eks-render/render/internal/config"
)

func TestConfirmDelete(t *testing.T) {
	dev := config.Environment{Name: "dev"}
	prod := config.Environment{Name: "prod"}
	protected := config.Environment{Name: "staging", Cluster: config.ClusterEnv{DeletionProtection: true}}
	for _, tc := range []struct {
		name     string
		env      config.Environment
		yes      bool
		terminal bool
		typed    string
		want     string // "" for confirmed
	}{
		{"dev needs no confirmation", dev, false, false, "", ""},
		{"--yes confirms prod", prod, true, false, "", ""},
		{"prod from a pipe is refused", prod, false, false, "prod\n", "refusing to delete environment prod (7 objects) without confirmation"},
		{"prod typed on a terminal", prod, false, true, "prod\n", ""},
		{"another name typed", prod, false, true, "dev\n", `not confirmed: typed "dev", not "prod"; nothing deleted`},
		{"a protected environment asks too", protected, false, true, "staging", ""},
		{"nothing typed", protected, false, true, "", "not confirmed: EOF"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out strings.Builder
			err := ConfirmDelete(tc.env, 7, tc.yes, Prompt{In: strings.NewReader(tc.typed), Terminal: tc.terminal, Out: &out})
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
			if asked := out.Len() > 0; asked != (tc.terminal && !tc.yes && needsConfirmation(tc.env)) {
				t.Errorf("asked %v: %q", asked, out.String())
			}
		})
	}
	if err := ConfirmDelete(prod, 1, false, Prompt{In: strings.NewReader(""), Terminal: true, Out: io.Discard}); !errors.Is(err, io.EOF) {
		t.Errorf("EOF is not wrapped: %v", err)
	}
}
