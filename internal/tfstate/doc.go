// Package tfstate reads a Terraform state and matches its resources to the
// objects render renders for one environment, for `render import`: which
// object adopts which existing AWS resource, what Terraform manages that
// render does not, what will be created, and what cannot be adopted as it
// is (a create-only or immutable field that differs, a subnet that
// overlaps).
//
// It reads both forms a user can get out of Terraform: the state file
// itself, format version 4 (`terraform state pull`; hashicorp/terraform
// internal/states/statefile/version4.go, stateV4, resourceStateV4,
// instanceObjectStateV4), and the JSON view of it (`terraform show
// -json`, format_version 1.x; internal/command/jsonstate/state.go, state,
// module, resource).
//
// Matching goes by what identifies a resource in AWS, never by its
// Terraform address: CIDR and zone for subnets, the VPC for its gateway,
// the subnet for a NAT gateway and the NAT gateway for its Elastic IP, the
// subnets it is associated with and its default route's target for a
// route table, names for IAM roles, log groups and EKS (with the cluster
// for node groups, Fargate profiles and add-ons; the principal for access
// entries), the issuer URL for an OIDC provider, the VPC for a flow log. Which fields cannot change in
// place comes from schema and diff (one source), never from a list here.
//
// It takes rendered objects as []*unstructured.Unstructured and imports
// neither gen nor apply, nor anything that talks to a cluster.
package tfstate
