package acksim_test

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"slices"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/eks-render/render/internal/acksim"
)

// cond is a status condition without its time.
type cond struct{ Type, Status, Message, Reason string }

// create parses a multi-document manifest and creates every object in ns.
func create(t *testing.T, ns, manifest string) []*unstructured.Unstructured {
	t.Helper()
	var out []*unstructured.Unstructured
	for _, doc := range strings.Split(manifest, "\n---\n") {
		u := &unstructured.Unstructured{}
		if err := yaml.Unmarshal([]byte(doc), &u.Object); err != nil {
			t.Fatalf("parse manifest: %v", err)
		}
		u.SetNamespace(ns)
		if err := env.Client.Create(t.Context(), u); err != nil {
			t.Fatalf("create %s/%s: %v", u.GetKind(), u.GetName(), err)
		}
		out = append(out, u)
	}
	return out
}

// fresh reads o again.
func fresh(t *testing.T, o *unstructured.Unstructured) *unstructured.Unstructured {
	t.Helper()
	u := &unstructured.Unstructured{}
	u.SetGroupVersionKind(o.GroupVersionKind())
	if err := env.Client.Get(t.Context(), client.ObjectKeyFromObject(o), u); err != nil {
		t.Fatalf("get %s/%s: %v", o.GetKind(), o.GetName(), err)
	}
	return u
}

// waitUntil polls ok until it holds or waitFor passes.
func waitUntil(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, waitFor)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitSynced waits until every object is ACK.ResourceSynced=True and
// Ready=True.
func waitSynced(t *testing.T, objs ...*unstructured.Unstructured) {
	t.Helper()
	for _, o := range objs {
		waitUntil(t, o.GetKind()+"/"+o.GetName()+" synced", func() bool {
			u := fresh(t, o)
			return hasCond(u, cond{"ACK.ResourceSynced", "True", "Resource synced successfully", ""}) &&
				hasCond(u, cond{"Ready", "True", "Resource synced successfully", ""})
		})
	}
}

// conditions returns u's conditions without their times, and checks that
// every time is RFC 3339.
func conditions(u *unstructured.Unstructured) []cond {
	l, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	var out []cond
	for _, v := range l {
		m := v.(map[string]any)
		s := func(k string) string { x, _ := m[k].(string); return x }
		if _, err := time.Parse(time.RFC3339, s("lastTransitionTime")); err != nil {
			out = append(out, cond{Type: "bad lastTransitionTime " + s("lastTransitionTime")})
		}
		out = append(out, cond{s("type"), s("status"), s("message"), s("reason")})
	}
	return out
}

func hasCond(u *unstructured.Unstructured, want cond) bool {
	return slices.Contains(conditions(u), want)
}

func hasType(u *unstructured.Unstructured, typ string) bool {
	return slices.ContainsFunc(conditions(u), func(c cond) bool { return c.Type == typ })
}

func hasEvent(events []acksim.Event, object, what string) bool {
	return slices.ContainsFunc(events, func(e acksim.Event) bool { return e.Object == object && e.What == what })
}

// state is an EC2 object's status.state.
func state(t *testing.T, o *unstructured.Unstructured) string {
	s, _, _ := unstructured.NestedString(fresh(t, o).Object, "status", "state")
	return s
}

// checkStatus compares string status fields, given as dotted paths.
func checkStatus(t *testing.T, u *unstructured.Unstructured, want map[string]string) {
	t.Helper()
	for path, w := range want {
		got, _, _ := unstructured.NestedString(u.Object, append([]string{"status"}, strings.Split(path, ".")...)...)
		if got != w {
			t.Errorf("%s status.%s = %q, want %q", u.GetName(), path, got, w)
		}
	}
}

// checkSpec compares spec fields, given as dotted paths.
func checkSpec(t *testing.T, u *unstructured.Unstructured, want map[string]any) {
	t.Helper()
	for path, w := range want {
		got, _, _ := unstructured.NestedFieldNoCopy(u.Object, append([]string{"spec"}, strings.Split(path, ".")...)...)
		if got != w {
			t.Errorf("%s spec.%s = %v (%T), want %v", u.GetName(), path, got, got, w)
		}
	}
}

// checkLateInit checks spec fields and that manager owns them through an
// Update of the main resource.
func checkLateInit(t *testing.T, u *unstructured.Unstructured, manager string, want map[string]any) {
	t.Helper()
	checkSpec(t, u, want)
	var owned string
	for _, mf := range u.GetManagedFields() {
		if mf.Manager == manager && mf.Operation == metav1.ManagedFieldsOperationUpdate && mf.Subresource == "" && mf.FieldsV1 != nil {
			owned += mf.FieldsV1.GetRawString()
		}
	}
	for path := range want {
		parts := strings.Split(path, ".")
		if leaf := `"f:` + parts[len(parts)-1] + `"`; !strings.Contains(owned, leaf) {
			t.Errorf("%s: %s does not own spec.%s through Update; its fields: %s", u.GetName(), manager, path, owned)
		}
	}
}

// checkCA checks that data is base64 of a PEM certificate.
func checkCA(t *testing.T, data string) {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		t.Fatalf("certificateAuthority.data is not base64: %v", err)
	}
	block, _ := pem.Decode(raw)
	if block == nil {
		t.Fatalf("certificateAuthority.data is not PEM: %q", raw)
	}
	if _, err := x509.ParseCertificate(block.Bytes); err != nil {
		t.Errorf("certificateAuthority.data: %v", err)
	}
}

// fixtureSubnets are the subnets the hand-written EKS objects of these
// tests name by ID; newSim makes them exist, since EKS refuses a subnet
// that does not (subnets.go).
var fixtureSubnets = []string{"subnet-1", "subnet-2"}

// newSim is acksim.New with fixtureSubnets existing in its AWS.
func newSim(c client.Client, ns string, opts acksim.Options) *acksim.Sim {
	sim := acksim.New(c, ns, opts)
	for _, id := range fixtureSubnets {
		sim.AddExisting(acksim.Existing{Kind: "Subnet", Fields: map[string]string{"subnetID": id}})
	}
	return sim
}
