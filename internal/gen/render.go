package gen

import (
	"sort"

	"github.com/eks-render/render/internal/ack"
	"github.com/eks-render/render/internal/config"
)

// LateValues are the values known only after AWS created the first
// objects (config.LateValues: the one type the applier and the outputs
// file fill).
type LateValues = config.LateValues

// Rendering is one environment's objects, before they are laid out as a tree.
type Rendering struct {
	// Management objects go to the management cluster (ACK).
	Management []any
	// Workload objects go to the new EKS cluster: the 2048 game and, once
	// the VPC ID and account ID are known, the AWS Load Balancer Controller.
	Workload []any
	// Pending says, one line each, what was not rendered for want of a
	// late value.
	Pending []string
	// ManagementPending is the part of Pending about Management objects:
	// while it is not empty, Management is not the whole environment.
	ManagementPending []string
}

type renderer struct {
	env  config.Environment
	late LateValues
}

// Render returns the objects of one environment.
func Render(env config.Environment, late LateValues) (*Rendering, error) {
	r := &renderer{env: env, late: late}
	out := &Rendering{}
	out.Management = append(out.Management, r.network()...)
	out.Management = append(out.Management, r.logGroups()...)
	out.Management = append(out.Management, r.fargateLogGroup()...)
	out.Management = append(out.Management, r.roles()...)
	out.Management = append(out.Management, r.eks()...)
	if w := r.accessEntriesWait(); w != "" {
		out.Pending = append(out.Pending, w)
	}
	addons, pending, err := r.addons()
	if err != nil {
		return nil, err
	}
	out.Management = append(out.Management, addons...)
	if pending != "" {
		out.Pending = append(out.Pending, pending)
	}
	if fl, pending := r.flowLog(); fl != nil {
		out.Management = append(out.Management, fl)
	} else if pending != "" {
		out.Pending = append(out.Pending, pending)
	}
	irsa, irsaWaits, err := r.irsa()
	if err != nil {
		return nil, err
	}
	out.Management = append(out.Management, irsa...)
	out.Pending = append(out.Pending, irsaWaits...)
	out.ManagementPending = append([]string(nil), out.Pending...)
	if err := adopt(env, out.Management, len(out.ManagementPending) > 0); err != nil {
		return nil, err
	}
	w, err := r.workload()
	if err != nil {
		return nil, err
	}
	logging, err := r.fargateLogging()
	if err != nil {
		return nil, err
	}
	w = append(logging, w...) // first: the log router reads it when a pod starts
	lbc, waits, err := r.loadBalancerController()
	if err != nil {
		return nil, err
	}
	out.Workload = append(append(w, r.metricsServer()...), lbc...)
	if waits != "" {
		out.Pending = append(out.Pending, waits)
	}
	return out, nil
}

// meta is the header of every management object: labels that say who
// manages it, and the ACK annotations that pin its region and what happens
// to the AWS resource when the object is deleted.
func (r *renderer) meta(group, kind, name string) ack.Object {
	o := ack.Meta(group, kind, name)
	o.Labels = r.labels()
	o.Annotations = map[string]string{
		ack.RegionAnnotation:         r.env.Region,
		ack.DeletionPolicyAnnotation: r.env.DeletionPolicy,
	}
	return o
}

func (r *renderer) labels() map[string]string {
	return map[string]string{
		"app.kubernetes.io/managed-by": "render",
		"app.kubernetes.io/part-of":    r.env.Platform,
	}
}

// ec2Tags is the list-shaped tag set of an EC2 or IAM resource: a Name tag
// "<cluster>-<name>", the user's tags and extra, sorted by key.
func (r *renderer) ec2Tags(name string, extra map[string]string) []ack.Tag {
	all := map[string]string{"Name": r.env.ClusterName + "-" + name}
	for k, v := range r.env.Tags {
		all[k] = v
	}
	for k, v := range extra {
		all[k] = v
	}
	keys := make([]string, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	tags := make([]ack.Tag, len(keys))
	for i, k := range keys {
		tags[i] = ack.Tag{Key: k, Value: all[k]}
	}
	return tags
}

// mapTags is the map-shaped tag set of an EKS or CloudWatch Logs resource.
func (r *renderer) mapTags() map[string]string {
	if len(r.env.Tags) == 0 {
		return nil
	}
	out := make(map[string]string, len(r.env.Tags))
	for k, v := range r.env.Tags {
		out[k] = v
	}
	return out
}
