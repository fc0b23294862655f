package config

// DefaultSSLPolicy is the security policy of the game's HTTPS listener
// unless app.tls.sslPolicy names another: the one AWS recommends and the
// console's default for new HTTPS listeners (TLS 1.3 and 1.2 with hybrid
// post-quantum key exchange; "Security policies for your Application Load
// Balancer", docs.aws.amazon.com/elasticloadbalancing/latest/application/
// describe-ssl-policies.html, and the Network Load Balancer's page, which
// names it AWS's recommendation). The load balancer
// controller's own default (kubernetes-sigs/aws-load-balancer-controller
// v3.5.0 pkg/config/controller_config.go:49) is ELBSecurityPolicy-2016-08,
// which still accepts TLS 1.0 and 1.1.
const DefaultSSLPolicy = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"

var (
	// certificateARNRE is an ACM certificate ARN; the id is a UUID.
	certificateARNRE = lazyRegexp(`^arn:(aws|aws-cn|aws-us-gov):acm:([a-z0-9-]+):([0-9]{12}):certificate/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	// sslPolicyRE is a predefined ELB security policy: Application Load
	// Balancers support no custom ones (describe-ssl-policies.html).
	sslPolicyRE = lazyRegexp(`^ELBSecurityPolicy-[A-Za-z0-9-]+$`)
)

// tls resolves app.tls. The certificate must be in the environment's
// region: ACM certificates are regional and Elastic Load Balancing uses one
// of its own region (ACM User Guide, "Supported Regions", acm-regions). And
// in its account, where that is known: a listener cannot use another
// account's certificate, ELB answers CertificateNotFound (hashicorp/
// terraform-provider-aws#17505; the load balancer controller's maintainers
// point such users to ACM Private CA sharing instead, kubernetes-sigs/
// aws-load-balancer-controller#3276), and ACM has no way to share one.
func (c *checker) tls(t TLS, region, account string) *TLSEnv {
	unsupported := false
	for _, f := range []struct {
		rel string
		v   *string
	}{{"app.tls.domain", t.Domain}, {"app.tls.hostedZoneID", t.HostedZoneID}} {
		if f.v != nil {
			unsupported = true
			c.fail(f.rel, "is not supported yet: render cannot create the certificate and DNS records (ACK's ACM and Route 53 CRDs are not part of it); request or import a certificate in ACM and set app.tls.certificateARN")
		}
	}
	out := &TLSEnv{SSLPolicy: DefaultSSLPolicy}
	if t.SSLPolicy != nil {
		out.SSLPolicy = *t.SSLPolicy
		if !sslPolicyRE().MatchString(out.SSLPolicy) {
			c.fail("app.tls.sslPolicy", "%q is not a predefined ELB security policy; want e.g. %s (Application Load Balancers take no custom policies)", out.SSLPolicy, DefaultSSLPolicy)
		}
	}
	if t.CertificateARN == nil {
		if unsupported { // said already
			return out
		}
		c.fail("app.tls", "has no certificateARN; want the ARN of an issued ACM certificate in %s", region)
		return out
	}
	out.CertificateARN = *t.CertificateARN
	m := certificateARNRE().FindStringSubmatch(out.CertificateARN)
	switch {
	case m == nil:
		c.fail("app.tls.certificateARN", "%q is not an ACM certificate ARN; want arn:%s:acm:%s:<12-digit account>:certificate/<uuid>", out.CertificateARN, Partition(region), region)
	case m[2] != region || m[1] != Partition(region):
		c.fail("app.tls.certificateARN", "%q is a certificate in %s; the environment's load balancer is in %s and can use only a certificate of its own region (ACM certificates are regional): request or import one in %s",
			out.CertificateARN, m[2], region, region)
	case account != "" && m[3] != account:
		c.fail("app.tls.certificateARN", "%q belongs to account %s; the environment's load balancer is in account %s and cannot use another account's certificate: request or import one there",
			out.CertificateARN, m[3], account)
	}
	return out
}
