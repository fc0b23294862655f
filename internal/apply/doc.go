// Package apply owns all cluster I/O of render: server-side apply of a set
// of objects in dependency order (internal/graph), each applied the moment
// what it depends on is ready (kstatus and the ACK conditions), and
// reporting progress and the critical path.
//
// Readiness comes from sigs.k8s.io/cli-utils' kstatus watcher (informers),
// with a status reader of its own for ACK kinds (ACK.ResourceSynced,
// ACK.Terminal, ACK.Recoverable); deleting still polls. Applying is the
// apiserver's server-side apply, one request per object, in parallel as
// the graph allows: fluxcd/pkg/ssa was tried
// and left, because it always forces field ownership (so conflicts could
// not be reported) and applies one object at a time after a Get and a
// dry-run each, which made render apply slower than kubectl. What apply
// adds: the check that every needed CRD is served, conflicts that name the
// other manager, created/configured/unchanged from resourceVersions, and
// one progress line per object state change.
//
// apply never renders objects itself; it takes []*unstructured.Unstructured.
package apply
