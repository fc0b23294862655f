package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/client-go/tools/clientcmd"
)

const prodOutputs = `apiVersion: platform.eks-render.dev/v1alpha1
kind: Outputs
environment: prod
values:
  vpcID: vpc-0123456789abcdef0
  oidcIssuer: https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE
  clusterEndpoint: https://EXAMPLE.gr7.us-west-2.eks.amazonaws.com
  clusterCA: Y2EtZGF0YQ==
`

func writeOutputs(t *testing.T, dir, env, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "outputs"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "outputs", env+".yaml"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestGitOpsSecondPhase is the two-commit flow: with outputs/prod.yaml
// committed, render gen renders the second-phase objects into
// overlays/prod, the same as the generator's golden files for these values.
func TestGitOpsSecondPhase(t *testing.T) {
	golden, err := filepath.Abs(filepath.Join("..", "..", "internal", "gen", "testdata", "golden", "tree", "overlays", "prod"))
	if err != nil {
		t.Fatal(err)
	}
	dir := project(t)
	writeOutputs(t, dir, "prod", prodOutputs)
	code, _, errOut := run(t, dir, "gen")
	if code != 0 {
		t.Fatalf("gen = %d:\n%s", code, errOut)
	}
	if strings.Contains(errOut, "not rendered yet: prod") || !strings.Contains(errOut, "not rendered yet: dev: FlowLog/demo-dev/vpc") {
		t.Errorf("stderr:\n%s", errOut)
	}
	for _, f := range []string{"flowlog-vpc.yaml", "openidconnectprovider-oidc.yaml", "policy-alb-controller.yaml", "policy-alb-controller-elb.yaml", "role-alb-controller.yaml"} {
		got, err := os.ReadFile(filepath.Join(dir, "overlays", "prod", f))
		if err != nil {
			t.Errorf("second phase not rendered: %v", err)
			continue
		}
		want, err := os.ReadFile(filepath.Join(golden, f))
		if err != nil {
			t.Fatal(err)
		}
		if body(got) != body(want) {
			t.Errorf("overlays/prod/%s differs from internal/gen's golden file", f)
		}
	}
}

// body drops the header line, which names the configuration file.
func body(b []byte) string {
	_, rest, _ := strings.Cut(string(b), "\n")
	return rest
}

func TestBadOutputsFile(t *testing.T) {
	dir := project(t)
	if code, _, _ := run(t, dir, "gen"); code != 0 {
		t.Fatal("gen failed")
	}
	before := snapshot(t, dir)
	writeOutputs(t, dir, "prod", strings.Replace(prodOutputs, "vpc-0123456789abcdef0", "vpc-xyz", 1))
	code, _, errOut := run(t, dir, "gen")
	want := `error: outputs/prod.yaml:5:10: values.vpcID: "vpc-xyz" is not a VPC ID; want vpc- and 8 or 17 hex digits`
	if code != 1 || !strings.Contains(errOut, want) {
		t.Errorf("gen = %d, stderr %q; want %q", code, errOut, want)
	}
	after := snapshot(t, dir)
	delete(after, "/outputs/prod.yaml")
	if len(after) != len(before) {
		t.Errorf("files changed: %d before, %d after", len(before), len(after))
	}
}

func TestKubeconfigFromOutputs(t *testing.T) {
	dir := project(t)
	writeOutputs(t, dir, "prod", prodOutputs)
	code, _, errOut := run(t, dir, "kubeconfig", "prod")
	if code != 0 || !strings.Contains(errOut, "wrote demo-prod.kubeconfig (context demo-prod)") {
		t.Fatalf("kubeconfig = %d:\n%s", code, errOut)
	}
	path := filepath.Join(dir, "demo-prod.kubeconfig")
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("kubeconfig file: %v, mode %v; want 0600", err, info.Mode())
	}
	kc, err := clientcmd.LoadFromFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cluster, user := kc.Clusters["demo-prod"], kc.AuthInfos["demo-prod"]
	if kc.CurrentContext != "demo-prod" || cluster.Server != "https://EXAMPLE.gr7.us-west-2.eks.amazonaws.com" || string(cluster.CertificateAuthorityData) != "ca-data" {
		t.Errorf("cluster = %+v", cluster)
	}
	if user.Exec == nil || user.Exec.APIVersion != "client.authentication.k8s.io/v1beta1" || user.Exec.Command != "aws" ||
		strings.Join(user.Exec.Args, " ") != "--region us-west-2 eks get-token --cluster-name demo-prod --output json" {
		t.Errorf("user = %+v", user.Exec)
	}
	t.Run("never replaces the default kubeconfig unless asked", func(t *testing.T) {
		def := filepath.Join(dir, "default-config")
		if err := os.WriteFile(def, []byte("mine\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		t.Setenv("KUBECONFIG", def)
		code, _, errOut := run(t, dir, "kubeconfig", "prod", "--out-file", def)
		if b, _ := os.ReadFile(def); code != 1 || string(b) != "mine\n" || !strings.Contains(errOut, "is your default kubeconfig; pass --overwrite") {
			t.Errorf("kubeconfig --out-file $KUBECONFIG = %d, %q", code, errOut)
		}
		if code, _, _ := run(t, dir, "kubeconfig", "prod", "--out-file", def, "--overwrite"); code != 0 {
			t.Error("--overwrite did not write")
		}
	})
	t.Run("prints it with -o yaml", func(t *testing.T) {
		code, out, errOut := run(t, dir, "kubeconfig", "prod", "-o", "yaml")
		if b, _ := os.ReadFile(path); code != 0 || out != string(b) || withoutNotes(errOut) != "" {
			t.Errorf("kubeconfig -o yaml = %d, stderr %q; stdout is not the file's kubeconfig:\n%s", code, errOut, out)
		}
	})
	t.Run("still writes --output PATH, with a warning", func(t *testing.T) {
		p := filepath.Join(dir, "old.kubeconfig")
		code, out, errOut := run(t, dir, "kubeconfig", "prod", "--output", p)
		if _, err := os.Stat(p); code != 0 || err != nil || out != "" || !strings.HasPrefix(withoutNotes(errOut), "warning: --output PATH is deprecated; use --out-file "+p+"\n") {
			t.Errorf("kubeconfig --output PATH = %d, %v, stderr %q", code, err, errOut)
		}
	})
}
