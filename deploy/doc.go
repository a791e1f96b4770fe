// Package deploy holds tunneldoctor's deployment recipes: the sidecar
// compose file, the GET-only Docker socket proxy, and log shipping
// configurations. It has no code; its tests bring the recipes up for real
// against the local Docker daemon (images built here, nothing pulled).
package deploy
