package acksim_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
)

var env *apitest.Env

func TestMain(m *testing.M) {
	os.Exit(apitest.MainWithACK(m, func(e *apitest.Env) { env = e }))
}

// waitFor bounds every wait; the Sim converges in well under a second.
const waitFor = 20 * time.Second

// chain is a small stack with references two levels deep.
const chain = `
apiVersion: iam.services.k8s.aws/v1alpha1
kind: Role
metadata: {name: cluster-role}
spec:
  name: demo-cluster-role
  assumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}'
---
apiVersion: ec2.services.k8s.aws/v1alpha1
kind: VPC
metadata: {name: vpc}
spec: {cidrBlocks: [10.0.0.0/16], enableDNSHostnames: true, enableDNSSupport: true}
---
apiVersion: ec2.services.k8s.aws/v1alpha1
kind: Subnet
metadata: {name: subnet-a}
spec: {availabilityZone: us-west-2a, cidrBlock: 10.0.0.0/24, vpcRef: {from: {name: vpc}}}
---
apiVersion: ec2.services.k8s.aws/v1alpha1
kind: Subnet
metadata: {name: subnet-b}
spec: {availabilityZone: us-west-2b, cidrBlock: 10.0.1.0/24, vpcRef: {from: {name: vpc}}}
---
apiVersion: ec2.services.k8s.aws/v1alpha1
kind: RouteTable
metadata: {name: rt}
spec: {vpcRef: {from: {name: vpc}}}
---
apiVersion: eks.services.k8s.aws/v1alpha1
kind: Cluster
metadata: {name: demo}
spec:
  name: demo
  version: "1.32"
  roleRef: {from: {name: cluster-role}}
  resourcesVPCConfig:
    subnetRefs: [{from: {name: subnet-a}}, {from: {name: subnet-b}}]
`

func TestChain(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	sim := newSim(env.Client, ns, acksim.Options{Delay: map[string]time.Duration{"VPC/vpc": 500 * time.Millisecond}})
	objs := create(t, ns, chain)
	sim.Start(t)
	vpc, subnet, cluster, role := objs[1], objs[2], objs[5], objs[0]

	t.Run("does not sync a subnet before its VPC", func(t *testing.T) {
		waitUntil(t, "VPC creating", func() bool { return state(t, vpc) == "pending" })
		s := fresh(t, subnet)
		want := cond{"ACK.ReferencesResolved", "Unknown", "Reference resolution failed",
			"the referenced resource is not synced yet. resource:VPC, namespace:" + ns + ", name:vpc"}
		if got := conditions(s); !slices.Equal(got, []cond{want}) {
			t.Errorf("Subnet conditions while VPC creates = %v, want only %v", got, want)
		}
		if len(s.GetFinalizers()) != 0 {
			t.Errorf("Subnet finalizers before its references resolve = %v, want none", s.GetFinalizers())
		}
	})
	waitSynced(t, objs...)
	// The Sim records an object in SyncedOrder right after its synced
	// status is written: on a loaded machine the test can read the status
	// first.
	waitUntil(t, "synced order complete", func() bool { return len(sim.SyncedOrder()) == len(objs) })

	t.Run("syncs in reference order", func(t *testing.T) {
		order := sim.SyncedOrder()
		before := [][2]string{
			{"VPC/vpc", "Subnet/subnet-a"}, {"VPC/vpc", "RouteTable/rt"},
			{"Subnet/subnet-a", "Cluster/demo"}, {"Subnet/subnet-b", "Cluster/demo"}, {"Role/cluster-role", "Cluster/demo"},
		}
		for _, b := range before {
			i, j := slices.Index(order, b[0]), slices.Index(order, b[1])
			if i < 0 || j < 0 || i > j {
				t.Errorf("SyncedOrder() = %v, want %s before %s", order, b[0], b[1])
			}
		}
	})
	t.Run("writes the status later objects read", func(t *testing.T) {
		checkStatus(t, fresh(t, cluster), map[string]string{
			"status":                             "ACTIVE",
			"endpoint":                           acksim.DefaultClusterEndpoint,
			"identity.oidc.issuer":               acksim.DefaultIssuer,
			"ackResourceMetadata.arn":            "arn:aws:eks:us-west-2:111122223333:cluster/demo",
			"ackResourceMetadata.region":         "us-west-2",
			"ackResourceMetadata.ownerAccountID": "111122223333",
		})
		checkStatus(t, fresh(t, vpc), map[string]string{"vpcID": acksim.ID("VPC", "vpc"), "state": "available"})
		checkStatus(t, fresh(t, subnet), map[string]string{"subnetID": acksim.ID("Subnet", "subnet-a"), "state": "available"})
		checkStatus(t, fresh(t, role), map[string]string{"ackResourceMetadata.arn": "arn:aws:iam::111122223333:role/demo-cluster-role"})
		ca, _, _ := unstructured.NestedString(fresh(t, cluster).Object, "status", "certificateAuthority", "data")
		checkCA(t, ca)
	})
	t.Run("late-initializes spec under the controller's manager", func(t *testing.T) {
		checkLateInit(t, fresh(t, vpc), "ec2-controller", map[string]any{"instanceTenancy": "default"})
		checkLateInit(t, fresh(t, role), "iam-controller", map[string]any{"path": "/", "maxSessionDuration": int64(3600)})
		checkLateInit(t, fresh(t, cluster), "eks-controller", map[string]any{"kubernetesNetworkConfig.serviceIPv4CIDR": "172.20.0.0/16"})
	})
	t.Run("adds the controller's finalizer", func(t *testing.T) {
		for _, o := range objs {
			group := o.GroupVersionKind().Group
			want := "finalizers." + group + "/" + o.GetKind()
			if got := fresh(t, o).GetFinalizers(); !slices.Equal(got, []string{want}) {
				t.Errorf("%s finalizers = %v, want [%s]", o.GetName(), got, want)
			}
		}
	})
}

func TestLateInitKeepsSetFields(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	objs := create(t, ns, `
apiVersion: ec2.services.k8s.aws/v1alpha1
kind: VPC
metadata: {name: vpc}
spec: {cidrBlocks: [10.0.0.0/16], instanceTenancy: dedicated}
---
apiVersion: iam.services.k8s.aws/v1alpha1
kind: Role
metadata: {name: role}
spec: {name: svc-role, path: /svc/, assumeRolePolicyDocument: '{}', maxSessionDuration: 7200}
---
apiVersion: eks.services.k8s.aws/v1alpha1
kind: Cluster
metadata: {name: c}
spec:
  name: prod
  version: "1.31"
  resourcesVPCConfig: {subnetIDs: [subnet-1, subnet-2]}
  kubernetesNetworkConfig: {serviceIPv4CIDR: 10.100.0.0/16}
---
apiVersion: eks.services.k8s.aws/v1alpha1
kind: Nodegroup
metadata: {name: ng}
spec: {name: workers, clusterRef: {from: {name: c}}, nodeRole: arn:aws:iam::111122223333:role/node, subnets: [subnet-1]}
`)
	newSim(env.Client, ns, acksim.Options{}).Start(t)
	waitSynced(t, objs...)
	checkSpec(t, fresh(t, objs[0]), map[string]any{"instanceTenancy": "dedicated", "enableNetworkAddressUsageMetrics": false})
	role := fresh(t, objs[1])
	checkSpec(t, role, map[string]any{"path": "/svc/", "maxSessionDuration": int64(7200)})
	checkStatus(t, role, map[string]string{"ackResourceMetadata.arn": "arn:aws:iam::111122223333:role/svc/svc-role"})
	checkSpec(t, fresh(t, objs[2]), map[string]any{"kubernetesNetworkConfig.serviceIPv4CIDR": "10.100.0.0/16", "deletionProtection": false})
	ng := fresh(t, objs[3])
	checkLateInit(t, ng, "eks-controller", map[string]any{"version": "1.31", "releaseVersion": "1.31.0-20260801", "diskSize": int64(20)})
	checkStatus(t, ng, map[string]string{"status": "ACTIVE"})
	if arn, _, _ := unstructured.NestedString(ng.Object, "status", "ackResourceMetadata", "arn"); !strings.HasPrefix(arn, "arn:aws:eks:us-west-2:111122223333:nodegroup/prod/workers/") {
		t.Errorf("Nodegroup ARN = %q, want it under nodegroup/prod/workers/", arn)
	}
}

func TestTerminal(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	objs := create(t, ns, chain)
	vpc, subnet := objs[1], objs[2]
	sim := newSim(env.Client, ns, acksim.Options{})
	const msg = "InvalidParameterValue: invalid CIDR block"
	sim.SetTerminal("VPC/vpc", msg)
	sim.Start(t)

	waitUntil(t, "VPC terminal", func() bool { return hasCond(fresh(t, vpc), cond{"ACK.Terminal", "True", msg, ""}) })
	v := fresh(t, vpc)
	for _, want := range []cond{
		{"ACK.ResourceSynced", "False", "Resource not synced", "resource is in terminal condition"},
		{"Ready", "False", msg, "ACK.Terminal"},
	} {
		if !hasCond(v, want) {
			t.Errorf("terminal VPC conditions = %v, want %v among them", conditions(v), want)
		}
	}
	if len(v.GetFinalizers()) != 0 {
		t.Errorf("VPC that failed to create has finalizers %v, want none", v.GetFinalizers())
	}
	want := cond{"ACK.ReferencesResolved", "False", "Reference resolution failed",
		"the referenced resource has 'ACK.Terminal' condition 'True'. Cannot be referenced. resource:VPC, namespace:" + ns + ", name:vpc"}
	waitUntil(t, "Subnet unresolved", func() bool { return hasCond(fresh(t, subnet), want) })
	time.Sleep(200 * time.Millisecond)
	if got := conditions(fresh(t, subnet)); !slices.Equal(got, []cond{want}) {
		t.Errorf("Subnet conditions = %v, want only %v", got, want)
	}

	sim.Clear("VPC/vpc")
	waitSynced(t, objs...)
}

func TestRecoverable(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	objs := create(t, ns, chain)
	role := objs[0]
	sim := newSim(env.Client, ns, acksim.Options{})
	sim.Start(t)
	waitSynced(t, objs...)

	const msg = "NoSuchEntity: Policy arn:aws:iam::aws:policy/X does not exist"
	sim.SetRecoverable("Role/cluster-role", msg)
	waitUntil(t, "Role recoverable", func() bool { return hasCond(fresh(t, role), cond{"ACK.Recoverable", "True", msg, ""}) })
	r := fresh(t, role)
	for _, want := range []cond{
		{"ACK.ResourceSynced", "Unknown", "Unable to determine if desired resource state matches latest observed state", msg},
		{"Ready", "False", msg, "ACK.Recoverable"},
	} {
		if !hasCond(r, want) {
			t.Errorf("recoverable Role conditions = %v, want %v among them", conditions(r), want)
		}
	}
	sim.Clear("Role/cluster-role")
	waitSynced(t, role)
	if hasType(fresh(t, role), "ACK.Recoverable") {
		t.Errorf("Role still has ACK.Recoverable after Clear: %v", conditions(fresh(t, role)))
	}
}

func TestMissingTarget(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	objs := create(t, ns, `
apiVersion: ec2.services.k8s.aws/v1alpha1
kind: Subnet
metadata: {name: orphan}
spec: {cidrBlock: 10.0.0.0/24, vpcRef: {from: {name: nope}}}
`)
	newSim(env.Client, ns, acksim.Options{}).Start(t)
	want := cond{"ACK.ReferencesResolved", "Unknown", "Reference resolution failed", `vpcs.ec2.services.k8s.aws "nope" not found`}
	waitUntil(t, "Subnet unresolved", func() bool { return hasCond(fresh(t, objs[0]), want) })
}

func TestDelete(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	objs := create(t, ns, chain)
	sim := newSim(env.Client, ns, acksim.Options{})
	sim.Start(t)
	waitSynced(t, objs...)
	for _, o := range objs {
		if err := env.Client.Delete(t.Context(), o); err != nil {
			t.Fatalf("delete %s: %v", o.GetName(), err)
		}
	}
	for _, o := range objs {
		waitUntil(t, o.GetKind()+" gone", func() bool {
			err := env.Client.Get(t.Context(), client.ObjectKeyFromObject(o), o.DeepCopy())
			return apierrors.IsNotFound(err)
		})
	}
	// The Sim records a write once it returned, which may be after the
	// test saw the object gone.
	waitUntil(t, "the Cluster's finalizer removal in Events()", func() bool {
		return hasEvent(sim.Events(), "Cluster/"+ns+"/demo", "finalizer removed")
	})
}

// syncedTime is the lastTransitionTime of o's ACK.ResourceSynced.
func syncedTime(t *testing.T, o *unstructured.Unstructured) string {
	t.Helper()
	l, _, _ := unstructured.NestedSlice(fresh(t, o).Object, "status", "conditions")
	for _, c := range l {
		if m, _ := c.(map[string]any); m["type"] == "ACK.ResourceSynced" {
			s, _ := m["lastTransitionTime"].(string)
			return s
		}
	}
	return ""
}

func TestSpecChangeIsReconciledAfterTheLag(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	objs := create(t, ns, chain)
	const lag = 1500 * time.Millisecond
	sim := newSim(env.Client, ns, acksim.Options{UpdateLag: map[string]time.Duration{"VPC/vpc": lag}})
	sim.Start(t)
	waitSynced(t, objs...)
	before := syncedTime(t, objs[1])
	// The next second, so that a fresh stamp differs from the old one.
	time.Sleep(time.Second)
	vpc := fresh(t, objs[1])
	if err := unstructured.SetNestedSlice(vpc.Object, []any{map[string]any{"key": "team", "value": "a"}}, "spec", "tags"); err != nil {
		t.Fatal(err)
	}
	if err := env.Client.Update(t.Context(), vpc); err != nil {
		t.Fatalf("update VPC: %v", err)
	}
	changed := time.Now()
	ref := "VPC/" + ns + "/vpc"
	time.Sleep(lag / 2)
	if got := syncedTime(t, vpc); got != before {
		t.Errorf("within the lag, ACK.ResourceSynced was rewritten (%s, was %s); the controller has not reconciled yet", got, before)
	}
	waitUntil(t, "VPC resynced", func() bool {
		ev := sim.Events()
		return slices.ContainsFunc(ev, func(e acksim.Event) bool { return e.Object == ref && e.What == "synced" && e.Time.After(changed) })
	})
	for _, e := range sim.Events() {
		if e.Object == ref && strings.HasPrefix(e.What, "unsynced") {
			t.Errorf("a VPC tag change is synchronous in AWS, but the Sim reported %q", e.What)
		}
	}
	if got := syncedTime(t, vpc); got == before {
		t.Errorf("ACK.ResourceSynced kept its time %s after the reconcile; the runtime stamps it on every reconcile", got)
	}
	waitSynced(t, vpc)
}

func TestClusterUpdateIsAsynchronous(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	objs := create(t, ns, chain)
	sim := newSim(env.Client, ns, acksim.Options{UpdateDelay: map[string]time.Duration{"Cluster/demo": time.Second}})
	sim.Start(t)
	waitSynced(t, objs...)
	cluster := fresh(t, objs[5])
	if err := unstructured.SetNestedField(cluster.Object, false, "spec", "resourcesVPCConfig", "endpointPublicAccess"); err != nil {
		t.Fatal(err)
	}
	if err := env.Client.Update(t.Context(), cluster); err != nil {
		t.Fatalf("update Cluster: %v", err)
	}
	ref := "Cluster/" + ns + "/demo"
	phase := func() string {
		s, _, _ := unstructured.NestedString(fresh(t, cluster).Object, "status", "status")
		return s
	}
	waitUntil(t, "Cluster updating", func() bool { return phase() == "UPDATING" })
	if !hasCond(fresh(t, cluster), cond{Type: "ACK.ResourceSynced", Status: "False", Message: "Cluster is currently being updated"}) {
		t.Errorf("an updating Cluster has conditions %v", conditions(fresh(t, cluster)))
	}
	waitUntil(t, "Cluster active again", func() bool {
		ev := sim.Events()
		i := slices.IndexFunc(ev, func(e acksim.Event) bool {
			return e.Object == ref && e.What == "unsynced: Cluster is currently being updated"
		})
		return i >= 0 && hasEvent(ev[i:], ref, "synced") && phase() == "ACTIVE"
	})
	waitSynced(t, cluster)
}

func TestRunStops(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- newSim(env.Client, ns, acksim.Options{}).Run(ctx) }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run() = %v, want nil once ctx is done", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return within 5s of its context ending")
	}
}

// everyKind has one object of each kind the Sim reconciles, so that every
// status it writes passes the apiserver's strict validation.
const everyKind = `
apiVersion: ec2.services.k8s.aws/v1alpha1
kind: VPC
metadata: {name: vpc}
spec: {cidrBlocks: [10.0.0.0/16]}
---
apiVersion: ec2.services.k8s.aws/v1alpha1
kind: Subnet
metadata: {name: public}
spec: {cidrBlock: 10.0.0.0/24, vpcRef: {from: {name: vpc}}, routeTableRefs: [{from: {name: public}}]}
---
apiVersion: ec2.services.k8s.aws/v1alpha1
kind: InternetGateway
metadata: {name: igw}
spec: {vpcRef: {from: {name: vpc}}}
---
apiVersion: ec2.services.k8s.aws/v1alpha1
kind: ElasticIPAddress
metadata: {name: eip}
spec: {}
---
apiVersion: ec2.services.k8s.aws/v1alpha1
kind: NATGateway
metadata: {name: nat}
spec: {subnetRef: {from: {name: public}}, allocationRef: {from: {name: eip}}}
---
apiVersion: ec2.services.k8s.aws/v1alpha1
kind: RouteTable
metadata: {name: public}
spec:
  vpcRef: {from: {name: vpc}}
  routes: [{destinationCIDRBlock: 0.0.0.0/0, gatewayRef: {from: {name: igw}}}]
---
apiVersion: ec2.services.k8s.aws/v1alpha1
kind: RouteTable
metadata: {name: private}
spec:
  vpcRef: {from: {name: vpc}}
  routes: [{destinationCIDRBlock: 0.0.0.0/0, natGatewayRef: {from: {name: nat}}}]
---
apiVersion: ec2.services.k8s.aws/v1alpha1
kind: SecurityGroup
metadata: {name: sg}
spec: {name: sg, description: test, vpcRef: {from: {name: vpc}}}
---
apiVersion: ec2.services.k8s.aws/v1alpha1
kind: FlowLog
metadata: {name: fl}
spec:
  resourceID: vpc-1
  resourceType: VPC
  logGroupRef: {from: {name: logs}}
  deliverLogsPermissionRef: {from: {name: node}}
---
apiVersion: ec2.services.k8s.aws/v1alpha1
kind: TransitGateway
metadata: {name: tgw}
spec: {}
---
apiVersion: ec2.services.k8s.aws/v1alpha1
kind: VPCEndpoint
metadata: {name: vpce}
spec: {}
---
apiVersion: ec2.services.k8s.aws/v1alpha1
kind: VPCPeeringConnection
metadata: {name: pcx}
spec: {}
---
apiVersion: iam.services.k8s.aws/v1alpha1
kind: Policy
metadata: {name: pol}
spec: {name: pol, policyDocument: '{}'}
---
apiVersion: iam.services.k8s.aws/v1alpha1
kind: Role
metadata: {name: node}
spec: {name: node, assumeRolePolicyDocument: '{}', policyRefs: [{from: {name: pol}}]}
---
apiVersion: iam.services.k8s.aws/v1alpha1
kind: OpenIDConnectProvider
metadata: {name: oidc}
spec: {url: "https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLE", clientIDs: [sts.amazonaws.com]}
---
apiVersion: cloudwatchlogs.services.k8s.aws/v1alpha1
kind: LogGroup
metadata: {name: logs}
spec: {name: /aws/eks/demo/cluster, retentionDays: 7}
---
apiVersion: eks.services.k8s.aws/v1alpha1
kind: Cluster
metadata: {name: demo}
spec: {name: demo, accessConfig: {authenticationMode: API}, resourcesVPCConfig: {subnetRefs: [{from: {name: public}}]}, roleARN: arn:aws:iam::111122223333:role/c}
---
apiVersion: eks.services.k8s.aws/v1alpha1
kind: Nodegroup
metadata: {name: ng}
spec:
  name: ng
  clusterRef: {from: {name: demo}}
  nodeRoleRef: {from: {name: node}}
  subnetRefs: [{from: {name: public}}]
  scalingConfig: {minSize: 1, maxSize: 2, desiredSize: 1}
---
apiVersion: eks.services.k8s.aws/v1alpha1
kind: FargateProfile
metadata: {name: fp}
spec: {name: fp, clusterName: demo, podExecutionRoleRef: {from: {name: node}}, selectors: [{namespace: default}]}
---
apiVersion: eks.services.k8s.aws/v1alpha1
kind: AccessEntry
metadata: {name: admin}
spec: {principalARN: "arn:aws:iam::111122223333:role/admin", clusterRef: {from: {name: demo}}}
`

func TestEveryKind(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	objs := create(t, ns, everyKind)
	newSim(env.Client, ns, acksim.Options{}).Start(t)
	waitSynced(t, objs...)
	nat := fresh(t, objs[4])
	addrs, _, _ := unstructured.NestedSlice(nat.Object, "status", "natGatewayAddresses")
	if len(addrs) != 1 || addrs[0].(map[string]any)["allocationID"] != acksim.ID("ElasticIPAddress", "eip") {
		t.Errorf("NATGateway natGatewayAddresses = %v, want the EIP's allocation", addrs)
	}
	checkStatus(t, fresh(t, objs[14]), map[string]string{
		"ackResourceMetadata.arn": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLE",
	})
	checkStatus(t, fresh(t, objs[18]), map[string]string{"status": "ACTIVE"})
}

func TestID(t *testing.T) {
	tests := []struct{ kind, name, prefix string }{
		{"VPC", "demo", "vpc-"},
		{"Subnet", "demo", "subnet-"},
		{"SecurityGroup", "demo", "sg-"},
		{"Role", "demo", ""},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			got := acksim.ID(tt.kind, tt.name)
			if tt.prefix == "" {
				if got != "" {
					t.Errorf("ID(%q, %q) = %q, want empty", tt.kind, tt.name, got)
				}
				return
			}
			if !strings.HasPrefix(got, tt.prefix) || len(got) != len(tt.prefix)+17 || got != acksim.ID(tt.kind, tt.name) {
				t.Errorf("ID(%q, %q) = %q, want %s and 17 stable hex digits", tt.kind, tt.name, got, tt.prefix)
			}
		})
	}
	if acksim.ID("VPC", "a") == acksim.ID("VPC", "b") {
		t.Error("ID gives two VPCs the same ID")
	}
}
