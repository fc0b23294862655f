package config

import (
	"bytes"
	"fmt"
	"strconv"

	"go.yaml.in/yaml/v3"

	"github.com/eks-render/render/internal/eksversion"
)

// SchemaURL is where editors find the JSON Schema of platform.yaml for a
// file outside this repository (the example here names it by relative path).
const SchemaURL = "https://raw.githubusercontent.com/eks-render/render/main/schema/platform.schema.json"

// ExampleAccountID is the AWS account ID render's documentation, README
// and example platform.yaml use; render gen warns while the placeholder
// admin (PlaceholderAdmin) is still in it.
const ExampleAccountID = "111122223333"

// placeholderComment marks the admin ARN render init makes up.
const placeholderComment = "Placeholder: render init made this ARN up from --account-id; replace it\nwith an IAM role or user of yours (or pass --admin), or nobody can use\nthe cluster."

// PlaceholderAdmin is the admin ARN render init writes for account without
// --admin: a role the account may well not have.
func PlaceholderAdmin(partition, account string) string {
	return "arn:" + partition + ":iam::" + account + ":role/PlatformAdmin"
}

// SkeletonOptions are the choices render init asks for.
type SkeletonOptions struct {
	Name, Region, AccountID string
	// Admins are the IAM principal ARNs given cluster-admin; default, when
	// AccountID is set, the account's role PlatformAdmin.
	Admins []string
	// Environments are the environment names, in order.
	Environments []string
	// FargateOnly turns the managed node group off everywhere.
	FargateOnly bool
	// Day is the day render init runs: the file pins the newest Kubernetes
	// version in EKS standard support that day.
	Day eksversion.Day
}

// Skeleton returns a commented platform.yaml for a new platform, with the
// schema line editors read. It is checked with Parse before it is returned,
// so that what render init writes always renders.
func Skeleton(o SkeletonOptions) ([]byte, error) {
	placeholder := len(o.Admins) == 0 && o.AccountID != ""
	if placeholder {
		o.Admins = []string{PlaceholderAdmin(Partition(o.Region), o.AccountID)}
	}
	spec := mapping(
		pair("name", scalar(o.Name), "Each environment's EKS cluster, and its namespace in the management\ncluster, is \"<name>-<environment>\"."),
		pair("region", scalar(o.Region), ""),
	)
	if o.AccountID != "" {
		spec.Content = append(spec.Content, pair("accountID", quoted(o.AccountID), "")...)
	}
	admins := &yaml.Node{Kind: yaml.SequenceNode}
	for _, a := range o.Admins {
		admins.Content = append(admins.Content, scalar(a))
	}
	if placeholder {
		admins.Content[0].HeadComment = placeholderComment
	}
	spec.Content = append(spec.Content, pair("cluster", mapping(
		pair("version", quoted(eksversion.Default(o.Day)), "Kubernetes version. Raise it one minor version at a time to upgrade\n(docs/operations.md, Upgrading)."),
		pair("admins", admins, "IAM roles or users given cluster-admin on the new cluster."),
	), "")...)
	if o.FargateOnly {
		spec.Content = append(spec.Content, pair("nodeGroup", mapping(pair("enabled", scalar("false"), "")),
			"Fargate only: no managed node group; CoreDNS runs on Fargate.")...)
	}
	envs := mapping()
	for _, e := range o.Environments {
		envs.Content = append(envs.Content, pair(e, &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle},
			"Any field of spec may be set again here; see docs/configuration.md.")...)
	}
	doc := mapping(
		pair("apiVersion", scalar(APIVersion), ""),
		pair("kind", scalar(Kind), ""),
		pair("spec", spec, "The values every environment shares."),
		pair("environments", envs, "One section per environment, with what differs there."),
	)
	doc.HeadComment = "yaml-language-server: $schema=" + SchemaURL + "\n" +
		"Written by render init. Fields, defaults and allowed values:\ndocs/configuration.md. Then: render gen, render apply ENV."
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{doc}}); err != nil {
		return nil, fmt.Errorf("encode platform.yaml: %w", err)
	}
	if _, err := Parse("platform.yaml", buf.Bytes(), o.Day); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func mapping(pairs ...[]*yaml.Node) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	for _, p := range pairs {
		n.Content = append(n.Content, p...)
	}
	return n
}

func pair(key string, value *yaml.Node, comment string) []*yaml.Node {
	return []*yaml.Node{{Kind: yaml.ScalarNode, Value: key, HeadComment: comment}, value}
}

func scalar(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: v} }

// quoted keeps a digit string a string (an account ID is not a number).
func quoted(v string) *yaml.Node {
	if _, err := strconv.ParseFloat(v, 64); err == nil {
		return &yaml.Node{Kind: yaml.ScalarNode, Value: v, Style: yaml.DoubleQuotedStyle}
	}
	return scalar(v)
}
