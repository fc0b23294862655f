package diff

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/eks-render/render/internal/graph"
)

// FargatePod is what one Deployment's pods request and the Fargate size AWS
// provisions, and bills, for each of them.
type FargatePod struct {
	// Deployment names the Deployment, Kind/namespace/name.
	Deployment string `json:"deployment"`
	// CPU and Memory are the pod's requests as Fargate counts them.
	CPU    string `json:"cpu"`
	Memory string `json:"memory"`
	// Billed is the Fargate configuration, e.g. "0.25 vCPU 0.5 GB"; empty
	// when the requests exceed the largest one (the pod never starts).
	Billed string `json:"billed"`
}

// String returns e.g. "Deployment/2048-game/app-2048 250m/256Mi -> 0.25 vCPU 0.5 GB".
func (p FargatePod) String() string {
	billed := p.Billed
	if billed == "" {
		billed = "more than the largest Fargate size"
	}
	return fmt.Sprintf("%s %s/%s -> %s", p.Deployment, p.CPU, p.Memory, billed)
}

// fargateOverheadMiB is what Fargate adds to each pod's memory request for
// kubelet, kube-proxy and containerd before rounding up ("Fargate adds 256
// MB to each Pod's memory reservation", AWS EKS User Guide,
// fargate-pod-configuration.adoc, "Pod CPU and memory";
// github:awsdocs/amazon-eks-user-guide @4d52b4d05e34).
const fargateOverheadMiB = 256

// fargateSize is one vCPU and memory combination Fargate offers.
type fargateSize struct{ milliCPU, memMiB int64 }

// fargateSizes are the combinations of the same page's table, smallest
// first: .25 vCPU with 0.5, 1 or 2 GB; .5 vCPU with 1-4 GB; 1 vCPU with
// 2-8 GB; 2 vCPU with 4-16 GB; 4 vCPU with 8-30 GB (1-GB steps); 8 vCPU
// with 16-60 GB in 4-GB steps; 16 vCPU with 32-120 GB in 8-GB steps. A GB
// is 1024 MiB, as the page's example counts it (1 vCPU and 8 GB plus 256
// MB needs 9 GB, so 2 vCPU).
var fargateSizes = func() []fargateSize {
	var out []fargateSize
	add := func(milliCPU int64, fromGB, toGB, stepGB float64) {
		for gb := fromGB; gb <= toGB; gb += stepGB {
			out = append(out, fargateSize{milliCPU, int64(gb * 1024)})
		}
	}
	add(250, 0.5, 0.5, 1)
	add(250, 1, 2, 1)
	add(500, 1, 4, 1)
	add(1000, 2, 8, 1)
	add(2000, 4, 16, 1)
	add(4000, 8, 30, 1)
	add(8000, 16, 60, 4)
	add(16000, 32, 120, 8)
	return out
}()

// billedSize is the Fargate configuration for a pod requesting cpu and mem:
// the smallest with at least the CPU and the memory plus the overhead
// ("Fargate rounds up to the following compute configuration that most
// closely matches", same page). ok is false when none is large enough.
func billedSize(cpu, mem resource.Quantity) (fargateSize, bool) {
	needMiB := (mem.Value()+(1<<20)-1)>>20 + fargateOverheadMiB
	for _, s := range fargateSizes {
		if s.milliCPU >= cpu.MilliValue() && s.memMiB >= needMiB {
			return s, true
		}
	}
	return fargateSize{}, false
}

func (s fargateSize) String() string {
	return strconv.FormatFloat(float64(s.milliCPU)/1000, 'f', -1, 64) + " vCPU " +
		strconv.FormatFloat(float64(s.memMiB)/1024, 'f', -1, 64) + " GB"
}

// podRequests is what Fargate sizes a pod by: the larger of the largest
// init container's request and the sum of the long-running containers'
// requests, for CPU and memory each (same page).
func podRequests(spec corev1.PodSpec) (cpu, mem resource.Quantity) {
	for _, c := range spec.Containers {
		cpu.Add(request(c, corev1.ResourceCPU))
		mem.Add(request(c, corev1.ResourceMemory))
	}
	for _, c := range spec.InitContainers {
		if q := request(c, corev1.ResourceCPU); q.Cmp(cpu) > 0 {
			cpu = q
		}
		if q := request(c, corev1.ResourceMemory); q.Cmp(mem) > 0 {
			mem = q
		}
	}
	return cpu, mem
}

// request is a container's request, or its limit where it sets none (the
// API server defaults the request to the limit).
func request(c corev1.Container, name corev1.ResourceName) resource.Quantity {
	if q, ok := c.Resources.Requests[name]; ok {
		return q
	}
	return c.Resources.Limits[name]
}

// fargatePods sizes every Deployment of workload whose pods a Fargate
// profile of management selects, sorted by name.
func fargatePods(workload, management []*unstructured.Unstructured) ([]FargatePod, error) {
	out := []FargatePod{}
	for _, u := range workload {
		if u.GetKind() != "Deployment" {
			continue
		}
		var d appsv1.Deployment
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &d); err != nil {
			return nil, fmt.Errorf("%s: %w", graph.NameOf(u), err)
		}
		pods := graph.Pods{Namespace: u.GetNamespace(), Labels: d.Spec.Template.Labels}
		if !slices.ContainsFunc(management, func(p *unstructured.Unstructured) bool {
			return p.GetKind() == "FargateProfile" && graph.Selects(p, pods)
		}) {
			continue
		}
		cpu, mem := podRequests(d.Spec.Template.Spec)
		p := FargatePod{Deployment: graph.NameOf(u), CPU: cpu.String(), Memory: mem.String()}
		if s, ok := billedSize(cpu, mem); ok {
			p.Billed = s.String()
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b FargatePod) int { return strings.Compare(a.Deployment, b.Deployment) })
	return out, nil
}
