package main

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/eks-render/render/internal/apitest"
)

// TestApplyRefreshesCommittedFiles is issue 31: prod is created on 1.34
// with its outputs file committed, then cluster.version goes to 1.35 and
// render gen holds the add-ons and the node group back, as designed for
// GitOps. render apply upgrades AWS; with --no-write-outputs it warns that
// the committed files are stale, render diff shows the BACKWARDS section
// and exits 1, and the stale tree applied whole, as Flux applies it, turns
// the add-ons and the node group Terminal. A plain render apply brings
// them back and rewrites outputs/prod.yaml and the tree as a fresh render
// outputs && render gen would, after which render diff finds nothing.
func TestApplyRefreshesCommittedFiles(t *testing.T) {
	apitest.Skip(t)
	dir, kubeconfig, sim := upgradeProject(t, "vback", "prod", "1.34", nil)
	kc := []string{"--kubeconfig", kubeconfig}
	apply := append([]string{"apply", "prod", "--poll-interval", "100ms", "--timeout", "2m", "--workload=false"}, kc...)
	for _, args := range [][]string{apply, append([]string{"outputs", "prod"}, kc...), {"gen"}} {
		if code, _, errOut := run(t, dir, args...); code != 0 {
			t.Fatalf("render %s on 1.34 = %d:\n%s", args[0], code, errOut)
		}
	}
	edit(t, filepath.Join(dir, "platform.yaml"), `version: "1.34"`, `version: "1.35"`)
	if code, _, errOut := run(t, dir, "gen"); code != 0 {
		t.Fatalf("render gen on 1.35 = %d:\n%s", code, errOut)
	}
	stale := snapshot(t, dir)

	code, _, errOut := run(t, dir, append(apply, "--no-write-outputs")...)
	if code != 0 {
		t.Fatalf("render apply --no-write-outputs = %d:\n%s", code, errOut)
	}
	for _, want := range []string{`warning: outputs/prod.yaml is stale (--no-write-outputs): `,
		`clusterVersion "1.34" -> "1.35"`, `nodegroupVersion "1.34" -> "1.35"`,
		"Addon/vback-prod/coredns spec.addonVersion v1.14.3-eksbuild.3 -> v1.13.2-eksbuild.11",
		"Nodegroup/vback-prod/system spec.version 1.35 -> 1.34", "fix: render outputs prod && render gen, then commit"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("render apply --no-write-outputs: stderr lacks %q:\n%s", want, errOut)
		}
	}
	if got := snapshot(t, dir); !mapsEqual(got, stale) {
		t.Errorf("render apply --no-write-outputs changed files: %v", changedFiles(stale, got))
	}
	if v := sim.NodegroupVersion("Nodegroup/system"); v != "1.35" {
		t.Fatalf("AWS runs the node group on %q, want 1.35", v)
	}

	code, out, errOut := run(t, dir, append([]string{"diff", "prod"}, kc...)...)
	for _, want := range []string{"BACKWARDS prod: ", `values.clusterVersion is "1.34", the live environment has "1.35"`,
		`values.nodegroupVersion is "1.34", the live environment has "1.35"`,
		"Addon/vback-prod/coredns spec.addonVersion: the committed tree has v1.13.2-eksbuild.11, AWS runs v1.14.3-eksbuild.3",
		"Addon/vback-prod/kube-proxy spec.addonVersion: ", "Nodegroup/vback-prod/system spec.version: the committed tree has 1.34, AWS runs 1.35",
		"fix: render outputs prod && render gen, then commit"} {
		if code != 1 || !strings.Contains(out, want) {
			t.Errorf("render diff prod on the stale files = %d, want 1 and %q:\n%s\n%s", code, want, out, errOut)
		}
	}

	// What the stale files do: the tree applied whole, nothing waited for.
	code, _, errOut = run(t, dir, append([]string{"apply", "-k", filepath.Join(dir, "overlays", "prod"), "--wait=false",
		"--force-conflicts", "--applyset", "vback-prod/render-applyset"}, kc...)...)
	if code != 0 {
		t.Fatalf("the stale tree applied whole = %d:\n%s", code, errOut)
	}
	// EKS refuses the add-on versions of 1.34 on a 1.35 cluster; the node
	// group's 1.34 disagrees with the releaseVersion the controller wrote
	// back after the upgrade, the controller's own Terminal error, before
	// EKS could refuse the rollback.
	const refused = ": InvalidParameterException: Addon version specified is not supported"
	waitTerminalObjects(t, "vback-prod", "Addon/vback-prod/coredns"+refused, "Addon/vback-prod/kube-proxy"+refused,
		"Nodegroup/vback-prod/system: version and release version do not match: 1.34 and 1.35")

	code, _, errOut = run(t, dir, apply...)
	if code != 0 {
		t.Fatalf("render apply after the stale tree = %d:\n%s", code, errOut)
	}
	if len(terminalObjects(t, "vback-prod")) > 0 {
		t.Errorf("still Terminal after render apply: %v", terminalObjects(t, "vback-prod"))
	}
	for _, want := range []string{"prod: wrote what this run left in AWS; commit it",
		`outputs/prod.yaml (clusterVersion "1.34" -> "1.35", nodegroupVersion "1.34" -> "1.35")`,
		"overlays/prod/addon-coredns.yaml", "overlays/prod/nodegroup-system.yaml"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("render apply: stderr lacks %q:\n%s", want, errOut)
		}
	}
	refreshed := snapshot(t, dir)
	for _, want := range []string{`clusterVersion: "1.35"`, `nodegroupVersion: "1.35"`} {
		if !strings.Contains(refreshed["/outputs/prod.yaml"], want) {
			t.Errorf("outputs/prod.yaml lacks %s:\n%s", want, refreshed["/outputs/prod.yaml"])
		}
	}
	for _, args := range [][]string{append([]string{"outputs", "prod"}, kc...), {"gen"}} {
		if code, _, errOut := run(t, dir, args...); code != 0 {
			t.Fatalf("render %s = %d:\n%s", args[0], code, errOut)
		}
	}
	if fresh := snapshot(t, dir); !mapsEqual(fresh, refreshed) {
		t.Errorf("render outputs && render gen after render apply changed %v", changedFiles(refreshed, fresh))
	}
	if code, out, errOut := run(t, dir, append([]string{"diff", "prod"}, kc...)...); code != 0 || strings.Contains(out, "BACKWARDS") {
		t.Errorf("render diff prod after render apply = %d, want 0:\n%s\n%s", code, out, errOut)
	}
}

// waitTerminalObjects waits until each of terminal ("Kind/namespace/name:
// the start of the message") is an object of namespace ns with
// ACK.Terminal True.
func waitTerminalObjects(t *testing.T, ns string, names ...string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var missing []string
		terminal := terminalObjects(t, ns)
		for _, n := range names {
			if !slices.ContainsFunc(terminal, func(s string) bool { return strings.HasPrefix(s, n) }) {
				missing = append(missing, n)
			}
		}
		if len(missing) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ACK.Terminal: %v (Terminal: %v)", missing, terminal)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func mapsEqual(a, b map[string]string) bool { return len(changedFiles(a, b)) == 0 }

// changedFiles lists the paths whose content differs between a and b.
func changedFiles(a, b map[string]string) []string {
	var out []string
	for p, v := range a {
		if w, ok := b[p]; !ok || w != v {
			out = append(out, p)
		}
	}
	for p := range b {
		if _, ok := a[p]; !ok {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}
