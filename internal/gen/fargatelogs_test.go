package gen

import (
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/ack"
	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/graph"
)

// TestFargateLoggingConfigMap checks the built aws-logging ConfigMap of
// every environment against the EKS User Guide's rules: its namespace and
// label, only the sections Fargate accepts, and a cloudwatch_logs output
// to the environment's own log group that may not create groups.
func TestFargateLoggingConfigMap(t *testing.T) {
	cfg := loadConfig(t, "testdata/configs/example.yaml")
	tree := generate(t, cfg).Files
	for _, env := range cfg.Environments {
		t.Run(env.Name, func(t *testing.T) {
			work := buildEnv(t, tree, env.Name, true)
			ns := typed[corev1.Namespace](t, work, "Namespace", "", "aws-observability")
			if ns.Labels["aws-observability"] != "enabled" {
				t.Errorf("Namespace/aws-observability labels %v; want aws-observability: enabled", ns.Labels)
			}
			cm := typed[corev1.ConfigMap](t, work, "ConfigMap", "aws-observability", "aws-logging")
			keys := make([]string, 0, len(cm.Data))
			for k := range cm.Data {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			if diff := cmp.Diff([]string{"filters.conf", "flb_log_cw", "output.conf", "parsers.conf"}, keys); diff != "" {
				t.Errorf("data keys (-want +got):\n%s", diff)
			}
			want := "[OUTPUT]\n    Name cloudwatch_logs\n    Match kube.*\n    region " + env.Region +
				"\n    log_group_name /aws/eks/" + env.ClusterName + "/fargate\n    log_stream_prefix fargate-\n    auto_create_group false\n"
			if diff := cmp.Diff(want, cm.Data["output.conf"]); diff != "" {
				t.Errorf("output.conf (-want +got):\n%s", diff)
			}
			if err := checkLoggingSize(cm, MaxLoggingConfigMap); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestFargateLoggingSizeLimit: a ConfigMap over the limit is an error
// naming the ConfigMap and the configuration field; one at it is not.
func TestFargateLoggingSizeLimit(t *testing.T) {
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "aws-logging", Namespace: "aws-observability"},
		Data: map[string]string{"output.conf": strings.Repeat("x", 5300-len("output.conf"))}}
	if err := checkLoggingSize(cm, MaxLoggingConfigMap); err != nil {
		t.Errorf("5300 characters: %v; want no error", err)
	}
	cm.Data["output.conf"] += "é"
	err := checkLoggingSize(cm, MaxLoggingConfigMap)
	want := "ConfigMap/aws-observability/aws-logging (logging.fargate): its data has 5301 characters; EKS on Fargate accepts at most 5300 (EKS User Guide, fargate-logging)"
	if err == nil || err.Error() != want {
		t.Errorf("5301 characters: %v; want %s", err, want)
	}
}

// TestFargatePodLogsPermissions: the pod execution role may write to its
// log group only, and neither create groups nor set their retention.
func TestFargatePodLogsPermissions(t *testing.T) {
	env := exampleEnv(t, "prod")
	role := fargateRole(t, env)
	var doc policyDocument
	if err := json.Unmarshal([]byte(role.Spec.InlinePolicies["write-fargate-logs"]), &doc); err != nil {
		t.Fatal(err)
	}
	group := "arn:aws:logs:us-west-2:111122223333:log-group:/aws/eks/demo-prod/fargate"
	want := []statement{{Sid: "WriteFargatePodLogs", Effect: "Allow",
		Action:   []string{"logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"},
		Resource: []string{group, group + ":*"}}}
	if diff := cmp.Diff(want, doc.Statement); diff != "" {
		t.Errorf("write-fargate-logs statements (-want +got):\n%s", diff)
	}
}

// TestFargateLoggingOff: with logging.fargate.enabled false there is no
// namespace, ConfigMap, log group or log permission.
func TestFargateLoggingOff(t *testing.T) {
	env := exampleEnv(t, "dev")
	env.FargateLogs = nil
	r, err := Render(env, LateValues{})
	if err != nil {
		t.Fatal(err)
	}
	objs, err := unstructuredAll(append(r.Management, r.Workload...), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range objs {
		name, _, _ := unstructured.NestedString(u.Object, "spec", "name")
		if u.GetNamespace() == graph.FargateLogging.Namespace || u.GetName() == graph.FargateLogging.Namespace || name == FargateLogGroup(env.ClusterName) {
			t.Errorf("%s rendered with Fargate logging off", graph.NameOf(u))
		}
	}
	if p := fargateRole(t, env).Spec.InlinePolicies; p != nil {
		t.Errorf("Role/fargate-pods inline policies %v; want none", p)
	}
}

func exampleEnv(t *testing.T, name string) config.Environment {
	t.Helper()
	env, err := loadConfig(t, "testdata/configs/example.yaml").Environment(name)
	if err != nil {
		t.Fatal(err)
	}
	return *env
}

func fargateRole(t *testing.T, env config.Environment) *ack.Role {
	t.Helper()
	r, err := Render(env, LateValues{})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range r.Management {
		if role, ok := o.(*ack.Role); ok && role.Name == fargateRoleName {
			return role
		}
	}
	t.Fatal(errors.New("no Role/fargate-pods"))
	return nil
}
