package diff

import (
	"bytes"
	"strings"
	"testing"

	"github.com/eks-render/render/internal/awsauth"
)

// withMode is withVersion(dir, "1.35") with prod's cluster known to run
// the authentication mode running.
func withMode(t *testing.T, dir, running string) Input {
	in := withVersion(t, dir, "1.35")
	late := in.Late["prod"]
	late.AuthenticationMode = running
	in.Late["prod"] = late
	return in
}

// TestAuthenticationModeIsItsOwnSection: a step of the authentication
// mode between two renderings is reported in a section of its own, with
// the steps still to come, in every format; none when the mode is the
// same.
func TestAuthenticationModeIsItsOwnSection(t *testing.T) {
	s := loadSchema(t)
	r, err := Compare(withMode(t, "to", "CONFIG_MAP"), withMode(t, "to", "API_AND_CONFIG_MAP"), s)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range r.Environments {
		m := e.AuthenticationMode
		switch e.Name {
		case "prod":
			if m == nil || m.From != "API_AND_CONFIG_MAP" || m.To != "API" || len(m.Then) != 0 {
				t.Errorf("prod: authentication mode %+v, want API_AND_CONFIG_MAP -> API", m)
			}
		default:
			if m != nil {
				t.Errorf("%s: authentication mode %+v, want none (API on both sides)", e.Name, m)
			}
		}
	}
	var txt, md, js bytes.Buffer
	for _, w := range []struct {
		b    *bytes.Buffer
		f    Format
		want string
	}{
		{&txt, TextFormat, "  AUTHENTICATION MODE prod: Cluster demo API_AND_CONFIG_MAP -> API (EKS changes the mode one step at a time and never back"},
		{&md, MarkdownFormat, "**AUTHENTICATION MODE prod: Cluster demo API_AND_CONFIG_MAP -> API"},
		{&js, JSONFormat, `"authenticationMode": {`},
	} {
		if err := r.Write(w.b, w.f); err != nil || !strings.Contains(w.b.String(), w.want) {
			t.Errorf("%s: %v, lacks %q:\n%s", w.f, err, w.want, w.b.String())
		}
	}
	if r, err := Compare(withMode(t, "to", "API"), withMode(t, "to", "API"), s); err != nil || r.Environments[1].AuthenticationMode != nil {
		t.Errorf("same mode: %v %+v", err, r)
	}
}

// TestModeStepOfLiveCluster: render diff's live step is from the mode
// the cluster runs to the one rendered, and the steps after it.
func TestModeStepOfLiveCluster(t *testing.T) {
	objs, err := render(withMode(t, "to", "CONFIG_MAP"), "prod", ManagementTarget)
	if err != nil {
		t.Fatal(err)
	}
	m := ModeStepOf("CONFIG_MAP", objs)
	if m == nil || m.From != "CONFIG_MAP" || m.To != "API_AND_CONFIG_MAP" || strings.Join(m.Then, ",") != "API" {
		t.Fatalf("step %+v, want CONFIG_MAP -> API_AND_CONFIG_MAP then API", m)
	}
	if !strings.HasPrefix(m.String(), "CONFIG_MAP -> API_AND_CONFIG_MAP, then API (") {
		t.Errorf("line %q", m.String())
	}
	for _, running := range []string{"", "API_AND_CONFIG_MAP"} {
		if m := ModeStepOf(running, objs); m != nil {
			t.Errorf("running %q: step %+v, want none", running, m)
		}
	}
}

// TestModeStepWarnsOfLostAccess: the step to API lists, in every format,
// each principal of the cluster's aws-auth that loses access, or that
// aws-auth could not be checked.
func TestModeStepWarnsOfLostAccess(t *testing.T) {
	s := loadSchema(t)
	r, err := Compare(withMode(t, "to", "CONFIG_MAP"), withMode(t, "to", "API_AND_CONFIG_MAP"), s)
	if err != nil {
		t.Fatal(err)
	}
	m := r.Environments[1].AuthenticationMode
	m.AWSAuth = &awsauth.Source{Read: awsauth.FromCluster, Where: "cluster demo-prod at https://x"}
	m.LosingAccess = []awsauth.Entry{{Source: "live kube-system/aws-auth", ARN: "arn:aws:iam::111122223333:user/ops", Username: "ops", Groups: []string{"system:masters"}}}
	for _, w := range []struct {
		f    Format
		want string
	}{
		{TextFormat, "\n    WARNING arn:aws:iam::111122223333:user/ops as \"ops\" [system:masters] (live kube-system/aws-auth): LOSING ACCESS at API"},
		{MarkdownFormat, "\n- WARNING arn:aws:iam::111122223333:user/ops as \"ops\" [system:masters] (live kube-system/aws-auth): LOSING ACCESS at API"},
		{JSONFormat, `"losingAccess": [`},
	} {
		var b bytes.Buffer
		if err := r.Write(&b, w.f); err != nil || !strings.Contains(b.String(), w.want) {
			t.Errorf("%s: %v, lacks %q:\n%s", w.f, err, w.want, b.String())
		}
	}
	m.AWSAuth, m.LosingAccess = &awsauth.Source{Read: awsauth.FromNeither, Why: "not read: no credentials"}, nil
	if l := m.Lines(); len(l) != 1 || !strings.HasPrefix(l[0], "WARNING aws-auth not checked: not read: no credentials; the step to API drops") {
		t.Errorf("unread: %q", l)
	}
}
