package orchestrate

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/rest"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/eks-render/render/internal/awsauth"
	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/gen"
)

// TestCheckAccessOnlyAtTheStepToAPI: render apply reads aws-auth only for
// the step API_AND_CONFIG_MAP -> API, once per run; a cluster it cannot
// reach is stepped with a warning naming why.
func TestCheckAccessOnlyAtTheStepToAPI(t *testing.T) {
	_, env := importProject(t)
	for _, tc := range []struct {
		name, running, want string
	}{
		{"no step for a cluster render created", "", ""},
		{"no step on API", "API", ""},
		{"the first step keeps aws-auth", "CONFIG_MAP", ""},
		{"the step to API, on a cluster not reachable", "API_AND_CONFIG_MAP",
			"warning: aws-auth of cluster demo-dev not checked (the endpoint and CA of cluster demo-dev are not known): the authentication mode step to API drops its entries, whoever they are\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			late := config.LateValues{AuthenticationMode: tc.running}
			objs, err := gen.EnvObjects(env, late, false)
			if err != nil {
				t.Fatal(err)
			}
			var progress strings.Builder
			o := &ApplyOptions{Progress: &progress}
			for range 2 {
				if err := o.checkAccess(t.Context(), env, late, objs); err != nil {
					t.Fatal(err)
				}
			}
			if progress.String() != tc.want {
				t.Errorf("progress %q, want %q", progress.String(), tc.want)
			}
		})
	}
}

func TestAccessLossErrorNamesEachPrincipal(t *testing.T) {
	err := error(&AccessLossError{Cluster: "Cluster/demo-dev/demo", From: awsauth.Source{Read: awsauth.FromCluster, Where: "cluster demo-dev at https://x"},
		Losing: []awsauth.Entry{{ARN: "arn:aws:iam::111122223333:user/ops", Username: "ops", Groups: []string{"system:masters"}}}})
	want := "the step of Cluster/demo-dev/demo from API_AND_CONFIG_MAP to API drops the aws-auth ConfigMap path (EKS reads only access entries at API), and 1 principal of kube-system/aws-auth (cluster demo-dev at https://x) has no access entry:\n" +
		"  arn:aws:iam::111122223333:user/ops as \"ops\" [system:masters]\n" +
		"list them in cluster.admins of platform.yaml (render gen, then render apply again), or pass --allow-access-loss to take the step without them"
	if !errors.Is(err, ErrAccessLoss) || err.Error() != want {
		t.Errorf("got %v (is ErrAccessLoss: %v), want\n%s", err, errors.Is(err, ErrAccessLoss), want)
	}
}

// TestReadAWSAuthIsBounded: client-go runs an exec credential plugin (aws
// eks get-token) without a deadline; one that hangs does not hold
// readAWSAuth beyond its context.
func TestReadAWSAuthIsBounded(t *testing.T) {
	const hang = 3 * time.Second
	rc := &rest.Config{Host: "https://127.0.0.1:1", ExecProvider: &clientcmdapi.ExecConfig{
		APIVersion: "client.authentication.k8s.io/v1", Command: "sleep", Args: []string{fmt.Sprint(hang.Seconds())},
		InteractiveMode: clientcmdapi.NeverExecInteractiveMode,
	}}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := readAWSAuth(ctx, rc)
	if took := time.Since(start); err == nil || took > hang/2 {
		t.Errorf("readAWSAuth = %v after %s, want an error within %s", err, took, hang/2)
	}
	time.Sleep(time.Until(start.Add(hang + 500*time.Millisecond))) // the plugin's sleep ends: no process left behind
}
