package orchestrate

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	k8sschema "k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/diff"
	"github.com/eks-render/render/internal/graph"
	"github.com/eks-render/render/internal/schema"
)

// Replacements finds the changes that touch a field AWS cannot change in
// place: the apiserver would reject a CEL-immutable one half-way through,
// and the controller would silently ignore a create-only one (render diff
// shows the same). Without allow it stops the run before anything is
// applied, listing them and what recreating them would take; with allow it
// names the objects to recreate.
func Replacements(live, desired []*unstructured.Unstructured, s *schema.Set, allow bool) ([]string, error) {
	e, err := diff.CompareLive("", diff.ManagementTarget, live, desired, nil, s)
	if err != nil {
		return nil, err
	}
	var lines, names []string
	seen := map[string]bool{}
	for _, w := range e.Warnings() {
		lines = append(lines, fmt.Sprintf("  %s %s %s", w.Reason, w.Object, w.Path))
		if !seen[w.Object] {
			seen[w.Object] = true
			names = append(names, w.Object)
		}
	}
	if len(names) == 0 || allow {
		return names, nil
	}
	all, err := apply.Recreation(desired, names, func(gvk k8sschema.GroupVersionKind, path string) bool { return FixedField(s, gvk, path) })
	if err != nil {
		return nil, err
	}
	var also []string
	for _, u := range all {
		if n := graph.NameOf(u); !seen[n] {
			also = append(also, "  "+n)
		}
	}
	msg := fmt.Sprintf("refusing to apply changes AWS cannot make in place (render diff shows them):\n%s\n", strings.Join(lines, "\n"))
	if len(also) > 0 {
		msg += fmt.Sprintf("recreating them also recreates what depends on them:\n%s\n", strings.Join(also, "\n"))
	}
	return nil, fmt.Errorf("%srerun with --allow-replace to delete those %d objects (their AWS resources go too), wait until they are gone, and create them again",
		msg, len(all))
}

// FixedField reports whether path (ack.RefFields notation) of gvk cannot
// change once set: CEL-immutable in the CRD, or create-only for the
// controller, itself or a field that contains it.
func FixedField(s *schema.Set, gvk k8sschema.GroupVersionKind, path string) bool {
	return diff.FixedPath(s, gvk, path)
}
