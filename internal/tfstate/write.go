package tfstate

import (
	"fmt"
	"io"
	"strings"

	"github.com/eks-render/render/internal/awsauth"
)

// WriteText writes the report for a terminal, section by section.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "render import %s (Terraform state, format %s)\n", r.Environment, r.Format)
	if n := r.Network; n != nil {
		fmt.Fprintf(&b, "\nnetwork.existing (the state's VPC is not adopted; its %d resources stay Terraform's, listed under not managed):\n", len(n.NotManaged))
		fmt.Fprintf(&b, "  environments.%s.network.existing:\n    vpcID: %s\n    privateSubnetIDs: [%s]\n    publicSubnetIDs: [%s]\n",
			r.Environment, n.VPCID, strings.Join(n.PrivateSubnetIDs, ", "), strings.Join(n.PublicSubnetIDs, ", "))
	}
	section(&b, "adopted (ACK takes the existing resource over)", len(r.Adopted), func() {
		for _, a := range r.Adopted {
			fmt.Fprintf(&b, "  %s -> %s  (%s; %s)\n", a.Object, a.ID, a.Terraform, a.By)
		}
	})
	section(&b, "absorbed (part of an adopted object in ACK)", len(r.Absorbed), func() {
		for _, a := range r.Absorbed {
			fmt.Fprintf(&b, "  %s -> %s\n", a.Terraform, a.Into)
		}
	})
	section(&b, "superseded (an object render renders does its job; not adopted)", len(r.Superseded), func() {
		for _, a := range r.Superseded {
			fmt.Fprintf(&b, "  %s -> %s (%s)\n", a.Terraform, a.By, a.Why)
		}
	})
	section(&b, "in-place changes (ACK makes them once it adopted)", len(r.InPlace), func() {
		for _, c := range r.InPlace {
			fmt.Fprintf(&b, "  %s %s: %s -> %s\n", c.Object, c.Path, c.TerraformValue, c.RenderValue)
		}
	})
	section(&b, "created (nothing in the state matches)", len(r.Created), func() {
		for _, c := range r.Created {
			fmt.Fprintf(&b, "  %s\n", c)
		}
	})
	section(&b, "not managed by render (left alone, still Terraform's)", len(r.Unmanaged), func() {
		for _, u := range r.Unmanaged {
			fmt.Fprintf(&b, "  %s\n", u)
		}
	})
	section(&b, "twins (would be created under the AWS name of a Terraform resource nothing adopts)", len(r.Twins), func() {
		for _, t := range r.Twins {
			fmt.Fprintf(&b, "  %s: %s (%s)\n", t.Object, t.Name, t.Terraform)
		}
	})
	section(&b, "conflicts (cannot be adopted as they are)", len(r.Conflicts), func() {
		for _, c := range r.Conflicts {
			fmt.Fprintf(&b, "  %s (%s): %s", c.Object, c.Terraform, c.Message)
			if c.Path != "" {
				fmt.Fprintf(&b, ": Terraform has %s, render renders %s", c.TerraformValue, c.RenderValue)
			}
			b.WriteString("\n")
		}
	})
	section(&b, "aws-auth entries (the ConfigMap path, which the API authentication mode drops)", len(r.AWSAuth), func() {
		fmt.Fprintf(&b, "  %s\n", r.AWSAuthFrom)
		for _, e := range r.AWSAuth {
			fmt.Fprintf(&b, "  %s\n", e)
		}
		if r.AWSAuthFrom.Read == awsauth.FromNeither {
			b.WriteString("  read it with render import --cluster-kubeconfig, or kubectl -n kube-system get configmap aws-auth -o yaml, and list its admins in cluster.admins before the mode reaches API\n")
		}
	})
	section(&b, "after render apply adopted them, take them out of Terraform's state, or Terraform and ACK will fight over them", len(r.StateRm), func() {
		for _, c := range r.StateRm {
			fmt.Fprintf(&b, "  %s\n", c)
		}
	})
	section(&b, "once render's objects that do their job are ready, destroy the superseded resources with Terraform", len(r.Retire), func() {
		for _, c := range r.Retire {
			fmt.Fprintf(&b, "  %s\n", c)
		}
	})
	_, err := io.WriteString(w, b.String())
	return err
}

func section(b *strings.Builder, title string, n int, body func()) {
	fmt.Fprintf(b, "\n%s: %d\n", title, n)
	body()
}
