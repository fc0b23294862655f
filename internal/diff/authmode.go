package diff

import (
	"fmt"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/awsauth"
	"github.com/eks-render/render/internal/config"
)

// ModeStep is a change of an EKS cluster's authentication mode between the
// two sides of an environment. A review shows it as its own section, like
// an upgrade: EKS changes the mode one step at a time and never back
// (config.AuthenticationModes), so the rendering carries only the next
// step and the steps after it come later (render apply takes them in the
// same run; through GitOps, each commit after render outputs takes one).
type ModeStep struct {
	// Cluster is the Cluster object's name.
	Cluster string `json:"cluster"`
	From    string `json:"from"`
	To      string `json:"to"`
	// Then are the steps after To, up to API, that later renderings take.
	Then []string `json:"then,omitempty"`
	// AWSAuth says, for the step to API, which drops the aws-auth
	// ConfigMap path, where the cluster's aws-auth was read, or why not.
	AWSAuth *awsauth.Source `json:"awsAuth,omitempty"`
	// LosingAccess are, for the step to API, the principals of that
	// aws-auth without an access entry: they lose access with the step.
	LosingAccess []awsauth.Entry `json:"losingAccess,omitempty"`
}

// Lines are the section's lines under its headline, for the step to API:
// a warning per principal that loses access, or that aws-auth could not
// be checked.
func (m *ModeStep) Lines() []string {
	if m.AWSAuth == nil {
		return nil
	}
	if m.AWSAuth.Read == awsauth.FromNeither {
		where := ""
		if m.AWSAuth.Where != "" {
			where = " (" + m.AWSAuth.Where + ")"
		}
		return []string{"WARNING aws-auth not checked" + where + ": " + m.AWSAuth.Why + "; the step to API drops its entries, whoever they are"}
	}
	if len(m.LosingAccess) == 0 {
		return []string{"aws-auth " + m.AWSAuth.String() + ": nobody loses access at API"}
	}
	var out []string
	for _, e := range m.LosingAccess {
		out = append(out, "WARNING "+e.String())
	}
	return out
}

// String is the section's line: "CONFIG_MAP -> API_AND_CONFIG_MAP, then
// API (one step at a time, never back; ...)".
func (m *ModeStep) String() string {
	s := m.From + " -> " + m.To
	if len(m.Then) > 0 {
		s += ", then " + strings.Join(m.Then, ", then ")
	}
	return s + " (EKS changes the mode one step at a time and never back; render apply waits for each step and takes the next, a GitOps commit takes one after render outputs records it)"
}

// ModeStepOf returns the authentication mode step from the mode the
// cluster runs, running, to the one the Cluster among objs is rendered
// with, or nil when they agree or either is unknown.
func ModeStepOf(running string, objs []*unstructured.Unstructured) *ModeStep {
	c := clusterOf(objs)
	if c == nil || running == "" {
		return nil
	}
	to, _, _ := unstructured.NestedString(c.Object, "spec", "accessConfig", "authenticationMode")
	if to == "" || to == running {
		return nil
	}
	m := &ModeStep{Cluster: c.GetName(), From: running, To: to}
	if i := slices.Index(config.AuthenticationModes, to); i >= 0 {
		m.Then = slices.Clone(config.AuthenticationModes[i+1:])
	}
	return m
}

// modeStepOf is the step between the Clusters of two renderings, nil when
// either has none.
func modeStepOf(a, b []*unstructured.Unstructured) *ModeStep {
	c := clusterOf(a)
	if c == nil {
		return nil
	}
	from, _, _ := unstructured.NestedString(c.Object, "spec", "accessConfig", "authenticationMode")
	return ModeStepOf(from, b)
}

// clusterOf is the EKS Cluster among objs, nil without one.
func clusterOf(objs []*unstructured.Unstructured) *unstructured.Unstructured {
	for _, u := range objs {
		if u != nil && u.GetKind() == "Cluster" && u.GroupVersionKind().Group == "eks.services.k8s.aws" {
			return u
		}
	}
	return nil
}

// modeLine is the section's text line.
func (e Environment) modeLine() string {
	return fmt.Sprintf("AUTHENTICATION MODE %s: Cluster %s %s", e.Name, e.AuthenticationMode.Cluster, e.AuthenticationMode)
}
