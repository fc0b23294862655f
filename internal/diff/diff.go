package diff

import (
	"cmp"
	"fmt"
	"slices"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/gen"
	"github.com/eks-render/render/internal/graph"
	"github.com/eks-render/render/internal/schema"
)

// Action says what happens to an object between the two sides.
type Action string

const (
	// AddedAction: the object is only on the "to" side.
	AddedAction Action = "added"
	// ChangedAction: the object is on both sides and differs.
	ChangedAction Action = "changed"
	// RemovedAction: the object is only on the "from" side.
	RemovedAction Action = "removed"
)

// String returns the action as written in reports.
func (a Action) String() string { return string(a) }

// Target says which cluster an object goes to.
type Target string

const (
	// ManagementTarget: the ACK objects applied to the management cluster.
	ManagementTarget Target = "management"
	// WorkloadTarget: the objects applied to the new EKS cluster.
	WorkloadTarget Target = "workload"
)

// String returns the target as written in reports.
func (t Target) String() string { return string(t) }

// Input is one side of a comparison. A nil Config has no environments.
type Input struct {
	// Config is the parsed platform.yaml.
	Config *config.Config
	// Late holds each environment's late values (outputs/<env>.yaml); an
	// environment without an entry renders its first phase only.
	Late map[string]config.LateValues
}

// Report is the result of Compare.
type Report struct {
	// Changed is true if any environment has an added, changed or removed object.
	Changed bool `json:"changed"`
	// Environments are those of either side, sorted by name.
	Environments []Environment `json:"environments"`
}

// Environment is the comparison of one environment.
type Environment struct {
	Name string `json:"name"`
	// Added, Changed and Removed count the objects.
	Added   int `json:"added"`
	Changed int `json:"changed"`
	Removed int `json:"removed"`
	// From and To are the sizes of the two sides; a missing side is zero.
	From Size `json:"from"`
	To   Size `json:"to"`
	// Upgrade is the Kubernetes version upgrade between the sides, if any.
	Upgrade *Upgrade `json:"upgrade,omitempty"`
	// AuthenticationMode is the step of the cluster's authentication mode
	// between the sides, if any (ModeStep).
	AuthenticationMode *ModeStep `json:"authenticationMode,omitempty"`
	// Backwards is, in a live diff, what the committed files would move
	// back in AWS, if anything.
	Backwards *Backwards `json:"backwards,omitempty"`
	// Assumed is, in a live diff of an environment on network.existing,
	// what only AWS can check about that network and what it said so far
	// (Assumptions). It is no change: it does not set Report.Changed.
	Assumed []Assumption `json:"assumed,omitempty"`
	// Kept is, in a live diff of an environment that adopted resources,
	// the create-only fields rendered as AWS has them (KeptOf). It is no
	// change: it does not set Report.Changed.
	Kept []Kept `json:"kept,omitempty"`
	// Objects are the objects that differ, sorted by target, kind and name.
	Objects []Object `json:"objects,omitempty"`
}

// Object is one object that differs between the sides.
type Object struct {
	Target Target `json:"target"`
	Kind   string `json:"kind"`
	// Name is graph.Name: Kind/namespace/name.
	Name   string `json:"name"`
	Action Action `json:"action"`
	// Diff is the unified diff of the YAML of both sides; changed objects only.
	Diff string `json:"diff,omitempty"`
	// Warnings are the changed fields that AWS will not apply as an update.
	Warnings []Warning `json:"warnings,omitempty"`
}

// Compare renders every environment of either side and compares the
// results. s answers which fields are immutable.
func Compare(from, to Input, s *schema.Set) (*Report, error) {
	r := &Report{}
	for _, name := range envNames(from.Config, to.Config) {
		e, err := compareEnv(name, from, to, s)
		if err != nil {
			return nil, err
		}
		r.Changed = r.Changed || len(e.Objects) > 0
		r.Environments = append(r.Environments, e)
	}
	return r, nil
}

func envNames(cfgs ...*config.Config) []string {
	var names []string
	for _, c := range cfgs {
		if c == nil {
			continue
		}
		for _, e := range c.Environments {
			names = append(names, e.Name)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

func compareEnv(name string, from, to Input, s *schema.Set) (Environment, error) {
	e := Environment{Name: name}
	var mgmtA, mgmtB []*unstructured.Unstructured
	for _, target := range []Target{ManagementTarget, WorkloadTarget} {
		a, err := render(from, name, target)
		if err != nil {
			return e, fmt.Errorf("render %s of environment %s (from): %w", target, name, err)
		}
		b, err := render(to, name, target)
		if err != nil {
			return e, fmt.Errorf("render %s of environment %s (to): %w", target, name, err)
		}
		if target == ManagementTarget {
			mgmtA, mgmtB = a, b
			e.From, e.To = sizeOf(a), sizeOf(b)
			if e.Upgrade, err = upgradeOf(name, a, b); err != nil {
				return e, err
			}
			e.AuthenticationMode = modeStepOf(a, b)
		} else {
			e.From.GameReplicas, e.To.GameReplicas = replicasOf(a), replicasOf(b)
			if e.From.FargatePods, err = fargatePods(a, mgmtA); err != nil {
				return e, err
			}
			if e.To.FargatePods, err = fargatePods(b, mgmtB); err != nil {
				return e, err
			}
		}
		objs, err := compareObjects(name+"/"+target.String(), target, a, b, s)
		if err != nil {
			return e, err
		}
		e.Objects = append(e.Objects, objs...)
	}
	for _, o := range e.Objects {
		switch o.Action {
		case AddedAction:
			e.Added++
		case ChangedAction:
			e.Changed++
		case RemovedAction:
			e.Removed++
		}
	}
	return e, nil
}

// render returns the objects of one environment's target, or none if the
// side does not define the environment.
func render(in Input, env string, target Target) ([]*unstructured.Unstructured, error) {
	if in.Config == nil {
		return nil, nil
	}
	for _, e := range in.Config.Environments {
		if e.Name == env {
			return gen.EnvObjects(e, in.Late[env], target == WorkloadTarget)
		}
	}
	return nil, nil
}

func compareObjects(label string, target Target, a, b []*unstructured.Unstructured, s *schema.Set) ([]Object, error) {
	byName := map[string]*unstructured.Unstructured{}
	for _, u := range a {
		byName[graph.NameOf(u)] = u
	}
	var out []Object
	for _, u := range b {
		name := graph.NameOf(u)
		old, ok := byName[name]
		delete(byName, name)
		if !ok {
			out = append(out, Object{Target: target, Kind: u.GetKind(), Name: name, Action: AddedAction})
			continue
		}
		o, err := compareObject(label, target, old, u, s)
		if err != nil {
			return nil, err
		}
		if o != nil {
			out = append(out, *o)
		}
	}
	for name, u := range byName {
		out = append(out, Object{Target: target, Kind: u.GetKind(), Name: name, Action: RemovedAction})
	}
	slices.SortFunc(out, func(x, y Object) int {
		return cmp.Or(cmp.Compare(x.Kind, y.Kind), cmp.Compare(x.Name, y.Name))
	})
	return out, nil
}

// compareObject returns the change of an object on both sides, or nil if
// the sides are equal. label (<env>/<target>) prefixes the diff's file names.
func compareObject(label string, target Target, a, b *unstructured.Unstructured, s *schema.Set) (*Object, error) {
	name := graph.NameOf(b)
	ya, err := yaml.Marshal(a.Object)
	if err != nil {
		return nil, fmt.Errorf("%s encode failed: %w", name, err)
	}
	yb, err := yaml.Marshal(b.Object)
	if err != nil {
		return nil, fmt.Errorf("%s encode failed: %w", name, err)
	}
	if string(ya) == string(yb) {
		return nil, nil
	}
	return &Object{
		Target: target, Kind: b.GetKind(), Name: name, Action: ChangedAction,
		Diff:     Unified("a/"+label+"/"+name, "b/"+label+"/"+name, string(ya), string(yb)),
		Warnings: warnings(a, b, s),
	}, nil
}

// CompareLive compares what is in the cluster with what applying would
// make of it, for one environment's target: live[i] and applied[i] are the
// same object (live[i] nil when it does not exist yet). pruned are live
// objects that applying with pruning would delete: they are reported
// removed.
func CompareLive(env string, target Target, live, applied, pruned []*unstructured.Unstructured, s *schema.Set) (Environment, error) {
	e := Environment{Name: env}
	var have []*unstructured.Unstructured
	for _, u := range live {
		if u != nil {
			have = append(have, u)
		}
	}
	have = append(have, pruned...)
	if target == ManagementTarget {
		e.From, e.To = sizeOf(have), sizeOf(applied)
		var err error
		if e.Upgrade, err = upgradeOf(env, have, applied); err != nil {
			return e, err
		}
	}
	objs, err := compareObjects(env+"/"+target.String(), target, have, applied, s)
	if err != nil {
		return e, err
	}
	for _, o := range objs {
		switch o.Action {
		case AddedAction:
			e.Added++
		case ChangedAction:
			e.Changed++
		case RemovedAction:
			e.Removed++
		}
	}
	e.Objects = objs
	return e, nil
}
