package main

import (
	"os/exec"
	"strings"
	"testing"
)

// forbiddenDeps are packages (and everything below them) that must not
// reach the render binary: the validator that only tests use
// (internal/schema/schematest) and what it builds on, the apiserver's
// structural-schema, CEL and OpenAPI validation, which cost every run their
// package initialisers (component-base's metric registries, cel-go's
// environments, strfmt's format registry: ~1.4 MB and ~6 ms at init) and
// 15 MB of binary (issue 32). The binary reads the CRD facts it needs
// (reference and immutable fields) with package schema alone.
var forbiddenDeps = []string{
	"github.com/eks-render/render/internal/schema/schematest",
	"github.com/google/cel-go",
	"cel.dev/expr",
	"k8s.io/apiextensions-apiserver/pkg/apiserver",
	"k8s.io/apiserver",
	"k8s.io/component-base/metrics",
	"k8s.io/kube-openapi/pkg/validation/validate",
	"k8s.io/kube-openapi/pkg/validation/strfmt",
}

func TestNoValidatorInBinary(t *testing.T) {
	// One line per package of the binary: its path, then its imports.
	out, err := exec.Command("go", "list", "-deps", "-f", `{{.ImportPath}} {{join .Imports " "}}`, ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	importers := map[string][]string{}
	var deps []string
	for line := range strings.Lines(string(out)) {
		f := strings.Fields(line)
		deps = append(deps, f[0])
		for _, imp := range f[1:] {
			importers[imp] = append(importers[imp], f[0])
		}
	}
	if len(deps) < 100 {
		t.Fatalf("go list -deps listed %d packages; want the binary's (hundreds)", len(deps))
	}
	// Report where a forbidden package enters: each one imported by a
	// package that is not forbidden itself (there is one whenever any
	// forbidden package is listed).
	for _, p := range deps {
		bad := forbidden(p)
		if bad == "" {
			continue
		}
		var entries []string
		for _, imp := range importers[p] {
			if forbidden(imp) == "" {
				entries = append(entries, imp)
			}
		}
		if len(entries) > 0 {
			t.Errorf("%s (forbidden: %s) reaches cmd/render, imported by %s", p, bad, strings.Join(entries, ", "))
		}
	}
}

// forbidden returns the entry of forbiddenDeps that p is or is below, or "".
func forbidden(p string) string {
	for _, f := range forbiddenDeps {
		if p == f || strings.HasPrefix(p, f+"/") {
			return f
		}
	}
	return ""
}
