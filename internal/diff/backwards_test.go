package diff

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// eksObject is an object of the eks group with spec fields set.
func eksObject(kind, name string, spec map[string]any) *unstructured.Unstructured {
	u := &unstructured.Unstructured{Object: map[string]any{"spec": spec}}
	u.SetAPIVersion("eks.services.k8s.aws/v1alpha1")
	u.SetKind(kind)
	u.SetNamespace("demo-prod")
	u.SetName(name)
	return u
}

func TestBackwardsOf(t *testing.T) {
	access := func(mode string) map[string]any { return map[string]any{"authenticationMode": mode} }
	for _, tc := range []struct {
		name            string
		committed, live *unstructured.Unstructured
		want            []BackwardsField
	}{
		{"an add-on version held back for the previous minor",
			eksObject("Addon", "coredns", map[string]any{"addonVersion": "v1.13.2-eksbuild.11"}),
			eksObject("Addon", "coredns", map[string]any{"addonVersion": "v1.14.3-eksbuild.3"}),
			[]BackwardsField{{"Addon/demo-prod/coredns", "spec.addonVersion", "v1.13.2-eksbuild.11", "v1.14.3-eksbuild.3"}}},
		{"an older eksbuild of the same add-on version",
			eksObject("Addon", "kube-proxy", map[string]any{"addonVersion": "v1.35.3-eksbuild.9"}),
			eksObject("Addon", "kube-proxy", map[string]any{"addonVersion": "v1.35.3-eksbuild.13"}),
			[]BackwardsField{{"Addon/demo-prod/kube-proxy", "spec.addonVersion", "v1.35.3-eksbuild.9", "v1.35.3-eksbuild.13"}}},
		{"a newer add-on version is an upgrade",
			eksObject("Addon", "coredns", map[string]any{"addonVersion": "v1.14.3-eksbuild.3"}),
			eksObject("Addon", "coredns", map[string]any{"addonVersion": "v1.13.2-eksbuild.11"}), nil},
		{"an add-on version of another form is not compared",
			eksObject("Addon", "coredns", map[string]any{"addonVersion": "latest"}),
			eksObject("Addon", "coredns", map[string]any{"addonVersion": "v1.13.2-eksbuild.11"}), nil},
		{"a node group version",
			eksObject("Nodegroup", "system", map[string]any{"version": "1.34"}),
			eksObject("Nodegroup", "system", map[string]any{"version": "1.35"}),
			[]BackwardsField{{"Nodegroup/demo-prod/system", "spec.version", "1.34", "1.35"}}},
		{"a node group version the tree leaves out",
			eksObject("Nodegroup", "system", map[string]any{}),
			eksObject("Nodegroup", "system", map[string]any{"version": "1.35"}), nil},
		{"a cluster version and authentication mode",
			eksObject("Cluster", "demo", map[string]any{"version": "1.34", "accessConfig": access("API_AND_CONFIG_MAP")}),
			eksObject("Cluster", "demo", map[string]any{"version": "1.35", "accessConfig": access("API")}),
			[]BackwardsField{{"Cluster/demo-prod/demo", "spec.version", "1.34", "1.35"},
				{"Cluster/demo-prod/demo", "spec.accessConfig.authenticationMode", "API_AND_CONFIG_MAP", "API"}}},
		{"an authentication mode that adds the EKS API is forward",
			eksObject("Cluster", "demo", map[string]any{"version": "1.35", "accessConfig": access("API")}),
			eksObject("Cluster", "demo", map[string]any{"version": "1.35", "accessConfig": access("CONFIG_MAP")}), nil},
		{"an object not created yet", eksObject("Nodegroup", "system", map[string]any{"version": "1.34"}), nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := BackwardsOf([]*unstructured.Unstructured{tc.committed}, []*unstructured.Unstructured{tc.live})
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("BackwardsOf (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBackwardsIsItsOwnSection: a live report with nothing to change but
// committed files behind AWS says so, in a section of its own naming the
// fix, in text and in Markdown.
func TestBackwardsIsItsOwnSection(t *testing.T) {
	b := &Backwards{File: "outputs/prod.yaml", Fix: "render outputs prod && render gen",
		Values:  []StaleValue{{"clusterVersion", "1.34", "1.35"}},
		Objects: []BackwardsField{{"Nodegroup/demo-prod/system", "spec.version", "1.34", "1.35"}}}
	r := &Report{Changed: true, Environments: []Environment{{Name: "prod", Backwards: b}}}
	for _, tc := range []struct {
		format Format
		want   []string
	}{
		{TextFormat, []string{"  BACKWARDS prod: the live environment has moved past the committed files",
			`    outputs/prod.yaml values.clusterVersion is "1.34", the live environment has "1.35"`,
			"    Nodegroup/demo-prod/system spec.version: the committed tree has 1.34, AWS runs 1.35: applying it asks AWS to go back",
			"    fix: render outputs prod && render gen, then commit"}},
		{MarkdownFormat, []string{"### prod: BACKWARDS", "- fix: render outputs prod && render gen, then commit"}},
		{JSONFormat, []string{`"backwards": {`, `"fix": "render outputs prod \u0026\u0026 render gen"`}},
	} {
		var out bytes.Buffer
		if err := r.Write(&out, tc.format); err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("%s lacks %q:\n%s", tc.format, w, out.String())
			}
		}
	}
	if !(&Backwards{File: "f"}).Empty() || !(*Backwards)(nil).Empty() || b.Empty() {
		t.Errorf("Empty is wrong")
	}
}
