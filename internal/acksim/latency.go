package acksim

import (
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/eks-render/render/internal/ack"
)

// Latency is how long AWS (or, for the workload, Kubernetes on Fargate)
// takes to make one object's resource usable: from the controller's create
// call to the controller reporting it synced.
type Latency struct {
	Create, Update, Delete time.Duration
}

// latencyRow is one kind's latency and where the figures come from.
type latencyRow struct {
	group, kind string
	Latency
	source string
}

// latencies is the AWS latency model, one row per kind, each with its
// source. Where no measurement was found the row says "assumed" and why.
// Kinds not listed take no time (a Namespace, a ServiceAccount, RBAC).
var latencies = []latencyRow{
	{ack.EKSGroup, "Cluster", Latency{15 * time.Minute, 10 * time.Minute, 10 * time.Minute},
		"create: aws/containers-roadmap#1227 (\"control plane provisioning time currently averages 15 minutes\"); " +
			"update, delete: assumed, the same order"},
	{ack.EKSGroup, "FargateProfile", Latency{5 * time.Minute, 0, 2 * time.Minute},
		"create: aws/containers-roadmap#2392 (\"always between 5:05 and 5:45 minutes\", 2024; one profile of a cluster " +
			"at a time); delete: same thread (\"around 2 minutes\"); profiles are immutable"},
	{ack.EKSGroup, "Nodegroup", Latency{4 * time.Minute, 4 * time.Minute, 4 * time.Minute},
		"create: alchemy.run EKS Nodegroup docs (\"CREATING -> ACTIVE, ~2-5 min\"); update, delete: assumed the same"},
	{ack.EKSGroup, "Addon", Latency{2 * time.Minute, time.Minute, time.Minute},
		"assumed: ACTIVE once its pods are ready (aws-ia/terraform-aws-eks-blueprints#642: kube-proxy and vpc-cni " +
			"return as soon as their pods pass readiness), and a Fargate pod takes over a minute (aws/containers-roadmap#649)"},
	{ack.EKSGroup, "AccessEntry", Latency{2 * time.Second, 2 * time.Second, 2 * time.Second},
		"assumed: CreateAccessEntry is synchronous, seconds"},
	{ack.EKSGroup, "PodIdentityAssociation", Latency{2 * time.Second, 2 * time.Second, 2 * time.Second},
		"assumed: synchronous API, seconds"},
	{ack.EC2Group, "NATGateway", Latency{2 * time.Minute, 0, time.Minute},
		"create: kubernetes/kops#944 (pending to available \"up to 5 min\"), typically one to two minutes (issue 18); " +
			"delete: assumed one minute"},
	{ack.EC2Group, "VPC", Latency{2 * time.Second, 2 * time.Second, 2 * time.Second}, "assumed: synchronous EC2 API, seconds"},
	{ack.EC2Group, "Subnet", Latency{2 * time.Second, 2 * time.Second, 2 * time.Second}, "assumed: synchronous EC2 API, seconds"},
	{ack.EC2Group, "RouteTable", Latency{2 * time.Second, 2 * time.Second, 2 * time.Second}, "assumed: synchronous EC2 API, seconds"},
	{ack.EC2Group, "InternetGateway", Latency{2 * time.Second, 2 * time.Second, 2 * time.Second}, "assumed: synchronous EC2 API, seconds"},
	{ack.EC2Group, "ElasticIPAddress", Latency{2 * time.Second, 2 * time.Second, 2 * time.Second}, "assumed: synchronous EC2 API, seconds"},
	{ack.EC2Group, "SecurityGroup", Latency{2 * time.Second, 2 * time.Second, 2 * time.Second}, "assumed: synchronous EC2 API, seconds"},
	{ack.EC2Group, "FlowLog", Latency{2 * time.Second, 2 * time.Second, 2 * time.Second}, "assumed: synchronous EC2 API, seconds"},
	{ack.IAMGroup, "Role", Latency{3 * time.Second, 3 * time.Second, 3 * time.Second}, "assumed: synchronous IAM API, seconds"},
	{ack.IAMGroup, "Policy", Latency{3 * time.Second, 3 * time.Second, 3 * time.Second}, "assumed: synchronous IAM API, seconds"},
	{ack.IAMGroup, "OpenIDConnectProvider", Latency{3 * time.Second, 3 * time.Second, 3 * time.Second}, "assumed: synchronous IAM API, seconds"},
	{ack.CloudWatchLogsGroup, "LogGroup", Latency{time.Second, time.Second, time.Second}, "assumed: synchronous API, a second"},
	{"apps", "Deployment", Latency{75 * time.Second, 75 * time.Second, 30 * time.Second},
		"on Fargate each pod gets its own node: aws/containers-roadmap#649 (\"30-45 seconds for a node ... over a minute " +
			"to start a new pod\")"},
	{"networking.k8s.io", "Ingress", Latency{3 * time.Minute, 0, time.Minute},
		"the load balancer controller provisions an ALB: awslabs/kubeflow-manifests#157 (\"It takes around 3-5 minutes\")"},
}

// LatencyOf returns the model's latency for objects of gk; zero for kinds
// that take no time.
func LatencyOf(gk schema.GroupKind) Latency {
	for _, r := range latencies {
		if r.group == gk.Group && r.kind == gk.Kind {
			return r.Latency
		}
	}
	return Latency{}
}

// LatencySource returns where the model's latency for gk comes from, ""
// for kinds that take no time.
func LatencySource(gk schema.GroupKind) string {
	for _, r := range latencies {
		if r.group == gk.Group && r.kind == gk.Kind {
			return r.source
		}
	}
	return ""
}

// CreateDelays maps each object of objs ("Kind/name", Options.Delay's key)
// to its create latency divided by speedup, so that a Sim on the real test
// apiserver follows the model on a clock speedup times faster: with 1000, a
// 15-minute EKS cluster takes 900ms.
func CreateDelays(objs []*unstructured.Unstructured, speedup int) map[string]time.Duration {
	out := map[string]time.Duration{}
	for _, u := range objs {
		if d := LatencyOf(u.GroupVersionKind().GroupKind()).Create; d > 0 {
			out[kindName(u)] = d / time.Duration(speedup)
		}
	}
	return out
}

// The ACK runtime's requeue behaviour for a reference that does not
// resolve (runtime v0.61.0-1-g95428e7; the controllers pin v0.62.0):
//   - Sync returns ResolveReferences' error as it is (pkg/runtime/
//     reconciler.go:592-596), for a target not synced yet
//     ResourceReferenceNotSyncedFor (pkg/errors/resource_reference.go:83-90),
//     a plain error: no requeue.NeededAfter.
//   - HandleReconcileError patches the status and, for an error that is
//     neither Terminal nor a requeue.Needed(After), returns it to
//     controller-runtime (reconciler.go:1426-1491, the last line).
//   - The controller is built without a rate limiter of its own
//     (reconciler.go:110-120, BindControllerManager), so controller-runtime
//     uses workqueue.DefaultTypedControllerRateLimiter (controller-runtime
//     v0.25.2 pkg/controller/controller.go:275; an error requeues rate
//     limited, pkg/internal/controller/controller.go:486-490): per item exponential from 5ms
//     doubling up to 1000s, with an overall bucket of 10 qps and burst 100
//     (client-go util/workqueue/default_rate_limiters.go:50-56). The item is
//     forgotten, its count reset, only after a reconcile without error.
//   - The status patch does not trigger a reconcile of its own: the
//     controller watches with GenerationChangedPredicate (reconciler.go:115),
//     and it does not watch the referenced objects.
//
// So an object whose reference is not synced is retried after 5ms, 10ms,
// 20ms, ... : the n-th retry comes about 5ms x 2^n after the first try,
// roughly twice as long after the start as the wait so far, up to 1000s
// (16m40s) between tries. The eks-controller's ResourceInUseException for
// a second Fargate profile while one is CREATING goes the same way: its
// terminal_codes list "ResourceInUse" (generator.yaml:340, FargateProfile;
// pkg/resource/fargate_profile/sdk.go:518-540, terminalAWSError), but the
// API's code is "ResourceInUseException" (the controller's own cluster hook
// compares with that, pkg/resource/cluster/hook.go:261), so the error is
// not terminal and the profile is retried with the same back-off.

// Requeue returns how long controller-runtime's default rate limiter makes
// an item wait after its n-th consecutive failure (n >= 1).
func Requeue(n int) time.Duration {
	const base, ceiling = 5 * time.Millisecond, 1000 * time.Second
	d := base
	for i := 1; i < n && d < ceiling; i++ {
		d *= 2
	}
	return min(d, ceiling)
}
