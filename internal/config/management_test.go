package config

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eks-render/render/internal/eksversion"
)

// TestAccountsPerEnvironment: an environment's accountID and region
// override spec's, the management cluster's account and region come from
// spec alone, and an account other than the management's makes the
// environment cross-account.
func TestAccountsPerEnvironment(t *testing.T) {
	e := edit{t}
	in := e.dev("    accountID: \"444455556666\"\n    region: eu-west-1\n")
	in = e.on(in, "environments:\n", "  prod: {}\n") // prod inherits spec's
	in = e.on(in, "  prod: {}\n", "environments:\n  prod: {}\n")
	cfg, err := Parse("platform.yaml", []byte(in), eksversion.ReferenceDay)
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		Name, Account, Region, MgmtAccount, MgmtRegion string
		CrossAccount, CrossRegion                      bool
	}
	var have []got
	for _, env := range cfg.Environments {
		have = append(have, got{env.Name, env.AccountID, env.Region, env.Management.AccountID, env.Management.Region, env.CrossAccount(), env.CrossRegion()})
	}
	want := []got{
		{"dev", "444455556666", "eu-west-1", "111122223333", "us-west-2", true, true},
		{"prod", "111122223333", "us-west-2", "111122223333", "us-west-2", false, false},
	}
	if diff := cmp.Diff(want, have); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got, want := cfg.Environments[0].Management.Controllers[1], "arn:aws:iam::111122223333:role/ack-ec2-controller"; got != want {
		t.Errorf("default controller role = %q, want %q", got, want)
	}
}

func TestManagementOverridesSpec(t *testing.T) {
	e := edit{t}
	in := e.spec("  management:\n    accountID: \"999988887777\"\n    region: eu-central-1\n    controllers: [\"arn:aws:iam::999988887777:role/ack\"]\n")
	cfg, err := Parse("platform.yaml", []byte(in), eksversion.ReferenceDay)
	if err != nil {
		t.Fatal(err)
	}
	env := cfg.Environments[0]
	want := ManagementEnv{AccountID: "999988887777", Region: "eu-central-1", Controllers: []string{"arn:aws:iam::999988887777:role/ack"}}
	if diff := cmp.Diff(want, env.Management); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !env.CrossAccount() || !env.CrossRegion() {
		t.Errorf("CrossAccount, CrossRegion = %v, %v; want true, true", env.CrossAccount(), env.CrossRegion())
	}
}

func managementCases(e edit) []rejectCase {
	noSpecAccount := e.with("  accountID: \"111122223333\"\n", "")
	return []rejectCase{
		{
			name: "environment account not a 12-digit ID",
			in:   e.dev("    accountID: \"4444\"\n"),
			line: 12, path: "environments.dev.accountID",
			want: `platform.yaml:12:16: environments.dev.accountID: "4444" is not an AWS account ID; want 12 digits, quoted`,
		},
		{
			name: "environment region misspelt",
			in:   e.dev("    region: eu-wset-1\n"),
			line: 12, path: "environments.dev.region",
			want: `platform.yaml:12:13: environments.dev.region: "eu-wset-1" is not an AWS region; did you mean eu-west-1?`,
		},
		{
			name: "environment account without a known management account",
			in:   e.on(noSpecAccount, "  dev: {}\n", "  dev:\n    accountID: \"444455556666\"\n"),
			line: 11, path: "environments.dev.accountID",
			want: `platform.yaml:11:16: environments.dev.accountID: is set for this environment but the management cluster's account is not known; set spec.management.accountID (or spec.accountID) so render can tell whether "444455556666" is another account`,
		},
		{
			name: "management under an environment",
			in:   e.dev("    management:\n      accountID: \"444455556666\"\n"),
			line: 12, path: "environments.dev.management",
			want: `platform.yaml:12:5: environments.dev.management: is set once, under spec: the management cluster is the same for every environment`,
		},
		{
			name: "management account not a 12-digit ID",
			in:   e.spec("  management:\n    accountID: \"12\"\n"),
			line: 8, path: "spec.management.accountID",
			want: `platform.yaml:8:16: spec.management.accountID: "12" is not an AWS account ID; want 12 digits, quoted`,
		},
		{
			name: "management controller not a role ARN",
			in:   e.spec("  management:\n    controllers: [\"arn:aws:iam::111122223333:user/ack\"]\n"),
			line: 8, path: "spec.management.controllers[0]",
			want: `platform.yaml:8:19: spec.management.controllers[0]: "arn:aws:iam::111122223333:user/ack" is not an IAM role ARN; want arn:<partition>:iam::<12 digits>:role/<name>`,
		},
		{
			name: "environment region in another partition",
			in:   e.dev("    region: cn-north-1\n    cluster: {admins: [\"arn:aws-cn:iam::111122223333:role/Admin\"]}\n"),
			line: 12, path: "environments.dev.region",
			want: `platform.yaml:12:13: environments.dev.region: "cn-north-1" is in partition aws-cn and the management cluster's region "us-west-2" in aws; the ACK controllers' credentials do not reach across partitions`,
		},
	}
}
