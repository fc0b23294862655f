package diff

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/eksversion"
)

// withVersion parses testdata/<dir>/platform.yaml with cluster.version v.
func withVersion(t *testing.T, dir, v string) Input {
	t.Helper()
	file := filepath.Join("testdata", dir, "platform.yaml")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(data), `version: "1.35"`, `version: "`+v+`"`, 1)
	if edited == string(data) && v != "1.35" {
		t.Fatalf("%s has no version: \"1.35\"", file)
	}
	cfg, err := config.Parse(file, []byte(edited), eksversion.ReferenceDay)
	if err != nil {
		t.Fatal(err)
	}
	return Input{Config: cfg, Late: lateOf(t, dir)}
}

// TestUpgradeIsItsOwnSection: a cluster.version bump is reported as an
// UPGRADE of the control plane, the add-ons and the node group, in every
// format; a skip or a downgrade is an error naming the environment.
func TestUpgradeIsItsOwnSection(t *testing.T) {
	s := loadSchema(t)
	r, err := Compare(withVersion(t, "to", "1.34"), withVersion(t, "to", "1.35"), s)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range r.Environments {
		u := e.Upgrade
		if u == nil || u.ControlPlane == nil || u.ControlPlane.From != "1.34" || u.ControlPlane.To != "1.35" || !u.RestartFargatePods {
			t.Fatalf("%s: upgrade %+v", e.Name, u)
		}
		// vpc-cni has one version for every minor; coredns waits for the
		// second phase in a Fargate-only environment rendered without
		// late values.
		names := map[string]bool{}
		for _, a := range u.Addons {
			names[a.Name] = true
		}
		if !names[eksversion.KubeProxy] || names[eksversion.VPCCNI] {
			t.Errorf("%s: add-ons %+v, want kube-proxy (and coredns where rendered)", e.Name, u.Addons)
		}
	}
	var txt bytes.Buffer
	if err := r.Write(&txt, TextFormat); err != nil {
		t.Fatal(err)
	}
	kp34, _ := eksversion.AddonVersion(eksversion.KubeProxy, "1.34")
	kp35, _ := eksversion.AddonVersion(eksversion.KubeProxy, "1.35")
	for _, want := range []string{
		"UPGRADE prod: control plane 1.34 -> 1.35; add-ons ",
		"kube-proxy " + kp34 + " -> " + kp35,
		"; node group system 1.34 -> 1.35; Fargate pods restart to pick up the new kubelet\n",
	} {
		if !strings.Contains(txt.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, txt.String())
		}
	}
	var md, js bytes.Buffer
	if err := r.Write(&md, MarkdownFormat); err != nil || !strings.Contains(md.String(), "**UPGRADE dev**: control plane 1.34 -> 1.35") {
		t.Errorf("markdown: %v\n%s", err, md.String())
	}
	if err := r.Write(&js, JSONFormat); err != nil || !strings.Contains(js.String(), `"upgrade": {`) || !strings.Contains(js.String(), `"controlPlane": {`) {
		t.Errorf("json: %v\n%s", err, js.String())
	}
	for from, want := range map[string]string{
		"1.33": "environment dev: Cluster demo: cluster.version: 1.33 -> 1.35 skips 1.34; EKS upgrades one minor version at a time: set 1.34 first, apply it, then 1.35",
	} {
		if _, err := Compare(withVersion(t, "to", from), withVersion(t, "to", "1.35"), s); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("from %s: %v, want %q", from, err, want)
		}
	}
	if _, err := Compare(withVersion(t, "to", "1.35"), withVersion(t, "to", "1.34"), s); err == nil || !strings.Contains(err.Error(), "1.35 -> 1.34 is a downgrade") {
		t.Errorf("downgrade: %v", err)
	}
}
