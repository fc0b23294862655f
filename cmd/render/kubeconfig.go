package main

import (
	"github.com/spf13/cobra"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/orchestrate"
)

type kubeconfigFlags struct {
	clusterFlags
	output    string
	overwrite bool
}

// NewKubeconfigCommand builds `render kubeconfig ENV`.
func NewKubeconfigCommand(streams IOStreams) *cobra.Command {
	f := &kubeconfigFlags{}
	cmd := &cobra.Command{
		Use:   "kubeconfig ENV",
		Short: "Write a kubeconfig for the environment's new EKS cluster",
		Long: `kubeconfig writes a kubeconfig for the environment's EKS cluster (mode 0600):
endpoint and CA from outputs/ENV.yaml, else from the live Cluster, and an exec
credential running "aws eks get-token", whose IAM principal needs an entry in
cluster.admins. It never replaces your default kubeconfig unless --overwrite.`,
		Example: `  render kubeconfig dev                       # writes demo-dev.kubeconfig
  render kubeconfig prod --output ~/.kube/demo-prod
  KUBECONFIG=demo-dev.kubeconfig kubectl get nodes`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return f.run(cmd, streams, args[0]) },
	}
	f.bind(cmd, streams)
	cmd.Flags().StringVar(&f.output, "output", "", `Path to write (default "<cluster>.kubeconfig" in the current directory).`)
	cmd.Flags().BoolVar(&f.overwrite, "overwrite", false, "Allow replacing your default kubeconfig file.")
	return cmd
}

func (f *kubeconfigFlags) run(cmd *cobra.Command, streams IOStreams, name string) error {
	_, env, committed, err := f.Environment(name)
	if err != nil {
		return err
	}
	kc, err := orchestrate.EnvKubeconfig(cmd.Context(), *env, committed, func() (*apply.Manager, error) {
		return f.connect(apply.ManagerOptions{})
	})
	if err != nil {
		return err
	}
	return f.write(streams, env.ClusterName, kc)
}

func (f *kubeconfigFlags) write(streams IOStreams, cluster string, kc []byte) error {
	return orchestrate.WriteKubeconfig(f.output, cluster, kc, f.overwrite, streams.ErrOut)
}
