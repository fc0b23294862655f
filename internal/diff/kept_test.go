package diff

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/config"
)

// TestKept: the fields an imports entry keeps are listed under the
// rendered object's name with what replacing them takes, in every format,
// and are no change.
func TestKept(t *testing.T) {
	profile := &unstructured.Unstructured{}
	profile.SetAPIVersion("eks.services.k8s.aws/v1alpha1")
	profile.SetKind("FargateProfile")
	profile.SetNamespace("demo-dev")
	profile.SetName("default")
	env := config.Environment{Name: "dev", Adopt: []config.Adoption{
		{Object: "FargateProfile/default", Keep: map[string]string{"spec.selectors": `[{"namespace":"default"}]`, "spec.podExecutionRoleARN": `"arn:aws:iam::1:role/r"`}},
		{Object: "FlowLog/vpc", Keep: map[string]string{"spec.x": `1`}}, // not rendered yet
	}}
	kept := KeptOf(env, []*unstructured.Unstructured{profile})
	if len(kept) != 2 || kept[0].Path != "spec.podExecutionRoleARN" || kept[1].Path != "spec.selectors" || kept[1].Object != "FargateProfile/demo-dev/default" {
		t.Fatalf("kept %+v", kept)
	}
	r := &Report{Environments: []Environment{{Name: "dev", Kept: kept}}}
	want := map[Format]string{
		TextFormat:     "KEPT FROM TERRAFORM dev",
		MarkdownFormat: "### dev: KEPT FROM TERRAFORM",
		JSONFormat:     `"path": "spec.selectors"`,
	}
	for f, head := range want {
		var sb strings.Builder
		if err := r.Write(&sb, f); err != nil {
			t.Fatal(err)
		}
		out := sb.String()
		if !strings.Contains(out, head) || !strings.Contains(out, "a new profile (its pods evicted and scheduled again): remove spec.selectors from the keep of FargateProfile/default in imports/dev.yaml, then render apply dev --allow-replace") {
			t.Errorf("%s:\n%s", f, out)
		}
		if f == TextFormat && !strings.Contains(out, "no changes") {
			t.Errorf("kept fields are a change:\n%s", out)
		}
	}
}
