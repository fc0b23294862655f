package apply

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"slices"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/graph"
)

// The labels and annotations of the kubectl ApplySet specification
// (KEP-3659), which render's inventory follows: a parent object labelled
// with the set's ID and annotated with the group-kinds and namespaces its
// members may be in; each member labelled part-of that ID.
const (
	ApplySetIDLabel              = "applyset.kubernetes.io/id"
	ApplySetPartOfLabel          = "applyset.kubernetes.io/part-of"
	ApplySetToolingAnnotation    = "applyset.kubernetes.io/tooling"
	ApplySetGroupKindsAnnotation = "applyset.kubernetes.io/contains-group-kinds"
	ApplySetNamespacesAnnotation = "applyset.kubernetes.io/additional-namespaces"
	// ApplySetTooling is render's value of the tooling annotation. Tools
	// refuse to change an ApplySet another tool manages, and so does
	// render.
	ApplySetTooling = "render/v1"
)

// ApplySet is render's inventory of what it applied to one cluster: a
// Secret, the parent, whose ID every member carries as a label. It is what
// pruning and render delete trust: an object is render's to delete only if
// it carries the label and render's field manager applied it.
type ApplySet struct {
	// Parent is the parent Secret. It is created in Apply, after its
	// namespace if that is one of the objects applied.
	Parent types.NamespacedName
}

// ID is the set's ID as the specification computes it: "applyset-" and the
// unpadded URL-safe base64 of the SHA-256 of "<name>.<namespace>.Secret.",
// then "-v1". kubectl computes the same for --applyset=secret/<name>.
func (s ApplySet) ID() string {
	sum := sha256.Sum256([]byte(strings.Join([]string{s.Parent.Name, s.Parent.Namespace, "Secret", ""}, ".")))
	return "applyset-" + base64.RawURLEncoding.EncodeToString(sum[:]) + "-v1"
}

func (s ApplySet) String() string { return "Secret/" + s.Parent.Namespace + "/" + s.Parent.Name }

// Members returns copies of objs labelled as members of the set.
func (s ApplySet) Members(objs []*unstructured.Unstructured) []*unstructured.Unstructured {
	out := make([]*unstructured.Unstructured, len(objs))
	for i, u := range objs {
		c := u.DeepCopy()
		labels := c.GetLabels()
		if labels == nil {
			labels = map[string]string{}
		}
		labels[ApplySetPartOfLabel] = s.ID()
		c.SetLabels(labels)
		out[i] = c
	}
	return out
}

// inventory is what a parent records: the group-kinds ("Kind" or
// "Kind.group", sorted) and the namespaces other than the parent's.
type inventory struct {
	groupKinds []string
	namespaces []string
}

func (s ApplySet) inventoryOf(objs []*unstructured.Unstructured) inventory {
	var inv inventory
	for _, u := range objs {
		inv.groupKinds = append(inv.groupKinds, groupKind(u.GroupVersionKind().GroupKind()))
		if ns := u.GetNamespace(); ns != "" && ns != s.Parent.Namespace {
			inv.namespaces = append(inv.namespaces, ns)
		}
	}
	return inv.normal()
}

func (inv inventory) union(o inventory) inventory {
	return inventory{append(slices.Clone(inv.groupKinds), o.groupKinds...), append(slices.Clone(inv.namespaces), o.namespaces...)}.normal()
}

func (inv inventory) normal() inventory {
	sort.Strings(inv.groupKinds)
	sort.Strings(inv.namespaces)
	return inventory{slices.Compact(inv.groupKinds), slices.Compact(inv.namespaces)}
}

func groupKind(gk schema.GroupKind) string {
	if gk.Group == "" {
		return gk.Kind
	}
	return gk.Kind + "." + gk.Group
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// readParent returns the inventory the parent records, empty if it does
// not exist, and an error if it is not render's.
func (m *Manager) readParent(ctx context.Context, s ApplySet) (inventory, bool, error) {
	p := &corev1.Secret{}
	switch err := m.client.Get(ctx, s.Parent, p); {
	case apierrors.IsNotFound(err):
		return inventory{}, false, nil
	case err != nil:
		return inventory{}, false, fmt.Errorf("applyset parent %s: %w", s, err)
	}
	if tool := p.Annotations[ApplySetToolingAnnotation]; tool != ApplySetTooling {
		return inventory{}, false, fmt.Errorf("applyset parent %s exists but is managed by %q, not %s: choose another parent", s, tool, ApplySetTooling)
	}
	if id := p.Labels[ApplySetIDLabel]; id != s.ID() {
		return inventory{}, false, fmt.Errorf("applyset parent %s has label %s=%q, want %q", s, ApplySetIDLabel, id, s.ID())
	}
	inv := inventory{splitList(p.Annotations[ApplySetGroupKindsAnnotation]), splitList(p.Annotations[ApplySetNamespacesAnnotation])}
	return inv.normal(), true, nil
}

// writeParent server-side applies the parent with inv.
func (m *Manager) writeParent(ctx context.Context, s ApplySet, inv inventory) error {
	p := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
		"metadata": map[string]any{
			"name": s.Parent.Name, "namespace": s.Parent.Namespace,
			"labels": map[string]any{ApplySetIDLabel: s.ID()},
			"annotations": map[string]any{
				ApplySetToolingAnnotation:    ApplySetTooling,
				ApplySetGroupKindsAnnotation: strings.Join(inv.groupKinds, ","),
				ApplySetNamespacesAnnotation: strings.Join(inv.namespaces, ","),
			},
		},
	}}
	if err := m.client.Apply(ctx, client.ApplyConfigurationFromUnstructured(p), client.FieldOwner(FieldManager), client.ForceOwnership); err != nil {
		return fmt.Errorf("applyset parent %s: %w", s, err)
	}
	return nil
}

// parentRead is the parent as read before the run: what it records, and
// whether it exists.
type parentRead struct {
	inv    inventory
	exists bool
	err    error
}

// ensureParent makes the parent exist and record the union of what it
// recorded and what is about to be applied, before any member is applied,
// so that no member is ever outside the recorded inventory; it returns
// what the parent records. The parent's namespace, if among objs and
// absent, is applied first. A parent that already records it all is not
// written.
func (m *Manager) ensureParent(ctx context.Context, s ApplySet, p parentRead, objs []*unstructured.Unstructured, versions map[string]version) (inventory, error) {
	for _, u := range objs {
		if u.GetKind() == "Namespace" && u.GroupVersionKind().Group == "" && u.GetName() == s.Parent.Namespace {
			if _, live := versions[graph.NameOf(u)]; !live {
				// versions keeps it absent: the level pass, applying it
				// again unchanged, reports it created.
				if _, err := m.applyOne(ctx, u, versions, false); err != nil {
					return p.inv, err
				}
			}
		}
	}
	want := p.inv.union(s.inventoryOf(objs))
	if p.exists && want.equal(p.inv) {
		return want, nil
	}
	return want, m.writeParent(ctx, s, want)
}

func (inv inventory) equal(o inventory) bool {
	return slices.Equal(inv.groupKinds, o.groupKinds) && slices.Equal(inv.namespaces, o.namespaces)
}

// Deletion is one object pruning, recreation or render delete dealt with.
type Deletion struct {
	// Object is Kind/namespace/name.
	Object string `json:"object"`
	// Action is deleted, or skipped when the object carries the set's
	// label but render never applied it (it is left alone).
	Action string `json:"action"`
	// Retained is true when the object's ACK deletion policy keeps its
	// AWS resource.
	Retained bool   `json:"retained,omitempty"`
	Reason   string `json:"reason,omitempty"`
}

// members lists the live objects labelled as members of s, in the kinds
// and namespaces inv records, and splits them into those render applied
// (its field manager owns fields through Apply) and look-alikes.
func (m *Manager) members(ctx context.Context, s ApplySet, inv inventory) (owned, foreign []*unstructured.Unstructured, err error) {
	namespaces := append([]string{s.Parent.Namespace}, inv.namespaces...)
	for _, gkName := range inv.groupKinds {
		kind, group, _ := strings.Cut(gkName, ".")
		mapping, err := m.mapper.RESTMapping(schema.GroupKind{Group: group, Kind: kind})
		if meta.IsNoMatchError(err) {
			// The kind is no longer served: nothing of it can be left.
			continue
		} else if err != nil {
			return nil, nil, fmt.Errorf("applyset %s: kind %s: %w", s, gkName, err)
		}
		scopes := namespaces
		if mapping.Scope.Name() != meta.RESTScopeNameNamespace {
			scopes = []string{""}
		}
		for _, ns := range scopes {
			list := &unstructured.UnstructuredList{}
			list.SetGroupVersionKind(mapping.GroupVersionKind.GroupVersion().WithKind(kind + "List"))
			if err := m.client.List(ctx, list, client.InNamespace(ns), client.MatchingLabels{ApplySetPartOfLabel: s.ID()}); err != nil {
				return nil, nil, fmt.Errorf("applyset %s: list %s in %q: %w", s, gkName, ns, err)
			}
			for i := range list.Items {
				u := &list.Items[i]
				if appliedByRender(u) {
					owned = append(owned, u)
				} else {
					foreign = append(foreign, u)
				}
			}
		}
	}
	return owned, foreign, nil
}

// appliedByRender reports whether render's field manager applied u.
func appliedByRender(u *unstructured.Unstructured) bool {
	for _, f := range u.GetManagedFields() {
		if f.Manager == FieldManager && f.Operation == metav1.ManagedFieldsOperationApply {
			return true
		}
	}
	return false
}

// prune deletes the members of s that render applied and that are not
// among keep, in reverse dependency order, waiting for each level to be
// gone. Look-alikes (the label without render's field manager) are
// reported as skipped and never touched.
func (m *Manager) prune(ctx context.Context, s ApplySet, inv inventory, keep []*unstructured.Unstructured, opts DeleteOptions) ([]Deletion, error) {
	owned, foreign, err := m.members(ctx, s, inv)
	if err != nil {
		return nil, err
	}
	var out []Deletion
	for _, u := range notIn(foreign, keep) {
		out = append(out, Deletion{Object: graph.NameOf(u), Action: Skipped,
			Reason: fmt.Sprintf("labelled %s=%s but not applied by %s", ApplySetPartOfLabel, s.ID(), FieldManager)})
		fmt.Fprintf(m.progress, "%s not pruned: %s\n", graph.NameOf(u), out[len(out)-1].Reason)
	}
	deleted, err := m.Delete(ctx, notIn(owned, keep), opts)
	return append(out, deleted...), err
}

// notIn returns the objects of objs that keep has no object of the same
// name as.
func notIn(objs, keep []*unstructured.Unstructured) []*unstructured.Unstructured {
	kept := map[string]bool{}
	for _, u := range keep {
		kept[graph.NameOf(u)] = true
	}
	var out []*unstructured.Unstructured
	for _, u := range objs {
		if !kept[graph.NameOf(u)] {
			out = append(out, u)
		}
	}
	return out
}

// Members returns the live members of s that render applied, in the kinds
// and namespaces its parent records; none if there is no parent. Objects
// that carry the label but were not applied by render are left out.
func (m *Manager) Members(ctx context.Context, s ApplySet) ([]*unstructured.Unstructured, error) {
	inv, ok, err := m.readParent(ctx, s)
	if err != nil || !ok {
		return nil, err
	}
	owned, _, err := m.members(ctx, s, inv)
	return owned, err
}

// Parent returns the parent Secret of s as an object to delete, if it
// exists.
func (m *Manager) Parent(ctx context.Context, s ApplySet) (*unstructured.Unstructured, error) {
	if _, ok, err := m.readParent(ctx, s); err != nil || !ok {
		return nil, err
	}
	p := &unstructured.Unstructured{}
	p.SetAPIVersion("v1")
	p.SetKind("Secret")
	p.SetNamespace(s.Parent.Namespace)
	p.SetName(s.Parent.Name)
	return p, nil
}

// PruneCandidates returns what pruning s against keep would delete: the
// members render applied that keep lacks.
func (m *Manager) PruneCandidates(ctx context.Context, s ApplySet, keep []*unstructured.Unstructured) ([]*unstructured.Unstructured, error) {
	members, err := m.Members(ctx, s)
	if err != nil {
		return nil, err
	}
	return notIn(members, keep), nil
}
