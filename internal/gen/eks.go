package gen

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/eks-render/render/internal/ack"
	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/eksversion"
)

// nodegroupName is the node group's object and AWS name.
const nodegroupName = "system"

// clusterObjectName is the Cluster object's name: the platform name, so
// that `kubectl get clusters -A` lists demo in namespace demo-dev.
func (r *renderer) clusterObjectName() string { return r.env.Platform }

// privateSubnets are the subnets of the cluster, its node group and
// Fargate profiles: the IDs of network.existing, or references to the
// private subnets render creates.
func (r *renderer) privateSubnets() (ids []string, refs []*ack.Ref) {
	if e := r.env.Network.Existing; e != nil {
		return append([]string(nil), e.PrivateSubnetIDs...), nil
	}
	return nil, r.privateSubnetRefs()
}

func (r *renderer) privateSubnetRefs() []*ack.Ref {
	refs := make([]*ack.Ref, len(r.env.Network.Zones))
	for i, z := range r.env.Network.Zones {
		refs[i] = ack.To(privateSubnet(z))
	}
	return refs
}

// eks returns the cluster, its node group (once the VPC CNI's role can be
// rendered, see nodeGroupAddons), Fargate profiles and access entries.
func (r *renderer) eks() []any {
	objs := []any{r.cluster()}
	if ng := r.env.NodeGroup; ng != nil && r.cniReady() {
		spec := ack.NodegroupSpec{
			AMIType: ng.AMIType, CapacityType: ng.CapacityType, ClusterRef: ack.To(r.clusterObjectName()),
			DiskSize: ng.DiskSize, InstanceTypes: ng.InstanceTypes, Name: nodegroupName,
			NodeRoleRef: ack.To(nodeRoleName), Tags: r.mapTags(),
			ScalingConfig: ack.ScalingConfig{DesiredSize: ng.DesiredSize, MaxSize: ng.MaxSize, MinSize: ng.MinSize},
			Version:       r.dataPlaneVersion(),
		}
		spec.Subnets, spec.SubnetRefs = r.privateSubnets()
		if live := r.late.NodegroupVersion; live != "" && live != spec.Version {
			spec.ReleaseVersion = new(string)
		}
		objs = append(objs, &ack.Nodegroup{Object: r.meta(ack.EKSGroup, "Nodegroup", nodegroupName), Spec: spec})
	}
	for _, p := range r.env.FargateProfiles {
		objs = append(objs, r.fargateProfile(p))
	}
	if r.accessEntriesWait() != "" {
		return objs
	}
	return append(objs, r.accessEntries()...)
}

func (r *renderer) cluster() *ack.Cluster {
	c := r.env.Cluster
	ids, refs := r.privateSubnets()
	return &ack.Cluster{Object: r.meta(ack.EKSGroup, "Cluster", r.clusterObjectName()), Spec: ack.ClusterSpec{
		// API mode: access only through access entries; the ACK controller's
		// own role, which creates the cluster, gets no admin rights. A
		// cluster that runs an earlier mode gets there a step at a time
		// (authenticationMode).
		AccessConfig: &ack.AccessConfig{AuthenticationMode: r.authenticationMode()},
		// No self-managed vpc-cni, kube-proxy and coredns: the Addon
		// objects install them (addons).
		BootstrapSelfManagedAddons: false,
		DeletionProtection:         c.DeletionProtection,
		Logging:                    &ack.Logging{ClusterLogging: logSetups(c.LogTypes)},
		Name:                       r.env.ClusterName,
		ResourcesVPCConfig: ack.ResourcesVPCConfig{
			EndpointPrivateAccess: c.PrivateAccess, EndpointPublicAccess: c.PublicAccess,
			PublicAccessCIDRs: c.PublicAccessCIDRs, SubnetIDs: ids, SubnetRefs: refs,
		},
		RoleRef:       ack.To(clusterRoleName),
		Tags:          r.mapTags(),
		UpgradePolicy: &ack.UpgradePolicy{SupportType: c.SupportType},
		Version:       c.Version,
	}}
}

// authenticationMode is the mode the Cluster is rendered with: API for a
// cluster render creates, else the next mode EKS accepts from the one the
// cluster runs, the live one (the late value, which render outputs
// records) or, before ACK has seen the cluster, the one render import
// recorded. EKS changes the mode one way and one step at a time
// (config.AuthenticationModes) and refuses anything else, and the
// eks-controller makes that update before any other of the Cluster
// (eks-controller v1.20.0 pkg/resource/cluster/hook.go:303-314): rendering
// API on a CONFIG_MAP cluster would block its version upgrade too. Access
// entries are not rendered while the cluster is known to run CONFIG_MAP
// (accessEntriesWait): their reference to the Cluster is not enough.
func (r *renderer) authenticationMode() string {
	live := r.runningMode()
	if live == "" {
		return "API"
	}
	return config.NextAuthenticationMode(live)
}

// runningMode is the authentication mode the cluster runs as far as
// render knows: the late value, else the one render import recorded; ""
// for a cluster render creates.
func (r *renderer) runningMode() string {
	if m := r.late.AuthenticationMode; m != "" {
		return m
	}
	if a := r.clusterAdoption(); a != nil {
		return a.AuthenticationMode
	}
	return ""
}

// clusterAdoption is the imports entry of the environment's Cluster, nil
// when render creates it.
func (r *renderer) clusterAdoption() *config.Adoption {
	for i, a := range r.env.Adopt {
		if a.Object == "Cluster/"+r.clusterObjectName() {
			return &r.env.Adopt[i]
		}
	}
	return nil
}

// accessEntriesWait says why the access entries are not rendered yet, ""
// when they are: a cluster known to run CONFIG_MAP has no access entry
// API, and EKS refuses CreateAccessEntry there ("The cluster's
// authentication mode must be set to one of [API, API_AND_CONFIG_MAP]",
// internal/acksim authmode.go has the sources). The reference to the
// Cluster does not hold them back where it matters: right after adopting
// a cluster the controller reports it synced as it is in AWS, for one
// pass, and the AccessEntry's reference resolves then (internal/apply
// status.go adoptionPass). They come with the rendering after the first
// mode step: render apply's next pass, a GitOps commit's next render gen.
func (r *renderer) accessEntriesWait() string {
	if r.runningMode() != config.AuthenticationModes[0] || len(r.env.Cluster.Admins) == 0 {
		return ""
	}
	return "AccessEntry objects: the cluster runs CONFIG_MAP, which has no access entries; they follow its step to API_AND_CONFIG_MAP (authenticationMode)"
}

// dataPlaneVersion is the Kubernetes version the node group and the
// add-ons are rendered for: the cluster's, except while its control plane
// is still on the previous minor (the late value ClusterVersion, which
// render outputs records from the live cluster; else, for a cluster
// adopted on an older minor, the version render import recorded). EKS refuses a node group
// newer than its control plane (InvalidParameterException, which the ACK
// eks-controller treats as terminal: generator.yaml terminal_codes for
// Nodegroup), so on the GitOps path, where everything is applied at once,
// they are held back until the control plane has been upgraded and the
// outputs file says so; render apply upgrades in order itself.
func (r *renderer) dataPlaneVersion() string {
	return dataPlaneVersion(r.env, r.late)
}

// RenderKey is what of late the rendering of env depends on: late with
// ClusterVersion replaced by the data plane version it gives, its only
// use. Two late values with the same key render the same objects
// (TestRenderKey), so a caller holding one rendering need not render the
// other.
func RenderKey(env config.Environment, late LateValues) LateValues {
	late.ClusterVersion = dataPlaneVersion(env, late)
	return late
}

func dataPlaneVersion(env config.Environment, late LateValues) string {
	r := &renderer{env: env, late: late}
	// The one read of late.ClusterVersion in gen (RenderKey).
	want, live := r.env.Cluster.Version, r.late.ClusterVersion
	if a := r.clusterAdoption(); live == "" && a != nil {
		// A cluster adopted on an older minor: the version render import
		// recorded, until the live Cluster or outputs file knows better.
		live = a.Version
	}
	if live != "" && eksversion.Compare(live, want) < 0 {
		return live
	}
	return want
}

// logSetups lists the enabled and the disabled log types, the way EKS
// reports them back, so that the controller has nothing to fill in.
func logSetups(on []string) []ack.LogSetup {
	var off []string
	for _, t := range config.LogTypes {
		if !slices.Contains(on, t) {
			off = append(off, t)
		}
	}
	var out []ack.LogSetup
	if len(on) > 0 {
		out = append(out, ack.LogSetup{Enabled: true, Types: on})
	}
	if len(off) > 0 {
		out = append(out, ack.LogSetup{Enabled: false, Types: off})
	}
	return out
}

func (r *renderer) fargateProfile(p config.FargateProfile) *ack.FargateProfile {
	sels := make([]ack.FargateSelector, len(p.Selectors))
	for i, s := range p.Selectors {
		sels[i] = ack.FargateSelector{Namespace: s.Namespace, Labels: s.Labels}
	}
	ids, refs := r.privateSubnets()
	return &ack.FargateProfile{Object: r.meta(ack.EKSGroup, "FargateProfile", p.Name), Spec: ack.FargateProfileSpec{
		ClusterRef: ack.To(r.clusterObjectName()), Name: p.Name, PodExecutionRoleRef: ack.To(fargateRoleName),
		Selectors: sels, Subnets: ids, SubnetRefs: refs, Tags: r.mapTags(),
	}}
}

// accessEntries gives each admin cluster-admin through an EKS access entry.
func (r *renderer) accessEntries() []any {
	names := accessEntryNames(r.env.Cluster.Admins)
	objs := make([]any, len(names))
	for i, arn := range r.env.Cluster.Admins {
		objs[i] = &ack.AccessEntry{Object: r.meta(ack.EKSGroup, "AccessEntry", names[i]), Spec: ack.AccessEntrySpec{
			AccessPolicies: []ack.AccessPolicy{{
				AccessScope: ack.AccessScope{Type: "cluster"},
				PolicyARN:   fmt.Sprintf("arn:%s:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", r.env.Partition),
			}},
			ClusterRef: ack.To(r.clusterObjectName()), PrincipalARN: arn, Tags: r.mapTags(), Type: "STANDARD",
		}}
	}
	return objs
}

var notName = regexp.MustCompile(`[^a-z0-9]+`)

// accessEntryNames names each admin's entry after the principal's own
// name ("admin-platformadmin"), adding a hash of the ARN where two would
// collide, so that names stay stable when the list changes.
func accessEntryNames(arns []string) []string {
	slugs := make([]string, len(arns))
	count := map[string]int{}
	for i, arn := range arns {
		base := arn[strings.LastIndex(arn, "/")+1:]
		slug := strings.Trim(notName.ReplaceAllString(strings.ToLower(base), "-"), "-")
		if len(slug) > 40 {
			slug = strings.TrimRight(slug[:40], "-")
		}
		slugs[i] = "admin-" + slug
		count[slugs[i]]++
	}
	for i, arn := range arns {
		if count[slugs[i]] > 1 || slugs[i] == "admin-" {
			sum := sha256.Sum256([]byte(arn))
			slugs[i] = strings.TrimSuffix(slugs[i], "-") + "-" + hex.EncodeToString(sum[:])[:8]
		}
	}
	return slugs
}
