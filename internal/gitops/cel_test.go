package gitops

import (
	"testing"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/ext"
)

// fluxStatus evaluates a Kustomization's health check of obj the way Flux
// does (RFC-0009): expressions parsed, not type-checked, with the object's
// top-level fields as variables; inProgress, failed, current in that order,
// the first true wins, none true is InProgress. An evaluation error makes
// the object Unknown, which Flux keeps waiting on.
func fluxStatus(t *testing.T, hc CustomHealthCheck, obj map[string]any) string {
	t.Helper()
	env, err := cel.NewEnv(cel.HomogeneousAggregateLiterals(), cel.EagerlyValidateDeclarations(true),
		cel.DefaultUTCTimeZone(true), cel.CrossTypeNumericComparisons(true), cel.OptionalTypes(),
		ext.Strings(), ext.Sets(), ext.Encoders())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []struct{ expr, status string }{
		{hc.InProgress, "InProgress"}, {hc.Failed, "Failed"}, {hc.Current, "Current"},
	} {
		if e.expr == "" {
			continue
		}
		ast, iss := env.Parse(e.expr)
		if iss.Err() != nil {
			t.Fatalf("parse %q: %v", e.expr, iss.Err())
		}
		prg, err := env.Program(ast, cel.EvalOptions(cel.OptOptimize))
		if err != nil {
			t.Fatalf("program %q: %v", e.expr, err)
		}
		out, _, err := prg.Eval(obj)
		if err != nil {
			return "Unknown"
		}
		b, ok := out.Value().(bool)
		if !ok {
			t.Fatalf("%q gives %v, want a bool", e.expr, out)
		}
		if b {
			return e.status
		}
	}
	return "InProgress"
}

func TestHealthCheckExprs(t *testing.T) {
	checks := HealthCheckExprs(Kinds())
	vpc := checks[0]
	for _, hc := range checks {
		if hc.Kind == "VPC" {
			vpc = hc
		}
	}
	for _, s := range samples {
		t.Run(s.name, func(t *testing.T) {
			if got := fluxStatus(t, vpc, decode(t, s)); got != s.flux {
				t.Errorf("Flux status = %s, want %s", got, s.flux)
			}
		})
	}
	t.Run("type-checks against a dynamic object", func(t *testing.T) {
		env, err := cel.NewEnv(cel.Variable("status", cel.DynType))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range []string{CurrentExpr, FailedExpr} {
			ast, iss := env.Compile(e)
			if iss.Err() != nil || ast.OutputType() != cel.BoolType {
				t.Errorf("compile %q: %v, output %v; want a bool", e, iss.Err(), ast.OutputType())
			}
		}
	})
	t.Run("one check per kind", func(t *testing.T) {
		seen := map[string]bool{}
		for i, hc := range checks {
			k := Kinds()[i]
			if hc.APIVersion != k.GroupVersion().String() || hc.Kind != k.Kind || seen[hc.APIVersion+"/"+hc.Kind] {
				t.Errorf("check %d is %s %s, want %s", i, hc.APIVersion, hc.Kind, k)
			}
			seen[hc.APIVersion+"/"+hc.Kind] = true
		}
		if len(checks) != len(Kinds()) {
			t.Errorf("%d checks for %d kinds", len(checks), len(Kinds()))
		}
	})
}
