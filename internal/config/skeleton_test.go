package config

import (
	"strings"
	"testing"

	"github.com/eks-render/render/internal/eksversion"
)

func TestSkeletonParses(t *testing.T) {
	for _, o := range []SkeletonOptions{
		{Name: "demo", Region: "us-west-2", AccountID: "111122223333", Admins: []string{"arn:aws:iam::111122223333:role/Admin"}, Environments: []string{"dev", "prod"}, FargateOnly: true, Day: eksversion.ReferenceDay},
		{Name: "shop", Region: "eu-central-1", Admins: []string{"arn:aws:iam::444455556666:user/ops"}, Environments: []string{"dev"}, Day: eksversion.ReferenceDay},
	} {
		b, err := Skeleton(o)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := Parse("platform.yaml", b, eksversion.ReferenceDay)
		if err != nil {
			t.Fatalf("%v\n%s", err, b)
		}
		if len(cfg.Environments) != len(o.Environments) || (cfg.Environments[0].NodeGroup == nil) != o.FargateOnly {
			t.Errorf("environments %+v from\n%s", cfg.Environments, b)
		}
		if !strings.HasPrefix(string(b), "# yaml-language-server: $schema="+SchemaURL+"\n") {
			t.Errorf("no schema line:\n%s", b)
		}
	}
	b, err := Skeleton(SkeletonOptions{Name: "lab", Region: "us-west-2", AccountID: "111122223333", Environments: []string{"dev"}, Day: eksversion.ReferenceDay})
	if err != nil || !strings.Contains(string(b), "- arn:aws:iam::111122223333:role/PlatformAdmin\n") {
		t.Errorf("no default admin from the account ID: %v\n%s", err, b)
	}
	if _, err := Skeleton(SkeletonOptions{Name: "Bad_Name", Region: "us-west-2", Admins: []string{"x"}, Environments: []string{"dev"}}); err == nil {
		t.Error("Skeleton accepted a bad name")
	}
}
