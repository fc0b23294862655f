package orchestrate

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/eksversion"
)

// fakeCluster has live late values and counts how often they are read.
type fakeCluster struct {
	live  config.LateValues
	reads int
}

func (*fakeCluster) CheckKinds([]*unstructured.Unstructured) error { return nil }

func (c *fakeCluster) LateValues(context.Context, []*unstructured.Unstructured) (config.LateValues, error) {
	c.reads++
	return c.live, nil
}

func devEnv(t *testing.T) config.Environment {
	t.Helper()
	data, err := os.ReadFile("../../platform.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse("platform.yaml", data, eksversion.ReferenceDay)
	if err != nil {
		t.Fatal(err)
	}
	env, err := cfg.Environment("dev")
	if err != nil {
		t.Fatal(err)
	}
	return *env
}

var allLive = config.LateValues{AccountID: "111122223333", VPCID: "vpc-0123456789abcdef0",
	OIDCIssuer: "https://oidc.eks.us-west-2.amazonaws.com/id/LIVE", ClusterEndpoint: "https://LIVE.eks.amazonaws.com", ClusterCA: "Q0E="}

func TestRenderTakesCommittedElseLive(t *testing.T) {
	env := devEnv(t)
	committedAll := allLive
	committedAll.OIDCIssuer = "https://oidc.eks.us-west-2.amazonaws.com/id/COMMITTED"
	for _, tc := range []struct {
		name       string
		committed  Committed
		live       config.LateValues
		wantReads  int
		wantIssuer string
		wantFrom   string
		wantWarn   string
		complete   bool
	}{
		{"no outputs file: the live values", Committed{File: "outputs/dev.yaml"}, allLive, 1,
			allLive.OIDCIssuer, "from the live cluster (no outputs/dev.yaml committed)", "", true},
		{"a complete outputs file: the cluster is not read", Committed{File: "outputs/dev.yaml", Present: true, Values: committedAll}, allLive, 0,
			committedAll.OIDCIssuer, "from outputs/dev.yaml", "", true},
		{"a partial outputs file: the rest from the live cluster, committed values winning",
			Committed{File: "outputs/dev.yaml", Present: true, Values: config.LateValues{OIDCIssuer: committedAll.OIDCIssuer}}, allLive, 1,
			committedAll.OIDCIssuer, "from outputs/dev.yaml and the live cluster",
			`warning: outputs/dev.yaml: values.oidcIssuer is "https://oidc.eks.us-west-2.amazonaws.com/id/COMMITTED", the live cluster has "https://oidc.eks.us-west-2.amazonaws.com/id/LIVE"`, true},
		{"nothing anywhere yet: the first phase", Committed{File: "outputs/dev.yaml"}, config.LateValues{}, 1,
			"", "none yet (no outputs/dev.yaml committed, none in the live cluster)", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &fakeCluster{live: tc.live}
			var progress bytes.Buffer
			r, err := Render(t.Context(), c, env, tc.committed, &progress)
			if err != nil {
				t.Fatal(err)
			}
			if c.reads != tc.wantReads || r.Late.OIDCIssuer != tc.wantIssuer || r.From != tc.wantFrom || r.Complete() != tc.complete {
				t.Errorf("reads %d, issuer %q, from %q, complete %t; want %d, %q, %q, %t",
					c.reads, r.Late.OIDCIssuer, r.From, r.Complete(), tc.wantReads, tc.wantIssuer, tc.wantFrom, tc.complete)
			}
			if got := strings.TrimSpace(progress.String()); !strings.HasPrefix(got, tc.wantWarn) || (tc.wantWarn == "" && got != "") {
				t.Errorf("progress %q, want %q", got, tc.wantWarn)
			}
			rendered := 0
			for _, u := range r.Objects {
				if u.GetKind() == "OpenIDConnectProvider" {
					rendered++
				}
			}
			if want := map[bool]int{true: 1, false: 0}[tc.complete]; rendered != want {
				t.Errorf("%d OpenIDConnectProviders rendered, want %d", rendered, want)
			}
		})
	}
}

func TestAnnounceSaysWhatWaits(t *testing.T) {
	r, err := Render(t.Context(), &fakeCluster{}, devEnv(t), Committed{File: "outputs/dev.yaml"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	r.Announce(&b)
	want := "dev: late values none yet (no outputs/dev.yaml committed, none in the live cluster)\n" +
		"  not rendered yet: Addon/demo-dev/coredns: waits for the second phase (after the Fargate profiles that will run it)\n" +
		"  not rendered yet: FlowLog/demo-dev/vpc: waits for the VPC ID (FlowLog.spec.resourceID has no reference form)\n" +
		"  not rendered yet: OpenIDConnectProvider/demo-dev/oidc, Policy/demo-dev/alb-controller, Policy/demo-dev/alb-controller-elb, Role/demo-dev/alb-controller: wait for the cluster's OIDC issuer\n"
	if b.String() != want {
		t.Errorf("Announce = %q, want %q", b.String(), want)
	}
}
