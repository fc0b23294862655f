package orchestrate

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/yaml"

	"github.com/eks-render/render/internal/awsauth"
	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/gen"
	"github.com/eks-render/render/internal/schema"
	"github.com/eks-render/render/internal/tfstate"
)

// ImportOptions are what render import was asked for.
type ImportOptions struct {
	// State is the path of the Terraform state to read.
	State string
	// AllowConflicts adopts resources whose create-only fields differ as
	// they are (tfstate.Report.Refuse); default false.
	AllowConflicts bool
	// Report shows the report; it is called before anything is refused or
	// written, so a refusal comes after the conflicts it lists.
	Report func(*tfstate.Report) error
	// Progress gets the line saying what was written.
	Progress io.Writer
	// Network is how the state's VPC is taken: AdoptNetwork (the default,
	// "") adopts it with everything else; ExistingNetwork leaves it
	// Terraform's and maps it onto network.existing.
	Network string
	// ReadCluster reads the live cluster's kube-system/aws-auth, which
	// the report then shows instead of the state's: through
	// ClusterKubeconfig (its ClusterContext, else its current context)
	// when set, else through a kubeconfig like render kubeconfig's, from
	// the state's endpoint and CA (aws eks get-token). A cluster that
	// cannot be read is reported as such, unless ClusterKubeconfig names
	// it, which makes it an error.
	ReadCluster                       bool
	ClusterKubeconfig, ClusterContext string
}

// Values of ImportOptions.Network, as render import --network spells them.
const (
	AdoptNetwork    = "adopt"
	ExistingNetwork = "existing"
)

// ErrNetworkNotConfigured: render import --network existing found the
// environment's configuration without the state's network as
// network.existing; nothing is written until it has it.
var ErrNetworkNotConfigured = errors.New("the configuration does not put the environment on the state's network")

// Import matches the Terraform state to what env renders (with its
// committed late values, late) and writes env's imports file next to the
// configuration (render import). With conflicts it refuses and writes
// nothing (tfstate.ErrConflicts). With o.Network ExistingNetwork the
// state's VPC and subnets are matched as network.existing instead of
// adopted (tfstate.NetworkOf), and nothing is written until env's
// configuration names that network (ErrNetworkNotConfigured).
func Import(ctx context.Context, cfg *config.Config, env config.Environment, late config.LateValues, o ImportOptions) error {
	st, err := tfstate.ReadFile(o.State)
	if err != nil {
		return err
	}
	set, err := schema.Load()
	if err != nil {
		return err
	}
	bare := env
	bare.Adopt = nil // match what render renders, not what an old imports file adopts
	var network *tfstate.Network
	if o.Network == ExistingNetwork {
		if network, err = tfstate.NetworkOf(st); err != nil {
			return err
		}
		bare.Network = onNetwork(env.Network, network)
	}
	rep, adoptions, err := tfstate.Import(tfstate.Input{Env: env.Name, Account: env.AccountID, Region: env.Region, State: st, Late: late, Schema: set,
		LiveAWSAuth: o.liveAWSAuth(ctx, env.Region),
		Render: func(l config.LateValues, adopt []config.Adoption) ([]*unstructured.Unstructured, error) {
			named := bare
			named.Adopt = adopt
			return gen.EnvObjects(named, l, false)
		}})
	if err != nil {
		return err
	}
	rep.Network = network
	if err := o.Report(rep); err != nil {
		return err
	}
	if o.ReadCluster && o.ClusterKubeconfig != "" && rep.AWSAuthFrom.Read != awsauth.FromCluster {
		return fmt.Errorf("--cluster-kubeconfig %s: %s", o.ClusterKubeconfig, rep.AWSAuthFrom.Why)
	}
	if network != nil && !sameNetwork(env.Network.Existing, network) {
		return fmt.Errorf("%w: set environments.%s.network.existing in %s as the report shows (and remove the environment's vpcCIDR, azCount, subnets and natMode), then run render import again",
			ErrNetworkNotConfigured, env.Name, cfg.File)
	}
	if err := rep.Refuse(o.AllowConflicts); err != nil {
		return err
	}
	path := ImportsPath(cfg, env.Name)
	if err := writeImports(path, env.Name, adoptions); err != nil {
		return err
	}
	fmt.Fprintf(o.Progress, "\nwrote %s (%d objects adopt existing resources)\n", path, len(adoptions))
	return nil
}

// writeImports writes the imports file atomically, with a header saying
// where it comes from.
func writeImports(path, env string, adoptions []config.Adoption) error {
	if adoptions == nil {
		adoptions = []config.Adoption{}
	}
	doc := config.Imports{APIVersion: config.APIVersion, Kind: config.ImportsKind, Environment: env, Adopt: adoptions}
	b, err := yaml.Marshal(doc)
	if err != nil {
		return err
	}
	header := fmt.Sprintf("# Written by render import %s: the AWS resources render's objects adopt. Commit it.\n", env)
	return WriteAtomic(path, append([]byte(header), b...), 0o644)
}

// onNetwork is n on the state's network: network.existing as the state
// has it; the flow log is the configuration's when it already says
// network.existing, else off, as on any network.existing by default.
func onNetwork(n config.NetworkEnv, state *tfstate.Network) config.NetworkEnv {
	out := config.NetworkEnv{FlowLogs: n.FlowLogs, Existing: &config.ExistingNetworkEnv{
		VPCID: state.VPCID, PrivateSubnetIDs: state.PrivateSubnetIDs, PublicSubnetIDs: state.PublicSubnetIDs,
	}}
	if n.Existing == nil {
		out.FlowLogs.Enabled = false
	}
	return out
}

// sameNetwork reports whether the configuration's network.existing names
// the state's network.
func sameNetwork(e *config.ExistingNetworkEnv, state *tfstate.Network) bool {
	return e != nil && e.VPCID == state.VPCID && slices.Equal(e.PrivateSubnetIDs, state.PrivateSubnetIDs) &&
		slices.Equal(e.PublicSubnetIDs, state.PublicSubnetIDs)
}

// liveAWSAuth is, when o asks for it, how render import reads the live
// cluster's aws-auth (ImportOptions.ReadCluster); region is the
// environment's, which aws eks get-token needs.
func (o ImportOptions) liveAWSAuth(ctx context.Context, region string) tfstate.LiveAWSAuth {
	if !o.ReadCluster {
		return nil
	}
	return func(c tfstate.Cluster) (map[string]string, string, error) {
		rc, where, err := o.clusterConfig(c, region)
		if err != nil {
			return nil, where, err
		}
		data, err := readAWSAuth(ctx, rc)
		return data, where, err
	}
}

// clusterConfig is the connection to the state's cluster c: through
// o.ClusterKubeconfig, else as render kubeconfig reaches a cluster, from
// c's endpoint and CA. where says which.
func (o ImportOptions) clusterConfig(c tfstate.Cluster, region string) (*rest.Config, string, error) {
	if o.ClusterKubeconfig != "" {
		cc := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(&clientcmd.ClientConfigLoadingRules{ExplicitPath: o.ClusterKubeconfig},
			&clientcmd.ConfigOverrides{CurrentContext: o.ClusterContext})
		where := "--cluster-kubeconfig " + o.ClusterKubeconfig
		if raw, err := cc.RawConfig(); err == nil {
			where = fmt.Sprintf("context %s of %s", cmp.Or(o.ClusterContext, raw.CurrentContext), o.ClusterKubeconfig)
		}
		rc, err := cc.ClientConfig()
		return rc, where, err
	}
	where := fmt.Sprintf("cluster %s at %s, through aws eks get-token as render kubeconfig", c.Name, c.Endpoint)
	if c.Endpoint == "" || c.CA == "" {
		return nil, where, fmt.Errorf("%s has no endpoint and CA in the state; pass --cluster-kubeconfig", c.Terraform)
	}
	kc, err := kubeconfigFor(c.Name, region, c.Endpoint, c.CA)
	if err != nil {
		return nil, where, err
	}
	rc, err := clientcmd.RESTConfigFromKubeConfig(kc)
	return rc, where, err
}
