// Package orchestrate holds the runs a user asks for, end to end, between
// cmd and the stages:
//
//   - what render renders for an environment with its late values (Render:
//     committed outputs, else live; the one function render apply, diff,
//     prune and delete use), and the configuration and outputs files it
//     reads (Input: --config on the day --today or the clock gives;
//     LoadConfig, LoadLate, DiffSide from a directory or a git revision);
//   - render apply (Apply): the lock, the stale-rendering check, the two
//     phases, the refusal of changes AWS cannot make in place, the record
//     of what was applied, and the workload on the new cluster, with one
//     result covering them all; then, for an environment with an outputs
//     file, that file and the tree rewritten from what AWS runs
//     (refreshCommitted);
//   - render delete (Delete): the workload first, then the management
//     objects in reverse dependency order, across both clusters, with one
//     DeleteResult;
//   - render diff (DiffLive against the cluster, with what the committed
//     files would move back, Backwards; DiffRenderings between two
//     configurations), render outputs (WriteOutputs) and render
//     import (Import: the Terraform state matched, imports/ENV.yaml written).
//
// It imports gen and apply and wires them; it never talks to cobra (cmd
// passes what it asks the user, such as a confirmation, as a function) and
// never renders or applies objects itself.
package orchestrate
