package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
	"github.com/eks-render/render/internal/gcpolicy"
)

var env *apitest.Env

func TestMain(m *testing.M) {
	// gcpolicy's init turned the collector off in this test binary too;
	// the tests, many runs in one process, collect as Go does by default.
	gcpolicy.Restore()
	dir, err := os.MkdirTemp("", "render-bin-")
	if err != nil {
		panic(err)
	}
	binDir = dir
	code := apitest.MainWithACK(m, func(e *apitest.Env) { env = e })
	os.RemoveAll(dir)
	os.Exit(code)
}

// devObjects is how many objects render apply dev applies to the
// management cluster, both phases together (Fargate profiles default,
// game-2048, which also runs CoreDNS and the load balancer controller, and
// metrics-server; the load balancer controller's policy in two halves).
const devObjects = 31

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
	if res.Changed != 25 || len(res.Objects) != 25 || res.Objects[0].Action != "created" {
		t.Errorf("result = %+v", res)
	}
	if !strings.Contains(errOut, "Cluster/demo-dev/demo created") || !strings.Contains(errOut, "25 objects, 25 changed (25 created), not waited for") {
		t.Errorf("stderr:\n%s", errOut)
	}
	code, _, errOut = run(t, dir, args...)
	if code != 0 || !strings.Contains(errOut, "25 objects, 0 changed") {
		t.Errorf("second apply = %d:\n%s", code, errOut)
	}
	code, _, errOut = run(t, dir, "apply", "dev", "--kubeconfig", kubeconfig, "--output", "yaml")
	if code != 1 || !strings.Contains(errOut, `error: --output "yaml": want text or json`) {
		t.Errorf("apply --output yaml = %d:\n%s", code, errOut)
	}
}

// TestApplyBothPhases is one `render apply dev` against a management
// cluster whose ACK controllers (acksim) fill in the VPC ID and the
// cluster's issuer: the flow log, then the OIDC provider and the load
// balancer controller's IRSA role are rendered with the live values and
// applied the moment they are known, while the first phase still
// converges.
func TestApplyBothPhases(t *testing.T) {
	apitest.Skip(t)
	dir := project(t)
	edit(t, filepath.Join(dir, "platform.yaml"), "name: demo", "name: phases")
	kubeconfig, err := env.Kubeconfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	acksim.New(env.Client, "phases-dev", acksim.Options{Interval: 50 * time.Millisecond}).Start(t)
	code, _, errOut := run(t, dir, "apply", "dev", "--kubeconfig", kubeconfig, "--poll-interval", "100ms", "--timeout", "2m", "--workload=false")
	if code != 0 {
		t.Fatalf("render apply = %d:\n%s", code, errOut)
	}
	// The flow log the moment the VPC is ready, the OIDC provider, the
	// load balancer controller's two policies and role and the coredns add-on
	// the moment the cluster is.
	if !strings.Contains(errOut, "second phase: 1 more object, rendered with the values VPC/phases-dev/vpc brought\n") ||
		!strings.Contains(errOut, "second phase: 5 more objects, rendered with the values Cluster/phases-dev/phases brought\n") ||
		!strings.Contains(errOut, fmt.Sprintf("%d objects, %[1]d changed (%[1]d created), all ready", devObjects)) {
		t.Errorf("stderr:\n%s", errOut)
	}
	// EKS creates the three profiles one at a time; the provider does not
	// wait for them.
	if p, f := strings.Index(errOut, "OpenIDConnectProvider/phases-dev/oidc created"), strings.Index(errOut, "FargateProfile/phases-dev/default created"); p < 0 || f < 0 || p > f {
		t.Errorf("the OIDC provider was not created before the second Fargate profile:\n%s", errOut)
	}
	provider := &unstructured.Unstructured{}
	provider.SetGroupVersionKind(schema.GroupVersionKind{Group: "iam.services.k8s.aws", Version: "v1alpha1", Kind: "OpenIDConnectProvider"})
	if err := env.Client.Get(t.Context(), client.ObjectKey{Namespace: "phases-dev", Name: "oidc"}, provider); err != nil {
		t.Fatal(err)
	}
	if url, _, _ := unstructured.NestedString(provider.Object, "spec", "url"); url != acksim.DefaultIssuer {
		t.Errorf("provider url = %q, want the live issuer %q", url, acksim.DefaultIssuer)
	}
	role := &unstructured.Unstructured{}
	role.SetGroupVersionKind(schema.GroupVersionKind{Group: "iam.services.k8s.aws", Version: "v1alpha1", Kind: "Role"})
	if err := env.Client.Get(t.Context(), client.ObjectKey{Namespace: "phases-dev", Name: "alb-controller"}, role); err != nil {
		t.Fatal(err)
	}
	trust, _, _ := unstructured.NestedString(role.Object, "spec", "assumeRolePolicyDocument")
	host := strings.TrimPrefix(acksim.DefaultIssuer, "https://")
	if !strings.Contains(trust, `"Federated": "arn:aws:iam::111122223333:oidc-provider/`+host+`"`) || !strings.Contains(trust, `"`+host+`:sub"`) {
		t.Errorf("IRSA trust policy does not name the live issuer:\n%s", trust)
	}
}

// result is render apply's --output json.
type result struct {
	Changed int `json:"changed"`
	Counts  struct {
		Created, Configured, Unchanged, Recreated, Pruned int
	} `json:"counts"`
	Objects []struct{ Object, Action string } `json:"objects"`
}

func decodeResult(t *testing.T, out string) result {
	t.Helper()
	var r result
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("stdout is not the JSON result: %v\n%s", err, out)
	}
	seen := map[string]bool{}
	for _, o := range r.Objects {
		if seen[o.Object] {
			t.Errorf("%s appears twice in the result", o.Object)
		}
		seen[o.Object] = true
	}
	return r
}

// actions counts the result's objects by action.
func (r result) actions() map[string]int {
	n := map[string]int{}
	for _, o := range r.Objects {
		n[o.Action]++
	}
	return n
}

// Without outputs/dev.yaml, render apply, diff, prune and delete all
// render with the values the live cluster has (issue 12: the live diff
// listed the second phase as removed right after an apply), and a run's
// result counts every object once, whichever phase applied it.
func TestOneRenderingForApplyDiffAndPrune(t *testing.T) {
	apitest.Skip(t)
	dir := project(t)
	edit(t, filepath.Join(dir, "platform.yaml"), "name: demo", "name: oneview")
	kubeconfig, err := env.Kubeconfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	acksim.New(env.Client, "oneview-dev", acksim.Options{Interval: 50 * time.Millisecond}).Start(t)
	apply := func(extra ...string) (result, string) {
		t.Helper()
		args := append([]string{"apply", "dev", "--kubeconfig", kubeconfig, "--poll-interval", "100ms", "--timeout", "2m", "--workload=false", "--output", "json"}, extra...)
		code, out, errOut := run(t, dir, args...)
		if code != 0 {
			t.Fatalf("render apply %v = %d:\n%s", extra, code, errOut)
		}
		return decodeResult(t, out), errOut
	}

	first, errOut := apply()
	if first.Changed != devObjects || first.Counts.Created != devObjects || len(first.Objects) != devObjects || first.actions()["created"] != devObjects {
		t.Errorf("first apply: %d changed, counts %+v, %d objects %v; want %d created, both phases", first.Changed, first.Counts, len(first.Objects), first.actions(), devObjects)
	}
	if !strings.Contains(errOut, "dev: late values none yet (no outputs/dev.yaml committed") {
		t.Errorf("first apply does not say where its late values came from:\n%s", errOut)
	}

	code, out, errOut := run(t, dir, "diff", "dev", "--kubeconfig", kubeconfig)
	if code != 0 || !strings.Contains(out, "no changes") {
		t.Errorf("diff right after apply = %d (want 0, no changes):\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "dev: late values from the live cluster (no outputs/dev.yaml committed)") {
		t.Errorf("diff does not say its late values came from the live cluster:\n%s", errOut)
	}

	pruned, errOut := apply("--prune")
	if pruned.Changed != 0 || pruned.Counts.Unchanged != devObjects || pruned.Counts.Pruned != 0 {
		t.Errorf("apply --prune right after: %d changed, counts %+v, want nothing changed or deleted:\n%s", pruned.Changed, pruned.Counts, errOut)
	}
	if strings.Contains(errOut, "second phase") {
		t.Errorf("a re-apply rendered with the live values needs no second phase:\n%s", errOut)
	}

	// A change to objects of both phases: the tags are on every AWS object.
	edit(t, filepath.Join(dir, "platform.yaml"), "team: platform", "team: platform-2")
	changed, errOut := apply()
	want := 0
	for _, o := range changed.Objects {
		if o.Action == "configured" {
			want++
		}
	}
	if changed.Counts.Configured != want || changed.Changed != want || want < 20 {
		t.Errorf("tag change: %d changed, counts %+v, %d objects configured:\n%s", changed.Changed, changed.Counts, want, errOut)
	}
	for _, name := range []string{"FlowLog/oneview-dev/vpc", "Role/oneview-dev/alb-controller", "Cluster/oneview-dev/oneview"} {
		if !slices.ContainsFunc(changed.Objects, func(o struct{ Object, Action string }) bool {
			return o.Object == name && o.Action == "configured"
		}) {
			t.Errorf("%s is not reported configured after a tag change: %+v", name, changed.Objects)
		}
	}
}

// TestOutputsThenKubeconfig: after the platform is up, render outputs
// records the live values in outputs/dev.yaml, render gen renders the
// second phase from it, and render kubeconfig points at the live cluster.
func TestOutputsThenKubeconfig(t *testing.T) {
	apitest.Skip(t)
	dir := project(t)
	edit(t, filepath.Join(dir, "platform.yaml"), "name: demo", "name: outs")
	kubeconfig, err := env.Kubeconfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	acksim.New(env.Client, "outs-dev", acksim.Options{Interval: 50 * time.Millisecond}).Start(t)
	if code, _, errOut := run(t, dir, "apply", "dev", "--kubeconfig", kubeconfig, "--poll-interval", "100ms", "--timeout", "2m", "--workload=false"); code != 0 {
		t.Fatalf("render apply = %d:\n%s", code, errOut)
	}
	code, _, errOut := run(t, dir, "outputs", "dev", "--kubeconfig", kubeconfig)
	if code != 0 || strings.Contains(errOut, "not known yet") {
		t.Fatalf("render outputs = %d:\n%s", code, errOut)
	}
	b, err := os.ReadFile(filepath.Join(dir, "outputs", "dev.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"vpcID: " + acksim.ID("VPC", "vpc"), "oidcIssuer: " + acksim.DefaultIssuer, "accountID: \"111122223333\"", "clusterEndpoint: " + acksim.DefaultClusterEndpoint} {
		if !strings.Contains(string(b), want) {
			t.Errorf("outputs/dev.yaml lacks %q:\n%s", want, b)
		}
	}
	if code, _, errOut := run(t, dir, "gen"); code != 0 || strings.Contains(errOut, "not rendered yet: dev") {
		t.Errorf("gen after outputs = %d:\n%s", code, errOut)
	}
	if code, _, errOut := run(t, dir, "kubeconfig", "dev"); code != 0 {
		t.Errorf("kubeconfig = %d:\n%s", code, errOut)
	}
}

// TestLiveDiff: render diff ENV against the management cluster shows
// nothing after an apply, even once a controller has filled in fields of
// its own, and shows a change to render's fields with its warnings.
func TestLiveDiff(t *testing.T) {
	apitest.Skip(t)
	dir := project(t)
	edit(t, filepath.Join(dir, "platform.yaml"), "name: demo", "name: livediff")
	kubeconfig, err := env.Kubeconfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run(t, dir, "apply", "dev", "--kubeconfig", kubeconfig, "--wait=false"); code != 0 {
		t.Fatalf("render apply = %d:\n%s", code, errOut)
	}
	vpc := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "ec2.services.k8s.aws/v1alpha1", "kind": "VPC",
		"metadata": map[string]any{"name": "vpc", "namespace": "livediff-dev"},
		"spec":     map[string]any{"instanceTenancy": "default"},
	}}
	if err := env.Client.Apply(t.Context(), client.ApplyConfigurationFromUnstructured(vpc), client.FieldOwner("ec2-controller")); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, dir, "diff", "dev", "--kubeconfig", kubeconfig)
	if code != 0 || !strings.Contains(out, "no changes") {
		t.Fatalf("diff after apply = %d:\n%s\n%s", code, out, errOut)
	}
	edit(t, filepath.Join(dir, "platform.yaml"), "logRetentionDays: 14", "logRetentionDays: 30")
	edit(t, filepath.Join(dir, "platform.yaml"), "vpcCIDR: 10.0.0.0/16", "vpcCIDR: 10.2.0.0/16")
	// Without flow logs, their log group and role are no longer rendered:
	// render apply --prune would delete them.
	edit(t, filepath.Join(dir, "platform.yaml"), "        retentionDays: 7", "        enabled: false")
	code, out, errOut = run(t, dir, "diff", "dev", "--kubeconfig", kubeconfig)
	for _, want := range []string{"~ LogGroup/livediff-dev/cluster", "-  retentionDays: 14", "+  retentionDays: 30",
		"IGNORED BY ACK Subnet/livediff-dev/private-a spec.cidrBlock", "- LogGroup/livediff-dev/flow-logs", "- Role/livediff-dev/flow-logs"} {
		if !strings.Contains(out, want) {
			t.Errorf("diff output lacks %q:\n%s", want, out)
		}
	}
	if errOut = withoutNotes(errOut); code != 1 || !strings.HasPrefix(errOut, "dev: late values none yet") || strings.Contains(errOut, "warning") || strings.Contains(out, "instanceTenancy") {
		t.Errorf("diff after an edit = %d, stderr %q:\n%s", code, errOut, out)
	}
}

// TestApplyRefusesReplacements: a change AWS cannot make in place (a
// subnet's CIDR is create-only) stops render apply before it applies
// anything.
func TestApplyRefusesReplacements(t *testing.T) {
	apitest.Skip(t)
	dir := project(t)
	edit(t, filepath.Join(dir, "platform.yaml"), "name: demo", "name: refuse")
	kubeconfig, err := env.Kubeconfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run(t, dir, "apply", "dev", "--kubeconfig", kubeconfig, "--wait=false"); code != 0 {
		t.Fatalf("render apply = %d:\n%s", code, errOut)
	}
	edit(t, filepath.Join(dir, "platform.yaml"), "vpcCIDR: 10.0.0.0/16", "vpcCIDR: 10.2.0.0/16")
	edit(t, filepath.Join(dir, "platform.yaml"), "logRetentionDays: 14", "logRetentionDays: 30")
	code, _, errOut := run(t, dir, "apply", "dev", "--kubeconfig", kubeconfig, "--wait=false")
	if code != 1 || !strings.Contains(errOut, "refusing to apply changes AWS cannot make in place") ||
		!strings.Contains(errOut, "IGNORED BY ACK Subnet/refuse-dev/private-a spec.cidrBlock") {
		t.Fatalf("render apply after a CIDR change = %d:\n%s", code, errOut)
	}
	group := &unstructured.Unstructured{}
	group.SetGroupVersionKind(schema.GroupVersionKind{Group: "cloudwatchlogs.services.k8s.aws", Version: "v1alpha1", Kind: "LogGroup"})
	if err := env.Client.Get(t.Context(), client.ObjectKey{Namespace: "refuse-dev", Name: "cluster"}, group); err != nil {
		t.Fatal(err)
	}
	if days, _, _ := unstructured.NestedInt64(group.Object, "spec", "retentionDays"); days != 14 {
		t.Errorf("the refused run applied the retention change: %d", days)
	}
	// The refusal says what recreating would take: the subnets, and what
	// points at them through a create-only reference (the NAT gateway,
	// the Fargate profiles), not the route tables, which ACK updates.
	for _, want := range []string{"recreating them also recreates what depends on them:\n  FargateProfile/refuse-dev/default\n",
		"  NATGateway/refuse-dev/nat-a\n", "rerun with --allow-replace to delete those 8 objects"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("the refusal lacks %q:\n%s", want, errOut)
		}
	}

	// --allow-replace deletes them (the ACK controllers remove their
	// finalizers once AWS deleted the resources), waits, and creates them.
	uids := map[string]string{}
	for _, name := range []string{"Subnet/private-a", "NATGateway/nat-a", "RouteTable/private-a"} {
		uids[name] = string(liveObject(t, "refuse-dev", name).GetUID())
	}
	acksim.New(env.Client, "refuse-dev", acksim.Options{Interval: 50 * time.Millisecond}).Start(t)
	code, out, errOut := run(t, dir, "apply", "dev", "--kubeconfig", kubeconfig, "--wait=false", "--allow-replace", "--output", "json")
	if code != 0 || !strings.Contains(errOut, "recreating 8 objects (deleted first, then applied in order):") ||
		!strings.Contains(errOut, "Subnet/refuse-dev/private-a deleted\n") {
		t.Fatalf("render apply --allow-replace = %d:\n%s", code, errOut)
	}
	if r := decodeResult(t, out); r.Counts.Recreated != 8 || r.actions()["recreated"] != 8 {
		t.Errorf("the JSON result does not report the 8 objects recreated: %s", out)
	}
	for name, old := range uids {
		u := liveObject(t, "refuse-dev", name)
		if recreated := string(u.GetUID()) != old; recreated != (name != "RouteTable/private-a") {
			t.Errorf("%s recreated = %v", name, recreated)
		}
	}
	if cidr, _, _ := unstructured.NestedString(liveObject(t, "refuse-dev", "Subnet/private-a").Object, "spec", "cidrBlock"); !strings.HasPrefix(cidr, "10.2.") {
		t.Errorf("the recreated subnet has CIDR %q", cidr)
	}
}

// liveObject gets "Kind/name" of the example's ACK kinds in ns.
func liveObject(t *testing.T, ns, kindName string) *unstructured.Unstructured {
	t.Helper()
	u, err := liveOrNil(t, ns, kindName)
	if err != nil {
		t.Fatalf("%s: %v", kindName, err)
	}
	return u
}

// liveOrNil reads the ACK object kindName ("Kind/name") in ns.
func liveOrNil(t *testing.T, ns, kindName string) (*unstructured.Unstructured, error) {
	t.Helper()
	groups := map[string]string{"Subnet": "ec2", "NATGateway": "ec2", "RouteTable": "ec2", "VPC": "ec2", "LogGroup": "cloudwatchlogs", "Cluster": "eks", "Nodegroup": "eks", "Addon": "eks", "AccessEntry": "eks", "FargateProfile": "eks"}
	kind, name, _ := strings.Cut(kindName, "/")
	u := &unstructured.Unstructured{}
	u.SetGroupVersionKind(schema.GroupVersionKind{Group: groups[kind] + ".services.k8s.aws", Version: "v1alpha1", Kind: kind})
	return u, env.Client.Get(t.Context(), client.ObjectKey{Namespace: ns, Name: name}, u)
}

// TestPruneNeedsTheWholeRendering: without waiting, and without the late
// values committed, the rendering lacks the second phase; pruning against
// it would delete the OIDC provider and the IRSA role, so it is refused.
func TestPruneNeedsTheWholeRendering(t *testing.T) {
	apitest.Skip(t)
	dir := project(t)
	edit(t, filepath.Join(dir, "platform.yaml"), "name: demo", "name: partial")
	kubeconfig, err := env.Kubeconfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	code, _, errOut := run(t, dir, "apply", "dev", "--kubeconfig", kubeconfig, "--wait=false", "--prune")
	if code != 1 || !strings.Contains(errOut, "error: --prune needs the whole rendering, which needs values AWS knows only after creation (") ||
		!strings.Contains(errOut, "FlowLog/partial-dev/vpc") ||
		!strings.Contains(errOut, "commit outputs/dev.yaml") {
		t.Fatalf("render apply --prune --wait=false = %d:\n%s", code, errOut)
	}
}
