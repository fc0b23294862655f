package gen

import (
	"sort"
	"strings"

	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/resid"

	"github.com/eks-render/render/internal/ack"
)

// ConfigFile is the kustomize transformer configuration in base/.
const ConfigFile = "kustomizeconfig.yaml"

// nameReferences is kustomize's transformer configuration for ACK
// references: for each kind that can be referred to, every field that holds
// such a name. With it, a namePrefix or nameSuffix that renames an object
// renames every from.name pointing at it.
type nameReferences struct {
	NameReference []nameReference `json:"nameReference"`
}

type nameReference struct {
	resid.Gvk  `json:",inline"`
	FieldSpecs []types.FieldSpec `json:"fieldSpecs"`
}

// kustomizeConfig is built from ack.RefFields, the same table the tests and
// the dependency graph use.
func kustomizeConfig() nameReferences {
	byTarget := map[resid.Gvk][]types.FieldSpec{}
	for _, f := range ack.RefFields {
		target := resid.Gvk{Group: f.TargetGroup, Version: ack.Version, Kind: f.TargetKind}
		byTarget[target] = append(byTarget[target], types.FieldSpec{
			Gvk:  resid.Gvk{Group: f.Group, Version: ack.Version, Kind: f.Kind},
			Path: KustomizePath(f.Path),
		})
	}
	var out nameReferences
	for gvk, specs := range byTarget {
		out.NameReference = append(out.NameReference, nameReference{Gvk: gvk, FieldSpecs: specs})
	}
	sort.Slice(out.NameReference, func(i, j int) bool {
		a, b := out.NameReference[i].Gvk, out.NameReference[j].Gvk
		return a.Group+"/"+a.Kind < b.Group+"/"+b.Kind
	})
	for _, nr := range out.NameReference {
		sort.Slice(nr.FieldSpecs, func(i, j int) bool {
			a, b := nr.FieldSpecs[i], nr.FieldSpecs[j]
			return a.Kind+a.Path < b.Kind+b.Path
		})
	}
	return out
}

// KustomizePath turns a ref field path (spec.routes[].gatewayRef) into the
// kustomize field spec of its name (spec/routes/gatewayRef/from/name);
// kustomize walks lists by itself.
func KustomizePath(path string) string {
	return strings.ReplaceAll(strings.ReplaceAll(path, "[]", ""), ".", "/") + "/from/name"
}

func kustomization(namespace string, resources []string, patches []string, configs []string) types.Kustomization {
	k := types.Kustomization{
		TypeMeta:       types.TypeMeta{APIVersion: types.KustomizationVersion, Kind: types.KustomizationKind},
		Namespace:      namespace,
		Resources:      resources,
		Configurations: configs,
	}
	for _, p := range patches {
		k.Patches = append(k.Patches, types.Patch{Path: p})
	}
	return k
}
