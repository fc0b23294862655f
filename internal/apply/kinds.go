package apply

import (
	"fmt"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/eks-render/render/internal/ack"
)

// MissingKindsError lists kinds the cluster does not serve.
type MissingKindsError struct {
	Kinds []schema.GroupVersionKind
}

func (e *MissingKindsError) Error() string {
	lines := make([]string, len(e.Kinds))
	for i, gvk := range e.Kinds {
		lines[i] = fmt.Sprintf("  %s (%s): %s", gvk.Kind, gvk.GroupVersion(), provider(gvk.Group))
	}
	return "the cluster does not serve these kinds:\n" + strings.Join(lines, "\n")
}

// provider says what installs the kinds of group.
func provider(group string) string {
	if service, ok := strings.CutSuffix(group, ack.GroupSuffix); ok && service != "" && !strings.Contains(service, ".") {
		return fmt.Sprintf("install the ACK %s-controller (its CRDs)", service)
	}
	return "install the CRD that defines it"
}

// Discover starts reading the cluster's API groups, as the first mapping
// of a run would (the core group, then every other one: the Lease of the
// lock and the kinds of the objects), so that the caller can do other work
// meanwhile: render apply renders while the server answers. CheckKinds
// waits for it and fails with its error (a server that does not answer
// is then waited for once, not twice). Call it once, before CheckKinds.
func (m *Manager) Discover() {
	done := make(chan struct{})
	m.discovery = done
	go func() {
		defer close(done)
		for _, gvk := range []schema.GroupVersionKind{{Version: "v1", Kind: "Namespace"}, {Group: "coordination.k8s.io", Version: "v1", Kind: "Lease"}} {
			if _, err := m.mapper.RESTMapping(gvk.GroupKind(), gvk.Version); err != nil && !meta.IsNoMatchError(err) {
				m.discoveryErr = fmt.Errorf("discover %s: %w", gvk, err)
				return
			}
		}
	}()
}

// CheckKinds checks that the cluster serves the kind of every object.
func (m *Manager) CheckKinds(objs []*unstructured.Unstructured) error {
	if m.discovery != nil {
		<-m.discovery
		if m.discoveryErr != nil {
			return m.discoveryErr
		}
	}
	seen := map[schema.GroupVersionKind]bool{}
	missing := &MissingKindsError{}
	for _, u := range objs {
		gvk := u.GroupVersionKind()
		if seen[gvk] {
			continue
		}
		seen[gvk] = true
		_, err := m.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
		switch {
		case meta.IsNoMatchError(err):
			missing.Kinds = append(missing.Kinds, gvk)
		case err != nil:
			return fmt.Errorf("discover %s: %w", gvk, err)
		}
	}
	if len(missing.Kinds) == 0 {
		return nil
	}
	sort.Slice(missing.Kinds, func(i, j int) bool { return missing.Kinds[i].String() < missing.Kinds[j].String() })
	return missing
}
