// Package apply owns all cluster I/O of render: server-side apply of a set
// of objects in dependency levels (internal/graph), waiting for each level
// to be ready with kstatus and the ACK conditions, and reporting progress.
//
// It builds on fluxcd/pkg/ssa (ResourceManager.ApplyAll: dry-run, drift
// detection, change set) and the kstatus poller; what it adds is what those
// do not know: ACK readiness (ACK.ResourceSynced, ACK.Terminal,
// ACK.Recoverable), field-manager conflicts reported instead of silently
// taken over (ssa always forces ownership), the check that every needed CRD
// is served, and one progress line per object state change.
//
// apply never renders objects itself; it takes []*unstructured.Unstructured.
package apply
