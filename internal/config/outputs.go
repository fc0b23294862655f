package config

import (
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
)

// OutputsKind is the kind of a per-environment outputs file.
const OutputsKind = "Outputs"

// LateValues are the values that exist only after AWS has created the first
// objects. render apply reads them from the live objects; `render outputs`
// writes them to a committed per-environment file for GitOps. Either way
// the generator takes them as an input, so the second-phase objects come
// from the same code. An empty field is unknown, and whatever needs it is
// not rendered yet.
type LateValues struct {
	// AccountID is the AWS account the cluster lives in.
	AccountID string `yaml:"accountID,omitempty" json:"accountID,omitempty"`
	// VPCID is the VPC's ID, for FlowLog.spec.resourceID and the load
	// balancer controller; not needed, nor read, on network.existing,
	// which gives it.
	VPCID string `yaml:"vpcID,omitempty" json:"vpcID,omitempty"`
	// OIDCIssuer is the cluster's status.identity.oidc.issuer.
	OIDCIssuer string `yaml:"oidcIssuer,omitempty" json:"oidcIssuer,omitempty"`
	// ClusterEndpoint and ClusterCA (base64 PEM) reach the new cluster.
	ClusterEndpoint string `yaml:"clusterEndpoint,omitempty" json:"clusterEndpoint,omitempty"`
	ClusterCA       string `yaml:"clusterCA,omitempty" json:"clusterCA,omitempty"`
	// ClusterVersion is the Kubernetes version the control plane runs, as
	// last seen ACTIVE and synced. While it is older than cluster.version
	// (an upgrade under way), the node group and the add-ons are rendered
	// for it, since EKS refuses a node group newer than its control plane.
	ClusterVersion string `yaml:"clusterVersion,omitempty" json:"clusterVersion,omitempty"`
	// NodegroupVersion is the Kubernetes version the node group runs, as
	// last seen synced. While it differs from the version rendered, the
	// node group is rendered with an empty releaseVersion, which the ACK
	// controller does not compare, so that the version can change.
	NodegroupVersion string `yaml:"nodegroupVersion,omitempty" json:"nodegroupVersion,omitempty"`
	// AuthenticationMode is the authentication mode the cluster runs, as
	// last seen ACTIVE and synced. While it is behind API, the Cluster is
	// rendered with the next mode EKS accepts from it
	// (NextAuthenticationMode): EKS changes it one step at a time.
	AuthenticationMode string `yaml:"authenticationMode,omitempty" json:"authenticationMode,omitempty"`
}

// Outputs is the committed file of one environment's late values.
type Outputs struct {
	// APIVersion is the version of this file's format.
	APIVersion string `yaml:"apiVersion" json:"apiVersion"`
	// Kind is always Outputs.
	Kind string `yaml:"kind" json:"kind"`
	// Environment names the environment the values belong to; it must be
	// the one the file is read for.
	Environment string `yaml:"environment" json:"environment"`
	// Values are the late values.
	Values LateValues `yaml:"values" json:"values"`
}

var (
	vpcIDRE  = lazyRegexp(`^vpc-[0-9a-f]{8,17}$`)
	base64RE = lazyRegexp(`^[A-Za-z0-9+/]+=*$`)
)

// ParseOutputs decodes and checks an outputs file for environment env,
// with the same located errors as Parse.
func ParseOutputs(file, env string, data []byte) (LateValues, error) {
	root, ferr := readDocument(file, data)
	if ferr != nil {
		return LateValues{}, Errors{ferr}
	}
	d := &decoder{file: file, pos: map[string]position{}}
	var out Outputs
	d.decode(root, reflect.ValueOf(&out).Elem(), "")
	if len(d.errs) == 0 {
		d.checkConst("apiVersion", out.APIVersion, APIVersion)
		d.checkConst("kind", out.Kind, OutputsKind)
		if out.Environment != env {
			d.failAt("environment", "is %q, but this is the file of environment %s", out.Environment, env)
		}
		d.checkLate(out.Values)
	}
	if len(d.errs) > 0 {
		return LateValues{}, d.errs.sorted()
	}
	return out.Values, nil
}

func (d *decoder) checkLate(v LateValues) {
	if v.AccountID != "" && !accountRE().MatchString(v.AccountID) {
		d.failAt("values.accountID", "%q is not an AWS account ID; want 12 digits", v.AccountID)
	}
	if v.VPCID != "" && !vpcIDRE().MatchString(v.VPCID) {
		d.failAt("values.vpcID", "%q is not a VPC ID; want vpc- and 8 or 17 hex digits", v.VPCID)
	}
	for _, f := range []struct{ path, value string }{{"values.oidcIssuer", v.OIDCIssuer}, {"values.clusterEndpoint", v.ClusterEndpoint}} {
		if u, err := url.Parse(f.value); f.value != "" && (err != nil || u.Scheme != "https" || u.Host == "") {
			d.failAt(f.path, "%q is not an https URL", f.value)
		}
	}
	if v.ClusterCA != "" && !base64RE().MatchString(strings.TrimSpace(v.ClusterCA)) {
		d.failAt("values.clusterCA", "is not base64 (the cluster's certificateAuthority.data)")
	}
	for _, f := range []struct{ path, value string }{{"values.clusterVersion", v.ClusterVersion}, {"values.nodegroupVersion", v.NodegroupVersion}} {
		if f.value != "" && !slices.Contains(KubernetesVersions(), f.value) {
			d.failAt(f.path, "%q is not a Kubernetes version the EKS calendar lists; want one of %s", f.value, listOf(KubernetesVersions()))
		}
	}
	if m := v.AuthenticationMode; m != "" && !slices.Contains(AuthenticationModes, m) {
		d.failAt("values.authenticationMode", "%q is not an EKS authentication mode; want one of %s", m, listOf(AuthenticationModes))
	}
}

// OutputsFile is where an environment's outputs file lives, relative to the
// configuration file's directory.
func OutputsFile(env string) string { return fmt.Sprintf("outputs/%s.yaml", env) }
