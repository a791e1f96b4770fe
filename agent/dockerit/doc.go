// Package dockerit holds the Docker integration tests of the network and
// origin-container checks: each sets a situation up for real on the local
// daemon (networks, containers built FROM scratch), runs discovery,
// collection and the checks, and asserts the finding and its fix. It has no
// non-test code.
package dockerit
