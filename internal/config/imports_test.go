package config

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const importsHead = "apiVersion: platform.eks-render.dev/v1alpha1\nkind: Imports\nenvironment: dev\n"

func TestParseImports(t *testing.T) {
	doc := importsHead + `adopt:
  - object: VPC/vpc
    terraform: module.vpc.aws_vpc.main
    id: vpc-0a1b2c3d4e5f60718
    fields: {vpcID: vpc-0a1b2c3d4e5f60718}
`
	got, err := ParseImports("imports/dev.yaml", "dev", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := []Adoption{{
		Object: "VPC/vpc", Terraform: "module.vpc.aws_vpc.main", ID: "vpc-0a1b2c3d4e5f60718",
		Fields: map[string]string{"vpcID": "vpc-0a1b2c3d4e5f60718"}, Source: "imports/dev.yaml:5",
	}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
}

func TestParseImportsRejects(t *testing.T) {
	entry := "  - object: VPC/vpc\n    terraform: aws_vpc.main\n    fields: {vpcID: vpc-1}\n"
	for _, tc := range []struct {
		name, doc, path string
		line            int
	}{
		{"another environment", "apiVersion: platform.eks-render.dev/v1alpha1\nkind: Imports\nenvironment: prod\nadopt: []\n", "environment", 3},
		{"wrong kind", "apiVersion: platform.eks-render.dev/v1alpha1\nkind: Outputs\nenvironment: dev\nadopt: []\n", "kind", 2},
		{"unknown field", importsHead + "adopt:\n  - object: VPC/vpc\n    terraform: aws_vpc.main\n    fields: {vpcID: vpc-1}\n    policy: adopt\n", "adopt[0].policy", 8},
		{"object without a kind", importsHead + "adopt:\n  - object: vpc\n    terraform: aws_vpc.main\n    fields: {vpcID: vpc-1}\n", "adopt[0].object", 5},
		{"object adopted twice", importsHead + "adopt:\n" + entry + entry, "adopt[1].object", 8},
		{"no terraform address", importsHead + "adopt:\n  - object: VPC/vpc\n    terraform: ''\n    fields: {vpcID: vpc-1}\n", "adopt[0].terraform", 6},
		{"no fields", importsHead + "adopt:\n  - object: VPC/vpc\n    terraform: aws_vpc.main\n    fields: {}\n", "adopt[0].fields", 7},
		{"authentication mode of another kind", importsHead + "adopt:\n" + entry + "    authenticationMode: API\n", "adopt[0].authenticationMode", 8},
		{"unknown authentication mode", importsHead + "adopt:\n  - object: Cluster/demo\n    terraform: aws_eks_cluster.main\n    fields: {name: demo}\n    authenticationMode: IAM\n", "adopt[0].authenticationMode", 8},
		{"empty field", importsHead + "adopt:\n  - object: VPC/vpc\n    terraform: aws_vpc.main\n    fields: {vpcID: ''}\n", "adopt[0].fields.vpcID", 7},
		{"name of a kind named by render", importsHead + "adopt:\n" + entry + "    name: main\n", "adopt[0].name", 8},
		{"kept path outside spec", importsHead + "adopt:\n" + entry + "    keep: {metadata.name: '\"x\"'}\n", `adopt[0].keep["metadata.name"]`, 8},
		{"kept value not JSON", importsHead + "adopt:\n" + entry + "    keep: {spec.selectors: '[{namespace: default}'}\n", `adopt[0].keep["spec.selectors"]`, 8},
		{"name other than fields.name", importsHead + "adopt:\n  - object: Role/cluster\n    terraform: aws_iam_role.r\n    fields: {name: demo-eks-cluster-role}\n    name: other\n", "adopt[0].name", 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseImports("imports/dev.yaml", "dev", []byte(tc.doc))
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("got %v, want a FieldError", err)
			}
			if fe.File != "imports/dev.yaml" || fe.Path != tc.path || fe.Line != tc.line {
				t.Errorf("got %s:%d %s (%v), want %s line %d", fe.File, fe.Line, fe.Path, err, tc.path, tc.line)
			}
		})
	}
}
