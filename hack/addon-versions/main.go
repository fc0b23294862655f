// Command addon-versions regenerates internal/eksversion/addons.md from
// saved `aws eks describe-addon-versions` output: for every Kubernetes
// minor with ADDON-MINOR.json saved for coredns, kube-proxy and vpc-cni in
// -dir, the row becomes the versions EKS marks defaultVersion. It reads
// only the saved files, never AWS (make addon-versions; docs/operations.md,
// "Refreshing the add-on versions").
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/eks-render/render/internal/eksversion"
)

func main() {
	dir := flag.String("dir", "addon-versions", "directory of saved describe-addon-versions JSON, one ADDON-MINOR.json per add-on and Kubernetes minor")
	out := flag.String("out", "internal/eksversion/addons.md", "the add-on table to rewrite")
	readOn := flag.String("read-on", time.Now().UTC().Format(time.DateOnly), "the day the JSON was saved, YYYY-MM-DD (default today, UTC)")
	flag.Parse()
	if err := run(*dir, *out, *readOn); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func run(dir, out, readOn string) error {
	if _, err := eksversion.ParseDay(readOn); err != nil {
		return fmt.Errorf("-read-on: %w", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("%w: save the describe-addon-versions JSON there first (docs/operations.md)", err)
	}
	saved := map[string][]byte{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		if saved[e.Name()], err = os.ReadFile(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	if len(saved) == 0 {
		return fmt.Errorf("%s holds no *.json: save `aws eks describe-addon-versions --kubernetes-version MINOR --addon-name ADDON --output json` as ADDON-MINOR.json there", dir)
	}
	md, err := os.ReadFile(out)
	if err != nil {
		return err
	}
	rows, err := eksversion.ParseAddonTable(string(md))
	if err != nil {
		return fmt.Errorf("%s: %w", out, err)
	}
	rows, err = eksversion.RefreshAddonRows(rows, saved, filepath.ToSlash(dir), readOn)
	if err != nil {
		return err
	}
	tmp := out + ".tmp"
	if err := os.WriteFile(tmp, []byte(eksversion.FormatAddonTable(string(md), rows)), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, out)
}
