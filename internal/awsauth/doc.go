// Package awsauth reads the kube-system/aws-auth ConfigMap of an EKS
// cluster, whether Terraform's state holds it or render read it from the
// live cluster, and says for each IAM principal it maps whether that
// principal keeps access once the cluster's authentication mode is API,
// which no longer reads the ConfigMap.
//
// It is pure: it takes the ConfigMap's data and rendered objects, and
// imports neither gen nor apply, nor anything that talks to a cluster.
package awsauth
