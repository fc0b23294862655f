package apply_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/graph"
)

// kubectl is the kubectl beside the test apiserver, or the one on PATH.
func kubectl(t *testing.T) string {
	t.Helper()
	if p := filepath.Join(os.Getenv("KUBEBUILDER_ASSETS"), "kubectl"); os.Getenv("KUBEBUILDER_ASSETS") != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	p, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("no kubectl")
	}
	return p
}

// TestApplySetIDIsKubectls: kubectl's own ApplySet implementation gives the
// parent Secret the ID render computes for it, so both read the same
// inventory labels.
func TestApplySetIDIsKubectls(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	dir := t.TempDir()
	kc, err := env.Kubeconfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	cm := filepath.Join(dir, "cm.yaml")
	if err := os.WriteFile(cm, []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), kubectl(t), "--kubeconfig", kc, "-n", ns, "apply", "--server-side",
		"--prune", "--applyset=secret/inventory", "-f", cm)
	cmd.Env = append(os.Environ(), "KUBECTL_APPLYSET=true")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("kubectl apply --applyset: %v\n%s", err, out)
	}
	var parent corev1.Secret
	if err := env.Client.Get(t.Context(), types.NamespacedName{Namespace: ns, Name: "inventory"}, &parent); err != nil {
		t.Fatal(err)
	}
	set := apply.ApplySet{Parent: types.NamespacedName{Namespace: ns, Name: "inventory"}}
	if got := parent.Labels[apply.ApplySetIDLabel]; got != set.ID() {
		t.Errorf("kubectl's ID %q, render's %q", got, set.ID())
	}
	var member corev1.ConfigMap
	if err := env.Client.Get(t.Context(), types.NamespacedName{Namespace: ns, Name: "c"}, &member); err != nil {
		t.Fatal(err)
	}
	if got := member.Labels[apply.ApplySetPartOfLabel]; got != set.ID() {
		t.Errorf("kubectl labelled its member part-of %q, render's ID is %q", got, set.ID())
	}
	// And render refuses to take over an ApplySet kubectl manages.
	m, _ := newManager(t)
	opts := noWait()
	opts.ApplySet = &set
	_, err = m.Apply(t.Context(), devObjects(t, ns), opts)
	if err == nil || !strings.Contains(err.Error(), `is managed by "kubectl/`) {
		t.Errorf("Apply into kubectl's ApplySet = %v, want a refusal naming kubectl", err)
	}
}

func applySetIn(ns string) *apply.ApplySet {
	return &apply.ApplySet{Parent: types.NamespacedName{Namespace: ns, Name: "render-applyset"}}
}

func get(t *testing.T, kindOf *unstructured.Unstructured, ns, name string) (*unstructured.Unstructured, error) {
	t.Helper()
	u := &unstructured.Unstructured{}
	u.SetGroupVersionKind(kindOf.GroupVersionKind())
	err := env.Client.Get(t.Context(), types.NamespacedName{Namespace: ns, Name: name}, u)
	return u, err
}

// TestPruneDeletesExactlyWhatWasDropped: with the ACK controllers playing,
// objects dropped from the rendering are deleted (and waited for), and
// nothing else: not an object carrying the set's label that render did not
// apply, not one labelled for another set, not an unlabelled one.
func TestPruneDeletesExactlyWhatWasDropped(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	objs := devObjects(t, ns)
	startSim(t, ns, acksim.Options{Interval: 50 * time.Millisecond})
	set := applySetIn(ns)
	m, progress := newManager(t)
	opts := waiting(2 * time.Minute)
	opts.ApplySet = set
	if _, err := m.Apply(t.Context(), objs, opts); err != nil {
		t.Fatalf("Apply: %v\n%s", err, progress)
	}
	var logGroup *unstructured.Unstructured
	for _, u := range objs {
		if u.GetKind() == "LogGroup" {
			logGroup = u
		}
	}
	// Look-alikes: the set's own label on a LogGroup someone else applied,
	// another set's label, no label at all.
	impostor := logGroup.DeepCopy()
	impostor.SetName("impostor")
	impostor.SetLabels(map[string]string{apply.ApplySetPartOfLabel: set.ID()})
	other := logGroup.DeepCopy()
	other.SetName("other-set")
	other.SetLabels(map[string]string{apply.ApplySetPartOfLabel: applySetIn("elsewhere").ID()})
	plain := logGroup.DeepCopy()
	plain.SetName("unlabelled")
	plain.SetLabels(nil)
	for _, u := range []*unstructured.Unstructured{impostor, other, plain} {
		if err := env.Client.Apply(t.Context(), client.ApplyConfigurationFromUnstructured(u), client.FieldOwner("someone-else")); err != nil {
			t.Fatal(err)
		}
	}
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "lookalike",
		Labels: map[string]string{apply.ApplySetPartOfLabel: set.ID()}}}
	if err := env.Client.Create(t.Context(), cm); err != nil {
		t.Fatal(err)
	}

	dropped := map[string]bool{"FargateProfile/" + ns + "/game-2048": true, "LogGroup/" + ns + "/flow-logs": true}
	var kept []*unstructured.Unstructured
	for _, u := range objs {
		if !dropped[graph.NameOf(u)] {
			kept = append(kept, u)
		}
	}
	opts.Prune = true
	progress.Reset()
	res, err := m.Apply(t.Context(), kept, opts)
	if err != nil {
		t.Fatalf("Apply --prune: %v\n%s", err, progress)
	}
	var deleted, skipped []string
	for _, o := range res.Objects() {
		if o.Action == apply.Pruned {
			deleted = append(deleted, o.Object)
		}
	}
	for _, p := range res.Skipped() {
		skipped = append(skipped, p.Object)
	}
	if got := res.Counts().Pruned; got != 2 || res.Changed() != 2 {
		t.Errorf("counts %+v, %d changed; want the 2 pruned", res.Counts(), res.Changed())
	}
	if want := []string{"FargateProfile/" + ns + "/game-2048", "LogGroup/" + ns + "/flow-logs"}; !slices.Equal(deleted, want) {
		t.Errorf("pruned %v, want %v\n%s", deleted, want, progress)
	}
	if want := []string{"LogGroup/" + ns + "/impostor"}; !slices.Equal(skipped, want) {
		t.Errorf("skipped %v, want %v (ConfigMaps are not a kind the set records)", skipped, want)
	}
	for name := range dropped {
		kind, rest, _ := strings.Cut(name, "/")
		_, n, _ := strings.Cut(rest, "/")
		var of *unstructured.Unstructured
		for _, u := range objs {
			if u.GetKind() == kind {
				of = u
			}
		}
		if _, err := get(t, of, ns, n); !apierrors.IsNotFound(err) {
			t.Errorf("%s still there after prune: %v", name, err)
		}
	}
	for _, name := range []string{"impostor", "other-set", "unlabelled"} {
		if _, err := get(t, logGroup, ns, name); err != nil {
			t.Errorf("LogGroup %s, not render's, was touched: %v", name, err)
		}
	}
	if err := env.Client.Get(t.Context(), client.ObjectKeyFromObject(cm), &corev1.ConfigMap{}); err != nil {
		t.Errorf("ConfigMap lookalike was touched: %v", err)
	}
	var parent corev1.Secret
	if err := env.Client.Get(t.Context(), set.Parent, &parent); err != nil {
		t.Fatal(err)
	}
	kinds := parent.Annotations[apply.ApplySetGroupKindsAnnotation]
	if want := "AccessEntry.eks.services.k8s.aws,Addon.eks.services.k8s.aws,Cluster.eks.services.k8s.aws,ElasticIPAddress.ec2.services.k8s.aws,FargateProfile.eks.services.k8s.aws,InternetGateway.ec2.services.k8s.aws,LogGroup.cloudwatchlogs.services.k8s.aws,NATGateway.ec2.services.k8s.aws,Namespace,Role.iam.services.k8s.aws,RouteTable.ec2.services.k8s.aws,Subnet.ec2.services.k8s.aws,VPC.ec2.services.k8s.aws"; kinds != want {
		t.Errorf("parent records kinds\n%s\nwant\n%s", kinds, want)
	}

	// Pruned again, nothing changes and nothing more goes.
	progress.Reset()
	res, err = m.Apply(t.Context(), kept, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range res.Objects() {
		if o.Action == apply.Pruned {
			t.Errorf("second prune deleted %s", o.Object)
		}
	}
	if res.Changed() != 0 {
		t.Errorf("second prune changed %d objects:\n%s", res.Changed(), progress)
	}
}

// TestDeleteOrderIsReverseDependency checks DeleteOrder on the example:
// every object is deleted in a step before every object it references.
func TestDeleteOrderIsReverseDependency(t *testing.T) {
	objs := devObjects(t, "ns")
	steps, err := apply.DeleteOrder(objs)
	if err != nil {
		t.Fatal(err)
	}
	step := map[string]int{}
	for i, s := range steps {
		for _, u := range s {
			step[graph.NameOf(u)] = i
		}
	}
	if len(step) != len(objs) {
		t.Fatalf("DeleteOrder has %d objects, want %d", len(step), len(objs))
	}
	g := graph.New(objs)
	for _, u := range objs {
		for _, d := range g.DependsOn(u) {
			if step[graph.NameOf(u)] >= step[graph.NameOf(d)] {
				t.Errorf("%s (step %d) is not deleted before %s (step %d), which it depends on",
					graph.NameOf(u), step[graph.NameOf(u)], graph.NameOf(d), step[graph.NameOf(d)])
			}
		}
	}
	if last := steps[len(steps)-1]; len(last) != 1 || last[0].GetKind() != "Namespace" {
		t.Errorf("last step %v, want the Namespace alone", last)
	}
}
