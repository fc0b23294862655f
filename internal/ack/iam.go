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
	PolicyRefs               []*Ref            `json:"policyRefs,omitempty"`
	Tags                     []Tag             `json:"tags,omitempty"`
}

// Policy is iam.services.k8s.aws/v1alpha1 Policy, a customer managed policy.
type Policy struct {
	Object `json:",inline"`
	Spec   PolicySpec `json:"spec"`
}

// PolicySpec is the subset render sets.
type PolicySpec struct {
	Description    string `json:"description,omitempty"`
	Name           string `json:"name"`
	PolicyDocument string `json:"policyDocument"`
	Tags           []Tag  `json:"tags,omitempty"`
}

// OpenIDConnectProvider is iam.services.k8s.aws/v1alpha1
// OpenIDConnectProvider; its url is immutable. Without thumbprints IAM
// fetches the issuer's CA thumbprint itself.
type OpenIDConnectProvider struct {
	Object `json:",inline"`
	Spec   OpenIDConnectProviderSpec `json:"spec"`
}

// OpenIDConnectProviderSpec is the subset render sets.
type OpenIDConnectProviderSpec struct {
	ClientIDs []string `json:"clientIDs"`
	Tags      []Tag    `json:"tags,omitempty"`
	URL       string   `json:"url"`
}
