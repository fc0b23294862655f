package ack

// Role is iam.services.k8s.aws/v1alpha1 Role.
type Role struct {
	Object `json:",inline"`
	Spec   RoleSpec `json:"spec"`
}

// RoleSpec is the subset render sets. Policies (managed policy ARNs) and
// PolicyRefs are mutually exclusive in the controller; render uses Policies
// and InlinePolicies only.
type RoleSpec struct {
	AssumeRolePolicyDocument string            `json:"assumeRolePolicyDocument"`
	Description              string            `json:"description,omitempty"`
	InlinePolicies           map[string]string `json:"inlinePolicies,omitempty"`
	Name                     string            `json:"name"`
	Policies                 []string          `json:"policies,omitempty"`
	Tags                     []Tag             `json:"tags,omitempty"`
}
