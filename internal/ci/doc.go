// Package ci owns the CI jobs a render-and-commit repository needs: the
// check that the committed tree is current and builds, the pull-request
// comment with render diff, and the job that keeps outputs/ current, as
// GitHub Actions workflows and as GitLab CI jobs. The templates live once,
// embedded here: render init --ci writes them into a new repository pinned
// to its own version, and examples/ci holds them with the placeholder
// version (a test keeps both equal to the templates).
//
// ci does no I/O beyond its embedded files and imports nothing of render's.
package ci
