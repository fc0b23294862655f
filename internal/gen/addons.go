package gen

import (
	"encoding/json"
	"fmt"

	"github.com/eks-render/render/internal/ack"
	"github.com/eks-render/render/internal/eksversion"
)

// The EKS managed add-ons every environment runs, by name (object and
// spec.name). The Cluster sets bootstrapSelfManagedAddons false, so EKS
// installs no self-managed copy of them (as terraform-aws-eks does, main.tf
// bootstrap_self_managed_addons = false): these Addon objects are the only
// source of the cluster's network plugin, kube-proxy and DNS, and EKS
// upgrades them as add-ons, not as manifests nobody owns.
const (
	addonVPCCNI    = eksversion.VPCCNI
	addonKubeProxy = eksversion.KubeProxy
	addonCoreDNS   = eksversion.CoreDNS
)

// corednsConfig is the part of the coredns add-on's configuration schema
// render sets (aws eks describe-addon-configuration --addon-name coredns;
// terraform-aws-eks docs/faq.md lists computeType, a plain string).
type corednsConfig struct {
	// ComputeType is the value EKS gives the CoreDNS pods'
	// eks.amazonaws.com/compute-type annotation, compared by Kubernetes and
	// EKS's Fargate admission as it is, case and all.
	ComputeType string `json:"computeType,omitempty"`
}

// corednsOnFargate is computeType for CoreDNS on Fargate: lower case, as
// the Fargate node taint eks.amazonaws.com/compute-type=fargate:NoSchedule
// is. "Fargate" left a user's CoreDNS Pending, and terraform-aws-eks
// changed its example to "fargate" (terraform-aws-modules/terraform-aws-eks
// PR #2922, v20.2.2, commit 659401d9; tests/eks-fargate-profile/main.tf at
// bef29c4d still sets "fargate"); eksctl marks CoreDNS for Fargate with the
// same value (eksctl-io/eksctl pkg/fargate/coredns/coredns.go,
// computeTypeFargate, at 99984adb / v0.230.0). The add-on's own template is
// not public, so no source says EKS folds the case.
const corednsOnFargate = "fargate"

// addons returns the Addon objects, and a line for one that waits.
//
// addonVersion is pinned to the version internal/eksversion lists for the
// Kubernetes minor the data plane is rendered for (dataPlaneVersion): EKS
// never upgrades an add-on on its own, so without a pin the add-ons would
// stay on the version of the day the cluster was created.
//
// resolveConflicts OVERWRITE lets EKS take over the self-managed copies of
// a cluster created before bootstrapSelfManagedAddons was false (CreateAddon,
// resolveConflicts); on a new cluster there is nothing to conflict with.
func (r *renderer) addons() (objs []any, pending string, err error) {
	kubeproxy, err := r.addon(addonKubeProxy, "")
	if err != nil {
		return nil, "", err
	}
	if r.env.NodeGroup != nil {
		return r.nodeGroupAddons(kubeproxy)
	}
	vpccni, err := r.addon(addonVPCCNI, "")
	if err != nil {
		return nil, "", err
	}
	objs = []any{vpccni, kubeproxy}
	// Fargate only: EKS's admission webhook sends a pod to Fargate only if
	// a profile selects it when the pod is created; CoreDNS pods created
	// before a profile that selects them is ACTIVE stay Pending for good
	// (aws/containers-roadmap#1813, terraform-provider-aws#39156). ACK
	// creates an Addon as soon as its Cluster is synced, and no reference
	// can make it wait for a FargateProfile, so on a path that applies
	// everything at once (kubectl apply -k, Flux) the Addon must not exist
	// yet: it comes with the second phase, which render outputs writes
	// only once every Fargate profile is ready, and which render apply
	// renders once the Cluster is and applies once the profiles that
	// select CoreDNS are (graph's ordering).
	if r.late.OIDCIssuer == "" {
		return objs, r.name("Addon", addonCoreDNS) + ": waits for the second phase (after the Fargate profiles that will run it)", nil
	}
	values, err := json.Marshal(corednsConfig{ComputeType: corednsOnFargate})
	if err != nil {
		return nil, "", fmt.Errorf("addon coredns configurationValues: %w", err)
	}
	coredns, err := r.addon(addonCoreDNS, string(values))
	return append(objs, coredns), "", err
}

// nodeGroupAddons are the add-ons of an environment with a node group:
// vpc-cni with its IRSA role (cniRole), and coredns, which runs on the
// nodes. Both come with the second phase, once the role can be rendered:
// without the role the nodes' aws-node pods have no permission to assign
// pod addresses, the nodes never become Ready and the node group fails;
// coredns follows the node group (graph's ordering).
func (r *renderer) nodeGroupAddons(kubeproxy *ack.Addon) (objs []any, pending string, err error) {
	if !r.cniReady() {
		return []any{kubeproxy}, r.cniWaits(r.name("Nodegroup", nodegroupName) + ", " + r.name("Addon", addonVPCCNI) + ", " + r.name("Addon", addonCoreDNS)), nil
	}
	vpccni, err := r.addon(addonVPCCNI, "")
	if err != nil {
		return nil, "", err
	}
	vpccni.Spec.ServiceAccountRoleRef = ack.To(cniName)
	coredns, err := r.addon(addonCoreDNS, "")
	return []any{vpccni, kubeproxy, coredns}, "", err
}

func (r *renderer) addon(name, values string) (*ack.Addon, error) {
	version, err := eksversion.AddonVersion(name, r.dataPlaneVersion())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", r.name("Addon", name), err)
	}
	return &ack.Addon{Object: r.meta(ack.EKSGroup, "Addon", name), Spec: ack.AddonSpec{
		AddonVersion: version, ClusterRef: ack.To(r.clusterObjectName()), ConfigurationValues: values,
		Name: name, ResolveConflicts: "OVERWRITE", Tags: r.mapTags(),
	}}, nil
}
