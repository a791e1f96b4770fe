package dockernet

import cerrdefs "github.com/containerd/errdefs"

// IsDenied reports whether Docker (or a socket proxy in front of it)
// refused the call: the answer is unknown, not "no".
func IsDenied(err error) bool {
	return cerrdefs.IsPermissionDenied(err) || cerrdefs.IsUnauthorized(err)
}

// IsNotFound reports whether the object does not exist.
func IsNotFound(err error) bool { return cerrdefs.IsNotFound(err) }
