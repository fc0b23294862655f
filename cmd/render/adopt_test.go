package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/ack"
	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
	"github.com/eks-render/render/internal/eksversion"
	"github.com/eks-render/render/internal/tfstate"
)

// existingKinds says which ACK kind stands for a Terraform resource type in
// AWS, and which attributes are the adoption identifiers: what the test
// makes acksim play as existing, independently of render import's matching.
var existingKinds = map[string]struct {
	kind   string
	fields map[string]string // adoption field -> Terraform attribute
}{
	"aws_vpc":                         {"VPC", map[string]string{"vpcID": "id"}},
	"aws_subnet":                      {"Subnet", map[string]string{"subnetID": "id"}},
	"aws_internet_gateway":            {"InternetGateway", map[string]string{"internetGatewayID": "id"}},
	"aws_eip":                         {"ElasticIPAddress", map[string]string{"allocationID": "id"}},
	"aws_nat_gateway":                 {"NATGateway", map[string]string{"natGatewayID": "id"}},
	"aws_route_table":                 {"RouteTable", map[string]string{"routeTableID": "id"}},
	"aws_flow_log":                    {"FlowLog", map[string]string{"flowLogID": "id"}},
	"aws_iam_role":                    {"Role", map[string]string{"name": "name"}},
	"aws_iam_policy":                  {"Policy", map[string]string{"arn": "arn"}},
	"aws_iam_openid_connect_provider": {"OpenIDConnectProvider", map[string]string{"arn": "arn"}},
	"aws_cloudwatch_log_group":        {"LogGroup", map[string]string{"name": "name"}},
	"aws_eks_cluster":                 {"Cluster", map[string]string{"name": "name"}},
	"aws_eks_node_group":              {"Nodegroup", map[string]string{"clusterName": "cluster_name", "name": "node_group_name"}},
	"aws_eks_fargate_profile":         {"FargateProfile", map[string]string{"clusterName": "cluster_name", "name": "fargate_profile_name"}},
}

// existing returns every AWS resource the state holds, and the cluster's
// OIDC issuer.
func existing(t *testing.T, state []byte) ([]acksim.Existing, string) {
	t.Helper()
	var st struct {
		Resources []struct {
			Mode, Type string
			Instances  []struct{ Attributes map[string]any }
		}
	}
	if err := json.Unmarshal(state, &st); err != nil {
		t.Fatal(err)
	}
	var out []acksim.Existing
	issuer := ""
	for _, r := range st.Resources {
		k, ok := existingKinds[r.Type]
		if !ok || r.Mode != "managed" {
			continue
		}
		for _, in := range r.Instances {
			e := acksim.Existing{Kind: k.kind, Fields: map[string]string{}}
			for field, attr := range k.fields {
				e.Fields[field], _ = in.Attributes[attr].(string)
			}
			if r.Type == "aws_eks_cluster" || r.Type == "aws_eks_node_group" {
				// The version it runs: the adopting object's spec may ask
				// for a newer one (issue 27).
				e.Version, _ = in.Attributes["version"].(string)
			}
			if r.Type == "aws_eks_fargate_profile" {
				// What AWS holds of the profile's selectors, in the CRD's
				// shape: an adopting object asking for others is never
				// synced (acksim unchangeable.go).
				var sel []map[string]any
				for _, x := range in.Attributes["selector"].([]any) {
					m := x.(map[string]any)
					one := map[string]any{"namespace": m["namespace"]}
					if l, _ := m["labels"].(map[string]any); len(l) > 0 {
						one["labels"] = l
					}
					sel = append(sel, one)
				}
				b, _ := json.Marshal(sel)
				e.Spec = map[string]string{"spec.selectors": string(b)}
			}
			out = append(out, e)
			if r.Type == "aws_eks_cluster" {
				id, _ := in.Attributes["identity"].([]any)[0].(map[string]any)["oidc"].([]any)[0].(map[string]any)["issuer"].(string)
				issuer = id
			}
		}
	}
	return out, issuer
}

// kindName turns Kind/namespace/name into Kind/name.
func kindName(obj string) string {
	parts := strings.Split(obj, "/")
	return parts[0] + "/" + parts[len(parts)-1]
}

// TestImportThenApplyAdopts is the migration on a real apiserver: the AWS
// resources of a Terraform-built environment exist (acksim plays them),
// render import writes imports/ENV.yaml, render apply adopts every matched
// object, creates only the others, each once, a second apply changes
// nothing, and render delete deletes adopted objects like any other.
func TestImportThenApplyAdopts(t *testing.T) {
	apitest.Skip(t)
	t.Run("dev", func(t *testing.T) { importThenApply(t, "adopt", "dev", "dev.tfstate", 20) })
	t.Run("prod", func(t *testing.T) { importThenApply(t, "adopt", "prod", "prod.tfstate", 29) })
	// The template's own names (tfstate testdata/README.md): its roles,
	// flow log group and Fargate profile adopted under them, none created
	// twice; --allow-conflicts for fp-default's second selector.
	t.Run("the template's names", func(t *testing.T) { importThenApply(t, "tmpl", "dev", "template.tfstate", 20, "--allow-conflicts") })
}

// importProjectFrom is a project whose platform is named platform, with
// the Terraform state fixture (envName's, "demo-ENV" renamed to match)
// imported by render import with more arguments; the Sim plays the
// state's AWS resources as existing. It returns the project, the import
// report, the Sim and a kubeconfig.
func importProjectFrom(t *testing.T, platform, envName, fixture string, importArgs ...string) (string, *tfstate.Report, *acksim.Sim, string) {
	return importProjectWith(t, platform, envName, fixture, acksim.Options{}, nil, importArgs...)
}

// importProjectWith is importProjectFrom with the Sim's options (its
// Interval and Issuer set here) and the state, once renamed, changed by
// change (unless nil).
func importProjectWith(t *testing.T, platform, envName, fixture string, opts acksim.Options, change func(string) string, importArgs ...string) (string, *tfstate.Report, *acksim.Sim, string) {
	dir := project(t)
	edit(t, filepath.Join(dir, "platform.yaml"), "name: demo", "name: "+platform)
	raw, err := os.ReadFile(tfFixture(t, fixture))
	if err != nil {
		t.Fatal(err)
	}
	renamed := strings.ReplaceAll(string(raw), "demo-"+envName, platform+"-"+envName)
	if change != nil {
		renamed = change(renamed)
	}
	state := []byte(renamed)
	if err := os.WriteFile(filepath.Join(dir, "tf.json"), state, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, dir, append([]string{"import", envName, "--tfstate", "tf.json", "-o", "json"}, importArgs...)...)
	if code != 0 {
		t.Fatalf("render import = %d:\n%s", code, errOut)
	}
	rep := &tfstate.Report{}
	if err := json.Unmarshal([]byte(out), rep); err != nil {
		t.Fatal(err)
	}
	aws, issuer := existing(t, state)
	opts.Interval, opts.Issuer = 50*time.Millisecond, issuer
	sim := acksim.New(env.Client, platform+"-"+envName, opts)
	sim.AddExisting(aws...)
	sim.Start(t)
	kubeconfig, err := env.Kubeconfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return dir, rep, sim, kubeconfig
}

func importThenApply(t *testing.T, platform, envName, fixture string, adopted int, importArgs ...string) {
	dir, rep, sim, kubeconfig := importProjectFrom(t, platform, envName, fixture, importArgs...)
	args := []string{"apply", envName, "--kubeconfig", kubeconfig, "--poll-interval", "100ms", "--timeout", "2m", "--workload=false"}
	if code, _, errOut := run(t, dir, args...); code != 0 {
		t.Fatalf("render apply = %d:\n%s", code, errOut)
	}

	t.Run("adopts every matched object", func(t *testing.T) {
		var want, got []string
		for _, a := range rep.Adopted {
			want = append(want, kindName(a.Object))
		}
		for k := range sim.Adopted() {
			got = append(got, k)
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) || len(got) != adopted {
			t.Errorf("adopted %v,\nwant the %d render import reported: %v", got, len(want), want)
		}
	})
	t.Run("creates only the unmatched objects, each once", func(t *testing.T) { createdAsReported(t, sim, rep) })
	t.Run("adopted objects are render's and synced", func(t *testing.T) {
		for _, a := range rep.Adopted {
			parts := strings.Split(a.Object, "/")
			u := &unstructured.Unstructured{}
			u.SetGroupVersionKind(schema.GroupVersionKind{Group: groupOf(parts[0]), Version: ack.Version, Kind: parts[0]})
			if err := env.Client.Get(t.Context(), client.ObjectKey{Namespace: parts[1], Name: parts[2]}, u); err != nil {
				t.Fatal(err)
			}
			ann, labels := u.GetAnnotations(), u.GetLabels()
			if ann[ack.AdoptedAnnotation] != "true" || ann[ack.AdoptionPolicyAnnotation] != ack.AdoptOrCreate || labels["applyset.kubernetes.io/part-of"] == "" {
				t.Errorf("%s: annotations %v, labels %v", a.Object, ann, labels)
			}
			if !slices.ContainsFunc(u.GetManagedFields(), func(m metav1.ManagedFieldsEntry) bool { return m.Manager == "render" }) {
				t.Errorf("%s has no fields of render's field manager", a.Object)
			}
		}
	})
	t.Run("steps the authentication mode to API without a refused change", func(t *testing.T) {
		// The state's cluster has no access_config: it runs CONFIG_MAP,
		// and EKS refuses CONFIG_MAP -> API (acksim authmode.go).
		if got := sim.AuthMode("Cluster/" + platform); got != "API" {
			t.Errorf("the adopted cluster runs %q, want API", got)
		}
		var steps []string
		for _, e := range sim.Events() {
			if strings.Contains(e.What, "authentication mode") {
				steps = append(steps, e.What)
			}
		}
		want := []string{
			"authentication mode updating: CONFIG_MAP -> API_AND_CONFIG_MAP", "authentication mode updated: API_AND_CONFIG_MAP",
			"authentication mode updating: API_AND_CONFIG_MAP -> API", "authentication mode updated: API",
		}
		if !slices.Equal(steps, want) {
			t.Errorf("authentication mode events %q, want %q", steps, want)
		}
	})
	t.Run("upgrades the adopted 1.34 control plane, then the add-ons, without a refused change", func(t *testing.T) {
		// The state's cluster runs 1.34, platform.yaml asks for 1.35: an
		// upgrade, add-ons created on the cluster only at its version
		// (EKS refuses others: acksim versions.go addonNotSupported).
		if got := sim.ClusterVersion("Cluster/" + platform); got != "1.35" {
			t.Errorf("the adopted cluster runs %q, want 1.35", got)
		}
		upgraded := time.Time{}
		for _, e := range sim.Events() {
			if e.Object == "Cluster/"+platform+"-"+envName+"/"+platform && e.What == "version updated: 1.35" {
				upgraded = e.Time
			}
			if strings.HasPrefix(e.What, "terminal: ") || strings.HasPrefix(e.What, "recoverable: ") && strings.Contains(e.What, "Exception") {
				t.Errorf("EKS refused a change: %s %s", e.Object, e.What)
			}
		}
		if upgraded.IsZero() {
			t.Fatal("the control plane was never upgraded to 1.35")
		}
		for _, e := range sim.Events() {
			if strings.HasPrefix(e.Object, "Addon/") && e.What == "creating" && e.Time.Before(upgraded) {
				t.Errorf("%s created at %s, before the control plane reached 1.35 at %s", e.Object, e.Time.Format(time.StampMilli), upgraded.Format(time.StampMilli))
			}
		}
		for _, a := range []string{"coredns", "kube-proxy", "vpc-cni"} {
			want, _ := eksversion.AddonVersion(a, "1.35")
			if got := sim.AddonVersion("Addon/" + a); got != want {
				t.Errorf("Addon/%s runs %q, want %s", a, got, want)
			}
		}
	})
	if fixture == "template.tfstate" {
		t.Run("the template's names are the ones in AWS", func(t *testing.T) { templateNames(t, sim, platform) })
	}
	t.Run("a second apply changes nothing", func(t *testing.T) {
		code, _, errOut := run(t, dir, args...)
		if code != 0 || !strings.Contains(errOut, " 0 changed") {
			t.Errorf("second apply = %d:\n%s", code, errOut)
		}
		if got := sim.Created(); len(got) != len(rep.Created) {
			t.Errorf("created after the second apply: %v", got)
		}
	})
	if fixture == "template.tfstate" {
		t.Run("render diff is clean", func(t *testing.T) {
			code, out, errOut := run(t, dir, "diff", envName, "--kubeconfig", kubeconfig)
			if code != 0 {
				t.Errorf("render diff = %d:\n%s\n%s", code, out, errOut)
			}
			// The profile's selectors are the template's, kept as AWS has
			// them (imports keep), and said so.
			if !strings.Contains(out, "KEPT FROM TERRAFORM dev") || !strings.Contains(out, "FargateProfile/"+platform+"-dev/default: spec.selectors kept from Terraform") {
				t.Errorf("render diff does not list the kept selectors:\n%s", out)
			}
		})
	}
	if envName != "dev" {
		return // prod's cluster has deletion protection: TestDeleteProd
	}
	t.Run("render delete deletes adopted objects like any other", func(t *testing.T) {
		// --wait=false: envtest runs no namespace controller, so the
		// Namespace, deleted last, would never go.
		code, _, errOut := run(t, dir, "delete", envName, "--kubeconfig", kubeconfig, "--workload=false", "--yes", "--wait=false")
		if code != 0 || !strings.Contains(errOut, "VPC/"+platform+"-dev/vpc") {
			t.Fatalf("render delete = %d:\n%s", code, errOut)
		}
		vpc := &unstructured.Unstructured{}
		vpc.SetGroupVersionKind(schema.GroupVersionKind{Group: ack.EC2Group, Version: ack.Version, Kind: "VPC"})
		deadline := time.Now().Add(30 * time.Second)
		for env.Client.Get(t.Context(), client.ObjectKey{Namespace: platform + "-dev", Name: "vpc"}, vpc) == nil {
			if time.Now().After(deadline) {
				t.Fatalf("the adopted VPC is still there after render delete: finalizers %v", vpc.GetFinalizers())
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

// templateNames checks that the Sim adopted the template's roles, log
// group and Fargate profile under their own names and created none of
// them (finleap/tf-eks-fargate-tmpl@b2e39be eks/main.tf, eks/app.tf,
// vpc/main.tf).
func templateNames(t *testing.T, sim *acksim.Sim, platform string) {
	want := map[string]string{
		"Role/cluster":           "demo-eks-cluster-role",
		"Role/fargate-pods":      "demo-eks-fargate-pod-execution-role",
		"Role/flow-logs":         platform + "-dev-vpc-flow-logs-role",
		"LogGroup/flow-logs":     "/aws/vpc/" + platform + "-dev/flow",
		"FargateProfile/default": "fp-default",
	}
	adopted := sim.Adopted()
	for obj, name := range want {
		if got := adopted[obj]["name"]; got != name {
			t.Errorf("%s adopted %q, want the template's %s", obj, got, name)
		}
		if slices.Contains(sim.Created(), obj) {
			t.Errorf("%s created next to the template's %s", obj, name)
		}
	}
	seen := map[string]int{}
	for _, c := range sim.Created() {
		seen[c]++
		if seen[c] > 1 {
			t.Errorf("%s created twice", c)
		}
	}
}

// groupOf is the API group of an ACK kind render emits.
func groupOf(kind string) string {
	switch kind {
	case "Role", "Policy", "OpenIDConnectProvider":
		return ack.IAMGroup
	case "LogGroup":
		return ack.CloudWatchLogsGroup
	case "Cluster", "Nodegroup", "FargateProfile", "AccessEntry":
		return ack.EKSGroup
	}
	return ack.EC2Group
}

// TestGitOpsAdoptionConverges is the migration through GitOps: a
// Terraform-built dev stack on 1.34 with CONFIG_MAP (acksim plays it),
// platform.yaml on 1.35 with API; render import, then per commit render
// outputs and render gen and the tree applied whole, at once, with forced
// ownership (as Flux does). It converges (the mode stepped to API, the
// control plane on 1.35, the add-ons on 1.35's versions, the access entry
// synced) without EKS ever refusing a call, and nothing is created
// beyond what render import reported. So too for the seed-shaped state of
// the finleap template (testdata/template.tfstate), whose roles, log group
// and Fargate profile are adopted under the template's own names, none
// created twice.
func TestGitOpsAdoptionConverges(t *testing.T) {
	apitest.Skip(t)
	t.Run("dev", func(t *testing.T) { gitopsAdoption(t, "gadopt", "dev.tfstate") })
	t.Run("the template's names", func(t *testing.T) {
		sim := gitopsAdoption(t, "gtmpl", "template.tfstate", "--allow-conflicts")
		templateNames(t, sim, "gtmpl")
	})
}

// gitopsAdoption imports fixture as dev of platform and commits until it
// converges; it returns the Sim.
func gitopsAdoption(t *testing.T, platform, fixture string, importArgs ...string) *acksim.Sim {
	ns, cluster := platform+"-dev", "Cluster/"+platform
	dir, rep, sim, kubeconfig := importProjectFrom(t, platform, "dev", fixture, importArgs...)
	if len(rep.Twins) > 0 {
		t.Fatalf("render import reports twins: %+v", rep.Twins)
	}
	commit := func(step int) {
		t.Helper()
		gitopsCommit(t, dir, kubeconfig, "dev", ns+"/render-applyset", fmt.Sprintf("commit %d", step), step > 0)
	}
	done := func() bool {
		if sim.AuthMode(cluster) != "API" || sim.ClusterVersion(cluster) != "1.35" {
			return false
		}
		for _, a := range []string{"coredns", "kube-proxy", "vpc-cni"} {
			if want, _ := eksversion.AddonVersion(a, "1.35"); sim.AddonVersion("Addon/"+a) != want {
				return false
			}
		}
		_, err := liveOrNil(t, ns, "AccessEntry/admin-platformadmin")
		return err == nil && allSynced(t, ns)
	}
	step := 0
	for ; step < 8 && !done(); step++ {
		commit(step)
		// Until the Sim has nothing left to do with this commit.
		deadline := time.Now().Add(20 * time.Second)
		for !allSynced(t, ns) && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if !done() {
		t.Fatalf("not converged after %d commits: mode %s, control plane %s, add-ons %s %s %s", step,
			sim.AuthMode(cluster), sim.ClusterVersion(cluster),
			sim.AddonVersion("Addon/coredns"), sim.AddonVersion("Addon/kube-proxy"), sim.AddonVersion("Addon/vpc-cni"))
	}
	t.Logf("converged after %d commits", step)
	for _, e := range sim.Events() {
		if strings.HasPrefix(e.What, "terminal: ") || strings.HasPrefix(e.What, "recoverable: ") && strings.Contains(e.What, "Exception") {
			t.Errorf("EKS refused a call: %s %s", e.Object, e.What)
		}
	}
	createdAsReported(t, sim, rep)
	return sim
}

// createdAsReported checks that the Sim created, each once, exactly the
// objects render import reported as created.
func createdAsReported(t *testing.T, sim *acksim.Sim, rep *tfstate.Report) {
	t.Helper()
	var want []string
	for _, c := range rep.Created {
		want = append(want, kindName(c))
	}
	got := sim.Created()
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("created %v, want only the %d render import reported: %v", got, len(want), want)
	}
}
