package main

import (
	"errors"
	"io/fs"
	"path/filepath"

	"github.com/eks-render/render/internal/config"
)

// outputsPath is where environment env's outputs file lives: outputs/ next
// to the configuration file.
func outputsPath(cfg *config.Config, env string) string {
	return filepath.Join(filepath.Dir(cfg.File), filepath.FromSlash(config.OutputsFile(env)))
}

// loadLate reads the committed outputs file of every environment that has
// one: the late values for GitOps, so render gen renders the second phase.
func loadLate(cfg *config.Config) (map[string]config.LateValues, error) {
	late := map[string]config.LateValues{}
	for _, env := range cfg.Environments {
		path := outputsPath(cfg, env.Name)
		// Bounded, like platform.yaml: a huge file or a device is an error.
		data, err := config.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if late[env.Name], err = config.ParseOutputs(path, env.Name, data); err != nil {
			return nil, err
		}
	}
	return late, nil
}

// known merges two sets of late values, b's known values winning.
func known(a, b config.LateValues) config.LateValues {
	for _, f := range []struct {
		dst *string
		src string
	}{
		{&a.AccountID, b.AccountID}, {&a.VPCID, b.VPCID}, {&a.OIDCIssuer, b.OIDCIssuer},
		{&a.ClusterEndpoint, b.ClusterEndpoint}, {&a.ClusterCA, b.ClusterCA},
	} {
		if f.src != "" {
			*f.dst = f.src
		}
	}
	return a
}

// importsPath is where environment env's imports file lives: imports/ next
// to the configuration file.
func importsPath(cfg *config.Config, env string) string {
	return filepath.Join(filepath.Dir(cfg.File), filepath.FromSlash(config.ImportsFile(env)))
}

// loadImports reads the committed imports file of every environment that
// has one into the environment: render gen renders its adoptions.
func loadImports(cfg *config.Config) error {
	for i, env := range cfg.Environments {
		path := importsPath(cfg, env.Name)
		data, err := config.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		if cfg.Environments[i].Adopt, err = config.ParseImports(path, env.Name, data); err != nil {
			return err
		}
	}
	return nil
}
