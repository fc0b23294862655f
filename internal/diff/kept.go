package diff

import (
	"fmt"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/graph"
)

// Kept is a create-only field an adopted object renders as AWS has it, not
// as render would (config.Adoption.Keep, written by render import
// --allow-conflicts). It is no change, and does not set Report.Changed: a
// review shows it so that nobody takes the rendering for render's own
// values, with what replacing the value would take.
type Kept struct {
	// Object is graph.Name of the object: Kind/namespace/name.
	Object string `json:"object"`
	// Path is the field, e.g. spec.selectors.
	Path string `json:"path"`
	// Value is the kept value, as JSON.
	Value string `json:"value"`
	// Replace is what replacing the value takes.
	Replace string `json:"replace"`
}

func (k Kept) String() string {
	return fmt.Sprintf("%s: %s kept from Terraform, %s; %s", k.Object, k.Path, k.Value, k.Replace)
}

// keptHeadline heads the KEPT FROM TERRAFORM section.
const keptHeadline = "create-only fields adopted as AWS has them, not as render would render them"

// replacement is, per kind, what recreating its AWS resource means.
var replacement = map[string]string{
	"Cluster":        "a new cluster (every workload and add-on on it recreated)",
	"FargateProfile": "a new profile (its pods evicted and scheduled again)",
	"NATGateway":     "a new NAT gateway (a new public IP address)",
	"Nodegroup":      "a new node group (its nodes drained)",
	"Role":           "a new role (a new ARN for what trusts it)",
	"RouteTable":     "a new route table (its subnets' routes recreated)",
	"SecurityGroup":  "a new security group (a new ID for what uses it)",
	"Subnet":         "a new subnet (what runs in it recreated)",
}

// KeptOf lists the fields env's imports entries keep (config.Adoption.Keep)
// on the objects among objs, sorted by object and path.
func KeptOf(env config.Environment, objs []*unstructured.Unstructured) []Kept {
	names := map[string]string{}
	for _, u := range objs {
		if u != nil {
			names[u.GetKind()+"/"+u.GetName()] = graph.NameOf(u)
		}
	}
	var out []Kept
	for _, a := range env.Adopt {
		name, ok := names[a.Object]
		if !ok {
			continue // not rendered yet (waits for late values)
		}
		kind, _, _ := strings.Cut(a.Object, "/")
		what := replacement[kind]
		if what == "" {
			what = "a new " + kind
		}
		for p, v := range a.Keep {
			out = append(out, Kept{Object: name, Path: p, Value: v, Replace: fmt.Sprintf(
				"replacing it means %s: remove %s from the keep of %s in %s, then render apply %s --allow-replace",
				what, p, a.Object, config.ImportsFile(env.Name), env.Name)})
		}
	}
	slices.SortFunc(out, func(a, b Kept) int {
		return strings.Compare(a.Object+"\x00"+a.Path, b.Object+"\x00"+b.Path)
	})
	return out
}

func writeKept(sb *strings.Builder, e Environment) {
	section(sb, fmt.Sprintf("  KEPT FROM TERRAFORM %s: %s\n", e.Name, keptHeadline), "    %s\n", e.Kept, "")
}

func writeKeptMarkdown(sb *strings.Builder, e Environment) {
	section(sb, fmt.Sprintf("### %s: KEPT FROM TERRAFORM\n\n%s:\n\n", e.Name, keptHeadline), "- %s\n", e.Kept, "\n")
}

// section writes a section of a report: head, each item in format, then
// tail; nothing without items.
func section[T fmt.Stringer](sb *strings.Builder, head, format string, items []T, tail string) {
	if len(items) == 0 {
		return
	}
	sb.WriteString(head)
	for _, it := range items {
		fmt.Fprintf(sb, format, it)
	}
	sb.WriteString(tail)
}
