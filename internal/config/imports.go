package config

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// ImportsKind is the kind of a per-environment imports file.
const ImportsKind = "Imports"

// Imports is the committed file `render import` writes: which of an
// environment's objects take over an AWS resource that already exists (one
// Terraform built), and the identifiers the ACK controller needs to find
// it. render gen renders the adoption annotations from it.
type Imports struct {
	APIVersion  string     `yaml:"apiVersion" json:"apiVersion"`
	Kind        string     `yaml:"kind" json:"kind"`
	Environment string     `yaml:"environment" json:"environment"`
	Adopt       []Adoption `yaml:"adopt" json:"adopt"`
}

// Adoption is one object that adopts an existing AWS resource.
type Adoption struct {
	// Object is the rendered object, Kind/name (its namespace is the
	// environment's), e.g. Subnet/private-a.
	Object string `yaml:"object" json:"object"`
	// Terraform is the address of the Terraform resource it takes over,
	// kept for the record (and for terraform state rm).
	Terraform string `yaml:"terraform" json:"terraform"`
	// ID is the AWS ID or ARN of the resource, for the record.
	ID string `yaml:"id" json:"id"`
	// Fields are the identifiers the controller reads the resource by
	// (the services.k8s.aws/adoption-fields annotation), e.g.
	// {subnetID: subnet-0123...}.
	Fields map[string]string `yaml:"fields" json:"fields"`
	// Name is the AWS name of the resource when it is not the one render
	// gives the object (a Terraform template's own names, e.g. the role
	// demo-eks-cluster-role for Role/cluster): gen renders it as the
	// object's spec.name, so that ACK adopts the resource instead of
	// creating a twin under render's name. Only kinds whose AWS name is
	// spec.name have one (NamedKinds).
	Name string `yaml:"name,omitempty" json:"name,omitempty"`
	// AuthenticationMode is, for a Cluster, the authentication mode the
	// cluster runs (Terraform's access_config.authentication_mode; render
	// import writes CONFIG_MAP, the API's default, when the state has
	// none). Until the live Cluster says otherwise, render renders the
	// next mode EKS accepts from it, not API at once (AuthenticationModes).
	AuthenticationMode string `yaml:"authenticationMode,omitempty" json:"authenticationMode,omitempty"`
	// Version is, for a Cluster, the Kubernetes minor version the cluster
	// runs (Terraform's version). Until the live Cluster or the outputs
	// file says otherwise, render holds the add-ons and the node group
	// back to it, as it does for a cluster of its own whose control plane
	// is still on the previous minor; a version more than one minor behind
	// cluster.version is refused (EKS upgrades one minor at a time).
	Version string `yaml:"version,omitempty" json:"version,omitempty"`
	// Keep are the create-only fields whose live value differs from what
	// render renders and which render import --allow-conflicts adopted as
	// they are: spec path (e.g. spec.selectors) -> the live value as JSON.
	// gen renders these values instead of its own (and drops the
	// reference form of the same field, e.g. spec.podExecutionRoleRef
	// when spec.podExecutionRoleARN is kept), so that the object's spec
	// is what AWS has and no diff shows a change ACK never makes; render
	// diff lists them as kept from Terraform. Which paths a kind may keep
	// is the generator's to check (its create-only fields).
	Keep map[string]string `yaml:"keep,omitempty" json:"keep,omitempty"`
	// Source is where the entry is, file:line, for errors about it.
	Source string `yaml:"-" json:"-"`
}

// NamedKinds are the kinds an imports entry can give an AWS name of its
// own (Adoption.Name): those whose spec.name is the AWS resource's name
// and that render import matches by what they do, not by name.
var NamedKinds = []string{"FargateProfile", "LogGroup", "Nodegroup", "Role"}

// minorRE is a Kubernetes minor version, e.g. 1.34.
var minorRE = lazyRegexp(`^1\.[0-9]+$`)

// objectRE is Kind/name: an ACK kind and a Kubernetes object name.
var objectRE = lazyRegexp(`^[A-Z][A-Za-z0-9]*/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$`)

// ParseImports decodes and checks an imports file for environment env,
// with the same located errors as Parse. Which kinds can adopt and which
// fields each needs is the generator's to check (it knows the ACK kinds).
func ParseImports(file, env string, data []byte) ([]Adoption, error) {
	root, ferr := readDocument(file, data)
	if ferr != nil {
		return nil, Errors{ferr}
	}
	d := &decoder{file: file, pos: map[string]position{}}
	var doc Imports
	d.decode(root, reflect.ValueOf(&doc).Elem(), "")
	if len(d.errs) == 0 {
		d.checkConst("apiVersion", doc.APIVersion, APIVersion)
		d.checkConst("kind", doc.Kind, ImportsKind)
		if doc.Environment != env {
			d.failAt("environment", "is %q, but this is the file of environment %s", doc.Environment, env)
		}
		d.checkAdopt(doc.Adopt)
	}
	if len(d.errs) > 0 {
		return nil, d.errs.sorted()
	}
	for i := range doc.Adopt {
		at := d.pos[fmt.Sprintf("adopt[%d]", i)]
		doc.Adopt[i].Source = fmt.Sprintf("%s:%d", file, at.line)
	}
	return doc.Adopt, nil
}

func (d *decoder) checkAdopt(adopt []Adoption) {
	seen := map[string]bool{}
	for i, a := range adopt {
		path := fmt.Sprintf("adopt[%d]", i)
		switch {
		case !objectRE().MatchString(a.Object):
			d.failAt(path+".object", "%q is not Kind/name of a rendered object, e.g. Subnet/private-a", a.Object)
		case seen[a.Object]:
			d.failAt(path+".object", "%s is adopted twice; one entry per object", a.Object)
		}
		seen[a.Object] = true
		if strings.TrimSpace(a.Terraform) == "" {
			d.failAt(path+".terraform", "is missing; want the Terraform address of the resource, e.g. module.vpc.aws_vpc.main")
		}
		if len(a.Fields) == 0 {
			d.failAt(path+".fields", "is missing; want the identifiers the ACK controller reads the resource by, e.g. {vpcID: vpc-0123456789abcdef0}")
		}
		for _, k := range sortedKeys(a.Fields) {
			if a.Fields[k] == "" {
				d.failAt(join(path+".fields", k), "is empty; want the resource's identifier")
			}
		}
		if kind, _, _ := strings.Cut(a.Object, "/"); a.Name != "" && !slices.Contains(NamedKinds, kind) {
			d.failAt(path+".name", "is set on %s; only a %s is adopted under a name of its own", a.Object, strings.Join(NamedKinds, ", "))
		} else if a.Name != "" && a.Fields["name"] != a.Name {
			d.failAt(path+".name", "is %q but fields.name is %q; the controller reads the resource by the name it renders", a.Name, a.Fields["name"])
		}
		for _, k := range sortedKeys(a.Keep) {
			switch {
			case !strings.HasPrefix(k, "spec.") || strings.ContainsAny(k, "[]/ "):
				d.failAt(join(path+".keep", k), "is not a spec field; want a create-only field's path, e.g. spec.selectors")
			case !json.Valid([]byte(a.Keep[k])):
				d.failAt(join(path+".keep", k), "%q is not a JSON value; want the live value as render import writes it, e.g. '[{\"namespace\":\"default\"}]'", a.Keep[k])
			}
		}
		switch m := a.AuthenticationMode; {
		case m != "" && !strings.HasPrefix(a.Object, "Cluster/"):
			d.failAt(path+".authenticationMode", "is set on %s; only a Cluster has an authentication mode", a.Object)
		case m != "" && !slices.Contains(AuthenticationModes, m):
			d.failAt(path+".authenticationMode", "%q is not an EKS authentication mode; want one of %s", m, listOf(AuthenticationModes))
		}
		switch v := a.Version; {
		case v != "" && !strings.HasPrefix(a.Object, "Cluster/"):
			d.failAt(path+".version", "is set on %s; only a Cluster's version is recorded", a.Object)
		case v != "" && !minorRE().MatchString(v):
			d.failAt(path+".version", "%q is not a Kubernetes minor version, e.g. \"1.34\"", v)
		}
	}
}

// AuthenticationModes are EKS's cluster authentication modes in the one
// order EKS changes them, one step at a time and never back: "you can't
// change the authentication mode back to a mode that removes the EKS API
// and access entries" (awsdocs/amazon-eks-user-guide
// latest/ug/manage-access/k8s-access/grant-k8s-access.adoc, commit
// 4d52b4d); CONFIG_MAP straight to API is refused, "Unsupported
// authentication mode update from CONFIG_MAP to API" (internal/acksim
// authmode.go has the sources).
var AuthenticationModes = []string{"CONFIG_MAP", "API_AND_CONFIG_MAP", "API"}

// NextAuthenticationMode is the mode EKS accepts next from mode on the way
// to API: API_AND_CONFIG_MAP from CONFIG_MAP, else API.
func NextAuthenticationMode(mode string) string {
	if i := slices.Index(AuthenticationModes, mode); i >= 0 && i+1 < len(AuthenticationModes) {
		return AuthenticationModes[i+1]
	}
	return "API"
}

// ImportsFile is where an environment's imports file lives, relative to the
// configuration file's directory.
func ImportsFile(env string) string { return fmt.Sprintf("imports/%s.yaml", env) }
