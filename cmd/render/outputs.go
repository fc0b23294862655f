package main

import (
	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericclioptions"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/orchestrate"
)

type outputsFlags struct {
	configFlags
	kube *genericclioptions.ConfigFlags
}

// NewOutputsCommand builds `render outputs ENV`.
func NewOutputsCommand(streams IOStreams) *cobra.Command {
	f := &outputsFlags{kube: genericclioptions.NewConfigFlags(false)}
	cmd := &cobra.Command{
		Use:   "outputs ENV",
		Short: "Record the values AWS knows only after creation in outputs/ENV.yaml",
		Long: `outputs reads, from the environment's live objects in the management cluster, the
values that exist only after AWS created them (the VPC ID, the cluster's OIDC
issuer, endpoint and CA, the account ID) and writes them to outputs/ENV.yaml
next to platform.yaml. Commit that file: render gen then renders the second
phase (FlowLog, OIDC provider, IRSA roles, and in a Fargate-only environment
the CoreDNS add-on) into overlays/ENV, and render kubeconfig works without the
management cluster. Values the file already has are kept when the cluster does
not know them. It writes nothing, and fails naming them, while a Fargate
profile of the environment is not ready: CoreDNS pods created before the
profile that selects them never run on Fargate.`,
		Example: `  render outputs dev && render gen && git add outputs overlays && git commit -m "dev: second phase"`,
		Args:    cobra.ExactArgs(1),
		RunE:    func(cmd *cobra.Command, args []string) error { return f.run(cmd, streams, args[0]) },
	}
	f.bind(cmd, streams)
	f.kube.AddFlags(cmd.Flags())
	return cmd
}

func (f *outputsFlags) run(cmd *cobra.Command, streams IOStreams, name string) error {
	cfg, env, committed, err := f.environment(name)
	if err != nil {
		return err
	}
	m, err := connect(f.kube, apply.ManagerOptions{})
	if err != nil {
		return err
	}
	return orchestrate.WriteOutputs(cmd.Context(), m, cfg, *env, committed, streams.ErrOut)
}
