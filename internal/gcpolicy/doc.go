// Package gcpolicy sets the garbage collector's policy of the render
// process: render is mostly a short process (gen, build, version, graph,
// diff between renderings, a no-op apply) that allocates a few tens of MB
// and exits, and the collector's cycles would be pure cost (issue 32:
// GOGC=off made `render gen` 28 ms instead of 37). So, unless the user's
// environment sets GOGC or GOMEMLIMIT (then the runtime is left exactly as
// the user asked), the package's init turns the collector off under a soft
// memory limit (Limit): a process that never reaches it never collects.
//
// The collector comes back, as Go's default (GOGC=100, no memory limit):
//   - at the first collection, which only the limit triggers: a large run
//     (a configuration of hundreds of environments) collects once at Limit
//     and then runs as any Go program, so it never holds more than Limit of
//     garbage and never pays the limit's cost of collecting ever more often
//     as its live heap approaches it (the GC CPU limiter would cap that at
//     50% of the CPU: go.dev/design/48409-soft-memory-limit, "Death
//     spirals"; runtime/mgclimit.go);
//   - when cmd/render calls Restore for a long-running command (apply and
//     delete that wait), whose garbage would otherwise grow to Limit.
//
// The package is imported by cmd/render alone, and only for its init and
// Restore. Its only state is the runtime's, which is the process's: the
// package records whether it turned the collector off, so that Restore
// never undoes a setting the user made. It imports the standard library
// only, so that its init runs before the heavy package initialisers of the
// binary (client-go's scheme, controller-runtime); cmd/render's
// TestGCPolicyInitialisesFirst checks that with GODEBUG=inittrace=1.
package gcpolicy
