package gen

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// albClusterTag is the tag the load balancer controller puts on every AWS
// resource it creates, with the value of its --cluster-name
// (kubernetes-sigs/aws-load-balancer-controller v3.5.0
// pkg/deploy/tracking/provider.go:15, :113).
const albClusterTag = "elbv2.k8s.aws/cluster"

// scopedALBPolicy returns the controller's upstream IAM policy (albPolicy)
// scoped to one cluster: wherever upstream only checks that the cluster
// tag is present ("Null": {"aws:ResourceTag/elbv2.k8s.aws/cluster":
// "false"}, the same for aws:RequestTag), the statement also requires it to
// equal cluster ("StringEquals"). Upstream's policy lets the controller of
// any cluster in the account modify or delete every other cluster's load
// balancers, target groups and security groups; this one only its own.
// Nothing else changes (TestScopedALBPolicy).
func scopedALBPolicy(cluster string) (string, error) {
	var doc map[string]any
	if err := json.Unmarshal([]byte(albPolicy), &doc); err != nil {
		return "", fmt.Errorf("alb/iam_policy.json: %w", err)
	}
	statements, _ := doc["Statement"].([]any)
	for i, s := range statements {
		st, _ := s.(map[string]any)
		cond, _ := st["Condition"].(map[string]any)
		if err := scopeCondition(cond, cluster); err != nil {
			return "", fmt.Errorf("alb/iam_policy.json Statement[%d]: %w", i, err)
		}
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return "", fmt.Errorf("alb/iam_policy.json: %w", err)
	}
	if n := len(strings.Join(strings.Fields(string(b)), "")); n > maxManagedPolicySize {
		return "", fmt.Errorf("the load balancer controller's policy scoped to cluster %q has %d characters, IAM allows %d: choose a shorter name",
			cluster, n, maxManagedPolicySize)
	}
	return string(b) + "\n", nil
}

// maxManagedPolicySize is IAM's limit on a managed policy, white space not
// counted (docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
const maxManagedPolicySize = 6144

// scopeCondition adds, to a statement's condition block, StringEquals
// cluster for every cluster tag key whose Null test is "false" (present).
func scopeCondition(cond map[string]any, cluster string) error {
	null, _ := cond["Null"].(map[string]any)
	keys := make([]string, 0, len(null))
	for k := range null {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !strings.HasSuffix(k, "Tag/"+albClusterTag) || null[k] != "false" {
			continue
		}
		eq, ok := cond["StringEquals"].(map[string]any)
		if !ok {
			if cond["StringEquals"] != nil {
				return fmt.Errorf("Condition.StringEquals is not an object")
			}
			eq = map[string]any{}
			cond["StringEquals"] = eq
		}
		if _, taken := eq[k]; taken {
			return fmt.Errorf("Condition.StringEquals already tests %s", k)
		}
		eq[k] = cluster
	}
	return nil
}
