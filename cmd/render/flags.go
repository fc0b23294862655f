package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"
	"k8s.io/cli-runtime/pkg/genericclioptions"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/orchestrate"
)

// configFlags are the flags every command that reads platform.yaml takes.
type configFlags struct{ orchestrate.Input }

func (f *configFlags) bind(cmd *cobra.Command, streams IOStreams) {
	f.Warn, f.Now = streams.ErrOut, streams.Now
	cmd.Flags().StringVarP(&f.File, "config", "f", "platform.yaml", "Path of the platform configuration file.")
	cmd.Flags().StringVar(&f.Today, "today", "", "Check cluster.version against the EKS calendar as on this day, YYYY-MM-DD (default: today, UTC).")
}

// envArg accepts the one ENV argument of a command about an environment;
// without it, it lists the configuration's environments.
func (f *configFlags) envArg(cmd *cobra.Command, args []string) error {
	if len(args) != 0 {
		return cobra.ExactArgs(1)(cmd, args)
	}
	names, err := f.environments()
	if err != nil {
		return err
	}
	return fmt.Errorf("name an environment of %s: %s", f.File, strings.Join(names, ", "))
}

// completeEnv completes the ENV argument with the configuration's
// environments (shell completion).
func (f *configFlags) completeEnv(_ *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) != 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	names, err := f.environments()
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	var out []cobra.Completion
	for _, n := range names {
		if strings.HasPrefix(n, toComplete) {
			out = append(out, n)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// environments are the names of the configuration's environments, its
// warnings left to the command that uses it.
func (f *configFlags) environments() ([]string, error) {
	in := f.Input
	in.Warn = io.Discard
	cfg, err := in.Load()
	if err != nil {
		return nil, err
	}
	names := make([]string, len(cfg.Environments))
	for i, e := range cfg.Environments {
		names[i] = e.Name
	}
	return names, nil
}

// clusterFlags add the management cluster's kubeconfig flags to configFlags.
type clusterFlags struct {
	configFlags
	kube *genericclioptions.ConfigFlags
	// verbose logs each request to the management cluster to log.
	verbose bool
	log     io.Writer
}

func (f *clusterFlags) bind(cmd *cobra.Command, streams IOStreams) {
	f.configFlags.bind(cmd, streams)
	f.kube = genericclioptions.NewConfigFlags(false)
	*f.kube.Timeout = apply.DefaultRequestTimeout.String()
	f.kube.AddFlags(cmd.Flags())
	f.log = streams.ErrOut
	cmd.Flags().BoolVarP(&f.verbose, "verbose", "v", false, "Log each request to the management cluster to stderr: method, path, status and duration (default: off).")
	cmd.Flags().Lookup("request-timeout").Usage = "Give up on a request the cluster leaves unanswered this long, discovery included; a watch only has to start within it (0: wait for ever)."
}

// connect makes a Manager for the cluster the kubeconfig flags point at.
func (f *clusterFlags) connect(opts apply.ManagerOptions) (*apply.Manager, error) {
	where, err := f.managementTarget()
	if err != nil {
		return nil, err
	}
	rc, err := f.kube.ToRESTConfig()
	if err != nil {
		return nil, fmt.Errorf("kubeconfig: %w", err)
	}
	// The bound is the Manager's, per request (--request-timeout, kept
	// in rc by ToRESTConfig): client-go's own would cut every watch.
	opts.RequestTimeout, rc.Timeout = rc.Timeout, 0
	if opts.RequestTimeout == 0 {
		opts.RequestTimeout = -1
	}
	reportUnreachable(rc, where)
	if f.verbose {
		logRequests(rc, f.log)
	}
	return apply.NewManager(rc, opts)
}

// open loads environment name and connects to the management cluster.
func (f *clusterFlags) open(name string, opts apply.ManagerOptions) (*config.Config, *config.Environment, orchestrate.Committed, *apply.Manager, error) {
	cfg, env, committed, err := f.Environment(name)
	if err != nil {
		return nil, nil, committed, nil, err
	}
	m, err := f.connect(opts)
	return cfg, env, committed, m, err
}

// bindLock binds --lock-timeout to *wait, which stays nil unless it is given.
func bindLock(cmd *cobra.Command, wait **time.Duration) {
	d := cmd.Flags().Duration("lock-timeout", 0,
		"How long to wait while another run holds the environment's lock (default: 0, fail at once, without a terminal as in CI; the whole --timeout on a terminal).")
	cmd.PreRun = func(*cobra.Command, []string) {
		if cmd.Flags().Changed("lock-timeout") {
			*wait = d
		}
	}
}

// isTerminal reports whether x (stderr, stdin) is a terminal.
func isTerminal(x any) bool {
	f, ok := x.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
