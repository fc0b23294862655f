package gen

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// albClusterTag is the tag the load balancer controller puts on every AWS
// resource it creates, with the value of its --cluster-name
// (kubernetes-sigs/aws-load-balancer-controller v3.5.0
// pkg/deploy/tracking/provider.go:15, :113).
const albClusterTag = "elbv2.k8s.aws/cluster"

// albScope is what the controller's policy is scoped to: the cluster name
// the controller tags its resources with, and the ARN pattern of the VPC it
// runs in (its --aws-vpc-id).
type albScope struct {
	Cluster string
	VPCARN  string
}

// scopedALBPolicy returns the controller's upstream IAM policy (albPolicy)
// scoped to one environment, as two documents: the Elastic Load Balancing
// statements and all others. Scoped, the one document would exceed IAM's
// limit on a managed policy; split by service, each half keeps room for a
// long cluster name. Nothing but conditions is added; Effect, Action and
// Resource stay upstream's, in upstream's order (TestScopedALBPolicy):
//
//   - wherever upstream only checks that the cluster tag is present
//     ("Null": {"aws:ResourceTag/elbv2.k8s.aws/cluster": "false"}, the same
//     for aws:RequestTag), the statement also requires it to equal the
//     cluster ("StringEquals");
//   - the statements upstream leaves open get the conditions of
//     albStatementScopes, each resting on what the controller does (cited
//     there).
func scopedALBPolicy(scope albScope) (other, elb string, err error) {
	var doc map[string]any
	if err := json.Unmarshal([]byte(albPolicy), &doc); err != nil {
		return "", "", fmt.Errorf("alb/iam_policy.json: %w", err)
	}
	statements, _ := doc["Statement"].([]any)
	scoped := make([]bool, len(albStatementScopes))
	var halves [2][]any
	for i, s := range statements {
		st, _ := s.(map[string]any)
		if err := scopeStatement(st, scope, scoped); err != nil {
			return "", "", fmt.Errorf("alb/iam_policy.json Statement[%d]: %w", i, err)
		}
		half := 0
		if strings.HasPrefix(stringList(st["Action"])[0], "elasticloadbalancing:") {
			half = 1
		}
		halves[half] = append(halves[half], st)
	}
	for i, done := range scoped {
		if !done {
			return "", "", fmt.Errorf("alb/iam_policy.json has no statement with the actions %v: the upstream policy changed, review albStatementScopes",
				albStatementScopes[i].Actions)
		}
	}
	var out [2]string
	for i, h := range halves {
		if out[i], err = policyJSON(doc["Version"], h, scope.Cluster); err != nil {
			return "", "", err
		}
	}
	return out[0], out[1], nil
}

// policyJSON is a policy document of statements, within IAM's size limit.
func policyJSON(version any, statements []any, cluster string) (string, error) {
	b, err := json.MarshalIndent(map[string]any{"Version": version, "Statement": statements}, "", "  ")
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

// scopeStatement adds the cluster tag's value to its presence tests and
// the conditions of the albStatementScopes entry whose actions are the
// statement's, marking that entry done.
func scopeStatement(st map[string]any, scope albScope, scoped []bool) error {
	cond, _ := st["Condition"].(map[string]any)
	if cond != nil {
		if err := scopeCondition(cond, scope.Cluster); err != nil {
			return err
		}
	}
	actions, resources := stringList(st["Action"]), stringList(st["Resource"])
	for i, s := range albStatementScopes {
		if !slices.Equal(s.Actions, actions) || (s.Resources != nil && !slices.Equal(s.Resources, resources)) {
			continue
		}
		if scoped[i] {
			return fmt.Errorf("a second statement with the actions %v: review albStatementScopes", s.Actions)
		}
		if cond == nil {
			cond = map[string]any{}
			st["Condition"] = cond
		}
		for _, c := range s.Conditions(scope) {
			if err := addCondition(cond, c); err != nil {
				return err
			}
		}
		scoped[i] = true
	}
	return nil
}

// stringList is a statement's Action or Resource as a list.
func stringList(v any) []string {
	var out []string
	switch a := v.(type) {
	case string:
		out = append(out, a)
	case []any:
		for _, v := range a {
			s, _ := v.(string)
			out = append(out, s)
		}
	}
	return out
}

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
		if err := addCondition(cond, condition{"StringEquals", k, cluster}); err != nil {
			return err
		}
	}
	return nil
}

// condition is one test of a statement's Condition block.
type condition struct {
	Operator, Key, Value string
}

// addCondition adds c to cond; a key the operator already tests is an
// error (upstream changed: review what render adds).
func addCondition(cond map[string]any, c condition) error {
	op, ok := cond[c.Operator].(map[string]any)
	if !ok {
		if cond[c.Operator] != nil {
			return fmt.Errorf("the statement's Condition.%s is not an object", c.Operator)
		}
		op = map[string]any{}
		cond[c.Operator] = op
	}
	if _, taken := op[c.Key]; taken {
		return fmt.Errorf("the statement's Condition.%s already tests %s", c.Operator, c.Key)
	}
	op[c.Key] = c.Value
	return nil
}
