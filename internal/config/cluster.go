package config

import (
	"fmt"
	"net/netip"
	"slices"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/eks-render/render/internal/eksversion"
)

var (
	principalRE    = lazyRegexp(`^arn:(aws|aws-cn|aws-us-gov):iam::[0-9]{12}:(role|user)/[\w+=,.@/-]{1,512}$`)
	instanceTypeRE = lazyRegexp(`^[a-z][a-z0-9-]*\.[a-z0-9]+$`)
	profileNameRE  = lazyRegexp(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
)

func (c *checker) cluster(cl Cluster, partition string, prod bool) ClusterEnv {
	ep := cl.Endpoint
	out := ClusterEnv{
		SupportType: *cl.SupportType, LogTypes: cl.LogTypes, LogRetentionDays: *cl.LogRetentionDays,
		PublicAccess: *ep.PublicAccess, PrivateAccess: *ep.PrivateAccess,
		DeletionProtection: prod, Admins: cl.Admins,
	}
	if cl.DeletionProtection != nil {
		out.DeletionProtection = *cl.DeletionProtection
	}
	out.Version = c.version(cl.Version, out.SupportType)
	oneOf(c, "cluster.supportType", out.SupportType, SupportTypes)
	c.unique("cluster.logTypes", out.LogTypes, func(rel, v string) { oneOf(c, rel, v, LogTypes) })
	oneOf(c, "cluster.logRetentionDays", out.LogRetentionDays, RetentionDays)
	out.PublicAccessCIDRs = c.publicAccess(ep, out.PublicAccess, out.PrivateAccess)
	switch {
	case out.Admins == nil:
		// Reported once, not once per environment.
		c.failAt("spec.cluster.admins", "is required: list at least one IAM role or user ARN to get cluster-admin, e.g. arn:aws:iam::111122223333:role/PlatformAdmin")
	case len(out.Admins) == 0:
		c.fail("cluster.admins", "is empty, so nobody could use the cluster: list at least one IAM role or user ARN, e.g. arn:aws:iam::111122223333:role/PlatformAdmin")
	}
	c.unique("cluster.admins", out.Admins, func(rel, arn string) {
		if m := principalRE().FindStringSubmatch(arn); m == nil {
			c.fail(rel, "%q is not an IAM role or user ARN; want arn:%s:iam::<account>:role/<name> or :user/<name>", arn, partition)
		} else if m[1] != partition {
			c.fail(rel, "%q is in partition %s but the region is in %s", arn, m[1], partition)
		} else if arn == PlaceholderAdmin(partition, ExampleAccountID) {
			c.warn(rel, "%q is render init's placeholder in the documentation's example account; list an IAM role or user of yours, or nobody can use the cluster", arn)
		}
	})
	return out
}

// version resolves cluster.version on the day render runs: the default is
// the newest version in standard support; a version EKS does not offer is
// an error; one that leaves standard (or, by choice, extended) support
// within versionWarnDays gets a warning, because AWS then upgrades the
// cluster by itself (STANDARD) or starts billing extended support. The end
// day itself is billed: AWS bills extended support "from the beginning of
// the day that the version reaches end of standard support" (EKS User
// Guide, kubernetes-versions; internal/eksversion/releases.md).
func (c *checker) version(v *string, supportType string) string {
	if v == nil {
		return eksversion.Default(c.day)
	}
	if err := eksversion.CheckOffered(*v, c.day); err != nil {
		c.fail("cluster.version", "%v", err)
		return *v
	}
	r, _ := eksversion.Lookup(*v)
	next := eksversion.Next(*v)
	switch r.SupportOn(c.day) {
	case eksversion.Standard:
		if days := c.day.DaysUntil(r.EndStandard); days <= versionWarnDays {
			then := fmt.Sprintf("AWS then upgrades the cluster to %s by itself (supportType STANDARD)", next)
			if supportType == SupportExtended {
				then = "extended support is billed per cluster hour from the start of that day (supportType EXTENDED)"
			}
			c.warn("cluster.version", "%q leaves EKS standard support on %s (UTC), in %d days; %s: upgrade to %s first (docs/operations.md, Upgrading)", *v, r.EndStandard, days, then, next)
		}
	case eksversion.Extended:
		days := c.day.DaysUntil(r.EndExtended)
		c.warn("cluster.version", "%q is in EKS extended support since %s (UTC): extended support is billed per cluster hour, and AWS upgrades the cluster from %s, in %d days: upgrade to %s (docs/operations.md, Upgrading)", *v, r.EndStandard, r.EndExtended, days, next)
	}
	return *v
}

// versionWarnDays is how long before a version leaves standard support
// render starts to warn.
const versionWarnDays = 90

func (c *checker) publicAccess(ep *Endpoint, public, private bool) []string {
	if !public && !private {
		c.fail("cluster.endpoint", "publicAccess and privateAccess are both false; the API server would be unreachable")
	}
	if !public {
		if ep.PublicAccessCIDRs != nil {
			c.fail("cluster.endpoint.publicAccessCIDRs", "is only allowed with publicAccess: true")
		}
		return nil
	}
	if ep.PublicAccessCIDRs == nil {
		return []string{"0.0.0.0/0"}
	}
	if len(ep.PublicAccessCIDRs) == 0 {
		c.fail("cluster.endpoint.publicAccessCIDRs", "is empty; list at least one CIDR, or set publicAccess: false")
	}
	c.unique("cluster.endpoint.publicAccessCIDRs", ep.PublicAccessCIDRs, func(rel, s string) {
		if p, err := netip.ParsePrefix(s); err != nil || !p.Addr().Is4() || p.Masked() != p {
			c.fail(rel, "%q is not an IPv4 CIDR without host bits; want e.g. 203.0.113.0/24", s)
		}
	})
	return ep.PublicAccessCIDRs
}

// unique checks each element with check and reports repeats. It keeps an
// index rather than searching the list, so that a long list costs linear time.
func (c *checker) unique(rel string, vs []string, check func(rel, v string)) {
	first := make(map[string]int, len(vs))
	for i, v := range vs {
		elem := fmt.Sprintf("%s[%d]", rel, i)
		if j, dup := first[v]; dup {
			c.fail(elem, "%q repeats %s[%d]", v, rel, j)
			continue
		}
		first[v] = i
		check(elem, v)
	}
}

func (c *checker) nodeGroup(ng NodeGroup) *NodeGroupEnv {
	out := &NodeGroupEnv{
		InstanceTypes: ng.InstanceTypes, MinSize: *ng.MinSize, DesiredSize: *ng.DesiredSize, MaxSize: *ng.MaxSize,
		AMIType: *ng.AMIType, CapacityType: *ng.CapacityType, DiskSize: *ng.DiskSize,
	}
	if len(out.InstanceTypes) == 0 {
		c.fail("nodeGroup.instanceTypes", "is empty; list at least one instance type such as t3.medium")
	}
	c.unique("nodeGroup.instanceTypes", out.InstanceTypes, func(rel, t string) {
		if !instanceTypeRE().MatchString(t) {
			c.fail(rel, "%q is not an EC2 instance type; want e.g. t3.medium", t)
		}
	})
	switch {
	case out.MaxSize < 1:
		c.fail("nodeGroup.maxSize", "is %d; want at least 1 (set nodeGroup.enabled: false for a Fargate-only cluster)", out.MaxSize)
	case out.MinSize < 0 || out.MinSize > out.DesiredSize || out.DesiredSize > out.MaxSize:
		c.fail("nodeGroup.desiredSize", "sizes are min %d, desired %d, max %d; want 0 <= minSize <= desiredSize <= maxSize", out.MinSize, out.DesiredSize, out.MaxSize)
	}
	oneOf(c, "nodeGroup.amiType", out.AMIType, AMITypes)
	oneOf(c, "nodeGroup.capacityType", out.CapacityType, CapacityTypes)
	c.inRange("nodeGroup.diskSize", out.DiskSize, 20, 16384)
	return out
}

// SystemProfile is the Fargate profile added in Fargate-only mode so that
// the kube-system pods render relies on, which would otherwise wait for a
// node, run on Fargate: CoreDNS and the AWS Load Balancer Controller; but
// only when no profile selects the game's namespace with room for their
// two selectors (see systemSelectors).
const SystemProfile = "kube-system"

// AppNamespace is the namespace of the 2048 game, which gen renders.
const AppNamespace = "2048-game"

// MetricsServerProfile is the Fargate profile added in Fargate-only mode
// for metrics-server. It is a profile of its own, not a selector of
// SystemProfile, because EKS cannot change a profile's selectors: a new
// selector would replace the kube-system profile of existing clusters,
// and deleting a profile deletes the pods it runs (CoreDNS, the load
// balancer controller), which then stay Pending until the new one is
// active (DeleteFargateProfile, EKS API reference).
const MetricsServerProfile = "metrics-server"

// LoadBalancerController is the app.kubernetes.io/name label of the AWS
// Load Balancer Controller's pods (gen renders them with it), which the
// CoreDNS profile selects.
const LoadBalancerController = "aws-load-balancer-controller"

// MetricsServer is the app.kubernetes.io/name label of the metrics-server
// pods (gen renders them with it), which MetricsServerProfile selects.
const MetricsServer = "metrics-server"

func (c *checker) fargateProfiles(profiles []FargateProfile, fargateOnly, withGame bool) []FargateProfile {
	out := append([]FargateProfile(nil), profiles...)
	names := map[string]int{}
	for i, p := range profiles {
		rel := fmt.Sprintf("fargateProfiles[%d]", i)
		if j, dup := names[p.Name]; dup {
			c.fail(rel+".name", "%q repeats fargateProfiles[%d].name", p.Name, j)
		}
		names[p.Name] = i
		if p.Name == "" {
			c.fail(rel+".name", "is missing; want lowercase letters, digits and '-', at most 63 characters")
		} else if !profileNameRE().MatchString(p.Name) || len(p.Name) > 63 {
			c.fail(rel+".name", "%q: want lowercase letters, digits and '-', at most 63 characters", p.Name)
		}
		if fargateOnly && p.Name == SystemProfile {
			c.fail(rel+".name", "%q is reserved for the kube-system profile of a Fargate-only cluster (CoreDNS and the load balancer controller)", p.Name)
		}
		if fargateOnly && p.Name == MetricsServerProfile {
			c.fail(rel+".name", "%q is reserved for the metrics-server profile of a Fargate-only cluster", p.Name)
		}
		c.selectors(rel+".selectors", p.Selectors)
	}
	if fargateOnly {
		out = systemSelectors(out, withGame)
		out = append(out, FargateProfile{Name: MetricsServerProfile, Selectors: []Selector{
			{Namespace: "kube-system", Labels: map[string]string{"app.kubernetes.io/name": MetricsServer}},
		}})
	}
	return out
}

// systemSelectors adds the selectors of CoreDNS and the load balancer
// controller, which a Fargate-only cluster runs on Fargate, to the first
// profile that selects the game's whole namespace and has room for them
// (a profile takes up to MaxFargateSelectors: "You may specify up to five
// selectors in a Fargate profile", EKS API reference, CreateFargateProfile;
// the eks-controller passes every spec.selectors entry to that call,
// v1.20.0 pkg/resource/fargate_profile/sdk.go:340-352
// newCreateRequestPayload), else in a profile of their own, SystemProfile.
// EKS creates a cluster's profiles one at a time, about five minutes each
// (graph's serialized), and the game needs all three
// (graph.PlayablePods): in one profile, its pods are admitted after one
// creation instead of two. All profiles run their pods with the same
// execution role in the same private subnets, so sharing one changes no
// pod's permissions or network. A profile cannot change its selectors
// (EKS: delete and re-create it), so on a live cluster whose profiles
// were laid out the other way render diff shows the game's profile as
// replaced and render apply refuses without --allow-replace; such an
// environment keeps its layout with fargateSystemSelectors: ownProfile
// (withGame false).
func systemSelectors(profiles []FargateProfile, withGame bool) []FargateProfile {
	system := []Selector{
		{Namespace: "kube-system", Labels: map[string]string{"k8s-app": "kube-dns"}},
		{Namespace: "kube-system", Labels: map[string]string{"app.kubernetes.io/name": LoadBalancerController}},
	}
	for i, p := range profiles {
		if !withGame {
			break
		}
		if len(p.Selectors)+len(system) > MaxFargateSelectors {
			continue
		}
		for _, s := range p.Selectors {
			if s.Namespace == AppNamespace && len(s.Labels) == 0 {
				profiles[i].Selectors = append(slices.Clone(p.Selectors), system...)
				return profiles
			}
		}
	}
	return append(profiles, FargateProfile{Name: SystemProfile, Selectors: system})
}

func (c *checker) selectors(rel string, sels []Selector) {
	if len(sels) < 1 || len(sels) > MaxFargateSelectors {
		c.fail(rel, "has %d selectors; a Fargate profile takes 1 to %d", len(sels), MaxFargateSelectors)
	}
	for i, s := range sels {
		srel := fmt.Sprintf("%s[%d]", rel, i)
		if s.Namespace == "" {
			c.fail(srel+".namespace", "is missing; want the namespace whose pods run on Fargate")
		} else if errs := validation.IsDNS1123Label(s.Namespace); len(errs) > 0 {
			c.fail(srel+".namespace", "%q is not a namespace name: %s", s.Namespace, errs[0])
		}
		if len(s.Labels) > MaxSelectorLabels {
			c.fail(srel+".labels", "has %d labels; a Fargate selector takes at most %d", len(s.Labels), MaxSelectorLabels)
		}
		for _, k := range sortedKeys(s.Labels) {
			errs := append(validation.IsQualifiedName(k), validation.IsValidLabelValue(s.Labels[k])...)
			if len(errs) > 0 {
				c.fail(join(srel+".labels", k), "not a valid Kubernetes label: %s", errs[0])
			}
		}
	}
}
