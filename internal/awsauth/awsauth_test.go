package awsauth

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func TestParseAndMark(t *testing.T) {
	data := map[string]string{
		"mapRoles": "- rolearn: arn:aws:iam::111122223333:role/Node\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers, system:nodes]\n" +
			"- rolearn: arn:aws:iam::111122223333:role/Admin\n  username: admin\n  groups: [system:masters]\n",
		"mapUsers": "- userarn: arn:aws:iam::111122223333:user/ops\n  username: ops\n  groups: [system:masters]\n",
	}
	es, err := Parse("live kube-system/aws-auth", data)
	if err != nil {
		t.Fatal(err)
	}
	entry := &unstructured.Unstructured{Object: map[string]any{"kind": "AccessEntry", "spec": map[string]any{"principalARN": "arn:aws:iam::111122223333:role/Admin"}}}
	Mark(es, []*unstructured.Unstructured{entry})
	var got []string
	for _, e := range es {
		got = append(got, e.String())
	}
	want := []string{
		`arn:aws:iam::111122223333:role/Admin as "admin" [system:masters] (live kube-system/aws-auth): listed in cluster.admins (an access entry)`,
		`arn:aws:iam::111122223333:role/Node as "system:node:{{EC2PrivateDNSName}}" [system:bootstrappers system:nodes] (live kube-system/aws-auth): a node's or Fargate pod's role, which EKS maps itself; no access entry needed`,
		`arn:aws:iam::111122223333:user/ops as "ops" [system:masters] (live kube-system/aws-auth): LOSING ACCESS at API: NOT in cluster.admins; add it (or an access entry of its own) before the mode reaches API, which drops aws-auth`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if l := Losing(es); len(l) != 1 || l[0].ARN != "arn:aws:iam::111122223333:user/ops" {
		t.Errorf("losing %v, want only ops", l)
	}
}

func TestParseNamesTheKey(t *testing.T) {
	_, err := Parse("live kube-system/aws-auth", map[string]string{"mapUsers": "- userarn: [unclosed"})
	if err == nil || !strings.Contains(err.Error(), "live kube-system/aws-auth: data.mapUsers:") {
		t.Errorf("got %v, want an error naming the source and data.mapUsers", err)
	}
}
