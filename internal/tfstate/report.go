package tfstate

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/ack"
	"github.com/eks-render/render/internal/awsauth"
	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/diff"
	"github.com/eks-render/render/internal/eksversion"
	"github.com/eks-render/render/internal/graph"
	"github.com/eks-render/render/internal/schema"
)

// Report is what render import found: the sections of its report.
type Report struct {
	Environment string `json:"environment"`
	// Format is the form of the state read (State.Format).
	Format string `json:"format"`
	// Adopted are the objects that take over an existing resource.
	Adopted []Adopted `json:"adopted"`
	// Absorbed are Terraform resources that are part of an adopted
	// object in ACK (a route of a route table, a route table association
	// of a subnet, a policy attachment of a role): they leave Terraform's
	// state with it.
	Absorbed []Absorbed `json:"absorbed"`
	// Superseded are Terraform resources whose job an object render
	// renders does in another shape (the template's ALB ingress
	// controller role and policy): not adopted; Terraform destroys them
	// once render's object runs (Retire).
	Superseded []Superseded `json:"superseded"`
	// Unmanaged are the Terraform resources render does not manage: left
	// alone, still Terraform's.
	Unmanaged []string `json:"unmanaged"`
	// Twins are objects render would create under the AWS name of a
	// Terraform resource of their kind that nothing adopts; render import
	// refuses them (Refuse): AWS would refuse the name, or hold two.
	Twins []Twin `json:"twins"`
	// Created are the rendered objects no resource matches: ACK creates them.
	Created []string `json:"created"`
	// Conflicts are why some matches cannot be adopted as they are.
	Conflicts []Conflict `json:"conflicts"`
	// InPlace are the fields ACK changes on adopted resources.
	InPlace []Change `json:"inPlace"`
	// AWSAuth are the principals the state's kube-system/aws-auth
	// ConfigMap maps into the cluster, which the API authentication mode
	// no longer reads (AWSAuthEntry).
	AWSAuth []AWSAuthEntry `json:"awsAuth"`
	// AWSAuthFrom says where AWSAuth was read: the live cluster (what
	// EKS reads), else the state, else neither, and why.
	AWSAuthFrom awsauth.Source `json:"awsAuthFrom"`
	// StateRm are the commands that take the adopted and absorbed
	// resources out of Terraform's state.
	StateRm []string `json:"stateRm"`
	// Retire are the commands that destroy the superseded resources with
	// Terraform, to run once render's objects that do their job are ready.
	Retire []string `json:"retire"`
	// Network is, with render import --network existing, the state's VPC
	// and subnets as network.existing should name them; its resources
	// are among Unmanaged.
	Network *Network `json:"network,omitempty"`
}

// Adopted is one object and the resource it adopts.
type Adopted struct {
	// Object is Kind/namespace/name.
	Object    string `json:"object"`
	Terraform string `json:"terraform"`
	ID        string `json:"id"`
	// By says what identified the resource, e.g. "CIDR 10.0.0.0/19 in us-west-2a".
	By string `json:"by"`
	// Fields are the adoption-fields annotation's identifiers.
	Fields map[string]string `json:"fields"`
}

// Absorbed is a Terraform resource that goes with an adopted object.
type Absorbed struct {
	Terraform string `json:"terraform"`
	Into      string `json:"into"`
}

// Conflict is a matched resource whose create-only or immutable field
// differs from what render renders, or a rendered object AWS would refuse.
type Conflict struct {
	Object    string `json:"object"`
	Terraform string `json:"terraform"`
	// Path is the field, in schema.Set.Immutable's notation; "" when the
	// conflict is not about one field.
	Path string `json:"path,omitempty"`
	// TerraformValue and RenderValue are the field's values, as JSON.
	TerraformValue string `json:"terraformValue,omitempty"`
	RenderValue    string `json:"renderValue,omitempty"`
	Message        string `json:"message"`
	// Adoptable is true when the resource can still be adopted as it is
	// (render import --allow-conflicts): AWS keeps its value of the field.
	// An overlapping subnet or an ambiguous match leaves nothing to adopt.
	Adoptable bool `json:"adoptable"`
}

// Change is a field ACK updates in place once it adopted a resource.
type Change struct {
	Object         string `json:"object"`
	Path           string `json:"path"`
	TerraformValue string `json:"terraformValue"`
	RenderValue    string `json:"renderValue"`
}

// Input is what Import needs.
type Input struct {
	// Env is the environment's name.
	Env string
	// Account and Region are the environment's (Account "" when the file
	// gives none): a state whose cluster is elsewhere is a conflict.
	Account, Region string
	State           *State
	// Late are the environment's committed late values; Import adds what
	// the state knows (the VPC ID, the cluster's issuer, ...) so that the
	// second phase's objects (FlowLog, OIDC provider) are matched too.
	Late config.LateValues
	// Render renders the environment's management objects with late,
	// adopting as adopt says (nil: adopting nothing): Import renders
	// again with the AWS names of what it adopts under a name of its own,
	// so that what names those resources (a policy naming a log group)
	// is compared as gen will render it.
	Render func(late config.LateValues, adopt []config.Adoption) ([]*unstructured.Unstructured, error)
	// Schema answers which fields are immutable.
	Schema *schema.Set
	// LiveAWSAuth, when set, reads the live cluster's aws-auth, which
	// the report then shows instead of the state's.
	LiveAWSAuth LiveAWSAuth
}

// Import matches the state to the environment's objects and reports.
func Import(in Input) (*Report, []config.Adoption, error) {
	objs, err := in.Render(in.Late, nil)
	if err != nil {
		return nil, nil, err
	}
	m := newMatcher(objs, in.State)
	m.run()
	late, more := lateFrom(m, in.Late)
	if more {
		if objs, err = in.Render(late, nil); err != nil {
			return nil, nil, err
		}
		m = newMatcher(objs, in.State)
		m.run()
	}
	if len(m.renamed) > 0 {
		if objs, m, err = m.renderNamed(in, late); err != nil {
			return nil, nil, err
		}
	}
	m.placeConflict(in.Account, in.Region)
	rep := &Report{Environment: in.Env, Format: in.State.Format, Adopted: []Adopted{}, Absorbed: []Absorbed{},
		Unmanaged: []string{}, Created: []string{}, Superseded: []Superseded{}, Twins: []Twin{}, Retire: []string{}, Conflicts: append([]Conflict{}, m.conflicts...), InPlace: []Change{}, StateRm: []string{}}
	adoptions, err := m.compare(rep, in.Schema)
	if err != nil {
		return nil, nil, err
	}
	m.leftovers(rep)
	if rep.AWSAuth, rep.AWSAuthFrom, err = awsAuth(in.State, objs, in.LiveAWSAuth); err != nil {
		return nil, nil, err
	}
	return rep, adoptions, nil
}

// lateFrom adds to late what the adopted resources say: the VPC's ID, the
// cluster's endpoint, CA and issuer, the account in its ARN. more is true
// when it added anything.
func lateFrom(m *matcher, late config.LateValues) (config.LateValues, bool) {
	out := late
	fill := func(dst *string, v string) {
		if *dst == "" && v != "" {
			*dst = v
		}
	}
	fill(&out.VPCID, m.idOf(m.firstOf("VPC")))
	if c := m.match[m.firstOf("Cluster")]; c != nil {
		fill(&out.ClusterEndpoint, c.str("endpoint"))
		fill(&out.ClusterCA, c.str("certificate_authority", 0, "data"))
		fill(&out.OIDCIssuer, c.str("identity", 0, "oidc", 0, "issuer"))
		if parts := strings.Split(c.str("arn"), ":"); len(parts) > 4 {
			fill(&out.AccountID, parts[4])
		}
	}
	return out, out != late
}

// compare fills the adopted, conflicts and in-place sections, and returns
// the adoptions, sorted by object (with conflicts too: render import
// writes them only when the user allows it).
func (m *matcher) compare(rep *Report, s *schema.Set) ([]config.Adoption, error) {
	var adoptions []config.Adoption
	for _, obj := range slices.Sorted(maps.Keys(m.match)) {
		r, u := m.match[obj], m.objs[obj]
		name := graph.NameOf(u)
		live, want := m.observed(obj, r), trim(u)
		fixed := diff.Fixed(live, want, s)
		var cs []Conflict
		for _, w := range fixed {
			cs = append(cs, Conflict{Object: name, Terraform: r.Address, Path: w.Path,
				TerraformValue: valueAt(live, w.Path), RenderValue: valueAt(want, w.Path),
				Message: fmt.Sprintf("%s cannot change once created (%s)", w.Path, w.Reason), Adoptable: true})
		}
		rep.Conflicts = append(rep.Conflicts, pairRefs(cs)...)
		for _, p := range fields(diff.ChangedPaths(live, want)) {
			if !slices.ContainsFunc(fixed, func(w diff.Warning) bool {
				return strings.HasPrefix(p+".", w.Path+".") || strings.HasPrefix(w.Path+".", p+".")
			}) {
				rep.InPlace = append(rep.InPlace, Change{Object: name, Path: p, TerraformValue: valueAt(live, p), RenderValue: valueAt(want, p)})
			}
		}
		a := config.Adoption{Object: obj, Terraform: r.Address, ID: awsID(r), Fields: m.adoptionFields(obj, r), Name: m.renamed[obj]}
		var err error
		if a.Keep, err = keep(live, u, fixed); err != nil {
			return nil, fmt.Errorf("%s (%s): %w", name, r.Address, err)
		}
		if r.Type == "aws_eks_cluster" {
			// The mode the cluster runs: gen steps it to API. A state
			// without one is a cluster created before access entries or
			// without asking, which the API creates in CONFIG_MAP (botocore
			// eks service-2.json CreateAccessConfigRequest, commit 0e6e240).
			a.AuthenticationMode = cmp.Or(r.str("access_config", 0, "authentication_mode"), "CONFIG_MAP")
			// The version it runs: adopting it on an older minor is an
			// upgrade, one minor at a time.
			a.Version = r.str("version")
			if err := checkAdoptedVersion(r, u); err != nil {
				return nil, err
			}
		}
		rep.Adopted = append(rep.Adopted, Adopted{Object: name, Terraform: r.Address, ID: a.ID, By: m.how[obj], Fields: a.Fields})
		adoptions = append(adoptions, a)
	}
	for i := range rep.Conflicts {
		if u := m.objs[rep.Conflicts[i].Object]; u != nil {
			rep.Conflicts[i].Object = graph.NameOf(u)
		}
	}
	return adoptions, nil
}

// keep is what an adoption with conflicts keeps as it is (written only
// with render import --allow-conflicts, config.Adoption.Keep): for each
// create-only field of u's kind (ack.CreateOnly) that differs, the live
// value, as JSON, which gen renders so that the spec is what AWS has. A
// field the state leaves unset is not kept: its reference form is dropped
// by gen when the ID form is kept, and any other stays a conflict in the
// report. Fields the CRD makes immutable (CEL) are not kept either: the
// apiserver, not AWS, holds them, and the report shows them.
func keep(live, u *unstructured.Unstructured, fixed []diff.Warning) (map[string]string, error) {
	allowed := ack.CreateOnly[u.GroupVersionKind().GroupKind()]
	var out map[string]string
	for _, w := range fixed {
		if !slices.Contains(allowed, w.Path) {
			continue
		}
		v, found, err := unstructured.NestedFieldNoCopy(live.Object, strings.Split(w.Path, ".")...)
		if !found || err != nil {
			continue
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("keep %s: %w", w.Path, err)
		}
		if out == nil {
			out = map[string]string{}
		}
		out[w.Path] = string(b)
	}
	return out, nil
}

// checkAdoptedVersion refuses a cluster the state has on a minor version
// more than one behind the rendered Cluster u's (or newer): EKS upgrades a
// control plane one minor at a time and never back (eksversion.CheckStep),
// so render cannot adopt it and converge in one step.
func checkAdoptedVersion(r *Resource, u *unstructured.Unstructured) error {
	have := r.str("version")
	want, _, _ := unstructured.NestedString(u.Object, "spec", "version")
	if have == "" || want == "" {
		return nil
	}
	if err := eksversion.CheckStep(have, want); err != nil {
		return fmt.Errorf("%s runs Kubernetes %s and platform.yaml's cluster.version is %s: %w; "+
			"to adopt it, set cluster.version to %s, render import and render apply (render adopts it as it is), then raise cluster.version a minor at a time, "+
			"each applied; or upgrade it with Terraform first", r.Address, have, want, err, have)
	}
	return nil
}

// awsID is the resource's ID, or its ARN where that is what AWS names it by.
func awsID(r *Resource) string {
	if strings.HasPrefix(r.Type, "aws_iam_") || r.Type == "aws_eks_cluster" || r.Type == "aws_cloudwatch_log_group" {
		if arn := r.str("arn"); arn != "" {
			return arn
		}
	}
	return r.id()
}

// adoptionFields are the identifiers obj's controller reads r by
// (ack.AdoptionFields).
func (m *matcher) adoptionFields(obj string, r *Resource) map[string]string {
	kind, _, _ := strings.Cut(obj, "/")
	out := map[string]string{}
	for _, k := range ack.AdoptionFields[kind] {
		switch k {
		case "name":
			out[k] = m.spec(obj, "name")
		case "clusterName":
			out[k] = r.str("cluster_name")
		case "arn":
			out[k] = r.str("arn")
		case "principalARN":
			out[k] = r.str("principal_arn")
		default:
			out[k] = r.id()
		}
	}
	return out
}

// absorbers says, per Terraform type, what adopted object its resources
// belong to in ACK: the attribute naming the parent and the parent's kind.
var absorbers = map[string]struct{ attr, kind string }{
	"aws_route":                      {"route_table_id", "RouteTable"},
	"aws_route_table_association":    {"subnet_id", "Subnet"},
	"aws_iam_role_policy_attachment": {"role", "Role"},
	"aws_iam_role_policy":            {"role", "Role"},
}

// leftovers fills the absorbed, unmanaged, created and state rm sections.
func (m *matcher) leftovers(rep *Report) {
	adoptedNames := map[string]string{} // role name -> object
	for obj, r := range m.match {
		if strings.HasPrefix(obj, "Role/") {
			adoptedNames[r.str("name")] = obj
		}
	}
	rep.Superseded = append([]Superseded{}, m.superseded()...)
	rep.Twins = append([]Twin{}, m.twins()...)
	gone := map[string]bool{}
	for _, s := range rep.Superseded {
		gone[s.Terraform] = true
		rep.Retire = append(rep.Retire, "terraform destroy -target='"+s.Terraform+"'")
	}
	var rm []string
	for _, t := range slices.Sorted(maps.Keys(m.byType)) {
		for _, r := range m.byType[t] {
			if obj := m.taken[r.Address]; obj != "" {
				rm = append(rm, r.Address)
				continue
			}
			if gone[r.Address] {
				continue
			}
			if a, ok := absorbers[t]; ok {
				into := m.objectFor(r.str(a.attr))
				if a.kind == "Role" {
					into = adoptedNames[r.str(a.attr)]
				}
				if strings.HasPrefix(into, a.kind+"/") {
					rep.Absorbed = append(rep.Absorbed, Absorbed{Terraform: r.Address, Into: graph.NameOf(m.objs[into])})
					rm = append(rm, r.Address)
					continue
				}
			}
			rep.Unmanaged = append(rep.Unmanaged, r.Address)
		}
	}
	for _, obj := range slices.Sorted(maps.Keys(m.objs)) {
		kind, _, _ := strings.Cut(obj, "/")
		if _, aws := ack.AdoptionFields[kind]; aws && m.match[obj] == nil {
			rep.Created = append(rep.Created, graph.NameOf(m.objs[obj]))
		}
	}
	slices.SortFunc(rep.Absorbed, func(a, b Absorbed) int { return strings.Compare(a.Terraform, b.Terraform) })
	slices.Sort(rep.Unmanaged)
	slices.Sort(rm)
	for _, a := range rm {
		rep.StateRm = append(rep.StateRm, "terraform state rm '"+a+"'")
	}
}
