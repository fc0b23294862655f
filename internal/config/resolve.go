package config

import (
	"regexp"
	"strings"
)

var (
	dnsLabel    = lazyRegexp(`^[a-z]([-a-z0-9]*[a-z0-9])?$`)
	accountRE   = lazyRegexp(`^[0-9]{12}$`)
	tagCharsRE  = lazyRegexp(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)
	reservedTag = lazyRegexp(`^(Name|kubernetes\.io/.*|aws:.*|services\.k8s\.aws/.*)$`)
)

// resolve validates a merged spec and computes the environment from it.
func (c *checker) resolve(spec, s Spec) Environment {
	env := Environment{Name: c.env, DeletionPolicy: c.deletionPolicy(s)}
	c.identity(s, &env)
	c.management(spec, &env)
	env.Network = c.network(*s.Network, env.Region)
	env.Cluster = c.cluster(*s.Cluster, env.Partition, c.env == "prod")
	if *s.NodeGroup.Enabled {
		env.NodeGroup = c.nodeGroup(*s.NodeGroup)
	}
	oneOf(c, "fargateSystemSelectors", *s.FargateSystemSelectors, FargateSystemSelectorModes)
	env.FargateProfiles = c.fargateProfiles(s.FargateProfiles, env.NodeGroup == nil, *s.FargateSystemSelectors == SystemWithGame)
	env.App = c.app(*s.App, env.Region, env.AccountID)
	if len(env.FargateProfiles) > 0 { // else no pod runs on Fargate, and there is nothing to log
		env.FargateLogs = c.fargateLogs(*s.Logging.Fargate, env.Cluster.LogRetentionDays)
	}
	return env
}

func (c *checker) identity(s Spec, env *Environment) {
	switch {
	case s.Name == nil:
		// Reported once, not once per environment.
		c.failAt("spec.name", "is required: the platform name, e.g. name: demo")
	case !dnsLabel().MatchString(*s.Name):
		c.fail("name", "%q is not a valid platform name: want lowercase letters, digits and '-', starting with a letter and not ending with '-'", *s.Name)
	case len(*s.Name)+1+len(c.env) > MaxClusterName:
		c.fail("name", "%q makes the cluster name %q, which is %d characters; \"<name>-<environment>\" may be at most %d (it names IAM roles, whose names AWS limits to 64)",
			*s.Name, *s.Name+"-"+c.env, len(*s.Name)+1+len(c.env), MaxClusterName)
	}
	if s.Name != nil {
		env.Platform = *s.Name
		env.ClusterName = *s.Name + "-" + c.env
	}
	env.Region = *s.Region
	env.Partition = Partition(env.Region)
	c.checkRegion("region", env.Region)
	if s.AccountID != nil {
		env.AccountID = *s.AccountID
		if !accountRE().MatchString(env.AccountID) {
			c.fail("accountID", "%q is not an AWS account ID; want 12 digits, quoted", env.AccountID)
		}
	}
	env.Tags = c.tags(s.Tags)
}

// Partition is the ARN partition of region: aws-cn, aws-us-gov or aws.
func Partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

func (c *checker) tags(tags map[string]string) map[string]string {
	if len(tags) > MaxUserTags {
		c.fail("tags", "has %d tags; at most %d (AWS allows 50 per resource and render adds its own)", len(tags), MaxUserTags)
	}
	for _, k := range sortedKeys(tags) {
		rel := join("tags", k)
		switch v := tags[k]; {
		case k == "" || len(k) > 128 || !tagCharsRE().MatchString(k):
			c.fail(rel, "tag key must be 1 to 128 letters, digits, spaces or _.:/=+-@")
		case reservedTag().MatchString(k):
			c.fail(rel, "tag key is reserved: render sets Name and kubernetes.io/* itself, and aws: and services.k8s.aws/ belong to AWS and ACK")
		case len(v) > 256 || !tagCharsRE().MatchString(v):
			c.fail(rel, "tag value must be at most 256 letters, digits, spaces or _.:/=+-@")
		}
	}
	return tags
}

func (c *checker) deletionPolicy(s Spec) string {
	if s.DeletionPolicy == nil {
		if c.env == "prod" {
			return DeletionRetain
		}
		return DeletionDelete
	}
	oneOf(c, "deletionPolicy", *s.DeletionPolicy, DeletionPolicies)
	return *s.DeletionPolicy
}

// fargateLogs resolves logging.fargate; its retention defaults to the
// control-plane logs'.
func (c *checker) fargateLogs(f FargateLogging, clusterDays int) *FargateLogsEnv {
	if !*f.Enabled {
		return nil
	}
	out := &FargateLogsEnv{RetentionDays: clusterDays}
	if f.RetentionDays != nil {
		out.RetentionDays = *f.RetentionDays
		oneOf(c, "logging.fargate.retentionDays", out.RetentionDays, RetentionDays)
	}
	return out
}

func (c *checker) app(a App, region, account string) AppEnv {
	out := AppEnv{Replicas: *a.Replicas, Image: *a.Image, CPU: *a.CPU, Memory: *a.Memory}
	c.inRange("app.replicas", out.Replicas, 1, 100)
	switch {
	case !imageRE().MatchString(out.Image):
		c.fail("app.image", "%q must name its tag or digest explicitly, e.g. registry/repo:1.2.3 or registry/repo@sha256:<64 hex>", out.Image)
	case strings.HasSuffix(out.Image, ":latest") && out.Image != DefaultImage:
		c.fail("app.image", "%q names the moving tag latest; pin a version tag or a digest (registry/repo@sha256:<64 hex>)", out.Image)
	}
	c.quantity("app.cpu", out.CPU, `^([0-9]+m|[0-9]+(\.[0-9]+)?)$`, "CPU such as 250m or 1")
	c.quantity("app.memory", out.Memory, `^[0-9]+(Mi|Gi)$`, "memory such as 512Mi or 2Gi")
	if *a.Autoscaling.Enabled {
		out.Autoscaling = c.autoscaling(*a.Autoscaling)
	}
	if a.TLS != nil {
		out.TLS = c.tls(*a.TLS, region, account)
	}
	return out
}

func (c *checker) autoscaling(a Autoscaling) *AutoscalingEnv {
	out := &AutoscalingEnv{MinReplicas: *a.MinReplicas, MaxReplicas: *a.MaxReplicas, TargetCPUUtilization: *a.TargetCPUUtilization}
	minOK := c.inRange("app.autoscaling.minReplicas", out.MinReplicas, 1, 100)
	maxOK := c.inRange("app.autoscaling.maxReplicas", out.MaxReplicas, 1, 100)
	if minOK && maxOK && out.MinReplicas > out.MaxReplicas {
		c.fail("app.autoscaling.maxReplicas", "is %d, below minReplicas %d; want minReplicas <= maxReplicas", out.MaxReplicas, out.MinReplicas)
	}
	c.inRange("app.autoscaling.targetCPUUtilization", out.TargetCPUUtilization, 1, 100)
	for _, prefix := range []string{join("environments", c.env), "spec"} {
		if _, written := c.owner(prefix, "app.replicas"); written {
			c.warn("app.replicas", "is ignored while app.autoscaling is enabled: the autoscaler sets the count, from minReplicas %d to maxReplicas %d", out.MinReplicas, out.MaxReplicas)
			break
		}
	}
	return out
}

var imageRE = lazyRegexp(`^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$`)

func (c *checker) quantity(rel, v, pattern, want string) {
	if !regexp.MustCompile(pattern).MatchString(v) {
		c.fail(rel, "%q is not a %s", v, want)
	}
}
