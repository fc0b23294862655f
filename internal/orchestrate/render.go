package orchestrate

import (
	"context"
	"fmt"
	"io"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/gen"
)

// Cluster is what Render needs of the management cluster (an
// *apply.Manager): that it serves the kinds, and the late values its live
// objects carry.
type Cluster interface {
	CheckKinds(objs []*unstructured.Unstructured) error
	LateValues(ctx context.Context, objs []*unstructured.Unstructured) (config.LateValues, error)
}

// Committed is an environment's committed outputs file, if it has one.
type Committed struct {
	// File is its path, for messages.
	File string
	// Present tells whether the file exists; Values are its values.
	Present bool
	Values  config.LateValues
}

// Rendering is what render renders for one environment's management
// cluster, with the late values it was rendered with and where they came
// from.
type Rendering struct {
	Env     config.Environment
	Late    config.LateValues
	Objects []*unstructured.Unstructured
	// Pending says, for each object not rendered yet, which late value it
	// waits for; empty when the rendering is complete.
	Pending []string
	// From says where the late values came from, for the progress line.
	From string
}

// Complete reports whether every object of the environment is rendered:
// only such a rendering may be pruned against.
func (r *Rendering) Complete() bool { return len(r.Pending) == 0 }

// Render renders env's management objects with its late values: each
// value the committed outputs file has, else the value the live cluster
// has (nothing is read when the file has them all, or when c is nil). A
// committed value that the live cluster contradicts is kept, with a
// warning on progress: it is what a GitOps tool applies from the same
// commit. One line on progress says where the values came from. render
// apply, diff, prune and delete all render through it, so that they agree
// on what the environment is.
func Render(ctx context.Context, c Cluster, env config.Environment, committed Committed, progress io.Writer) (*Rendering, error) {
	late := committed.Values
	var live config.LateValues
	// first is the rendering with the committed values, which stands when
	// the live cluster changes nothing of what is rendered.
	var first *Rendering
	// A committed clusterVersion holds the node group and the add-ons
	// back for GitOps while the control plane upgrades (gen); against a
	// live cluster its live value wins, because rendering a control plane
	// already upgraded with the held-back versions would ask EKS to
	// downgrade the node group.
	if c != nil && (!all(env, late) || late.ClusterVersion != "" || late.NodegroupVersion != "" || behind(env, late)) {
		var err error
		if first, err = rendering(env, late, ""); err != nil {
			return nil, err
		}
		if err := c.CheckKinds(first.Objects); err != nil {
			return nil, err
		}
		if live, err = c.LateValues(ctx, first.Objects); err != nil {
			return nil, err
		}
		if live, err = nodegroupVersion(ctx, c, env, merge(late, live), live); err != nil {
			return nil, err
		}
		for _, d := range contradictions(late, live) {
			fmt.Fprintf(progress, "warning: %s: %s; render uses the committed value (render outputs %s rewrites the file)\n", committed.File, d, env.Name)
		}
		late = liveVersions(merge(late, live), live)
	}
	if first != nil && gen.RenderKey(env, first.Late) == gen.RenderKey(env, late) {
		first.Late, first.From = late, from(committed, live, late)
		return first, nil
	}
	return rendering(env, late, from(committed, live, late))
}

// nodegroupVersion returns live with the live node group's version, read
// from the objects rendered with late: the node group comes with the
// second phase (gen renders it once the VPC CNI's IRSA role can be), so
// the first read, from objects rendered without the issuer, may not have
// seen it.
func nodegroupVersion(ctx context.Context, c Cluster, env config.Environment, late, live config.LateValues) (config.LateValues, error) {
	if env.NodeGroup == nil || live.NodegroupVersion != "" || late.OIDCIssuer == "" {
		return live, nil
	}
	objs, err := gen.EnvObjects(env, late, false)
	if err != nil {
		return live, err
	}
	again, err := c.LateValues(ctx, objs)
	live.NodegroupVersion = again.NodegroupVersion
	return live, err
}

// rendering renders env with late.
func rendering(env config.Environment, late config.LateValues, from string) (*Rendering, error) {
	objs, pending, err := gen.Management(env, late)
	if err != nil {
		return nil, err
	}
	return &Rendering{Env: env, Late: late, Objects: objs, Pending: pending, From: from}, nil
}

// Announce writes, on one line, where r's late values came from and, on a
// line each, what still waits for the missing ones.
func (r *Rendering) Announce(w io.Writer) {
	fmt.Fprintf(w, "%s: late values %s\n", r.Env.Name, r.From)
	for _, p := range r.Pending {
		fmt.Fprintf(w, "  not rendered yet: %s\n", p)
	}
}

// lateField is one late value and its name in the outputs file.
type lateField struct {
	name string
	ptr  *string
}

// values lists the late values by name, in a fixed order.
func values(v *config.LateValues) []lateField {
	return []lateField{{"accountID", &v.AccountID}, {"vpcID", &v.VPCID}, {"oidcIssuer", &v.OIDCIssuer},
		{"clusterEndpoint", &v.ClusterEndpoint}, {"clusterCA", &v.ClusterCA}}
}

// recorded lists every value of an outputs file by name, in a fixed
// order: the late values and the versions the rendering holds back.
func recorded(v *config.LateValues) []lateField {
	return append(values(v), lateField{"clusterVersion", &v.ClusterVersion}, lateField{"nodegroupVersion", &v.NodegroupVersion},
		lateField{"authenticationMode", &v.AuthenticationMode})
}

// behind reports whether env's cluster is known to run an authentication
// mode short of API, from late or from its imports file: the live mode
// then decides the next step (gen).
func behind(env config.Environment, late config.LateValues) bool {
	m := runningMode(env, late)
	return m != "" && m != "API"
}

// runningMode is the authentication mode env's cluster runs as far as
// render knows: the late value (live, else committed), else the one render
// import recorded; "" for a cluster render creates.
func runningMode(env config.Environment, late config.LateValues) string {
	if late.AuthenticationMode != "" {
		return late.AuthenticationMode
	}
	for _, a := range env.Adopt {
		if strings.HasPrefix(a.Object, "Cluster/") && a.AuthenticationMode != "" {
			return a.AuthenticationMode
		}
	}
	return ""
}

// all reports whether every late value env needs is known.
func all(env config.Environment, v config.LateValues) bool {
	return len(missingValues(env, v)) == 0
}

// missingValues names the late values env needs that v lacks. An
// environment on network.existing needs no VPC ID: the file gives it, and
// the live cluster has no VPC object to read it from.
func missingValues(env config.Environment, v config.LateValues) []string {
	var missing []string
	for _, f := range values(&v) {
		if *f.ptr == "" && (f.name != "vpcID" || env.Network.Existing == nil) {
			missing = append(missing, f.name)
		}
	}
	return missing
}

// merge returns a with each value it lacks taken from b.
func merge(a, b config.LateValues) config.LateValues {
	bs := values(&b)
	for i, f := range values(&a) {
		if *f.ptr == "" {
			*f.ptr = *bs[i].ptr
		}
	}
	return a
}

// contradictions lists the values committed and live both know and
// disagree on.
func contradictions(committed, live config.LateValues) []string {
	var out []string
	ls := values(&live)
	for i, f := range values(&committed) {
		if c, l := *f.ptr, *ls[i].ptr; c != "" && l != "" && c != l {
			out = append(out, fmt.Sprintf("values.%s is %q, the live cluster has %q", f.name, c, l))
		}
	}
	return out
}

// from says where late's values came from.
func from(committed Committed, live, late config.LateValues) string {
	var fromFile, fromLive bool
	cs, ls := values(&committed.Values), values(&live)
	for i, f := range values(&late) {
		switch {
		case *f.ptr == "":
		case *cs[i].ptr != "":
			fromFile = true
		case *ls[i].ptr != "":
			fromLive = true
		}
	}
	switch {
	case fromFile && fromLive:
		return "from " + committed.File + " and the live cluster"
	case fromFile:
		return "from " + committed.File
	case fromLive && committed.Present:
		return "from the live cluster (" + committed.File + " has none)"
	case fromLive:
		return "from the live cluster (no " + committed.File + " committed)"
	case committed.Present:
		return "none yet (" + committed.File + " has none, nor the live cluster)"
	}
	return "none yet (no " + committed.File + " committed, none in the live cluster)"
}

// Known returns a with each value b knows taken from b: the live values
// over the committed ones, for render outputs and render kubeconfig. The
// control plane version is b's only when b knows it: while the cluster
// upgrades it is unknown live, and the committed one keeps the node group
// held back.
func Known(a, b config.LateValues) config.LateValues {
	out := merge(b, a)
	out.ClusterVersion, out.NodegroupVersion, out.AuthenticationMode = a.ClusterVersion, a.NodegroupVersion, a.AuthenticationMode
	return liveVersions(out, b)
}

// liveVersions returns late with the control plane and node group versions
// and the authentication mode live knows: they change by upgrading (the
// mode a step at a time), so the live value wins over a committed one,
// which stands only while live does not know it (UPDATING).
func liveVersions(late, live config.LateValues) config.LateValues {
	if live.ClusterVersion != "" {
		late.ClusterVersion = live.ClusterVersion
	}
	if live.NodegroupVersion != "" {
		late.NodegroupVersion = live.NodegroupVersion
	}
	if live.AuthenticationMode != "" {
		late.AuthenticationMode = live.AuthenticationMode
	}
	return late
}
