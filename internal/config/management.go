package config

import "fmt"

// ManagementEnv is where the management cluster's ACK controllers run, as
// an environment sees it.
type ManagementEnv struct {
	// AccountID is the account of the controllers' own IAM role; empty
	// when the file gives neither management.accountID nor accountID.
	AccountID string
	// Region is the controllers' --aws-region.
	Region string
	// Controllers are the ARNs of the controllers' IAM roles, which a role
	// in another account trusts; empty when AccountID is.
	Controllers []string
}

// ControllerServices are the ACK service controllers render's objects need,
// in the order their roles are listed.
var ControllerServices = []string{"cloudwatchlogs", "ec2", "eks", "iam"}

// CrossAccount says whether the environment's AWS resources live in an
// account other than the management cluster's, so that the ACK
// controllers reach them through a role in that account (CARM).
func (e Environment) CrossAccount() bool {
	return e.AccountID != "" && e.AccountID != e.Management.AccountID
}

// CrossRegion says whether the environment's region differs from the
// controllers' default region.
func (e Environment) CrossRegion() bool { return e.Region != e.Management.Region }

// management resolves the management cluster's account and region for one
// environment. They are read from spec alone: spec.management, else
// spec.accountID and spec.region, never an environment's overrides.
func (c *checker) management(spec Spec, env *Environment) {
	if _, written := c.owner(join("environments", c.env), "management"); written {
		c.fail("management", "is set once, under spec: the management cluster is the same for every environment")
	}
	m := spec.Management
	if m == nil {
		m = &Management{}
	}
	region := *builtinDefaults().Region
	switch {
	case m.Region != nil:
		region = *m.Region
		c.checkRegion("management.region", region)
	case spec.Region != nil:
		region = *spec.Region
	}
	account := ""
	switch {
	case m.AccountID != nil:
		account = *m.AccountID
		if !accountRE().MatchString(account) {
			c.fail("management.accountID", "%q is not an AWS account ID; want 12 digits, quoted", account)
		}
	case spec.AccountID != nil:
		account = *spec.AccountID
	}
	env.Management = ManagementEnv{AccountID: account, Region: region}
	if env.AccountID != "" && account == "" {
		c.fail("accountID", "is set for this environment but the management cluster's account is not known; set spec.management.accountID (or spec.accountID) so render can tell whether %q is another account", env.AccountID)
	}
	partition := Partition(region)
	if Partition(env.Region) != partition {
		c.fail("region", "%q is in partition %s and the management cluster's region %q in %s; the ACK controllers' credentials do not reach across partitions", env.Region, Partition(env.Region), region, partition)
	}
	env.Management.Controllers = c.controllers(m.Controllers, partition, account)
}

// controllers are the ACK controllers' role ARNs: as written, else ACK's
// install guide's role names ack-<service>-controller in the management
// account.
func (c *checker) controllers(arns []string, partition, account string) []string {
	for i, a := range arns {
		if !roleARN().MatchString(a) {
			c.fail(fmt.Sprintf("management.controllers[%d]", i), "%q is not an IAM role ARN; want arn:<partition>:iam::<12 digits>:role/<name>", a)
		}
	}
	if len(arns) > 0 || account == "" {
		return arns
	}
	out := make([]string, len(ControllerServices))
	for i, s := range ControllerServices {
		out[i] = fmt.Sprintf("arn:%s:iam::%s:role/ack-%s-controller", partition, account, s)
	}
	return out
}

var roleARN = lazyRegexp(`^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:role/[\w+=,.@/-]{1,512}$`)
