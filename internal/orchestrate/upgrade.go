package orchestrate

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/diff"
	"github.com/eks-render/render/internal/eksversion"
	"github.com/eks-render/render/internal/graph"
)

// The steps of a version upgrade: the control plane one minor version at
// a time, as EKS requires, then the add-ons, then the node groups (never
// newer than the control plane), then the pods on Fargate, which move to
// the new kubelet only when they are replaced (EKS User Guide, "Update
// existing cluster to new Kubernetes version", update-cluster.adoc at
// 4d52b4d0). That page lists the nodes before the add-ons without saying
// why; both orders keep kube-proxy within Kubernetes' skew policy, and
// render takes the add-ons first so that they leave the versions pinned
// for the old minor soonest (docs/operations.md, "AWS's order and
// render's").
const (
	StepControlPlane = "control plane"
	StepAddons       = "add-ons"
	StepNodegroups   = "node groups"
	StepRestart      = "restart"
)

// versionChange is one object whose version the rendering changes.
type versionChange struct {
	obj      *unstructured.Unstructured
	from, to string
}

func (c versionChange) String() string {
	return fmt.Sprintf("%s %s -> %s", graph.NameOf(c.obj), c.from, c.to)
}

// upgradePlan is what an environment's live objects need to reach the
// versions rendered: each step's changes, empty when nothing changes.
type upgradePlan struct {
	env          string
	controlPlane []versionChange
	// clusterBusy is set when the Cluster is on the rendered version but
	// UPDATING: an upgrade a previous run (or a GitOps sync) started,
	// which the add-ons and node groups must wait for.
	clusterBusy bool
	addons      []versionChange
	nodegroups  []versionChange
}

func (p *upgradePlan) empty() bool {
	return !p.changes() && !p.clusterBusy
}

// changes reports whether the plan changes a version.
func (p *upgradePlan) changes() bool {
	return len(p.controlPlane) > 0 || len(p.addons) > 0 || len(p.nodegroups) > 0
}

// summary is the plan on one line, as render diff's UPGRADE section
// shows it (diff.Upgrade).
func (p *upgradePlan) summary() string {
	u := &diff.Upgrade{}
	for _, c := range p.controlPlane {
		u.ControlPlane, u.RestartFargatePods = &diff.VersionChange{Name: c.obj.GetName(), From: c.from, To: c.to}, true
	}
	for _, c := range p.addons {
		u.Addons = append(u.Addons, diff.VersionChange{Name: c.obj.GetName(), From: c.from, To: c.to})
	}
	for _, c := range p.nodegroups {
		u.NodeGroups = append(u.NodeGroups, diff.VersionChange{Name: c.obj.GetName(), From: c.from, To: c.to})
	}
	var parts []string
	if p.clusterBusy {
		parts = append(parts, "control plane upgrade in progress")
	}
	if line := u.String(); line != "" {
		parts = append(parts, line)
	}
	return "UPGRADE " + p.env + ": " + strings.Join(parts, "; ")
}

// planUpgrade compares the versions rendered in objs with the live
// objects m's cluster has. A control plane step of more than one minor version, or
// back, is an error before anything is applied.
func planUpgrade(ctx context.Context, m *apply.Manager, env string, objs []*unstructured.Unstructured) (*upgradePlan, error) {
	p := &upgradePlan{env: env}
	// Read at once: a run that upgrades nothing (most) should not pay a
	// round trip per versioned object.
	lives, err := m.GetEach(ctx, objs, func(u *unstructured.Unstructured) bool { _, ok := diff.VersionPath(u); return ok })
	if err != nil {
		return nil, err
	}
	for i, live := range lives {
		if live == nil {
			continue
		}
		u := objs[i]
		path, _ := diff.VersionPath(u)
		to, _, _ := unstructured.NestedString(u.Object, path...)
		from, _, _ := unstructured.NestedString(live.Object, path...)
		change := versionChange{obj: u, from: from, to: to}
		switch u.GetKind() {
		case "Cluster":
			if from != to {
				if err := eksversion.CheckStep(from, to); err != nil {
					return nil, fmt.Errorf("%s: %s: cluster.version: %w", env, graph.NameOf(u), err)
				}
				p.controlPlane = append(p.controlPlane, change)
			} else if st, _, _ := unstructured.NestedString(live.Object, "status", "status"); st == "UPDATING" {
				p.clusterBusy = true
			}
		case "Addon":
			if from != to && from != "" {
				p.addons = append(p.addons, change)
			}
		case "Nodegroup":
			if from != to && from != "" {
				p.nodegroups = append(p.nodegroups, change)
			}
		}
	}
	return p, nil
}

// upgrade runs the steps of plan on m, each waited for before the next:
// it applies the Cluster, then the Addons, then the Nodegroups of target
// (the rendering with the new versions), each with the labels of the
// environment's ApplySet; the rest of the environment and the restart of
// the workload come after (applyPhases). A step that fails stops the run;
// what is done stays done, and a rerun resumes from the live versions.
func (o *ApplyOptions) upgrade(ctx context.Context, m *apply.Manager, src *Source, plan *upgradePlan, opts apply.ApplyOptions, res *apply.Result) error {
	fmt.Fprintln(o.Progress, plan.summary())
	if !o.Wait {
		return fmt.Errorf("%s: an upgrade is applied step by step, each waited for (control plane, add-ons, node groups): run render apply with --wait", plan.env)
	}
	opts.Prune, opts.ApplySet = false, nil
	steps := []struct {
		name    string
		changes []versionChange
		kind    string
	}{
		{StepControlPlane, plan.controlPlane, "Cluster"},
		{StepAddons, plan.addons, "Addon"},
		{StepNodegroups, plan.nodegroups, "Nodegroup"},
	}
	target := make([]*unstructured.Unstructured, 0, len(plan.controlPlane)+len(plan.addons)+len(plan.nodegroups))
	for _, cs := range [][]versionChange{plan.controlPlane, plan.addons, plan.nodegroups} {
		for _, c := range cs {
			target = append(target, c.obj)
		}
	}
	var done []string
	for _, s := range steps {
		opts := opts
		if s.name == StepNodegroups {
			// The controller owns releaseVersion (it writes it back after
			// creation); the empty one in the rendering takes it over.
			opts.ForceConflicts = true
		}
		objs := ofKind(target, s.kind)
		if s.name == StepControlPlane && len(objs) == 0 {
			objs = ofKind(src.Objects, s.kind)
		}
		if len(s.changes) == 0 && !(s.name == StepControlPlane && plan.clusterBusy) {
			continue
		}
		var lines []string
		for _, c := range s.changes {
			lines = append(lines, c.String())
		}
		if len(lines) == 0 {
			lines = []string{graph.NameOf(objs[0]) + " (upgrade in progress)"}
		}
		step := apply.UpgradeStep{Step: s.name, Changes: lines}
		res.AddUpgradeStep(step)
		fmt.Fprintf(o.Progress, "upgrade %s: %s: %s\n", plan.env, s.name, strings.Join(lines, ", "))
		start := time.Now()
		r, err := m.Apply(ctx, src.ApplySet.Members(objs), opts)
		res.Absorb(r)
		if err != nil {
			already := "nothing yet"
			if len(done) > 0 {
				already = strings.Join(done, ", ")
			}
			return fmt.Errorf("upgrade %s: %s: %w (upgraded: %s; render apply again resumes)", plan.env, s.name, err, already)
		}
		done = append(done, s.name)
		step.Done, step.Seconds = true, time.Since(start).Round(time.Millisecond).Seconds()
		res.AddUpgradeStep(step)
		fmt.Fprintf(o.Progress, "upgrade %s: %s done (%s)\n", plan.env, s.name, time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// ofKind returns the EKS objects of kind among objs.
func ofKind(objs []*unstructured.Unstructured, kind string) []*unstructured.Unstructured {
	var out []*unstructured.Unstructured
	for _, u := range objs {
		if u.GetKind() == kind && u.GroupVersionKind().Group == "eks.services.k8s.aws" {
			out = append(out, u)
		}
	}
	return out
}

// onFargate returns the Deployments among workload that run on Fargate in
// env: those whose pods a Fargate profile selects (namespace and labels),
// in a stable order.
func onFargate(env config.Environment, workload []*unstructured.Unstructured) []*unstructured.Unstructured {
	var out []*unstructured.Unstructured
	for _, u := range workload {
		if u.GetKind() != "Deployment" || u.GroupVersionKind().Group != "apps" {
			continue
		}
		labels, _, _ := unstructured.NestedStringMap(u.Object, "spec", "template", "metadata", "labels")
		if selectedByFargate(env, u.GetNamespace(), labels) {
			out = append(out, u)
		}
	}
	slices.SortFunc(out, func(a, b *unstructured.Unstructured) int { return strings.Compare(graph.NameOf(a), graph.NameOf(b)) })
	return out
}

func selectedByFargate(env config.Environment, ns string, labels map[string]string) bool {
	for _, p := range env.FargateProfiles {
		for _, s := range p.Selectors {
			if s.Namespace != ns {
				continue
			}
			match := true
			for k, v := range s.Labels {
				match = match && labels[k] == v
			}
			if match {
				return true
			}
		}
	}
	return false
}

// restartOnFargate restarts the workload's Deployments that run on
// Fargate (the upgrade's last step), through wm: all of them right after
// this run upgraded the control plane, else those with a pod on a node
// whose kubelet is older than the cluster (a Fargate pod runs on a node of
// its own, with the kubelet of the day it started), which is how a rerun
// after an interrupted upgrade finishes it.
func (o *ApplyOptions) restartOnFargate(ctx context.Context, wm *apply.Manager, env config.Environment, objs []*unstructured.Unstructured, res, wres *apply.Result) error {
	if o.SkipRestart {
		return nil
	}
	var deps []*unstructured.Unstructured
	for _, d := range onFargate(env, objs) {
		old := o.restart
		if !old {
			var err error
			if old, err = onOldKubelet(ctx, wm.Client(), d, env.Cluster.Version); err != nil {
				return err
			}
		}
		if old {
			deps = append(deps, d)
		}
	}
	if len(deps) == 0 {
		return nil
	}
	var names []string
	for _, d := range deps {
		names = append(names, graph.NameOf(d))
	}
	step := apply.UpgradeStep{Step: StepRestart, Changes: names}
	res.AddUpgradeStep(step)
	fmt.Fprintf(o.Progress, "upgrade %s: restart the Deployments on Fargate so their pods move to the new kubelet: %s\n", env.Name, strings.Join(names, ", "))
	start := time.Now()
	if o.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.Timeout)
		defer cancel()
	}
	if err := wm.Restart(ctx, deps, start, wres); err != nil {
		return fmt.Errorf("upgrade %s: %s: %w", env.Name, StepRestart, err)
	}
	step.Done, step.Seconds = true, time.Since(start).Round(time.Millisecond).Seconds()
	res.AddUpgradeStep(step)
	fmt.Fprintf(o.Progress, "upgrade %s: restart done (%s)\n", env.Name, time.Since(start).Round(time.Millisecond))
	return nil
}

// onOldKubelet reports whether a pod of Deployment d runs on a node whose
// kubelet is older than the cluster's minor version.
func onOldKubelet(ctx context.Context, c client.Client, d *unstructured.Unstructured, version string) (bool, error) {
	sel, _, _ := unstructured.NestedStringMap(d.Object, "spec", "selector", "matchLabels")
	if len(sel) == 0 {
		return false, nil
	}
	var pods corev1.PodList
	if err := c.List(ctx, &pods, client.InNamespace(d.GetNamespace()), client.MatchingLabels(sel)); err != nil {
		return false, fmt.Errorf("%s: list its pods: %w", graph.NameOf(d), err)
	}
	for _, p := range pods.Items {
		if p.Spec.NodeName == "" {
			continue
		}
		var node corev1.Node
		if err := c.Get(ctx, client.ObjectKey{Name: p.Spec.NodeName}, &node); err != nil {
			if apierrors.IsNotFound(err) {
				continue
			}
			return false, fmt.Errorf("%s: node %s: %w", graph.NameOf(d), p.Spec.NodeName, err)
		}
		if kubeletMinor(node.Status.NodeInfo.KubeletVersion) != "" && eksversion.Compare(kubeletMinor(node.Status.NodeInfo.KubeletVersion), version) < 0 {
			return true, nil
		}
	}
	return false, nil
}

// kubeletMinor returns "1.34" for "v1.34.2-eks-f69f56f", "" if it cannot.
func kubeletMinor(v string) string {
	parts := strings.SplitN(strings.TrimPrefix(v, "v"), ".", 3)
	if len(parts) < 2 {
		return ""
	}
	return parts[0] + "." + parts[1]
}

// checkRecordedSteps refuses, for render gen, a cluster.version that is
// not one minor step from the control plane version an environment's
// outputs file records (clusterVersion), else its imports file (the
// version of an adopted cluster): EKS upgrades one minor at a time and
// never downgrades.
func checkRecordedSteps(cfg *config.Config, late map[string]config.LateValues) error {
	var errs []string
	for _, env := range cfg.Environments {
		rec, file := late[env.Name].ClusterVersion, OutputsPath(cfg, env.Name)
		if rec == "" {
			// A cluster adopted on an older minor: the version render
			// import recorded stands until the outputs file has one.
			for _, a := range env.Adopt {
				if strings.HasPrefix(a.Object, "Cluster/") && a.Version != "" {
					rec, file = a.Version, a.Source
				}
			}
		}
		if rec == "" {
			continue
		}
		if err := eksversion.CheckStep(rec, env.Cluster.Version); err != nil {
			errs = append(errs, fmt.Sprintf("%s: environment %s: cluster.version: %v (%s records the control plane on %s)",
				cfg.File, env.Name, err, file, rec))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return nil
}
