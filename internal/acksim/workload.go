package acksim

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/klog/v2"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/ack"
	"github.com/eks-render/render/internal/graph"
)

// What EKS puts into a new cluster, as far as the tests need it: the
// CoreDNS Deployment and the Fargate admission that picks each pod's
// scheduler.
const (
	// computeTypeAnnotation on a pod keeps it off Fargate when "ec2": EKS
	// puts it on the CoreDNS pod template it bootstraps (AWS "Get started
	// with AWS Fargate", Update CoreDNS; aws/containers-roadmap#944).
	computeTypeAnnotation = "eks.amazonaws.com/compute-type"
	// FargateScheduler is the scheduler EKS's admission webhook gives a pod
	// that a Fargate profile selects when the pod is created; a pod no
	// profile selected then keeps default-scheduler and, with no nodes,
	// stays Pending (terraform-provider-aws#39156).
	FargateScheduler = "fargate-scheduler"
	corednsName      = "coredns"
	corednsReplicas  = 2
	// podsNamespace is where EKS runs CoreDNS; Options.WorkloadNamespace
	// stands in for it.
	podsNamespace = "kube-system"
	// eksManager is the field manager the Sim writes the workload with.
	eksManager = "eks"
)

// CoreDNSLabels are the labels of the CoreDNS pods EKS creates: the
// graph's, which orders the coredns add-on after the profiles that select
// them. k8s-app: kube-dns is what AWS's CoreDNS profile selects (AWS EKS
// User Guide, fargate-getting-started.adoc, "Step 4: Update CoreDNS").
var CoreDNSLabels = graph.CoreDNSPods.Labels

// eksInside does in the workload cluster, once obj's AWS resource exists,
// what EKS does there, and returns a health issue that keeps obj from being
// ACTIVE ("" when none). A Cluster whose spec.bootstrapSelfManagedAddons is
// not false gets the self-managed CoreDNS (ec2 compute type); the coredns
// Addon installs CoreDNS as its configurationValues say and is healthy only
// when every pod can be scheduled.
func (s *Sim) eksInside(ctx context.Context, obj *unstructured.Unstructured) (string, error) {
	if s.opts.Workload == nil || obj.GroupVersionKind().Group != ack.EKSGroup {
		return "", nil
	}
	switch obj.GetKind() {
	case "Cluster":
		if bootstrap, found, _ := unstructured.NestedBool(obj.Object, "spec", "bootstrapSelfManagedAddons"); found && !bootstrap {
			return "", nil
		}
		_, err := s.coreDNS(ctx, obj, map[string]string{computeTypeAnnotation: "ec2"})
		return "", err
	case "Addon":
		if name, _, _ := unstructured.NestedString(obj.Object, "spec", "name"); name != corednsName {
			return "", nil
		}
		annotations, err := corednsAnnotations(obj)
		if err != nil {
			return "", err
		}
		pods, err := s.coreDNS(ctx, obj, annotations)
		if err != nil {
			return "", err
		}
		return s.unschedulable(ctx, obj, pods)
	}
	return "", nil
}

// corednsAnnotations are the pod annotations EKS renders for the coredns
// add-on: the compute type configurationValues sets, as it is, else ec2
// (terraform-aws-eks tests/eks-fargate-profile/main.tf). eksctl schedules
// CoreDNS onto Fargate by setting the pod template's compute-type
// annotation to exactly "fargate" (eksctl-io/eksctl
// pkg/fargate/coredns/coredns.go at 99984adb), and a user's computeType
// "Fargate" left CoreDNS Pending (terraform-aws-modules/terraform-aws-eks
// PR #2922, fixed in v20.2.2): no case is folded.
func corednsAnnotations(obj *unstructured.Unstructured) (map[string]string, error) {
	values, _, _ := unstructured.NestedString(obj.Object, "spec", "configurationValues")
	var cfg struct {
		ComputeType string `json:"computeType"`
	}
	if values != "" {
		if err := json.Unmarshal([]byte(values), &cfg); err != nil {
			return nil, fmt.Errorf("configurationValues: %w", err)
		}
	}
	if cfg.ComputeType != "" {
		return map[string]string{computeTypeAnnotation: cfg.ComputeType}, nil
	}
	return map[string]string{computeTypeAnnotation: "ec2"}, nil
}

// coreDNS writes the CoreDNS Deployment with the given pod annotations and
// plays its ReplicaSet: pods of an older template are replaced, and each
// new pod gets its scheduler from the Fargate admission when it is
// created. Pods already there are never looked at again, as in EKS.
func (s *Sim) coreDNS(ctx context.Context, owner *unstructured.Unstructured, annotations map[string]string) ([]corev1.Pod, error) {
	c, ns := s.opts.Workload, s.opts.WorkloadNamespace
	dep := corednsDeployment(ns, annotations)
	live := &appsv1.Deployment{}
	switch err := c.Get(ctx, client.ObjectKeyFromObject(dep), live); {
	case apierrors.IsNotFound(err):
		if err := c.Create(ctx, dep, client.FieldOwner(eksManager)); err != nil {
			return nil, err
		}
		s.record(owner, "coredns deployment created")
	case err != nil:
		return nil, err
	case !maps.Equal(live.Spec.Template.Annotations, dep.Spec.Template.Annotations):
		live.Spec.Template.Annotations = dep.Spec.Template.Annotations
		if err := c.Update(ctx, live, client.FieldOwner(eksManager)); err != nil {
			return nil, err
		}
		s.record(owner, "coredns deployment updated")
	}
	return s.replicaSet(ctx, owner, dep)
}

func corednsDeployment(ns string, annotations map[string]string) *appsv1.Deployment {
	replicas := int32(corednsReplicas)
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: corednsName, Namespace: ns, Labels: maps.Clone(CoreDNSLabels)},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"k8s-app": "kube-dns"}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: maps.Clone(CoreDNSLabels), Annotations: annotations},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{
					Name: corednsName, Image: "602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/coredns:sim",
				}}},
			},
		},
	}
}

// templateHash names a pod template version, like pod-template-hash.
func templateHash(t corev1.PodTemplateSpec) string {
	h := fnv.New32a()
	for _, k := range slices.Sorted(maps.Keys(t.Annotations)) {
		fmt.Fprintf(h, "%s=%s;", k, t.Annotations[k])
	}
	return fmt.Sprintf("%08x", h.Sum32())
}

// replicaSet deletes the CoreDNS pods of other template versions and
// creates the missing ones of dep's; it returns the current pods.
func (s *Sim) replicaSet(ctx context.Context, owner *unstructured.Unstructured, dep *appsv1.Deployment) ([]corev1.Pod, error) {
	c, hash := s.opts.Workload, templateHash(dep.Spec.Template)
	list := &corev1.PodList{}
	if err := c.List(ctx, list, client.InNamespace(dep.Namespace), client.MatchingLabels(dep.Spec.Selector.MatchLabels)); err != nil {
		return nil, err
	}
	var current []corev1.Pod
	for _, p := range list.Items {
		if p.Labels["pod-template-hash"] == hash {
			current = append(current, p)
			continue
		}
		if err := c.Delete(ctx, &p); client.IgnoreNotFound(err) != nil {
			return nil, err
		}
	}
	for i := len(current); i < int(*dep.Spec.Replicas); i++ {
		p, err := s.newPod(ctx, owner, dep, hash, i)
		if err != nil {
			return nil, err
		}
		current = append(current, *p)
	}
	return current, nil
}

// newPod creates one CoreDNS pod, its scheduler chosen by the Fargate
// admission at this moment.
func (s *Sim) newPod(ctx context.Context, owner *unstructured.Unstructured, dep *appsv1.Deployment, hash string, i int) (*corev1.Pod, error) {
	tmpl := dep.Spec.Template.DeepCopy()
	p := &corev1.Pod{ObjectMeta: tmpl.ObjectMeta, Spec: tmpl.Spec}
	p.Name, p.Namespace = fmt.Sprintf("%s-%s-%d", corednsName, hash, i), dep.Namespace
	p.Labels["pod-template-hash"] = hash
	fargate, err := s.fargateSelects(ctx, owner, p)
	if err != nil {
		return nil, err
	}
	p.Spec.SchedulerName = corev1.DefaultSchedulerName
	if fargate {
		p.Spec.SchedulerName = FargateScheduler
	}
	if err := s.opts.Workload.Create(ctx, p, client.FieldOwner(eksManager)); err != nil {
		return nil, err
	}
	s.record(owner, "coredns pod "+p.Name+" created for "+p.Spec.SchedulerName)
	return p, nil
}

// fargateSelects is EKS's Fargate admission for pod p: true when p asks
// for no compute type other than Fargate's (fargateComputeType) and an
// ACTIVE (synced) Fargate profile of owner's cluster selects its namespace
// and labels (graph.Selects: the rule of the AWS EKS User Guide,
// fargate-profile.adoc).
func (s *Sim) fargateSelects(ctx context.Context, owner *unstructured.Unstructured, p *corev1.Pod) (bool, error) {
	if !fargateComputeType(p.Annotations) {
		return false, nil
	}
	profiles, err := s.activeOfCluster(ctx, owner, "FargateProfile")
	if err != nil {
		return false, err
	}
	for _, fp := range profiles {
		if graph.Selects(&fp, graph.Pods{Namespace: podsNamespace, Labels: p.Labels}) {
			return true, nil
		}
	}
	return false, nil
}

// unschedulable returns the health issue of the coredns add-on: some pod
// is neither on Fargate nor schedulable on a node (no node group of the
// cluster is ACTIVE).
func (s *Sim) unschedulable(ctx context.Context, owner *unstructured.Unstructured, pods []corev1.Pod) (string, error) {
	groups, err := s.activeOfCluster(ctx, owner, "Nodegroup")
	if err != nil {
		return "", err
	}
	var pending []string
	for _, p := range pods {
		if p.Spec.SchedulerName != FargateScheduler && len(groups) == 0 {
			pending = append(pending, p.Name)
		}
	}
	if len(pending) == 0 {
		return "", nil
	}
	return fmt.Sprintf("%d of %d CoreDNS pods cannot be scheduled: %s", len(pending), len(pods), strings.Join(pending, ", ")), nil
}

// activeOfCluster returns the synced objects of kind (FargateProfile,
// Nodegroup) in the Sim's namespace that belong to owner's cluster.
func (s *Sim) activeOfCluster(ctx context.Context, owner *unstructured.Unstructured, kindName string) ([]unstructured.Unstructured, error) {
	cluster, err := s.clusterName(ctx, owner)
	if err != nil {
		return nil, err
	}
	items, err := s.list(ctx, kind{GroupKind: schema.GroupKind{Group: ack.EKSGroup, Kind: kindName}})
	if err != nil {
		return nil, err
	}
	var out []unstructured.Unstructured
	for _, it := range items {
		name, err := s.clusterName(ctx, &it)
		if err != nil {
			return nil, err
		}
		if name == cluster && hasCondition(conditionsOf(&it), condResourceSynced, "True") {
			out = append(out, it)
		}
	}
	return out, nil
}

// fargateTaint is the taint of every Fargate node (the AWS EKS User Guide
// tells pods to stay off Fargate with a node affinity on
// eks.amazonaws.com/compute-type NotIn [fargate],
// eks-networking-add-ons.adoc at 4d52b4d0; awsdocs/amazon-eks-user-guide
// issue #775 quotes the taint from a Fargate node).
var fargateTaint = corev1.Taint{Key: computeTypeAnnotation, Value: "fargate", Effect: corev1.TaintEffectNoSchedule}

// fargateComputeType is the admission's reading of a pod's compute-type
// annotation: none, or exactly the value of fargateTaint. Kubernetes
// compares annotation and taint values as the bytes they are (a toleration
// matches a taint only on equal strings, k8s.io/api core/v1
// Toleration.ToleratesTaint), so "ec2" and "Fargate" both keep the pod off
// Fargate, where it stays Pending on a cluster without node groups.
func fargateComputeType(annotations map[string]string) bool {
	v, ok := annotations[computeTypeAnnotation]
	if !ok {
		return true
	}
	as := corev1.Toleration{Key: computeTypeAnnotation, Operator: corev1.TolerationOpEqual, Value: v, Effect: fargateTaint.Effect}
	return as.ToleratesTaint(klog.Background(), &fargateTaint, false)
}
