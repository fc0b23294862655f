package tfstate

import (
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/awsauth"
)

// AWSAuthEntry is one IAM principal an aws-auth ConfigMap maps into the
// cluster (awsauth.Entry).
type AWSAuthEntry = awsauth.Entry

// Cluster is what render needs to reach the state's EKS cluster: its AWS
// name, API endpoint and CA (base64 PEM, as the state and the Cluster's
// status hold it). Input.LiveAWSAuth gets it.
type Cluster struct {
	Terraform string
	Name      string
	Endpoint  string
	CA        string
}

// LiveAWSAuth reads the live cluster's kube-system/aws-auth: its data
// (nil when the cluster has none), where it read it, or why it could not.
type LiveAWSAuth func(c Cluster) (data map[string]string, where string, err error)

// configMapTypes are the Terraform kubernetes provider's resource types
// that hold a ConfigMap's data.
var configMapTypes = []string{"kubernetes_config_map", "kubernetes_config_map_v1", "kubernetes_config_map_v1_data"}

// awsAuth returns the entries of the cluster's aws-auth ConfigMap, marked
// Listed when objs have an AccessEntry for them, and where they come
// from: the live cluster when live reads it, else the state's
// kube-system/aws-auth resources, else neither, with why.
func awsAuth(st *State, objs []*unstructured.Unstructured, live LiveAWSAuth) ([]AWSAuthEntry, awsauth.Source, error) {
	out, from, err := stateAWSAuth(st)
	if err != nil {
		return nil, from, err
	}
	why := "the live cluster was not read (render import --read-cluster=false)"
	if c := stateCluster(st); live != nil && c == nil {
		why = "the state has no aws_eks_cluster whose aws-auth to read"
	} else if live != nil {
		data, where, err := live(*c)
		if err == nil {
			return liveAWSAuth(data, where, objs)
		}
		why = "the live cluster could not be read: " + err.Error()
	}
	awsauth.Mark(out, objs)
	if len(out) == 0 {
		return []AWSAuthEntry{}, awsauth.Source{Read: awsauth.FromNeither, Why: "the state has no kube-system/aws-auth ConfigMap, and " + why}, nil
	}
	from.Why = "what Terraform wrote, not what EKS reads: " + why
	return out, from, nil
}

// liveAWSAuth is the entries of the live cluster's aws-auth data, read
// at where (nil data: the cluster has none, and nothing loses access).
func liveAWSAuth(data map[string]string, where string, objs []*unstructured.Unstructured) ([]AWSAuthEntry, awsauth.Source, error) {
	from := awsauth.Source{Read: awsauth.FromCluster, Where: where}
	if data == nil {
		from.Why = "it has no kube-system/aws-auth ConfigMap"
		return []AWSAuthEntry{}, from, nil
	}
	out, err := awsauth.Parse("live "+awsauth.Namespace+"/"+awsauth.Name, data)
	if err != nil {
		return nil, from, err
	}
	awsauth.Mark(out, objs)
	return append([]AWSAuthEntry{}, out...), from, nil
}

// stateAWSAuth returns the entries of every kube-system/aws-auth
// ConfigMap in the state.
func stateAWSAuth(st *State) ([]AWSAuthEntry, awsauth.Source, error) {
	var out []AWSAuthEntry
	from := awsauth.Source{Read: awsauth.FromState}
	for i := range st.Resources {
		r := &st.Resources[i]
		if !slices.Contains(configMapTypes, r.Type) || r.str("metadata", 0, "name") != awsauth.Name || r.str("metadata", 0, "namespace") != awsauth.Namespace {
			continue
		}
		data := map[string]string{"mapRoles": r.str("data", "mapRoles"), "mapUsers": r.str("data", "mapUsers")}
		es, err := awsauth.Parse(r.Address, data)
		if err != nil {
			return nil, from, err
		}
		out = append(out, es...)
		from.Where = r.Address
	}
	slices.SortStableFunc(out, func(a, b AWSAuthEntry) int { return strings.Compare(a.ARN, b.ARN) })
	return append([]AWSAuthEntry{}, out...), from, nil
}

// stateCluster is the state's EKS cluster, nil without one.
func stateCluster(st *State) *Cluster {
	for i := range st.Resources {
		r := &st.Resources[i]
		if r.Type == "aws_eks_cluster" {
			return &Cluster{Terraform: r.Address, Name: r.str("name"), Endpoint: r.str("endpoint"), CA: r.str("certificate_authority", 0, "data")}
		}
	}
	return nil
}
