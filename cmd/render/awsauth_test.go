package main

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
	"github.com/eks-render/render/internal/awsauth"
	"github.com/eks-render/render/internal/tfstate"
)

// The principals of the Terraform-built cluster's aws-auth: platform.yaml's
// admin, the template's Fargate pod execution role, which EKS maps itself,
// and an operator nobody listed in cluster.admins.
const (
	adminARN   = "arn:aws:iam::111122223333:role/PlatformAdmin"
	fargateARN = "arn:aws:iam::111122223333:role/demo-eks-fargate-pod-execution-role"
	opsARN     = "arn:aws:iam::111122223333:user/ops"
)

// putAWSAuth writes kube-system/aws-auth into the apiserver playing the
// Terraform-built cluster, as EKS and its operators leave it.
func putAWSAuth(t *testing.T, workload *apitest.Env) {
	t.Helper()
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: awsauth.Namespace, Name: awsauth.Name}, Data: map[string]string{
		"mapRoles": "- rolearn: " + adminARN + "\n  username: admin\n  groups: [system:masters]\n" +
			"- rolearn: " + fargateARN + "\n  username: system:node:{{SessionName}}\n  groups: [system:bootstrappers, system:nodes, system:node-proxier]\n",
		"mapUsers": "- userarn: " + opsARN + "\n  username: ops\n  groups: [system:masters]\n",
	}}
	if err := workload.Client.Create(t.Context(), cm); err != nil {
		t.Fatal(err)
	}
}

// onCluster points the template state's cluster at the apiserver playing
// it: its endpoint and CA.
func onCluster(workload *apitest.Env) func(string) string {
	return func(s string) string {
		s = strings.ReplaceAll(s, "https://ED32FA39E98DFEC4AB05223C5F313A04.gr7.us-west-2.eks.amazonaws.com", workload.Config.Host)
		return strings.ReplaceAll(s, "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUMvakNDQWVhZ0F3SUJBZ0lCQURBTkJna3Foa2lHOXcwQkFRc0ZBREFWTVJNd0VRWURWUVFERXdwcmRXSmwKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=",
			base64.StdEncoding.EncodeToString(workload.Config.CAData))
	}
}

// TestAWSAuthGuardsTheStepToAPI: the template-built cluster (CONFIG_MAP)
// has an aws-auth with a principal nobody listed in cluster.admins.
// render import reads the live ConfigMap (from the state's endpoint, as
// render kubeconfig reaches a cluster, or through --cluster-kubeconfig)
// and reports who loses access at API; render apply takes the step to
// API_AND_CONFIG_MAP and refuses the one to API, naming the principal and
// the way out; render diff warns of it; --allow-access-loss takes it.
func TestAWSAuthGuardsTheStepToAPI(t *testing.T) {
	apitest.Skip(t)
	workload := newCluster(t)
	putAWSAuth(t, workload)
	dir, rep, sim, kubeconfig := importProjectWith(t, "aauth", "dev", "template.tfstate", reaching(workload, acksim.Options{}), onCluster(workload), "--allow-conflicts")

	t.Run("render import reports the live aws-auth", func(t *testing.T) {
		checkLiveAWSAuth(t, rep, "cluster aauth-dev at "+workload.Config.Host)
	})
	t.Run("render import reads it through --cluster-kubeconfig", func(t *testing.T) {
		kc, err := workload.Kubeconfig(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		code, out, errOut := run(t, dir, "import", "dev", "--tfstate", "tf.json", "--allow-conflicts", "-o", "json", "--cluster-kubeconfig", kc)
		got := &tfstate.Report{}
		if code != 0 || json.Unmarshal([]byte(out), got) != nil {
			t.Fatalf("render import = %d:\n%s", code, errOut)
		}
		checkLiveAWSAuth(t, got, "context test of "+kc)
	})
	t.Run("render import fails on a --cluster-kubeconfig it cannot read, writing nothing", func(t *testing.T) {
		imports := filepath.Join(dir, "imports", "dev.yaml")
		before, _ := os.ReadFile(imports)
		code, _, errOut := run(t, dir, "import", "dev", "--tfstate", "tf.json", "--allow-conflicts", "--cluster-kubeconfig", "nowhere.kubeconfig")
		if after, _ := os.ReadFile(imports); code != 1 || !strings.Contains(errOut, "error: --cluster-kubeconfig nowhere.kubeconfig:") || string(after) != string(before) {
			t.Errorf("render import = %d, imports changed %v:\n%s", code, string(after) != string(before), errOut)
		}
	})

	args := []string{"apply", "dev", "--kubeconfig", kubeconfig, "--poll-interval", "100ms", "--timeout", "2m", "--workload=false"}
	t.Run("render apply refuses the step to API, naming who loses access", func(t *testing.T) {
		code, _, errOut := run(t, dir, args...)
		if code != 1 || !strings.Contains(errOut, "the step of Cluster/aauth-dev/aauth from API_AND_CONFIG_MAP to API drops the aws-auth ConfigMap path") ||
			!strings.Contains(errOut, "  "+opsARN+` as "ops" [system:masters]`) || strings.Contains(errOut, adminARN+` as`) || strings.Contains(errOut, fargateARN+` as`) ||
			!strings.Contains(errOut, "list them in cluster.admins of platform.yaml") || !strings.Contains(errOut, "--allow-access-loss") {
			t.Fatalf("render apply = %d:\n%s", code, errOut)
		}
		if got := sim.AuthMode("Cluster/aauth"); got != "API_AND_CONFIG_MAP" {
			t.Errorf("the cluster runs %s, want API_AND_CONFIG_MAP: the first step taken, the second refused", got)
		}
	})
	t.Run("render diff warns of each principal that loses access", func(t *testing.T) {
		code, out, errOut := run(t, dir, "diff", "dev", "--kubeconfig", kubeconfig)
		if code != 1 || !strings.Contains(out, "AUTHENTICATION MODE dev: Cluster aauth API_AND_CONFIG_MAP -> API") ||
			!strings.Contains(out, "\n    WARNING "+opsARN+` as "ops" [system:masters] (live kube-system/aws-auth): LOSING ACCESS at API`) || strings.Contains(out, "WARNING "+adminARN) {
			t.Errorf("render diff = %d:\n%s\n%s", code, out, errOut)
		}
	})
	t.Run("render apply --allow-access-loss takes the step", func(t *testing.T) {
		code, _, errOut := run(t, dir, append(args, "--allow-access-loss")...)
		if code != 0 || !strings.Contains(errOut, "warning: --allow-access-loss: "+opsARN) {
			t.Fatalf("render apply = %d:\n%s", code, errOut)
		}
		if got := sim.AuthMode("Cluster/aauth"); got != "API" {
			t.Errorf("the cluster runs %s, want API", got)
		}
	})
}

// checkLiveAWSAuth checks that rep shows the live aws-auth, read at where:
// the admin listed, the Fargate role EKS's, ops losing access.
func checkLiveAWSAuth(t *testing.T, rep *tfstate.Report, where string) {
	t.Helper()
	if rep.AWSAuthFrom.Read != awsauth.FromCluster || !strings.HasPrefix(rep.AWSAuthFrom.Where, where) {
		t.Errorf("aws-auth read from %+v, want the live cluster, %s", rep.AWSAuthFrom, where)
	}
	got := map[string]tfstate.AWSAuthEntry{}
	for _, e := range rep.AWSAuth {
		got[e.ARN] = e
	}
	if len(got) != 3 || !got[adminARN].Listed || !got[fargateARN].Node || !got[opsARN].LosesAccess() || got[adminARN].LosesAccess() || got[fargateARN].LosesAccess() {
		t.Errorf("aws-auth entries %+v, want %s listed, %s a node role, %s losing access", rep.AWSAuth, adminARN, fargateARN, opsARN)
	}
}
