// Package orchestrate holds the runs a user asks for, end to end, between cmd and
// the stages: what render renders for an environment with its late values
// (Render: committed outputs, else live; the one function render apply,
// diff, prune and delete use), and the phases of an apply with one result
// covering them all.
//
// It imports gen and apply and wires them; it never talks to cobra and
// never renders or applies objects itself.
package orchestrate
