package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/eks-render/render/internal/orchestrate"
	"github.com/eks-render/render/internal/tfstate"
)

// NewImportCommand builds `render import ENV --tfstate FILE`.
func NewImportCommand(streams IOStreams) *cobra.Command {
	f := &configFlags{}
	var output string
	o := orchestrate.ImportOptions{Progress: streams.ErrOut, Report: func(rep *tfstate.Report) error {
		if output == "text" {
			return rep.WriteText(streams.ErrOut)
		}
		enc := json.NewEncoder(streams.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}}
	cmd := &cobra.Command{
		Use:   "import ENV --tfstate FILE",
		Short: "Adopt the AWS resources a Terraform state holds: write imports/ENV.yaml",
		Long: `import matches each AWS object ENV renders to at most one resource of a Terraform
state and writes imports/ENV.yaml (commit it), whose adoptions render gen then
renders. A create-only field that differs is a conflict: nothing is written
unless --allow-conflicts, which keeps the live value (rendered as AWS has it,
listed by render diff). With --network existing the state's VPC is not
adopted: the report shows the network.existing it maps to, and imports/ENV.yaml
is written once platform.yaml says so. It reads the live cluster's aws-auth
ConfigMap (--read-cluster, --cluster-kubeconfig) and reports who would lose
access once the authentication mode is API. See docs/migrating-from-terraform.md.

Exit status: 0 when imports/ENV.yaml was written, 1 on any error or conflict.`,
		Example: `  terraform state pull > tf.json
  render import dev --tfstate tf.json
  render import prod --tfstate prod.json --output json > import.json
  render import prod --tfstate prod.json --network existing   # keep the VPC out of ACK
  render import dev --tfstate tf.json --cluster-kubeconfig ~/.kube/tf-dev   # read aws-auth through your kubeconfig`,
		Args:              f.envArg,
		ValidArgsFunction: f.completeEnv,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.State == "" {
				return fmt.Errorf("--tfstate is required: the output of terraform state pull or terraform show -json")
			}
			if err := checkOutput(output, "text", "json"); err != nil {
				return err
			}
			if o.Network != orchestrate.AdoptNetwork && o.Network != orchestrate.ExistingNetwork {
				return fmt.Errorf("--network %q: want %s or %s", o.Network, orchestrate.AdoptNetwork, orchestrate.ExistingNetwork)
			}
			cfg, env, committed, err := f.Environment(args[0])
			if err != nil {
				return err
			}
			return orchestrate.Import(cmd.Context(), cfg, *env, committed.Values, o)
		},
	}
	f.bind(cmd, streams)
	cmd.Flags().StringVar(&o.State, "tfstate", "", "Terraform state to read: terraform state pull or terraform show -json output (required).")
	bindOutput(cmd, &output, "text", "text", "json")
	cmd.Flags().StringVar(&o.Network, "network", orchestrate.AdoptNetwork, "How to take the state's VPC: adopt (render's objects take it and its subnets, gateways and route tables over) or existing (it stays Terraform's, or the network team's: the report shows the network.existing to set, and nothing is written until platform.yaml has it).")
	cmd.Flags().BoolVar(&o.ReadCluster, "read-cluster", true, "Read the live cluster's kube-system/aws-auth ConfigMap and report its principals (who loses access at the API authentication mode): through --cluster-kubeconfig, else from the state's endpoint and CA with aws eks get-token, as render kubeconfig; a cluster that does not answer within 20s is reported as not read.")
	cmd.Flags().StringVar(&o.ClusterKubeconfig, "cluster-kubeconfig", "", "Kubeconfig of the Terraform-built cluster to read aws-auth through (default: from the state, as render kubeconfig); unreadable, it fails the import.")
	cmd.Flags().StringVar(&o.ClusterContext, "cluster-context", "", "Context of --cluster-kubeconfig to use (default: its current context).")
	cmd.Flags().BoolVar(&o.AllowConflicts, "allow-conflicts", false, "Adopt resources whose create-only fields differ as they are instead of failing: imports/ENV.yaml keeps the live values (keep), which render renders; default false.")
	return cmd
}
