package schema

import (
	"embed"
	"fmt"
	"io/fs"
)

// gitopsEmbedded holds the derived Flux and Argo CD CRDs (`make
// gitops-crds`); it is read-only and kept apart from crds/ so that Load,
// and everything that installs its CRDs, never sees them.
//
//go:embed gitopscrds
var gitopsEmbedded embed.FS

// LoadGitOps parses the embedded Flux and Argo CD CRDs (Kustomization,
// GitRepository, OCIRepository, Application, AppProject) like Load does the
// ACK CRDs; schematest.LoadGitOps validates objects against them.
func LoadGitOps() (*Set, error) {
	sub, err := fs.Sub(gitopsEmbedded, "gitopscrds")
	if err != nil {
		return nil, fmt.Errorf("gitops crds: %w", err)
	}
	return LoadFS(sub)
}
