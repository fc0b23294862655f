package diff

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/eksversion"
	"github.com/eks-render/render/internal/graph"
)

// Backwards is what an environment's committed files would do to AWS
// from a GitOps tool once render apply has moved the environment on: the
// late values the committed outputs file records and the live environment
// no longer has, and the objects of the tree render gen writes from them
// that would ask AWS to go back, which it refuses (a version, an
// authentication mode). A review shows it as its own section: the fix is
// not in the tree but in refreshing the outputs file.
type Backwards struct {
	// File is the committed outputs file.
	File string `json:"file"`
	// Values are the values it records that the live environment has
	// moved past.
	Values []StaleValue `json:"values,omitempty"`
	// Objects are the fields of the committed tree that would move AWS
	// back.
	Objects []BackwardsField `json:"objects,omitempty"`
	// Fix is the command that brings the committed files up to date.
	Fix string `json:"fix"`
}

// StaleValue is a late value the outputs file records and the live
// environment has another of.
type StaleValue struct {
	Name      string `json:"name"`
	Committed string `json:"committed"`
	Live      string `json:"live"`
}

// BackwardsField is a field of an object of the committed tree whose
// value is older than the live object's.
type BackwardsField struct {
	// Name is graph.Name: Kind/namespace/name.
	Name      string `json:"name"`
	Path      string `json:"path"`
	Committed string `json:"committed"`
	Live      string `json:"live"`
}

// Empty reports whether there is nothing to report.
func (b *Backwards) Empty() bool { return b == nil || (len(b.Values) == 0 && len(b.Objects) == 0) }

// Lines are the section's lines: each stale value, each field, the fix.
func (b *Backwards) Lines() []string {
	var out []string
	for _, v := range b.Values {
		out = append(out, fmt.Sprintf("%s values.%s is %q, the live environment has %q", b.File, v.Name, v.Committed, v.Live))
	}
	for _, f := range b.Objects {
		out = append(out, fmt.Sprintf("%s %s: the committed tree has %s, AWS runs %s: applying it asks AWS to go back", f.Name, f.Path, f.Committed, f.Live))
	}
	return append(out, "fix: "+b.Fix+", then commit")
}

// BackwardsOf lists the fields of committed whose value is older than the
// one of live[i], the live object committed[i] is applied to (nil when
// there is none): a Cluster's or Nodegroup's spec.version, an Addon's
// spec.addonVersion (VersionPath), a Cluster's authentication mode. AWS
// refuses each of these going back:
//   - a cluster version: "You cannot downgrade the Kubernetes of an Amazon
//     EKS cluster" (awsdocs/amazon-eks-user-guide
//     latest/ug/clusters/update-cluster.adoc, commit 4d52b4d);
//   - a node group version: "You cannot roll back a node group to an
//     earlier Kubernetes version or AMI version" (boto/botocore
//     botocore/data/eks/2017-11-01/service-2.json UpdateNodegroupVersion,
//     commit 0e6e240);
//   - an add-on version: what a stale outputs file holds back is the
//     version render pins for the previous Kubernetes version, which the
//     add-on table does not list for the cluster's (eksversion's
//     AddonCompatible; UpdateAddonRequest.addonVersion "must match one of
//     the versions returned by DescribeAddonVersions", same
//     service-2.json); an older add-on version is reported whatever the
//     table says, since nothing in render asks for one on purpose;
//   - an authentication mode: "you can't change the authentication mode
//     back to a mode that removes the EKS API and access entries"
//     (awsdocs/amazon-eks-user-guide
//     latest/ug/manage-access/k8s-access/grant-k8s-access.adoc, same
//     commit).
func BackwardsOf(committed, live []*unstructured.Unstructured) []BackwardsField {
	var out []BackwardsField
	for i, c := range committed {
		if live[i] == nil {
			continue
		}
		for _, f := range backwardsFields(c) {
			want, _, _ := unstructured.NestedString(c.Object, f.path...)
			have, _, _ := unstructured.NestedString(live[i].Object, f.path...)
			if want != "" && have != "" && want != have && f.older(want, have) {
				out = append(out, BackwardsField{Name: graph.NameOf(c), Path: strings.Join(f.path, "."), Committed: want, Live: have})
			}
		}
	}
	return out
}

// backwardsField is a field AWS refuses to take back, and its order.
type backwardsField struct {
	path  []string
	older func(a, b string) bool
}

// backwardsFields are the fields of u that AWS refuses to take back.
func backwardsFields(u *unstructured.Unstructured) []backwardsField {
	path, ok := VersionPath(u)
	if !ok {
		return nil
	}
	older := func(a, b string) bool { return eksversion.Compare(a, b) < 0 }
	if u.GetKind() == "Addon" {
		older = addonOlder
	}
	out := []backwardsField{{path, older}}
	if u.GetKind() == "Cluster" {
		out = append(out, backwardsField{[]string{"spec", "accessConfig", "authenticationMode"}, authModeOlder})
	}
	return out
}

// authModeOlder orders EKS's authentication modes, each of which can be
// changed only to the one after it (config.AuthenticationModes).
func authModeOlder(a, b string) bool {
	i, j := slices.Index(config.AuthenticationModes, a), slices.Index(config.AuthenticationModes, b)
	return i >= 0 && j >= 0 && i < j
}

// addonOlder orders add-on versions, vMAJOR.MINOR.PATCH-eksbuild.N as the
// EKS User Guide lists them; a version of another form is never older.
func addonOlder(a, b string) bool {
	x, okA := addonParts(a)
	y, okB := addonParts(b)
	return okA && okB && slices.Compare(x, y) < 0
}

// addonParts returns the numbers of an add-on version: major, minor,
// patch and eksbuild.
func addonParts(v string) ([]int, bool) {
	core, build, ok := strings.Cut(strings.TrimPrefix(v, "v"), "-eksbuild.")
	if !ok {
		return nil, false
	}
	fields := append(strings.Split(core, "."), build)
	if len(fields) != 4 {
		return nil, false
	}
	out := make([]int, len(fields))
	for i, f := range fields {
		n, err := strconv.Atoi(f)
		if err != nil {
			return nil, false
		}
		out[i] = n
	}
	return out, true
}
