package acksim_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
)

// authStack is a Cluster on 1.34 that names no authentication mode (EKS
// creates it in CONFIG_MAP) and an AccessEntry of it; annotations are the
// Cluster's metadata.annotations.
func authStack(annotations string) string {
	return `
apiVersion: eks.services.k8s.aws/v1alpha1
kind: Cluster
metadata: {name: demo` + annotations + `}
spec:
  name: demo
  version: "1.34"
  resourcesVPCConfig: {subnetIDs: [subnet-1, subnet-2]}
---
apiVersion: eks.services.k8s.aws/v1alpha1
kind: AccessEntry
metadata: {name: admin}
spec: {principalARN: "arn:aws:iam::111122223333:role/admin", clusterRef: {from: {name: demo}}}
`
}

const (
	msgNoAccessEntries = "InvalidRequestException: The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation."
	msgConfigMapToAPI  = "InvalidParameterException: Unsupported authentication mode update from CONFIG_MAP to API"
)

// TestAuthModeSteps walks a CONFIG_MAP cluster to API the way EKS allows,
// one step at a time, and checks each refusal on the way: an access entry
// under CONFIG_MAP, CONFIG_MAP straight to API (which also holds back the
// version update behind it), and a step back.
func TestAuthModeSteps(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	objs := create(t, ns, authStack(""))
	cluster, entry := objs[0], objs[1]
	sim := newSim(env.Client, ns, acksim.Options{UpdateDelay: map[string]time.Duration{"Cluster/demo": 300 * time.Millisecond}})
	sim.Start(t)
	waitSynced(t, cluster)
	if got := sim.AuthMode("Cluster/demo"); got != "CONFIG_MAP" {
		t.Fatalf("AuthMode of a cluster created without one = %q, want CONFIG_MAP", got)
	}

	waitRecoverable(t, entry, msgNoAccessEntries)

	setSpec(t, cluster, map[string]any{"accessConfig.authenticationMode": "API", "version": "1.35"})
	waitRecoverable(t, cluster, msgConfigMapToAPI)
	time.Sleep(500 * time.Millisecond) // longer than an update step
	if got := sim.AuthMode("Cluster/demo") + " " + sim.ClusterVersion("Cluster/demo"); got != "CONFIG_MAP 1.34" {
		t.Errorf("after the refused mode change the cluster runs %q, want CONFIG_MAP 1.34", got)
	}

	setSpec(t, cluster, map[string]any{"accessConfig.authenticationMode": "API_AND_CONFIG_MAP"})
	waitUntil(t, "Cluster at 1.35", func() bool { return sim.ClusterVersion("Cluster/demo") == "1.35" })
	waitSynced(t, cluster, entry)

	setSpec(t, cluster, map[string]any{"accessConfig.authenticationMode": "API"})
	waitUntil(t, "Cluster on API", func() bool { return sim.AuthMode("Cluster/demo") == "API" })
	waitSynced(t, cluster)
	ref := "Cluster/" + ns + "/demo"
	want := []string{
		"authentication mode updating: CONFIG_MAP -> API_AND_CONFIG_MAP", "authentication mode updated: API_AND_CONFIG_MAP",
		"authentication mode updating: API_AND_CONFIG_MAP -> API", "authentication mode updated: API",
	}
	if got := eventsOf(sim, ref, "authentication mode "); !slices.Equal(got, want) {
		t.Errorf("Cluster authentication mode events = %q, want %q", got, want)
	}
	if got := versionEvents(sim, ref); !slices.Equal(got, []string{"version updating: 1.34 -> 1.35", "version updated: 1.35"}) {
		t.Errorf("Cluster version events = %q, want one step to 1.35 after the mode", got)
	}

	setSpec(t, cluster, map[string]any{"accessConfig.authenticationMode": "API_AND_CONFIG_MAP"})
	waitRecoverable(t, cluster, "InvalidParameterException: Unsupported authentication mode update from API to API_AND_CONFIG_MAP")
}

// TestAuthModeAdopted adopts a cluster that runs CONFIG_MAP with a spec
// that asks for API: refused, as EKS refuses it (its AccessEntry waits on
// the unsynced Cluster's reference meanwhile).
func TestAuthModeAdopted(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	sim := newSim(env.Client, ns, acksim.Options{})
	sim.AddExisting(acksim.Existing{Kind: "Cluster", Fields: map[string]string{"name": "demo"}})
	objs := create(t, ns, strings.Replace(authStack(`, annotations: {services.k8s.aws/adoption-policy: adopt-or-create}`),
		"  version:", "  accessConfig: {authenticationMode: API}\n  version:", 1))
	sim.Start(t)
	waitRecoverable(t, objs[0], msgConfigMapToAPI)
	if got := sim.AuthMode("Cluster/demo"); got != "CONFIG_MAP" {
		t.Errorf("AuthMode of the adopted cluster = %q, want CONFIG_MAP", got)
	}
	if sim.Adopted()["Cluster/demo"] == nil {
		t.Errorf("Cluster/demo not adopted: %v", sim.Adopted())
	}
}

// waitRecoverable waits until o has the conditions of a Recoverable error
// with msg.
func waitRecoverable(t *testing.T, o *unstructured.Unstructured, msg string) {
	t.Helper()
	waitUntil(t, o.GetKind()+"/"+o.GetName()+" recoverable: "+msg, func() bool {
		return hasCond(fresh(t, o), cond{"ACK.Recoverable", "True", msg, ""})
	})
}
