package ack

// Annotations that make a controller adopt an existing AWS resource
// instead of creating one (runtime v0.62, apis/core/v1alpha1/annotations.go
// AnnotationAdoptionPolicy, AnnotationAdoptionFields, AnnotationAdopted).
const (
	AdoptionPolicyAnnotation = "services.k8s.aws/adoption-policy"
	AdoptionFieldsAnnotation = "services.k8s.aws/adoption-fields"
	// AdoptedAnnotation is what the controller writes ("true") once it
	// adopted the resource; render never sets it.
	AdoptedAnnotation = "services.k8s.aws/adopted"
)

// AdoptOrCreate is the adoption policy render renders. With it the
// runtime (pkg/runtime/reconciler.go Sync, at commit 95428e7 lines
// 602-668) takes the resource over when it exists (finalizer and
// services.k8s.aws/adopted, then the ordinary update from spec) and creates
// it when it does not. The other policy, "adopt", instead patches the
// object's spec to the AWS resource's values (patchResourceMetadataAndSpec
// with desired and latest swapped), which would fight render's own field
// manager, and never creates.
const AdoptOrCreate = "adopt-or-create"

// AdoptionFields lists, per kind render emits, the keys of the
// adoption-fields annotation its controller's PopulateResourceFromAnnotation
// requires (pkg/resource/<kind>/resource.go in each controller at the tags
// of ../shared/ack-crds/README.md): the EC2 IDs go into status, names and
// ARNs into spec or status.ackResourceMetadata.
var AdoptionFields = map[string][]string{
	"VPC":                   {"vpcID"},
	"Subnet":                {"subnetID"},
	"InternetGateway":       {"internetGatewayID"},
	"ElasticIPAddress":      {"allocationID"},
	"NATGateway":            {"natGatewayID"},
	"RouteTable":            {"routeTableID"},
	"FlowLog":               {"flowLogID"},
	"Role":                  {"name"},
	"Policy":                {"arn"},
	"OpenIDConnectProvider": {"arn"},
	"LogGroup":              {"name"},
	"Cluster":               {"name"},
	"Nodegroup":             {"clusterName", "name"},
	"FargateProfile":        {"clusterName", "name"},
	"AccessEntry":           {"clusterName", "principalARN"},
	"Addon":                 {"clusterName", "name"},
}
