package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
)

// TestOutputsCheck: render outputs ENV --check passes on the file render
// apply wrote, and on a stale or missing file exits 1 naming each value,
// old → new, and writes nothing.
func TestOutputsCheck(t *testing.T) {
	apitest.Skip(t)
	dir := project(t)
	edit(t, filepath.Join(dir, "platform.yaml"), "name: demo", "name: drift")
	kubeconfig, err := env.Kubeconfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	acksim.New(env.Client, "drift-dev", acksim.Options{Interval: 50 * time.Millisecond}).Start(t)
	if code, _, errOut := run(t, dir, "apply", "dev", "--kubeconfig", kubeconfig, "--poll-interval", "100ms", "--timeout", "2m", "--workload=false"); code != 0 {
		t.Fatalf("render apply = %d:\n%s", code, errOut)
	}
	if code, _, errOut := run(t, dir, "outputs", "dev", "--kubeconfig", kubeconfig); code != 0 {
		t.Fatalf("render outputs = %d:\n%s", code, errOut)
	}
	path := filepath.Join(dir, "outputs", "dev.yaml")
	t.Run("passes on a current file", func(t *testing.T) {
		if code, out, errOut := run(t, dir, "outputs", "dev", "--check", "--kubeconfig", kubeconfig); code != 0 || out != "" || strings.Contains(errOut, "error:") {
			t.Fatalf("outputs --check = %d, stdout %q, stderr %q", code, out, errOut)
		}
	})
	t.Run("names each stale value and writes nothing", func(t *testing.T) {
		live := acksim.ID("VPC", "vpc")
		edit(t, path, "vpcID: "+live, "vpcID: vpc-0123456789abcdef0")
		edit(t, path, "clusterEndpoint: "+acksim.DefaultClusterEndpoint, "clusterEndpoint: https://old.example.com")
		before := snapshot(t, dir)
		code, out, errOut := run(t, dir, "outputs", "dev", "--check", "--kubeconfig", kubeconfig)
		want := "error: outputs/dev.yaml is not current: 2 values differ from the live management cluster\n" +
			"  vpcID: vpc-0123456789abcdef0 → " + live + "\n" +
			"  clusterEndpoint: https://old.example.com → " + acksim.DefaultClusterEndpoint + "\n"
		if code != 1 || out != "" || !strings.Contains(errOut, want) {
			t.Errorf("outputs --check = %d, stdout %q, stderr %q; want exit 1 and %q", code, out, errOut, want)
		}
		if after := snapshot(t, dir); len(after) != len(before) || after["/outputs/dev.yaml"] != before["/outputs/dev.yaml"] {
			t.Error("outputs --check wrote files")
		}
	})
	t.Run("names every value of a missing file", func(t *testing.T) {
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		code, _, errOut := run(t, dir, "outputs", "dev", "--check", "--kubeconfig", kubeconfig)
		if code != 1 || !strings.Contains(errOut, "error: outputs/dev.yaml does not exist; render outputs would write") ||
			!strings.Contains(errOut, "  oidcIssuer: (none) → "+acksim.DefaultIssuer+"\n") {
			t.Errorf("outputs --check = %d, stderr %q", code, errOut)
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("outputs --check wrote %s: %v", path, err)
		}
	})
}
