package config

import (
	"errors"
	"testing"
)

func TestNextAuthenticationMode(t *testing.T) {
	for mode, want := range map[string]string{"CONFIG_MAP": "API_AND_CONFIG_MAP", "API_AND_CONFIG_MAP": "API", "API": "API"} {
		if got := NextAuthenticationMode(mode); got != want {
			t.Errorf("NextAuthenticationMode(%q) = %q, want %q", mode, got, want)
		}
	}
}

func TestOutputsAuthenticationMode(t *testing.T) {
	head := "apiVersion: " + APIVersion + "\nkind: Outputs\nenvironment: dev\nvalues:\n  authenticationMode: "
	got, err := ParseOutputs("outputs/dev.yaml", "dev", []byte(head+"API_AND_CONFIG_MAP\n"))
	if err != nil || got.AuthenticationMode != "API_AND_CONFIG_MAP" {
		t.Fatalf("ParseOutputs = %+v, %v; want authenticationMode API_AND_CONFIG_MAP", got, err)
	}
	_, err = ParseOutputs("outputs/dev.yaml", "dev", []byte(head+"IAM\n"))
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Path != "values.authenticationMode" || fe.Line != 5 {
		t.Errorf("ParseOutputs with an unknown mode = %v, want a FieldError at values.authenticationMode line 5", err)
	}
}
