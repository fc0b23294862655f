package graph_test

import (
	"slices"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/gen/gentest"
	"github.com/eks-render/render/internal/graph"
)

func TestScheduleStartsEachObjectOnceWhatItNeedsIsReady(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			objs := build(t, env)
			g := graph.New(objs)
			s := g.Schedule()
			started := map[int]bool{}
			queue := s.Start()
			for len(queue) > 0 {
				i := queue[0]
				queue = queue[1:]
				if started[i] {
					t.Fatalf("%s started twice", graph.NameOf(objs[i]))
				}
				for _, d := range g.Deps(i) {
					if !s.IsReady(d) {
						t.Fatalf("%s started before %s was ready", graph.NameOf(objs[i]), graph.NameOf(objs[d]))
					}
				}
				started[i] = true
				queue = append(queue, s.Ready(i)...)
				if again := s.Ready(i); again != nil {
					t.Fatalf("ready twice released %v", again)
				}
			}
			if len(started) != len(objs) {
				t.Errorf("started %d of %d objects", len(started), len(objs))
			}
		})
	}
}

func TestScheduleDoesNotWaitForUnrelatedSiblings(t *testing.T) {
	objs, s, index := devSchedule(t)
	// The Namespace, then the VPC: the Internet gateway and the private
	// route tables need nothing else, though the IAM roles and log groups
	// of its level are not ready; the private route tables, which get
	// their NAT route only with the second phase, do not wait for the NAT
	// gateway.
	s.Start()
	for _, name := range []string{"Namespace/demo-dev", "VPC/demo-dev/vpc"} {
		if _, ok := index[name]; !ok {
			t.Fatalf("the dev overlay has no %s", name)
		}
	}
	s.Ready(index["Namespace/demo-dev"])
	var names []string
	for _, i := range s.Ready(index["VPC/demo-dev/vpc"]) {
		names = append(names, graph.NameOf(objs[i]))
	}
	want := "InternetGateway/demo-dev/igw RouteTable/demo-dev/private-a RouteTable/demo-dev/private-b"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("startable after the VPC: %s, want %s", got, want)
	}
}

func TestIngressComesAfterTheLoadBalancerController(t *testing.T) {
	late := config.LateValues{AccountID: "111122223333", VPCID: "vpc-1", OIDCIssuer: "https://oidc.example/id/X",
		ClusterEndpoint: "https://example", ClusterCA: "Y2E="}
	objs := gentest.EnvObjects(t, "dev", late, true)
	g := graph.New(objs)
	found := false
	for _, u := range objs {
		if u.GetKind() != "Ingress" {
			continue
		}
		found = true
		var deps []string
		for _, d := range g.DependsOn(u) {
			deps = append(deps, graph.NameOf(d))
		}
		if !slices.Contains(deps, "Deployment/kube-system/aws-load-balancer-controller") {
			t.Errorf("%s depends on %v, not on the controller whose webhook admits it", graph.NameOf(u), deps)
		}
	}
	if !found {
		t.Fatal("the dev workload has no Ingress")
	}
}

func TestHeldObjectsStartOnlyWhenReleased(t *testing.T) {
	_, s, index := devSchedule(t)
	ns, vpc, igw := index["Namespace/demo-dev"], index["VPC/demo-dev/vpc"], index["InternetGateway/demo-dev/igw"]
	// The namespace held twice: not startable until both holds end.
	s.Hold(ns)
	s.Hold(ns)
	s.Hold(igw)
	if slices.Contains(s.Start(), ns) {
		t.Fatal("a held object is in Start")
	}
	if s.Release(ns) {
		t.Fatal("startable with one of two holds left")
	}
	if !s.Release(ns) {
		t.Fatal("not startable once both holds ended")
	}
	s.Ready(ns)
	// The gateway released before its VPC is ready: still waiting for it.
	if s.Release(igw) {
		t.Fatal("released before what it depends on was ready")
	}
	if got := s.Ready(vpc); !slices.Contains(got, igw) {
		t.Errorf("the VPC ready did not start the released gateway: %v", got)
	}
}

// devSchedule is a fresh schedule of dev's objects, and each object's
// index by name.
func devSchedule(t *testing.T) ([]*unstructured.Unstructured, *graph.Schedule, map[string]int) {
	t.Helper()
	objs := build(t, "dev")
	index := map[string]int{}
	for i, u := range objs {
		index[graph.NameOf(u)] = i
	}
	return objs, graph.New(objs).Schedule(), index
}
