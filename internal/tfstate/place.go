package tfstate

import (
	"fmt"
	"strings"
)

// placeConflict is a conflict when the state's cluster is in another
// account or region than the environment: the ACK controllers look for an
// adopted resource in the environment's account (through the role of its
// namespace's owner account, CARM) and region, and would not find it.
func (m *matcher) placeConflict(account, region string) {
	obj := m.firstOf("Cluster")
	r := m.match[obj]
	if r == nil {
		return
	}
	parts := strings.Split(r.str("arn"), ":")
	if len(parts) < 5 {
		return
	}
	for _, c := range []struct{ what, state, env string }{{"account", parts[4], account}, {"region", parts[3], region}} {
		if c.env == "" || c.state == "" || c.state == c.env {
			continue
		}
		m.conflicts = append(m.conflicts, Conflict{Object: obj, Terraform: r.Address, TerraformValue: c.state, RenderValue: c.env,
			Message: fmt.Sprintf("the state's cluster is in %s %s, the environment in %s %s: ACK would look for it there; set the environment's %s to %s",
				c.what, c.state, c.what, c.env, map[string]string{"account": "accountID", "region": "region"}[c.what], c.state)})
	}
}
