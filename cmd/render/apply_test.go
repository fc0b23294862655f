package main

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/eks-render/render/internal/apitest"
	"github.com/eks-render/render/internal/schema"
)

var env *apitest.Env

func TestMain(m *testing.M) {
	os.Exit(apitest.Main(m, func(ctx context.Context, e *apitest.Env) error {
		env = e
		set, err := schema.Load()
		if err != nil {
			return err
		}
		return e.InstallCRDs(ctx, set.CRDs())
	}))
}

func TestApplyCommand(t *testing.T) {
	apitest.Skip(t)
	dir := project(t)
	kubeconfig, err := env.Kubeconfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"apply", "dev", "--kubeconfig", kubeconfig, "--wait=false", "--output", "json"}
	code, out, errOut := run(t, dir, args...)
	if code != 0 {
		t.Fatalf("render apply = %d:\n%s", code, errOut)
	}
	var res struct {
		Changed int `json:"changed"`
		Objects []struct {
			Object, Action string
		} `json:"objects"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("stdout is not the JSON result: %v\n%s", err, out)
	}
	if res.Changed != 22 || len(res.Objects) != 22 || res.Objects[0].Action != "created" {
		t.Errorf("result = %+v", res)
	}
	if !strings.Contains(errOut, "Cluster/demo-dev/demo created") || !strings.Contains(errOut, "22 objects, 22 changed, not waited for") {
		t.Errorf("stderr:\n%s", errOut)
	}
	code, _, errOut = run(t, dir, args...)
	if code != 0 || !strings.Contains(errOut, "22 objects, 0 changed") {
		t.Errorf("second apply = %d:\n%s", code, errOut)
	}
	code, _, errOut = run(t, dir, "apply", "dev", "--kubeconfig", kubeconfig, "--output", "yaml")
	if code != 1 || !strings.Contains(errOut, `error: --output "yaml": the only value is json`) {
		t.Errorf("apply --output yaml = %d:\n%s", code, errOut)
	}
}
