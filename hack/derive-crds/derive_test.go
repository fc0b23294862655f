package main

import (
	"strings"
	"testing"
)

const fixture = `---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: things.example.com
spec:
  group: example.com
  names: {kind: Thing, plural: things}
  scope: Namespaced
  versions:
  - name: v1alpha1
    served: true
    storage: true
    additionalPrinterColumns:
    - {jsonPath: .spec.name, name: NAME, type: string}
    schema:
      openAPIV3Schema:
        description: Thing is a thing.
        type: object
        properties:
          spec:
            description: ThingSpec is the spec.
            type: object
            required: [description]
            properties:
              description:
                description: The AWS description text.
                type: string
              big:
                type: integer
                maximum: 9223372036854775807
              list:
                type: array
                items:
                  description: An item.
                  type: object
                  properties:
                    name: {type: string, description: item name}
              tags:
                type: object
                additionalProperties: {type: string, description: a value}
              name:
                type: string
                x-kubernetes-validations:
                - {rule: self == oldSelf, message: Value is immutable once set}
`

func TestDerive(t *testing.T) {
	out, err := derive([]byte(fixture), sourceFile{set: "ack-crds", subdir: "ec2-controller", name: "x.yaml"},
		origin{repo: "https://github.com/aws-controllers-k8s/ec2-controller", tag: "v1.20.0", copyright: ackCopyright})
	if err != nil {
		t.Fatalf("derive: %v", err)
	}
	got := string(out)
	tests := []struct {
		name    string
		text    string
		present bool
	}{
		{"starts with the header", "# Derived by `make crds` (hack/derive-crds) from ../shared/ack-crds/ec2-controller/x.yaml\n", true},
		{"names the upstream tag", "ec2-controller at tag v1.20.0", true},
		{"carries the copyright", "# " + ackCopyright + "\n", true},
		{"points at the set's README", "see ../README.md for attribution", true},
		{"keeps a property named description", "              description:\n                type: string", true},
		{"keeps required", "required:\n            - description", true},
		{"keeps CEL rules", "rule: self == oldSelf", true},
		{"keeps printer columns", "jsonPath: .spec.name", true},
		{"keeps large integers exact", "maximum: 9223372036854775807", true},
		{"drops the root description", "Thing is a thing.", false},
		{"drops property descriptions", "The AWS description text.", false},
		{"drops item descriptions", "An item.", false},
		{"drops nested item property descriptions", "item name", false},
		{"drops additionalProperties descriptions", "a value", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if strings.Contains(got, tt.text) != tt.present {
				t.Errorf("contains %q = %v, want %v; output:\n%s", tt.text, !tt.present, tt.present, got)
			}
		})
	}
}

func TestDeriveRejects(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"invalid yaml", "kind: [", "parse yaml"},
		{"another kind", "kind: ConfigMap", "want CustomResourceDefinition"},
		{"no versions", "kind: CustomResourceDefinition\nspec: {}", "spec.versions is empty"},
		{"no schema", "kind: CustomResourceDefinition\nspec: {versions: [{name: v1}]}", "openAPIV3Schema is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := derive([]byte(tt.in), sourceFile{subdir: "common", name: "x.yaml"}, origin{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestOriginOf(t *testing.T) {
	rows := tableRows("| `eks-controller/` | https://github.com/aws-controllers-k8s/eks-controller | `v1.20.0` | `fcb75` |\n" +
		"| `common/` | same files; copied from eks-controller `v1.20.0` `config/crd/common/bases/` | | | | |\n" +
		"| `odd/` | hand-made | | |\n")
	tests := []struct {
		name    string
		sub     string
		want    origin
		wantErr string
	}{
		{"reads a repository row", "eks-controller", origin{repo: "https://github.com/aws-controllers-k8s/eks-controller", tag: "v1.20.0"}, ""},
		{"borrows the repository of a copied row", "common", origin{repo: "https://github.com/aws-controllers-k8s/eks-controller", tag: "v1.20.0", note: "identical in all four controller repositories"}, ""},
		{"rejects a row without provenance", "odd", origin{}, "names neither"},
		{"rejects a missing row", "iam-controller", origin{}, "no row for iam-controller/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := originOf(tt.sub, rows)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("originOf(%q) = %+v, %v; want %+v", tt.sub, got, err, tt.want)
			}
		})
	}
}

func TestDeriveFlatSet(t *testing.T) {
	f := sourceFile{set: "aws-load-balancer-controller", crdDir: "crds", name: "x.yaml"}
	out, err := derive([]byte(fixture), f, origin{repo: "https://github.com/kubernetes-sigs/aws-load-balancer-controller", tag: "v3.5.0"})
	if err != nil {
		t.Fatalf("derive: %v", err)
	}
	want := "# Derived by `make crds` (hack/derive-crds) from ../shared/aws-load-balancer-controller/crds/x.yaml\n" +
		"# with every schema description stripped. Do not edit by hand.\n" +
		"# Upstream: https://github.com/kubernetes-sigs/aws-load-balancer-controller at tag v3.5.0\n" +
		"# Licensed under the Apache License, Version 2.0; see README.md for attribution.\n" +
		"apiVersion: apiextensions.k8s.io/v1\n"
	if got := string(out); !strings.HasPrefix(got, want) {
		t.Errorf("header:\n%s\nwant:\n%s", got[:min(len(got), len(want))], want)
	}
	if f.out() != "x.yaml" {
		t.Errorf("out() = %q, want x.yaml", f.out())
	}
}

func TestALBOrigins(t *testing.T) {
	t.Run("reads the repository and tag", func(t *testing.T) {
		text := "Data files copied byte-for-byte from https://github.com/kubernetes-sigs/aws-load-balancer-controller\nat tag `v3.5.0` (commit `11eb202`)."
		got, err := albOrigins(text, []string{""})
		want := origin{repo: "https://github.com/kubernetes-sigs/aws-load-balancer-controller", tag: "v3.5.0"}
		if err != nil || got[""] != want {
			t.Errorf("albOrigins = %+v, %v; want %+v", got, err, want)
		}
	})
	t.Run("rejects a README without provenance", func(t *testing.T) {
		if _, err := albOrigins("hand-made", []string{""}); err == nil || !strings.Contains(err.Error(), "names no") {
			t.Errorf("error = %v, want one saying the README names no repository", err)
		}
	})
}

func TestFileOrigins(t *testing.T) {
	text := "| `flux/a.yaml` | https://github.com/fluxcd/kustomize-controller (`config/crd/bases/`) | `v1.9.4` | `1324b6` |\n" +
		"| `flux/b.yaml`, `flux/c.yaml` | https://github.com/fluxcd/source-controller (`config/crd/bases/`) | `v1.9.1` | `092bcf` |\n"
	t.Run("reads every file of a row", func(t *testing.T) {
		got, err := fileOrigins(text, []string{"flux"})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]origin{
			"flux/a.yaml": {repo: "https://github.com/fluxcd/kustomize-controller", tag: "v1.9.4"},
			"flux/b.yaml": {repo: "https://github.com/fluxcd/source-controller", tag: "v1.9.1"},
			"flux/c.yaml": {repo: "https://github.com/fluxcd/source-controller", tag: "v1.9.1"},
		}
		if len(got) != len(want) {
			t.Fatalf("fileOrigins = %+v, want %+v", got, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("fileOrigins[%s] = %+v, want %+v", k, got[k], v)
			}
		}
	})
	t.Run("rejects a directory without rows", func(t *testing.T) {
		if _, err := fileOrigins(text, []string{"flux", "argocd"}); err == nil || !strings.Contains(err.Error(), "no row for a file of argocd/") {
			t.Errorf("error = %v, want one naming argocd/", err)
		}
	})
	t.Run("a file without a row is an error", func(t *testing.T) {
		attr, _ := fileOrigins(text, []string{"flux"})
		if _, err := originFor(sourceFile{set: "gitops-crds", subdir: "flux", name: "d.yaml"}, attr); err == nil || !strings.Contains(err.Error(), "no row for flux/d.yaml") {
			t.Errorf("error = %v, want one naming flux/d.yaml", err)
		}
	})
}

func TestGitOpsHeader(t *testing.T) {
	f := sourceFile{set: "gitops-crds", subdir: "flux", name: "x.yaml", target: "gitops-crds", attribution: "ATTRIBUTION.md"}
	out, err := derive([]byte(fixture), f, origin{repo: "https://github.com/fluxcd/kustomize-controller", tag: "v1.9.4"})
	if err != nil {
		t.Fatal(err)
	}
	want := "# Derived by `make gitops-crds` (hack/derive-crds) from ../shared/gitops-crds/flux/x.yaml\n" +
		"# with every schema description stripped. Do not edit by hand.\n" +
		"# Upstream: https://github.com/fluxcd/kustomize-controller at tag v1.9.4\n" +
		"# Licensed under the Apache License, Version 2.0; see ../ATTRIBUTION.md for attribution.\n"
	if got := string(out); !strings.HasPrefix(got, want) {
		t.Errorf("header:\n%s\nwant:\n%s", got[:min(len(got), len(want))], want)
	}
}

func TestGroupOf(t *testing.T) {
	if _, err := groupOf("helm"); err == nil || !strings.Contains(err.Error(), `-group "helm"`) {
		t.Errorf("groupOf(helm) = %v, want an error naming it", err)
	}
	g, err := groupOf("gitops")
	if err != nil || len(g.sets) != 1 || g.sets[0].src != "gitops-crds" {
		t.Errorf("groupOf(gitops) = %+v, %v", g, err)
	}
}
