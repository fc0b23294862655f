package orchestrate

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/eksversion"
	"github.com/eks-render/render/internal/schema"
)

func TestKustomizeSourceTakesTheOneNamespace(t *testing.T) {
	src, err := KustomizeSource("../../overlays/dev", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := src.ApplySet.Parent.String(); got != "demo-dev/"+ApplySetName || !src.Complete || src.Env != nil {
		t.Errorf("ApplySet %s, complete %v, env %v; want demo-dev/%s, true, nil", got, src.Complete, src.Env, ApplySetName)
	}
	src, err = KustomizeSource("../../overlays/dev", "elsewhere/inventory")
	if err != nil || src.ApplySet.Parent.String() != "elsewhere/inventory" {
		t.Errorf("--applyset elsewhere/inventory: %v, %v", src, err)
	}
	for _, bad := range []string{"nonamespace", "/x", "a/", "a/b/c"} {
		if _, err := ParseApplySet(bad); err == nil {
			t.Errorf("ParseApplySet(%q) succeeded", bad)
		}
	}
}

func TestEnvSourceDefaultsToTheEnvironmentNamespace(t *testing.T) {
	env := devEnv(t)
	src, err := EnvSource(&env, Committed{}, "")
	if err != nil || src.ApplySet != EnvApplySet(env) || src.envName() != "dev" {
		t.Errorf("EnvSource: %+v, %v", src, err)
	}
	if (&Source{}).envName() != "ENV" {
		t.Error("a -k source names no environment")
	}
}

func TestKubeconfigReachesTheCluster(t *testing.T) {
	env := devEnv(t)
	kc, err := Kubeconfig(env, config.LateValues{ClusterEndpoint: "https://example.eks.amazonaws.com", ClusterCA: "Y2E="})
	if err != nil {
		t.Fatal(err)
	}
	c, err := clientcmd.Load(kc)
	if err != nil {
		t.Fatal(err)
	}
	if c.CurrentContext != "demo-dev" || c.Clusters["demo-dev"].Server != "https://example.eks.amazonaws.com" ||
		string(c.Clusters["demo-dev"].CertificateAuthorityData) != "ca" || c.AuthInfos["demo-dev"].Exec.Command != "aws" {
		t.Errorf("kubeconfig:\n%s", kc)
	}
	if _, err := Kubeconfig(env, config.LateValues{ClusterCA: "not base64!"}); err == nil {
		t.Error("a CA that is not base64 gave a kubeconfig")
	}
}

func TestLoadLateAndDiffInput(t *testing.T) {
	dir := t.TempDir()
	platform, err := os.ReadFile("../../platform.yaml")
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, body string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("platform.yaml", string(platform))
	write("outputs/dev.yaml", "apiVersion: "+config.APIVersion+"\nkind: Outputs\nenvironment: dev\nvalues:\n  vpcID: vpc-0123456789abcdef0\n")
	var warn bytes.Buffer
	in, err := DiffSide(context.Background(), "from", dir, "platform.yaml", eksversion.ReferenceDay, &warn)
	if err != nil {
		t.Fatal(err)
	}
	if got := in.Late["dev"].VPCID; got != "vpc-0123456789abcdef0" || len(in.Late) != 1 {
		t.Errorf("late values %+v; want dev's VPC ID only", in.Late)
	}
	if got := OutputsPath(in.Config, "prod"); got != filepath.Join(dir, "outputs", "prod.yaml") {
		t.Errorf("OutputsPath = %s", got)
	}
	for _, tc := range []struct {
		env     string
		present bool
	}{{"dev", true}, {"prod", false}} {
		_, env, committed, err := Environment(filepath.Join(dir, "platform.yaml"), tc.env, eksversion.ReferenceDay, &warn)
		if err != nil || env.Name != tc.env || committed.Present != tc.present || committed.File != OutputsPath(in.Config, tc.env) {
			t.Errorf("Environment(%s) = %v, %+v, %v; want its outputs file, present %v", tc.env, env, committed, err, tc.present)
		}
	}
	if _, _, _, err := Environment(filepath.Join(dir, "platform.yaml"), "staging", eksversion.ReferenceDay, &warn); err == nil {
		t.Error("Environment(staging) succeeded")
	}
	write("outputs/prod.yaml", "apiVersion: "+config.APIVersion+"\nkind: Outputs\nenvironment: dev\n")
	if _, err := LoadLate(in.Config); err == nil || !strings.Contains(err.Error(), "this is the file of environment prod") {
		t.Errorf("outputs/prod.yaml for dev: %v", err)
	}
	if _, err := LoadConfig("", eksversion.ReferenceDay, &warn); err == nil {
		t.Error("LoadConfig of an empty --config succeeded")
	}
}

func TestKnownPrefersTheSecond(t *testing.T) {
	got := Known(config.LateValues{VPCID: "vpc-a", AccountID: "111122223333"}, config.LateValues{VPCID: "vpc-b", OIDCIssuer: "https://o"})
	want := config.LateValues{VPCID: "vpc-b", AccountID: "111122223333", OIDCIssuer: "https://o"}
	if got != want {
		t.Errorf("Known = %+v, want %+v", got, want)
	}
	if m := missingValues(config.Environment{}, want); strings.Join(m, ",") != "clusterEndpoint,clusterCA" {
		t.Errorf("missingValues = %v", m)
	}
}

func TestExistingNetworkNeedsNoVPCID(t *testing.T) {
	v := config.LateValues{AccountID: "111122223333"}
	own := config.Environment{}
	existing := config.Environment{Network: config.NetworkEnv{Existing: &config.ExistingNetworkEnv{VPCID: "vpc-01234567"}}}
	if m := strings.Join(missingValues(own, v), ","); m != "vpcID,oidcIssuer,clusterEndpoint,clusterCA" {
		t.Errorf("missingValues(own VPC) = %s", m)
	}
	if m := strings.Join(missingValues(existing, v), ","); m != "oidcIssuer,clusterEndpoint,clusterCA" {
		t.Errorf("missingValues(network.existing) = %s, want no vpcID", m)
	}
	v.OIDCIssuer, v.ClusterEndpoint, v.ClusterCA = "https://o", "https://e", "Y2E="
	if !all(existing, v) || all(own, v) {
		t.Errorf("all: existing %v, own %v; want true, false", all(existing, v), all(own, v))
	}
}

func TestNoReplacementsWithoutChanges(t *testing.T) {
	s, err := schema.Load()
	if err != nil {
		t.Fatal(err)
	}
	env := devEnv(t)
	r, err := rendering(env, config.LateValues{}, "test")
	if err != nil {
		t.Fatal(err)
	}
	names, err := Replacements(r.Objects, r.Objects, s, false)
	if err != nil || len(names) != 0 {
		t.Errorf("Replacements of an unchanged rendering: %v, %v", names, err)
	}
}

func TestRefuseProtectedAndThePlan(t *testing.T) {
	cluster := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "eks.services.k8s.aws/v1alpha1", "kind": "Cluster",
		"metadata": map[string]any{"name": "demo", "namespace": "demo-prod"},
		"spec":     map[string]any{"deletionProtection": true},
	}}
	if err := refuseProtected([]*unstructured.Unstructured{cluster}); err == nil || !strings.Contains(err.Error(), "Cluster/demo-prod/demo has deletion protection") {
		t.Errorf("refuseProtected: %v", err)
	}
	var plan bytes.Buffer
	ns := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": "demo-prod"}}}
	if err := printPlan(&plan, "prod", []*deletion{{target: "management cluster", objs: []*unstructured.Unstructured{cluster}, last: []*unstructured.Unstructured{ns}}}); err != nil {
		t.Fatal(err)
	}
	want := "render delete prod will delete, in this order:\n  1. management cluster:\n       Cluster/demo-prod/demo\n  2. management cluster:\n       Namespace/demo-prod\n"
	if plan.String() != want {
		t.Errorf("plan:\n%s\nwant:\n%s", plan.String(), want)
	}
}

func TestLockLostNamesTheCause(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(apply.ErrLockLost)
	if err := LockLost(ctx, context.Canceled); !errors.Is(err, apply.ErrLockLost) {
		t.Errorf("LockLost = %v", err)
	}
	if err := LockLost(ctx, nil); err != nil {
		t.Errorf("LockLost(nil) = %v", err)
	}
}

func TestEnvKubeconfigConnectsOnlyWhenTheFileLacksValues(t *testing.T) {
	env := devEnv(t)
	connects := 0
	unreachable := errors.New("no management cluster")
	connect := func() (*apply.Manager, error) { connects++; return nil, unreachable }
	full := Committed{File: "outputs/dev.yaml", Present: true, Values: config.LateValues{ClusterEndpoint: "https://example.eks.amazonaws.com", ClusterCA: "Y2E="}}
	if kc, err := EnvKubeconfig(context.Background(), env, full, connect); err != nil || len(kc) == 0 || connects != 0 {
		t.Errorf("from the file: %d bytes, %v, %d connects; want a kubeconfig without connecting", len(kc), err, connects)
	}
	noCA := full
	noCA.Values.ClusterCA = ""
	if _, err := EnvKubeconfig(context.Background(), env, noCA, connect); !errors.Is(err, unreachable) || connects != 1 {
		t.Errorf("without a CA: %v, %d connects; want the connection's error", err, connects)
	}
}

func TestLockWait(t *testing.T) {
	ten := 10 * time.Minute
	for _, tc := range []struct {
		name     string
		wait     *time.Duration
		terminal bool
		want     time.Duration
	}{
		{"CI fails at once", nil, false, 0},
		{"a terminal waits the whole timeout", nil, true, time.Hour},
		{"--lock-timeout wins in CI", &ten, false, ten},
		{"--lock-timeout wins on a terminal", &ten, true, ten},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := LockWait(tc.wait, tc.terminal, time.Hour); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestApplySummary(t *testing.T) {
	for _, tc := range []struct {
		name string
		wait bool
		want string
	}{
		{"says all is ready after waiting", true, "0 objects, 0 changed, all ready in 1.235s"},
		{"says nothing was waited for", false, "0 objects, 0 changed, not waited for in 1.235s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := (ApplyOptions{Wait: tc.wait}).Summary(apply.NewResult(), 1234567*time.Microsecond); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestInitNeedsANameAndAnAdmin(t *testing.T) {
	path := filepath.Join(t.TempDir(), "platform.yaml")
	for _, tc := range []struct {
		name string
		o    config.SkeletonOptions
		want string
	}{
		{"without a name", config.SkeletonOptions{AccountID: "111122223333"}, "--name is required"},
		{"without an admin or an account", config.SkeletonOptions{Name: "shop"}, "--admin is required without --account-id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Init(path, tc.o, nil, io.Discard)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
			if _, err := os.Stat(path); err == nil {
				t.Error("a file was written")
			}
		})
	}
}

func TestLockOptionsNameTheRun(t *testing.T) {
	o := LockOptions(ReadCommit(context.Background(), "platform.yaml"), nil, true, time.Hour)
	if o.Wait != time.Hour || !strings.Contains(o.Holder, " pid ") || !strings.Contains(o.Holder, " run ") {
		t.Errorf("got wait %v, holder %q; want an hour and user@host pid N run ID", o.Wait, o.Holder)
	}
	if d := apply.DefaultLockOptions(); o.Duration != d.Duration || o.Renew != d.Renew {
		t.Errorf("lease %v renewed every %v; want the defaults", o.Duration, o.Renew)
	}
}
