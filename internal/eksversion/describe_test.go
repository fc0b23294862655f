package eksversion

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// recorded reads the hand-made describe-addon-versions recordings.
func recorded(t *testing.T) map[string][]byte {
	t.Helper()
	dir := filepath.Join("testdata", "describe-addon-versions")
	saved := map[string][]byte{}
	for _, name := range []string{"coredns-1.35.json", "kube-proxy-1.35.json", "vpc-cni-1.35.json"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		saved[name] = data
	}
	return saved
}

func TestDefaultAddonVersionIsTheOneEKSMarks(t *testing.T) {
	saved := recorded(t)
	got, err := DefaultAddonVersion(saved["coredns-1.35.json"], CoreDNS, "1.35")
	if err != nil || got != "v1.14.3-eksbuild.3" {
		t.Errorf("coredns 1.35: %q, %v; want v1.14.3-eksbuild.3, the defaultVersion, not the newest", got, err)
	}
	for name, tc := range map[string]struct {
		data, addon, minor, want string
	}{
		"another minor":  {string(saved["coredns-1.35.json"]), CoreDNS, "1.34", "no coredns version is marked defaultVersion for Kubernetes 1.34"},
		"another add-on": {string(saved["coredns-1.35.json"]), KubeProxy, "1.35", "no kube-proxy version"},
		"two defaults":   {strings.ReplaceAll(string(saved["coredns-1.35.json"]), `"defaultVersion": false`, `"defaultVersion": true`), CoreDNS, "1.35", "several versions marked defaultVersion"},
		"not JSON":       {"addons: []", CoreDNS, "1.35", "not describe-addon-versions JSON"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := DefaultAddonVersion([]byte(tc.data), tc.addon, tc.minor); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%v, want %q", err, tc.want)
			}
		})
	}
}

func TestRefreshAddonRowsFromSavedJSON(t *testing.T) {
	rows, err := RefreshAddonRows(AddonTable(), recorded(t), "addon-versions", "2026-12-06")
	if err != nil {
		t.Fatal(err)
	}
	md := FormatAddonTable(AddonsMD(), rows)
	got, err := ParseAddonTable(md)
	if err != nil {
		t.Fatal(err)
	}
	want := AddonTable()
	want[0] = AddonRow{Kubernetes: "1.35", Versions: map[string]string{CoreDNS: "v1.14.3-eksbuild.3", KubeProxy: "v1.35.3-eksbuild.13", VPCCNI: "v1.21.1-eksbuild.7"},
		Source: "aws eks describe-addon-versions, the defaultVersion; saved as addon-versions/{coredns-1.35.json,kube-proxy-1.35.json,vpc-cni-1.35.json} on 2026-12-06"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("refreshed table\n%s\ngot  %+v\nwant %+v", md, got, want)
	}
	if FormatAddonTable(AddonsMD(), AddonTable()) != AddonsMD() {
		t.Error("addons.md is not as FormatAddonTable writes it: make addon-versions would rewrite rows it did not refresh")
	}

	saved := recorded(t)
	delete(saved, "vpc-cni-1.35.json")
	saved["coredns-1.36.txt.json"] = saved["coredns-1.35.json"]
	_, err = RefreshAddonRows(AddonTable(), saved, "addon-versions", "2026-12-06")
	for _, want := range []string{"Kubernetes 1.35 has no vpc-cni-1.35.json", "addon-versions/coredns-1.36.txt.json: want a name such as coredns-1.35.json"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v, want %q", err, want)
		}
	}
}
