package orchestrate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/graph"
)

// converge applies an environment and waits for it, starting everything
// as early as what it needs allows:
//
//   - the first phase, the objects renderable without late values;
//   - the whole rendering in its place the moment an object that brings
//     late values is ready and rendering again gains objects (the flow log
//     once the VPC is, the OIDC provider, IRSA roles and add-ons once the
//     cluster is), not once the first phase is all ready: the running
//     apply is stopped and the next one, on the larger graph, takes every
//     object over (those applied already are not applied again);
//   - the workload on the new cluster once the cluster is up and the
//     rendering complete, at the same time, each of its objects held until
//     what it needs on the management cluster (graph.Across) is ready.
//
// A failure of either cluster stops both. The result covers all of it.
func (o *ApplyOptions) converge(ctx context.Context, m *apply.Manager, src *Source, opts apply.ApplyOptions, res *apply.Result) error {
	mctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	timings := apply.NewTimings(time.Now())
	c := &convergence{o: o, m: m, src: src, ctx: mctx, stop: stop, timings: timings, res: res, rendered: map[string]bool{}}
	objs, complete, late := src.Objects, src.Complete, src.Late
	opts.OnReady, opts.Timings = c.onReady, timings
	var final *Rendering
	var err error
	again := true
	for {
		if err = o.checkAccess(mctx, *src.Env, late, objs); err != nil {
			break
		}
		actx, cancel := context.WithCancel(mctx)
		c.cur, c.next, c.cancel = objs, nil, cancel
		opts.Prune = o.Prune && complete
		var applied *apply.Result
		applied, err = m.Apply(actx, objs, opts)
		cancel()
		res.Absorb(applied)
		if c.next != nil && (err == nil || errors.Is(err, context.Canceled) && mctx.Err() == nil) {
			// Handed over to the whole rendering.
			n := c.next
			fmt.Fprintf(o.Progress, "second phase: %s, rendered with the values %s brought\n", more(len(n.Objects)-len(objs)), c.by)
			objs, complete, late = n.Objects, n.Complete(), n.Late
			continue
		}
		if err != nil {
			break
		}
		var r *Rendering
		if r, err = Render(mctx, m, *src.Env, src.Committed, o.Progress); err != nil {
			break
		}
		if o.Prune && !opts.Prune && !r.Complete() {
			err = fmt.Errorf("not pruned: values AWS should know by now are still missing (%s)", strings.Join(r.Pending, "; "))
			break
		}
		stepped := authMode(r.Objects) != authMode(objs)
		if stepped || again && (len(r.Objects) != len(objs) || (o.Prune && !opts.Prune)) {
			// Late values that came with the last objects ready, or a
			// prune the first phase could not do: once more. So too for
			// each step of the authentication mode, which EKS takes one
			// at a time (gen): at most two.
			if stepped {
				fmt.Fprintf(o.Progress, "authentication mode: the cluster runs %s, next step %s\n", authMode(objs), authMode(r.Objects))
			}
			if n := len(r.Objects) - len(objs); n > 0 {
				fmt.Fprintf(o.Progress, "second phase: %s that needed values AWS knows only now\n", more(n))
			}
			objs, complete, late, again = r.Objects, true, r.Late, again && stepped
			continue
		}
		final = r
		c.startWorkload(r, true)
		break
	}
	if err == nil && final.Complete() {
		err = o.record(mctx, m, src, final.Objects)
	}
	if err != nil {
		stop(err)
	}
	werr := c.waitWorkload()
	switch {
	case err != nil && werr != nil && errors.Is(werr, context.Canceled):
		// The workload was stopped because the management cluster failed.
		werr = nil
	case werr != nil && errors.Is(err, context.Canceled) && context.Cause(mctx) == werr:
		// The management cluster was stopped because the workload failed.
		err = nil
	}
	return errors.Join(err, werr)
}

// more says how many objects a rendering gained: "1 more object".
func more(n int) string {
	if n == 1 {
		return "1 more object"
	}
	return fmt.Sprintf("%d more objects", n)
}

// convergence is the state of one converge.
type convergence struct {
	o    *ApplyOptions
	m    *apply.Manager
	src  *Source
	ctx  context.Context
	stop context.CancelCauseFunc
	// timings are the run's: the workload's holds wait on them.
	timings *apply.Timings
	res     *apply.Result
	// cur are the objects being applied, cancel stops that apply, next is
	// the rendering that takes over from it.
	cur    []*unstructured.Unstructured
	cancel context.CancelFunc
	next   *Rendering
	// by is the object whose late values rendered next; rendered are the
	// objects whose late values were rendered with.
	by       string
	rendered map[string]bool
	// workload, once started, brings its error.
	workload chan error
}

// onReady is called by the running apply, in its goroutine, with each
// object the moment it is ready (and noted in the run's Timings, which the
// workload's holds wait on): for the objects late values come from, the
// environment is rendered again; a rendering with more objects takes over,
// and one that is complete and knows the cluster's endpoint starts the
// workload.
func (c *convergence) onReady(u *unstructured.Unstructured) {
	// An apply that took over sees the VPC and the Cluster ready again:
	// what they brought was rendered already.
	if c.next != nil || !bringsLateValues(u) || c.rendered[graph.NameOf(u)] {
		return
	}
	// Warnings about the committed outputs file are written once, by the
	// rendering that ends the run.
	r, err := Render(c.ctx, c.m, *c.src.Env, c.src.Committed, io.Discard)
	if err != nil {
		fmt.Fprintf(c.o.Progress, "not rendered again yet with the values %s brought: %v\n", graph.NameOf(u), err)
		return
	}
	c.rendered[graph.NameOf(u)] = true
	if len(r.Objects) > len(c.cur) {
		c.next, c.by = r, graph.NameOf(u)
		c.cancel()
	}
	c.startWorkload(r, false)
}

// bringsLateValues reports whether u is one of the objects LateValues
// reads: the VPC and the EKS Cluster.
func bringsLateValues(u *unstructured.Unstructured) bool {
	g := u.GroupVersionKind()
	return g.Group == "ec2.services.k8s.aws" && g.Kind == "VPC" || g.Group == "eks.services.k8s.aws" && g.Kind == "Cluster"
}

// startWorkload starts, once, applying the workload in the background,
// when o asks for it and r is complete and knows the cluster's endpoint
// (or, called with the rendering that ends the run, in any case, so that
// applyWorkload says why it does not). live is false while the
// management cluster's apply keeps its own live line.
func (c *convergence) startWorkload(r *Rendering, last bool) {
	if !c.o.Workload || c.workload != nil {
		return
	}
	if !last && (!r.Complete() || r.Late.ClusterEndpoint == "" || r.Late.ClusterCA == "") {
		return
	}
	c.workload = make(chan error, 1)
	live := last && c.o.Live
	go func() {
		err := c.o.applyWorkload(c.ctx, *c.src.Env, r.Late, c.res, workloadHold{ctx: c.ctx, timings: c.timings, mgmt: r.Objects, live: live})
		if err != nil {
			c.stop(err)
		}
		c.workload <- err
	}()
}

// waitWorkload waits for the workload started, if one was.
func (c *convergence) waitWorkload() error {
	if c.workload == nil {
		return nil
	}
	return <-c.workload
}

// workloadHold is what the workload's apply needs of the management
// cluster's: the run's Timings (which objects are ready), until ctx ends,
// and the objects there.
type workloadHold struct {
	ctx     context.Context
	timings *apply.Timings
	mgmt    []*unstructured.Unstructured
	live    bool
}

// gates returns apply's Hold for objs, the workload: each object waits
// for what graph.Across says it needs.
func (h workloadHold) gates(objs []*unstructured.Unstructured) func(u *unstructured.Unstructured) *apply.Gate {
	needs := map[string][]string{}
	for w, is := range graph.Across(objs, h.mgmt) {
		for _, i := range is {
			needs[graph.NameOf(objs[w])] = append(needs[graph.NameOf(objs[w])], graph.NameOf(h.mgmt[i]))
		}
	}
	return func(u *unstructured.Unstructured) *apply.Gate {
		return h.timings.Gate(h.ctx, needs[graph.NameOf(u)], "on the management cluster")
	}
}

// authMode is the authentication mode objs render their EKS Cluster with,
// "" without one.
func authMode(objs []*unstructured.Unstructured) string {
	for _, u := range objs {
		if u.GetKind() == "Cluster" && u.GroupVersionKind().Group == "eks.services.k8s.aws" {
			m, _, _ := unstructured.NestedString(u.Object, "spec", "accessConfig", "authenticationMode")
			return m
		}
	}
	return ""
}
