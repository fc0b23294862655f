package gen

import (
	"fmt"
	"strings"
	"unicode/utf8"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/eks-render/render/internal/ack"
	"github.com/eks-render/render/internal/graph"
)

// Fargate pod logging. EKS runs a Fluent Bit log router in every Fargate
// pod and configures it from one ConfigMap, "named aws-logging", "created
// in a dedicated namespace called aws-observability" that carries the
// label aws-observability: enabled, which "can't exceed 5300 characters";
// the ConfigMap holds only [FILTER], [OUTPUT] and [PARSER] sections, under
// filters.conf, output.conf and parsers.conf; and "any changes to a
// ConfigMap are applied to new Pods only" (EKS User Guide,
// latest/ug/nodes/fargate-logging.adoc, awsdocs/amazon-eks-user-guide
// @4d52b4d05e34). So render applies it before any workload (graph's
// orderings).
const (
	// MaxLoggingConfigMap is the most characters EKS accepts in the
	// ConfigMap's data (keys and values).
	MaxLoggingConfigMap = 5300
	fargateLogsName     = "fargate"
	fargateLogsPolicy   = "write-fargate-logs"
)

// FargateLogGroup is the log group the Fargate pods' log router writes to.
func FargateLogGroup(cluster string) string { return fmt.Sprintf("/aws/eks/%s/fargate", cluster) }

// fargateLogGroup is the LogGroup of the Fargate pods' logs, with its
// retention: render creates it, so the log router is not allowed to.
func (r *renderer) fargateLogGroup() []any {
	if r.env.FargateLogs == nil {
		return nil
	}
	return []any{&ack.LogGroup{Object: r.meta(ack.CloudWatchLogsGroup, "LogGroup", fargateLogsName), Spec: ack.LogGroupSpec{
		Name: FargateLogGroup(r.env.ClusterName), RetentionDays: r.env.FargateLogs.RetentionDays, Tags: r.mapTags(),
	}}}
}

// fargateLogging returns the aws-observability Namespace and the
// aws-logging ConfigMap, or an error naming both the ConfigMap and the
// configuration field when the ConfigMap is longer than EKS accepts.
func (r *renderer) fargateLogging() ([]any, error) {
	if r.env.FargateLogs == nil {
		return nil, nil
	}
	ns := &corev1.Namespace{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Namespace"},
		ObjectMeta: r.appMeta(graph.FargateLogging.Namespace, ""),
	}
	ns.Labels["aws-observability"] = "enabled"
	cm := &corev1.ConfigMap{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: r.appMeta(graph.FargateLogging.ConfigMap, graph.FargateLogging.Namespace),
		Data:       r.fluentBitConfig(),
	}
	if err := checkLoggingSize(cm, MaxLoggingConfigMap); err != nil {
		return nil, err
	}
	return []any{ns, cm}, nil
}

// checkLoggingSize fails when the ConfigMap's data has more than limit
// characters.
func checkLoggingSize(cm *corev1.ConfigMap, limit int) error {
	n := 0
	for k, v := range cm.Data {
		n += utf8.RuneCountInString(k) + utf8.RuneCountInString(v)
	}
	if n > limit {
		return fmt.Errorf("ConfigMap/%s/%s (logging.fargate): its data has %d characters; EKS on Fargate accepts at most %d (EKS User Guide, fargate-logging)",
			cm.Namespace, cm.Name, n, limit)
	}
	return nil
}

// fluentBitConfig is the log router's configuration: the User Guide's
// CloudWatch example (its crio parser, which splits the container
// runtime's "time stream tag message" lines), writing with the
// cloudwatch_logs plugin to the log group render creates. Each log
// stream is named log_stream_prefix followed by the record's tag ("The tag
// is appended to the prefix to construct the full log stream name",
// docs.fluentbit.io/manual/pipeline/outputs/cloudwatch), and Fargate's
// fixed input tags each line kube.* after its file under
// /var/log/containers, whose name is <pod>_<namespace>_<container>-<id>.log:
// a stream per container of each pod. auto_create_group is false (the
// plugin's default, written out) and log_retention_days unset: the
// LogGroup object owns the group and its retention, and the pod execution
// role may not create groups or set retention (fargatePodLogsPolicy).
// flb_log_cw false keeps Fluent Bit's own logs out of CloudWatch.
func (r *renderer) fluentBitConfig() map[string]string {
	return map[string]string{
		"flb_log_cw": "false",
		"filters.conf": fluentSection("FILTER",
			"Name", "parser", "Match", "*", "Key_name", "log", "Parser", "crio"),
		"output.conf": fluentSection("OUTPUT",
			"Name", "cloudwatch_logs", "Match", "kube.*", "region", r.env.Region,
			"log_group_name", FargateLogGroup(r.env.ClusterName), "log_stream_prefix", "fargate-",
			"auto_create_group", "false"),
		"parsers.conf": fluentSection("PARSER",
			"Name", "crio", "Format", "Regex",
			"Regex", `^(?<time>[^ ]+) (?<stream>stdout|stderr) (?<logtag>P|F) (?<log>.*)$`,
			"Time_Key", "time", "Time_Format", "%Y-%m-%dT%H:%M:%S.%L%z"),
	}
}

// fluentSection is one section of Fluent Bit's classic configuration: the
// directive, then its key-value pairs indented more than it, as Fargate
// requires. kv alternates keys and values.
func fluentSection(directive string, kv ...string) string {
	var b strings.Builder
	b.WriteString("[" + directive + "]\n")
	for i := 0; i+1 < len(kv); i += 2 {
		b.WriteString("    " + kv[i] + " " + kv[i+1] + "\n")
	}
	return b.String()
}

// fargatePodLogsPolicy lets the Fargate pods' log router write to its log
// group and nothing else: the permissions AWS's CloudWatch example policy
// grants (aws-samples/amazon-eks-fluent-logging-examples
// examples/fargate/cloudwatchlogs/permissions.json @f9e0ee7be2e8, linked
// from the User Guide's fargate-logging page) without logs:CreateLogGroup
// and logs:PutRetentionPolicy, since render creates the group and sets its
// retention, and scoped to the group instead of "*".
func (r *renderer) fargatePodLogsPolicy() map[string]string {
	if r.env.FargateLogs == nil {
		return nil
	}
	group := r.logGroupARN(FargateLogGroup(r.env.ClusterName))
	doc := policyDocument{Version: "2012-10-17", Statement: []statement{{
		Sid: "WriteFargatePodLogs", Effect: "Allow",
		Action:   []string{"logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"},
		Resource: []string{group, group + ":*"},
	}}}
	return map[string]string{fargateLogsPolicy: doc.String()}
}
