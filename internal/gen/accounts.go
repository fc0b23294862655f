package gen

import (
	"fmt"
	"path"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/ack"
	"github.com/eks-render/render/internal/config"
)

// AccountMapDir is where, under overlays/<env>/, the environment's entry of
// the ACK controllers' account map is written, as its own kustomization
// for the ACK system namespace.
const AccountMapDir = "ack-system"

// CrossAccountRoleName is the name of the IAM role the ACK controllers
// assume in an environment's account (render bootstrap creates it). The
// account map is keyed by account, so every environment of a platform in
// one account shares it.
func CrossAccountRoleName(env config.Environment) string { return env.Platform + "-ack" }

// CrossAccountRoleARN is the ARN of CrossAccountRoleName in env's account.
func CrossAccountRoleARN(env config.Environment) string {
	return fmt.Sprintf("arn:%s:iam::%s:role/%s", env.Partition, env.AccountID, CrossAccountRoleName(env))
}

// AccountMap is env's entry of the ACK controllers' account map, the
// ConfigMap ack-role-account-map in ack-system that the runtime reads (CARM:
// runtime pkg/runtime/reconciler.go getRoleARN): env's account mapped to
// the role to assume there. nil for an environment in the management
// cluster's account. Each environment applies its entry with its own field
// manager (AccountMapFieldManager), so that server-side apply merges the
// entries of every environment key by key and removes only its own.
func AccountMap(env config.Environment) *corev1.ConfigMap {
	if !env.CrossAccount() {
		return nil
	}
	return &corev1.ConfigMap{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: metav1.ObjectMeta{
			Name: ack.AccountMapName, Namespace: ack.SystemNamespace,
			Labels: map[string]string{"app.kubernetes.io/managed-by": "render"},
		},
		Data: map[string]string{env.AccountID: CrossAccountRoleARN(env)},
	}
}

// AccountMapFieldManager is the field manager env's entry of the account
// map is applied with: one per environment, so that applying one
// environment's entry never removes another's.
func AccountMapFieldManager(env config.Environment) string { return "render-" + env.ClusterName }

// namespaceAnnotations are the ACK annotations of env's management
// namespace: the owner account when it is not the controllers' own, the
// default region when it is not the controllers' --aws-region (every
// object also carries its region: the runtime's getRegion reads an
// object's services.k8s.aws/region before its namespace's default).
func namespaceAnnotations(env config.Environment) map[string]string {
	out := map[string]string{}
	if env.CrossAccount() {
		out[ack.OwnerAccountAnnotation] = env.AccountID
	}
	if env.CrossRegion() {
		out[ack.DefaultRegionAnnotation] = env.Region
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// accountMaps writes overlays/<env>/ack-system/ for each environment in
// another account: its entry of the account map, in a kustomization of
// its own (the overlay's namespace transformer would move it out of
// ack-system, and it must not join the environment's prune set).
func (w *writer) accountMaps(cfg *config.Config) error {
	for _, env := range cfg.Environments {
		cm := AccountMap(env)
		if cm == nil {
			continue
		}
		m, err := toMap(cm)
		if err != nil {
			return err
		}
		dir := path.Join(OverlaysDir, env.Name, AccountMapDir)
		name := fileName(m)
		if err := w.put(path.Join(dir, name), m); err != nil {
			return err
		}
		if err := w.put(path.Join(dir, "kustomization.yaml"), kustomization(ack.SystemNamespace, []string{name}, nil, nil)); err != nil {
			return err
		}
	}
	return nil
}

// AccountMapObject is AccountMap as the applier takes it; nil for an
// environment in the management cluster's account.
func AccountMapObject(env config.Environment) (*unstructured.Unstructured, error) {
	cm := AccountMap(env)
	if cm == nil {
		return nil, nil
	}
	m, err := toMap(cm)
	if err != nil {
		return nil, err
	}
	return &unstructured.Unstructured{Object: m}, nil
}
