package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"sigs.k8s.io/yaml"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/gen"
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
	if err := checkFargateReady(cmd, f.kube, *env, committed.Values); err != nil {
		return err
	}
	live, err := liveLate(cmd, f.kube, *env, committed.Values)
	if err != nil {
		return err
	}
	values := known(committed.Values, live)
	doc := config.Outputs{APIVersion: config.APIVersion, Kind: config.OutputsKind, Environment: name, Values: values}
	b, err := yaml.Marshal(doc)
	if err != nil {
		return err
	}
	header := fmt.Sprintf("# Written by render outputs %s: values AWS knew only after creation. Commit it.\n", name)
	path := outputsPath(cfg, name)
	if err := writeAtomic(path, append([]byte(header), b...), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(streams.ErrOut, "wrote %s\n", path)
	if missing := missingValues(values); len(missing) > 0 {
		fmt.Fprintf(streams.ErrOut, "not known yet: %s (run again once the cluster is synced)\n", strings.Join(missing, ", "))
	}
	return nil
}

// liveLate reads the environment's late values from the management cluster.
func liveLate(cmd *cobra.Command, kube *genericclioptions.ConfigFlags, env config.Environment, late config.LateValues) (config.LateValues, error) {
	m, objs, err := managementObjects(kube, env, late)
	if err != nil {
		return config.LateValues{}, err
	}
	return m.LateValues(cmd.Context(), objs)
}

// managementObjects returns a Manager for the management cluster and the
// environment's management objects.
func managementObjects(kube *genericclioptions.ConfigFlags, env config.Environment, late config.LateValues) (*apply.Manager, []*unstructured.Unstructured, error) {
	m, err := connect(kube, apply.ManagerOptions{})
	if err != nil {
		return nil, nil, err
	}
	objs, err := gen.EnvObjects(env, late, false)
	return m, objs, err
}

// errFargateNotReady: render outputs found a Fargate profile not ready.
var errFargateNotReady = errors.New("not writing the late values before every Fargate profile is ready: " +
	"the second phase brings CoreDNS, whose pods must be created after the profile that runs them; run render outputs again once they are")

// checkFargateReady fails with errFargateNotReady, naming the profiles,
// unless every Fargate profile of env is ready in the management cluster.
func checkFargateReady(cmd *cobra.Command, kube *genericclioptions.ConfigFlags, env config.Environment, late config.LateValues) error {
	m, objs, err := managementObjects(kube, env, late)
	if err != nil {
		return err
	}
	waiting, err := fargateNotReady(cmd.Context(), m.Client(), objs)
	if err != nil || len(waiting) == 0 {
		return err
	}
	return fmt.Errorf("%w: %s", errFargateNotReady, strings.Join(waiting, ", "))
}

func missingValues(v config.LateValues) []string {
	var missing []string
	for _, f := range []struct{ name, value string }{
		{"accountID", v.AccountID}, {"vpcID", v.VPCID}, {"oidcIssuer", v.OIDCIssuer},
		{"clusterEndpoint", v.ClusterEndpoint}, {"clusterCA", v.ClusterCA},
	} {
		if f.value == "" {
			missing = append(missing, f.name)
		}
	}
	return missing
}

// writeAtomic writes path through a temporary file in the same directory
// and a rename, so a reader never sees half a file.
func writeAtomic(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
