package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/eksversion"
	"github.com/eks-render/render/internal/graph"
)

// upgradeProject is the example with name and cluster.version v, and an
// acksim for environment envName whose Cluster and Nodegroup updates take
// a while (UPDATING), reporting workload as the new cluster.
func upgradeProject(t *testing.T, name, envName, v string, workload *apitest.Env) (dir, kubeconfig string, sim *acksim.Sim) {
	t.Helper()
	dir = project(t)
	edit(t, filepath.Join(dir, "platform.yaml"), "name: demo", "name: "+name)
	edit(t, filepath.Join(dir, "platform.yaml"), `version: "1.35"`, `version: "`+v+`"`)
	kubeconfig, err := env.Kubeconfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	opts := acksim.Options{
		Interval:    50 * time.Millisecond,
		UpdateDelay: map[string]time.Duration{"Cluster/" + name: 600 * time.Millisecond, "Nodegroup/system": 400 * time.Millisecond},
	}
	if workload != nil {
		opts = reaching(workload, opts)
	}
	sim = acksim.New(env.Client, name+"-"+envName, opts)
	sim.Start(t)
	return dir, kubeconfig, sim
}

// watchFor watches resource gvr on the cluster cfg points at until the
// test ends, and records match(object) (when not "") the first time.
func watchFor(t *testing.T, cfg *rest.Config, gvr schema.GroupVersionResource, match func(*unstructured.Unstructured) string, seen *firstSeen) {
	t.Helper()
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	w, err := dyn.Resource(gvr).Watch(ctx, metav1.ListOptions{ResourceVersion: "0"})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { cancel(); w.Stop(); <-done })
	go func() {
		defer close(done)
		for e := range w.ResultChan() {
			if u, ok := e.Object.(*unstructured.Unstructured); ok {
				if key := match(u); key != "" {
					seen.add(key)
				}
			}
		}
	}()
}

var (
	clustersGVR    = schema.GroupVersionResource{Group: "eks.services.k8s.aws", Version: "v1alpha1", Resource: "clusters"}
	addonsGVR      = schema.GroupVersionResource{Group: "eks.services.k8s.aws", Version: "v1alpha1", Resource: "addons"}
	nodegroupsGVR  = schema.GroupVersionResource{Group: "eks.services.k8s.aws", Version: "v1alpha1", Resource: "nodegroups"}
	deploymentsGVR = schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}
)

// versionIs matches an object of namespace ns whose field at path is want
// (per "Kind/name"): the moment render applied the new version.
func versionIs(ns string, want map[string]string, path ...string) func(*unstructured.Unstructured) string {
	return func(u *unstructured.Unstructured) string {
		key := u.GetKind() + "/" + u.GetName()
		v, _, _ := unstructured.NestedString(u.Object, path...)
		if u.GetNamespace() == ns && want[key] != "" && v == want[key] {
			return key
		}
		return ""
	}
}

// TestUpgradeOneMinorInOrder is issue 14's render apply flow for dev
// (Fargate only) and prod (a node group): the platform is created on 1.34,
// cluster.version goes to 1.35, and render apply upgrades the control plane,
// then the add-ons, then the node group, then restarts the Deployments on
// Fargate, each after the previous step finished, as the watch events of
// both apiservers and acksim's record of the AWS side show; everything ends
// on 1.35 and a second apply changes nothing.
func TestUpgradeOneMinorInOrder(t *testing.T) {
	apitest.Skip(t)
	for _, envName := range []string{"dev", "prod"} {
		t.Run(envName, func(t *testing.T) { upgradeInOrder(t, envName) })
	}
}

func upgradeInOrder(t *testing.T, envName string) {
	workload := newCluster(t)
	name := "up" + envName
	ns := name + "-" + envName
	dir, kubeconfig, sim := upgradeProject(t, name, envName, "1.34", workload)
	// --force-conflicts: playControllers points the webhooks at no namespace.
	args := []string{"apply", envName, "--kubeconfig", kubeconfig, "--poll-interval", "100ms", "--timeout", "3m", "--output", "json", "--force-conflicts"}
	if code, _, errOut := run(t, dir, args...); code != 0 {
		t.Fatalf("render apply on 1.34 = %d:\n%s", code, errOut)
	}
	if v := sim.ClusterVersion("Cluster/" + name); v != "1.34" {
		t.Fatalf("AWS runs the control plane on %q, want 1.34", v)
	}

	edit(t, filepath.Join(dir, "platform.yaml"), `version: "1.34"`, `version: "1.35"`)
	addons := map[string]string{}
	for _, a := range eksversion.Addons {
		old, _ := eksversion.AddonVersion(a, "1.34")
		if v, _ := eksversion.AddonVersion(a, "1.35"); v != old {
			addons["Addon/"+a] = v
		}
	}
	var seen firstSeen
	watchFor(t, env.Config, clustersGVR, versionIs(ns, map[string]string{"Cluster/" + name: "1.35"}, "spec", "version"), &seen)
	watchFor(t, env.Config, addonsGVR, versionIs(ns, addons, "spec", "addonVersion"), &seen)
	watchFor(t, env.Config, nodegroupsGVR, versionIs(ns, map[string]string{"Nodegroup/system": "1.35"}, "spec", "version"), &seen)
	watchFor(t, workload.Config, deploymentsGVR, func(u *unstructured.Unstructured) string {
		if _, ok := u.GetAnnotations()[apply.RestartAnnotation]; ok {
			return "restarted " + graph.NameOf(u)
		}
		if a, _, _ := unstructured.NestedString(u.Object, "spec", "template", "metadata", "annotations", apply.RestartAnnotation); a != "" {
			return "restarted " + graph.NameOf(u)
		}
		return ""
	}, &seen)

	code, out, errOut := run(t, dir, args...)
	if code != 0 {
		t.Fatalf("render apply on 1.35 = %d:\n%s", code, errOut)
	}
	for _, want := range []string{"UPGRADE " + envName + ": control plane 1.34 -> 1.35", "upgrade " + envName + ": control plane done",
		"upgrade " + envName + ": add-ons done", "upgrade " + envName + ": restart done"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}

	// The AWS side: every step done, and each version change applied
	// only after the step before it had finished.
	cpDone := awsEvent(t, sim, "Cluster/"+ns+"/"+name, "version updated: 1.35")
	cpApplied := mustSee(t, &seen, "Cluster/"+name)
	if !cpApplied.Before(cpDone) {
		t.Errorf("the control plane finished (%s) before render applied it (%s)", cpDone, cpApplied)
	}
	last := cpDone
	for key := range addons {
		if _, ok := seen.get(key); !ok && envName == "dev" && key == "Addon/"+eksversion.CoreDNS {
			continue // not rendered yet in dev's second phase
		}
		at := mustSee(t, &seen, key)
		if at.Before(cpDone) {
			t.Errorf("%s applied at %s, before the control plane was on 1.35 (%s)", key, at, cpDone)
		}
		last = latest(last, at)
	}
	if envName == "prod" {
		at := mustSee(t, &seen, "Nodegroup/system")
		if at.Before(last) {
			t.Errorf("the node group's version applied at %s, before the add-ons (%s)", at, last)
		}
		last = awsEvent(t, sim, "Nodegroup/"+ns+"/system", "version updated: 1.35")
		if v := sim.NodegroupVersion("Nodegroup/system"); v != "1.35" {
			t.Errorf("AWS runs the node group on %q, want 1.35", v)
		}
	}
	restarted := 0
	for _, d := range []string{"Deployment/2048-game/app-2048", "Deployment/kube-system/aws-load-balancer-controller", "Deployment/kube-system/metrics-server"} {
		at, ok := seen.get("restarted " + d)
		if envName == "prod" && d != "Deployment/2048-game/app-2048" {
			// prod has a node group: kube-system runs on it, not on Fargate.
			if ok {
				t.Errorf("%s restarted, but it does not run on Fargate in prod", d)
			}
			continue
		}
		if !ok {
			t.Errorf("%s (on Fargate) was not restarted", d)
			continue
		}
		restarted++
		if at.Before(last) {
			t.Errorf("%s restarted at %s, before the node group / add-ons step finished (%s)", d, at, last)
		}
	}
	if v := sim.ClusterVersion("Cluster/" + name); v != "1.35" {
		t.Errorf("AWS runs the control plane on %q, want 1.35", v)
	}
	for key, want := range addons {
		if got := sim.AddonVersion(key); got != want && !(envName == "dev" && key == "Addon/"+eksversion.CoreDNS && got == "") {
			t.Errorf("AWS runs %s %q, want %q", key, got, want)
		}
	}

	// --output json lists the steps, in order, all done.
	var res struct {
		Upgrade []apply.UpgradeStep `json:"upgrade"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, s := range res.Upgrade {
		if !s.Done {
			t.Errorf("step %s not done: %+v", s.Step, s)
		}
		steps = append(steps, s.Step)
	}
	want := []string{"control plane", "add-ons", "restart"}
	if envName == "prod" {
		want = []string{"control plane", "add-ons", "node groups", "restart"}
	}
	if !slices.Equal(steps, want) || restarted == 0 {
		t.Errorf("upgrade steps %v (restarted %d), want %v", steps, restarted, want)
	}

	// A second apply finds nothing to upgrade and changes nothing.
	code, out, errOut = run(t, dir, args...)
	if code != 0 || strings.Contains(errOut, "UPGRADE") {
		t.Fatalf("second render apply = %d:\n%s", code, errOut)
	}
	if r := decodeResult(t, out); r.Changed != 0 {
		t.Errorf("second apply changed %d objects: %v", r.Changed, r.actions())
	}
	if envName == "dev" {
		resumeRestart(t, workload, dir, args)
	}
}

// resumeRestart: a pod of the game still on a Fargate node with the old
// kubelet (as after a run interrupted before its restart step) is noticed
// by the next render apply, which restarts the game's Deployment.
func resumeRestart(t *testing.T, workload *apitest.Env, dir string, args []string) {
	t.Helper()
	ctx := t.Context()
	var dep appsv1.Deployment
	if err := workload.Client.Get(ctx, client.ObjectKey{Namespace: "2048-game", Name: "app-2048"}, &dep); err != nil {
		t.Fatal(err)
	}
	before := dep.Spec.Template.Annotations[apply.RestartAnnotation]
	node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "fargate-ip-10-0-1-7.us-west-2.compute.internal"}}
	if err := workload.Client.Create(ctx, node); err != nil {
		t.Fatal(err)
	}
	node.Status.NodeInfo.KubeletVersion = "v1.34.2-eks-3025e55"
	if err := workload.Client.Status().Update(ctx, node); err != nil {
		t.Fatal(err)
	}
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: "2048-game", Name: "app-2048-old", Labels: dep.Spec.Selector.MatchLabels},
		Spec:       corev1.PodSpec{NodeName: node.Name, Containers: []corev1.Container{{Name: "app", Image: "example"}}},
	}
	if err := workload.Client.Create(ctx, pod); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond) // a restart stamp is to the second
	code, _, errOut := run(t, dir, args...)
	if code != 0 || !strings.Contains(errOut, "Deployment/2048-game/app-2048 restarted") {
		t.Fatalf("render apply with a pod on an old kubelet = %d, want the game restarted:\n%s", code, errOut)
	}
	if err := workload.Client.Get(ctx, client.ObjectKey{Namespace: "2048-game", Name: "app-2048"}, &dep); err != nil {
		t.Fatal(err)
	}
	if after := dep.Spec.Template.Annotations[apply.RestartAnnotation]; after == before {
		t.Errorf("the game's pod template was not restamped (%q)", after)
	}
}

func mustSee(t *testing.T, seen *firstSeen, key string) time.Time {
	t.Helper()
	at, ok := seen.get(key)
	if !ok {
		t.Fatalf("no watch event for %s", key)
	}
	return at
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// awsEvent returns when acksim recorded what for object.
func awsEvent(t *testing.T, sim *acksim.Sim, object, what string) time.Time {
	t.Helper()
	for _, e := range sim.Events() {
		if e.Object == object && e.What == what {
			return e.Time
		}
	}
	var got []string
	for _, e := range sim.Events() {
		if e.Object == object {
			got = append(got, e.What)
		}
	}
	t.Fatalf("acksim has no %q for %s; it has %v", what, object, got)
	return time.Time{}
}

// liveVersions returns the resourceVersion of every object in namespace ns
// of the kinds an upgrade touches, and of the Namespace's other members.
func liveVersions(t *testing.T, ns string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, u := range liveMembers(t, env.Client, ns) {
		out[graph.NameOf(u)] = u.GetResourceVersion()
	}
	return out
}

// TestUpgradeRefusals: a skip, a downgrade and a version EKS no longer
// offers are each refused by render apply (and render gen, against the
// control plane version outputs records) before anything is applied or
// written: every live object and every file stays as it was.
func TestUpgradeRefusals(t *testing.T) {
	apitest.Skip(t)
	dir, kubeconfig, sim := upgradeProject(t, "vskip", "dev", "1.33", nil)
	apply := []string{"apply", "dev", "--kubeconfig", kubeconfig, "--poll-interval", "100ms", "--timeout", "2m", "--workload=false"}
	if code, _, errOut := run(t, dir, apply...); code != 0 {
		t.Fatalf("render apply on 1.33 = %d:\n%s", code, errOut)
	}
	if code, _, errOut := run(t, dir, "outputs", "dev", "--kubeconfig", kubeconfig); code != 0 {
		t.Fatalf("render outputs = %d:\n%s", code, errOut)
	}
	if code, _, errOut := run(t, dir, "gen"); code != 0 {
		t.Fatalf("render gen = %d:\n%s", code, errOut)
	}
	live, files := liveVersions(t, "vskip-dev"), snapshot(t, dir)
	if !strings.Contains(files["/outputs/dev.yaml"], `clusterVersion: "1.33"`) {
		t.Fatalf("outputs/dev.yaml does not record the control plane version:\n%s", files["/outputs/dev.yaml"])
	}
	for _, tc := range []struct{ version, want string }{
		{"1.35", "cluster.version: 1.33 -> 1.35 skips 1.34; EKS upgrades one minor version at a time: set 1.34 first, apply it, then 1.35"},
		{"1.32", "cluster.version: 1.33 -> 1.32 is a downgrade; EKS cannot downgrade a cluster: keep 1.33"},
		{"1.31", `spec.cluster.version: "1.31" left EKS extended support on 2026-11-26, so EKS no longer offers it`},
	} {
		t.Run(tc.version, func(t *testing.T) {
			writeFile(t, filepath.Join(dir, "platform.yaml"), strings.Replace(files["/platform.yaml"], `version: "1.33"`, `version: "`+tc.version+`"`, 1))
			for _, args := range [][]string{apply, {"gen"}, {"diff", "dev", "--kubeconfig", kubeconfig}} {
				code, _, errOut := run(t, dir, args...)
				if code == 0 || !strings.Contains(errOut, tc.want) {
					t.Errorf("render %s with %s = %d, want a refusal with %q:\n%s", args[0], tc.version, code, tc.want, errOut)
				}
			}
			got := snapshot(t, dir)
			for p := range files {
				if p != "/platform.yaml" && got[p] != files[p] {
					t.Errorf("%s changed", p)
				}
			}
			if len(got) != len(files) {
				t.Errorf("files %d, were %d", len(got), len(files))
			}
			if now := liveVersions(t, "vskip-dev"); fmt.Sprint(now) != fmt.Sprint(live) {
				t.Errorf("live objects changed:\n%v\nwere\n%v", now, live)
			}
		})
	}
	writeFile(t, filepath.Join(dir, "platform.yaml"), files["/platform.yaml"])
	if v := sim.ClusterVersion("Cluster/vskip"); v != "1.33" {
		t.Errorf("AWS runs the control plane on %q, want 1.33", v)
	}
}

// TestGitOpsUpgradeConverges is the GitOps path: each commit's tree is
// applied whole, at once, with forced ownership (as Flux applies: no
// order, no waiting), and outputs/ENV.yaml is refreshed between commits
// (render outputs, as a CI job would). The control plane goes first; the
// node group and add-ons follow once outputs records it; no object ever
// turns ACK.Terminal, and everything converges on 1.35.
func TestGitOpsUpgradeConverges(t *testing.T) {
	apitest.Skip(t)
	dir, kubeconfig, sim := upgradeProject(t, "vflux", "prod", "1.34", nil)
	if code, _, errOut := run(t, dir, "apply", "prod", "--kubeconfig", kubeconfig, "--poll-interval", "100ms", "--timeout", "2m", "--workload=false"); code != 0 {
		t.Fatalf("render apply on 1.34 = %d:\n%s", code, errOut)
	}
	edit(t, filepath.Join(dir, "platform.yaml"), `version: "1.34"`, `version: "1.35"`)
	commit := func(step string) {
		t.Helper()
		gitopsCommit(t, dir, kubeconfig, "prod", "vflux-prod/render-applyset", step, true)
	}
	converged := func(step string, cluster, nodegroup string) {
		t.Helper()
		deadline := time.Now().Add(time.Minute)
		for {
			terminal := terminalObjects(t, "vflux-prod")
			if len(terminal) > 0 {
				t.Fatalf("%s: ACK.Terminal: %v", step, terminal)
			}
			if sim.ClusterVersion("Cluster/vflux") == cluster && sim.NodegroupVersion("Nodegroup/system") == nodegroup && allSynced(t, "vflux-prod") {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: not converged: control plane %s, node group %s", step, sim.ClusterVersion("Cluster/vflux"), sim.NodegroupVersion("Nodegroup/system"))
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	commit("the version bump")
	converged("the version bump", "1.35", "1.34")
	commit("outputs record the control plane on 1.35")
	converged("outputs record the control plane on 1.35", "1.35", "1.35")
	commit("outputs record the node group on 1.35")
	converged("outputs record the node group on 1.35", "1.35", "1.35")
	for _, a := range eksversion.Addons {
		want, _ := eksversion.AddonVersion(a, "1.35")
		if got := sim.AddonVersion("Addon/" + a); got != want {
			t.Errorf("AWS runs %s %q, want %q", a, got, want)
		}
	}
	if ng := liveObject(t, "vflux-prod", "Nodegroup/system"); ng != nil {
		if rv, set, _ := unstructured.NestedString(ng.Object, "spec", "releaseVersion"); set && rv == "" {
			t.Errorf("the node group keeps an empty releaseVersion after the upgrade")
		}
	}
}

// gitopsCommit plays one commit of the GitOps path for envName of the
// project dir: render outputs (with outputs) and render gen, as a CI job
// would, then the tree applied whole, at once, with forced ownership and
// nothing waited for, as Flux does, into the ApplySet applyset.
func gitopsCommit(t *testing.T, dir, kubeconfig, envName, applyset, step string, outputs bool) {
	t.Helper()
	if outputs {
		if code, _, errOut := run(t, dir, "outputs", envName, "--kubeconfig", kubeconfig); code != 0 {
			t.Fatalf("%s: render outputs = %d:\n%s", step, code, errOut)
		}
	}
	if code, _, errOut := run(t, dir, "gen"); code != 0 {
		t.Fatalf("%s: render gen = %d:\n%s", step, code, errOut)
	}
	code, _, errOut := run(t, dir, "apply", "-k", filepath.Join(dir, "overlays", envName), "--kubeconfig", kubeconfig,
		"--wait=false", "--force-conflicts", "--applyset", applyset)
	if code != 0 {
		t.Fatalf("%s: the tree applied at once = %d:\n%s", step, code, errOut)
	}
}

// terminalObjects names the objects of namespace ns with ACK.Terminal True.
func terminalObjects(t *testing.T, ns string) []string {
	t.Helper()
	var out []string
	for _, u := range liveMembers(t, env.Client, ns) {
		conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
		for _, c := range conds {
			m, _ := c.(map[string]any)
			if m["type"] == "ACK.Terminal" && m["status"] == "True" {
				out = append(out, fmt.Sprintf("%s: %v", graph.NameOf(u), m["message"]))
			}
		}
	}
	return out
}

// waitNotTerminal waits until no object of namespace ns is ACK.Terminal.
func waitNotTerminal(t *testing.T, ns string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for terminal := terminalObjects(t, ns); len(terminal) > 0; terminal = terminalObjects(t, ns) {
		if time.Now().After(deadline) {
			t.Fatalf("still ACK.Terminal: %v", terminal)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// allSynced reports whether every ACK object of namespace ns is synced.
func allSynced(t *testing.T, ns string) bool {
	t.Helper()
	for _, u := range liveMembers(t, env.Client, ns) {
		if !strings.HasSuffix(u.GroupVersionKind().Group, ".services.k8s.aws") {
			continue
		}
		synced := false
		conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
		for _, c := range conds {
			m, _ := c.(map[string]any)
			synced = synced || (m["type"] == "ACK.ResourceSynced" && m["status"] == "True")
		}
		if !synced {
			return false
		}
	}
	return true
}

// TestUpgradeStopsAndResumes: a step that fails stops the run with the
// controller's message and says what is already upgraded; once the cause
// is gone, render apply again resumes from the live versions and finishes.
func TestUpgradeStopsAndResumes(t *testing.T) {
	apitest.Skip(t)
	dir, kubeconfig, sim := upgradeProject(t, "vresume", "prod", "1.34", nil)
	args := []string{"apply", "prod", "--kubeconfig", kubeconfig, "--poll-interval", "100ms", "--timeout", "2m", "--workload=false"}
	if code, _, errOut := run(t, dir, args...); code != 0 {
		t.Fatalf("render apply on 1.34 = %d:\n%s", code, errOut)
	}
	edit(t, filepath.Join(dir, "platform.yaml"), `version: "1.34"`, `version: "1.35"`)
	const msg = "InvalidParameterException: the node group's instance type is not offered (simulated)"
	sim.SetTerminal("Nodegroup/system", msg)
	code, _, errOut := run(t, dir, args...)
	if code == 0 || !strings.Contains(errOut, "upgrade prod: node groups: ") || !strings.Contains(errOut, msg) ||
		!strings.Contains(errOut, "(upgraded: control plane, add-ons; render apply again resumes)") {
		t.Fatalf("render apply with a failing node group = %d, want the step, the controller's message and what is upgraded:\n%s", code, errOut)
	}
	if v := sim.ClusterVersion("Cluster/vresume"); v != "1.35" {
		t.Errorf("control plane on %q after the failed run, want 1.35 (it stays upgraded)", v)
	}
	sim.Clear("Nodegroup/system")
	// The Sim's Clear stands for the cause going away and the controller
	// taking the node group up again; the rerun starts once it has, not
	// while the node group's status is still the Terminal one from before
	// (with no synced version to read, render would drop releaseVersion
	// "" and the controller's own releaseVersion would contradict 1.35).
	waitNotTerminal(t, "vresume-prod")
	code, _, errOut = run(t, dir, args...)
	// The failed run applied the node group's new version: this run finds
	// nothing left to step through and waits for the node group with the
	// rest of the environment.
	if code != 0 || strings.Contains(errOut, "upgrade prod: control plane:") || !strings.Contains(errOut, "Nodegroup/vresume-prod/system Current") {
		t.Fatalf("render apply again = %d, want the node group converged without a new control plane step:\n%s", code, errOut)
	}
	if v := sim.NodegroupVersion("Nodegroup/system"); v != "1.35" {
		t.Errorf("node group on %q, want 1.35", v)
	}
}
